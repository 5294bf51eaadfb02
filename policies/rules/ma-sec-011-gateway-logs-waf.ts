import { bySeverity, finding, only, type Finding, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-011",
  title: "Gateway access logs on; WAF or rate limit on public endpoints",
  severity: "medium",
  kind: "security",
  description:
    "Every gateway and load balancer writes access logs (who called what, when); one reachable from the internet also has a WAF or a rate limit, on the gateway or on every one of its routes. Envoy Gateway logs access to stdout unless an EnvoyProxy switches it off; AWS stages and load balancers need an explicit log destination.",
  remediation: "API Gateway: `accessLogSettings`; ALB: `accessLogs.enabled`; APIM: a diagnostic setting with GatewayLogs; GCP backend services: `logConfig.enable`. Public endpoints: a WAFv2 web ACL association, Cloud Armor policy, or throttling (`defaultRouteSettings.throttlingRateLimit`, an Envoy BackendTrafficPolicy rate limit).",
  anchors: { checkov: ["CKV_AWS_76", "CKV_AWS_95", "CKV_AWS_91", "CKV2_AWS_29"] },
  enforcement: bySeverity("medium"),
  reads: ["gateway", "gateway-route", "load-balancer"],
  check(facts) {
    const routes = only(facts, "gateway-route");
    const gateways = only(facts, "gateway").flatMap((g): Finding[] => {
      const out: Finding[] = [];
      if (g.accessLogs !== true) out.push(finding(g, g.accessLogs === false ? "gateway access logs are off" : "no access log configuration found for the gateway"));
      if (g.public === true && g.waf !== true && g.rateLimitPerMinute === undefined) {
        const mine = routes.filter((r) => r.service === g.service && (r.gateway === undefined || r.gateway === g.gatewayName));
        const allLimited = mine.length > 0 && mine.every((r) => r.rateLimitPerMinute !== undefined);
        if (!allLimited) out.push(finding(g, "public gateway has neither a WAF nor a rate limit"));
      }
      return out;
    });
    const balancers = only(facts, "load-balancer")
      .filter((b) => b.role === "balancer")
      .flatMap((b): Finding[] => {
        const out: Finding[] = [];
        // An internal load balancer only carries traffic a gateway already logged (API Gateway's VPC link).
        if (b.accessLogs !== true && b.public !== false) out.push(finding(b, "load balancer access logs are off"));
        if (b.public === true && b.waf !== true) out.push(finding(b, "public load balancer has no WAF"));
        return out;
      });
    return [...gateways, ...balancers];
  },
};
