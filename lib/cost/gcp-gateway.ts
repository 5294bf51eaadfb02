import type { ResourceFact } from "../facts/types";
import { free, qty, usd, type Outcome } from "./money";
import { fromPrices, type ServiceContext } from "./services";

/**
 * The GCP gateway's load balancer and edge, priced by resource type: forwarding
 * rules by the hour (the load balancer's charge) plus data processed on the HTTPS
 * rule, Cloud Armor policies by policy, rule and request, Google-managed
 * certificates by the month; the load balancer's wiring (URL maps, target proxies,
 * backend services, NEGs, SSL policies, health checks, addresses in use, DNS
 * authorizations and certificate maps) costs nothing of its own, nor does a
 * secret version (the proxy's validator policy; its secret is priced).
 */
export const GCP_EDGE_TYPES: ReadonlySet<string> = new Set([
  "gcp:compute/globalForwardingRule:GlobalForwardingRule",
  "gcp:compute/forwardingRule:ForwardingRule",
  "gcp:compute/securityPolicy:SecurityPolicy",
  "gcp:compute/regionSecurityPolicy:RegionSecurityPolicy",
  "gcp:certificatemanager/certificate:Certificate",
  "gcp:compute/backendService:BackendService",
  "gcp:compute/regionBackendService:RegionBackendService",
  "gcp:compute/uRLMap:URLMap",
  "gcp:compute/regionUrlMap:RegionUrlMap",
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
  "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy",
  "gcp:compute/targetHttpProxy:TargetHttpProxy",
  "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy",
  "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
  "gcp:compute/sSLPolicy:SSLPolicy",
  "gcp:compute/regionSslPolicy:RegionSslPolicy",
  "gcp:compute/healthCheck:HealthCheck",
  "gcp:compute/regionHealthCheck:RegionHealthCheck",
  "gcp:compute/address:Address",
  "gcp:certificatemanager/dnsAuthorization:DnsAuthorization",
  "gcp:certificatemanager/certificateMap:CertificateMap",
  "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry",
  "gcp:dns/recordSet:RecordSet",
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
  "gcp:secretmanager/secretVersion:SecretVersion",
]);

/** What one request moves through the load balancer, both ways (request and response): the usage presets give requests, not bytes. */
export const ASSUMED_KIB_PER_REQUEST = 16;

const FREE: Readonly<Record<string, string>> = {
  "gcp:compute/backendService:BackendService": "a backend service (the load balancer is billed on its forwarding rules)",
  "gcp:compute/regionBackendService:RegionBackendService": "a backend service (the load balancer is billed on its forwarding rules)",
  "gcp:compute/uRLMap:URLMap": "a URL map",
  "gcp:compute/regionUrlMap:RegionUrlMap": "a URL map",
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": "a target proxy",
  "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy": "a target proxy",
  "gcp:compute/targetHttpProxy:TargetHttpProxy": "a target proxy",
  "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy": "a target proxy",
  "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup": "a serverless NEG",
  "gcp:compute/sSLPolicy:SSLPolicy": "an SSL policy",
  "gcp:compute/regionSslPolicy:RegionSslPolicy": "an SSL policy",
  "gcp:compute/healthCheck:HealthCheck": "a health check (load balancer and Cloud DNS health checks carry no charge of their own)",
  "gcp:compute/regionHealthCheck:RegionHealthCheck": "a health check",
  "gcp:compute/address:Address": "an internal address in use by a forwarding rule",
  "gcp:certificatemanager/dnsAuthorization:DnsAuthorization": "a DNS authorization",
  "gcp:certificatemanager/certificateMap:CertificateMap": "a certificate map (entries: the first 100 a project holds are free)",
  "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": "a certificate map entry (the first 100 a project holds are free)",
  "gcp:dns/recordSet:RecordSet": "a DNS record: billed as queries on its managed zone (not estimated)",
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": "an uptime check: within the project's free executions at one check a minute",
  "gcp:secretmanager/secretVersion:SecretVersion": "a secret version: its secret is priced per active version-month",
};

export function priceGcpEdge(r: ResourceFact, ctx: ServiceContext): Outcome {
  const type = r.resource.type;
  const b = r.billing ?? {};
  const H = ctx.hoursPerMonth;
  const why = FREE[type];
  if (why) return free(why);
  if (type === "gcp:certificatemanager/certificate:Certificate") {
    return fromPrices(ctx, ["gcp.certificatemanager.certificate-month"], (p) => ({ usd: p.usd, basis: `a Google-managed certificate ${usd(p.usd)}/month (the first 100 a project holds are free, not deducted)` }));
  }
  if (type === "gcp:compute/securityPolicy:SecurityPolicy" || type === "gcp:compute/regionSecurityPolicy:RegionSecurityPolicy") {
    const rules = typeof b.rules === "number" ? b.rules : 1;
    const requests = ctx.usage.requestsPerMonth / Math.max(1, ctx.shares.gateways);
    return fromPrices(ctx, ["gcp.armor.policy-month", "gcp.armor.rule-month", "gcp.armor.per-million-requests"], (policy, rule, req) => ({
      usd: policy.usd + rules * rule.usd + (requests / 1e6) * req.usd,
      basis: `Cloud Armor Standard: ${usd(policy.usd)}/policy + ${rules} rules × ${usd(rule.usd)} + ${qty(requests)} requests at ${usd(req.usd)}/M`,
    }));
  }
  // Forwarding rules: the load balancer's hourly charge; the HTTPS rule also carries the data it processes.
  const https = String(b.portRange ?? "") === "443";
  if (!https) return fromPrices(ctx, ["gcp.lb.forwarding-rule-hour"], (p) => ({ usd: p.usd * H, basis: `forwarding rule ${usd(p.usd)}/h × ${H} h (HTTP to HTTPS redirect)` }));
  const requests = ctx.usage.requestsPerMonth / Math.max(1, ctx.shares.gateways);
  const gib = (requests * ASSUMED_KIB_PER_REQUEST) / 1024 ** 2;
  return fromPrices(ctx, ["gcp.lb.forwarding-rule-hour", "gcp.lb.data-processing-gb"], (rule, data) => ({
    usd: rule.usd * H + gib * data.usd,
    basis: `forwarding rule ${usd(rule.usd)}/h × ${H} h + ${qty(requests)} requests × ${ASSUMED_KIB_PER_REQUEST} KiB assumed = ${qty(gib)} GiB processed at ${usd(data.usd)}/GiB`,
  }));
}
