/** API Gateway (HTTP and REST), WAF associations and load balancers as gateway, route and load-balancer facts. */
import { fact, type AdapterInput } from "./context";
import type { Fact, GatewayFact, GatewayPolicyFact, GatewayRouteFact, LoadBalancerFact } from "./types";
import { bool, isRecord, num, records, str } from "./values";

export function httpApiStage({ inputs, common }: AdapterInput): Fact[] {
  const rate = num(inputs, "defaultRouteSettings", "throttlingRateLimit");
  const name = str(inputs, "name");
  return [
    fact<GatewayFact>(common, {
      kind: "gateway",
      service: "apigateway-http",
      ...(name ? { gatewayName: name } : {}),
      public: true,
      accessLogs: isRecord(inputs.accessLogSettings) && str(inputs, "accessLogSettings", "destinationArn") !== undefined,
      waf: undefined,
      ...(rate !== undefined ? { rateLimitPerMinute: rate * 60 } : {}),
      // API Gateway endpoints serve HTTPS only; custom domains carry the TLS policy.
      httpListener: false,
    }),
  ];
}

const V2_AUTH: Readonly<Record<string, GatewayRouteFact["auth"]>> = { NONE: "none", JWT: "jwt", AWS_IAM: "iam", CUSTOM: "custom" };

/** An API Gateway route or method: its authorization type through `table`, an API key alone counting as api-key auth. */
function apiGatewayRoute(
  { inputs, common }: AdapterInput,
  service: GatewayRouteFact["service"],
  path: string,
  authorization: string,
  table: Readonly<Record<string, GatewayRouteFact["auth"]>>,
  api: string | undefined,
): Fact[] {
  const apiKey = bool(inputs, "apiKeyRequired") === true;
  return [
    fact<GatewayRouteFact>(common, {
      kind: "gateway-route",
      service,
      path,
      auth: apiKey && authorization === "NONE" ? "api-key" : (table[authorization] ?? "custom"),
      explicitlyPublic: common.tags.public === "true",
      ...(api ? { gateway: api } : {}),
    }),
  ];
}

export function httpApiRoute(input: AdapterInput): Fact[] {
  const { inputs } = input;
  return apiGatewayRoute(input, "apigateway-http", str(inputs, "routeKey") ?? "", str(inputs, "authorizationType") ?? "NONE", V2_AUTH, str(inputs, "apiId"));
}

export function restApiStage({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "stageName");
  const acl = str(inputs, "webAclArn");
  return [
    fact<GatewayFact>(common, {
      kind: "gateway",
      service: "apigateway-rest",
      ...(name ? { gatewayName: name } : {}),
      public: true,
      accessLogs: str(inputs, "accessLogSettings", "destinationArn") !== undefined,
      waf: acl ? true : undefined,
      httpListener: false,
    }),
  ];
}

const REST_AUTH: Readonly<Record<string, GatewayRouteFact["auth"]>> = { NONE: "none", AWS_IAM: "iam", CUSTOM: "custom", COGNITO_USER_POOLS: "jwt" };

export function restMethod(input: AdapterInput): Fact[] {
  const { inputs } = input;
  const path = `${str(inputs, "httpMethod") ?? "ANY"} ${str(inputs, "resourceId") ?? ""}`.trim();
  return apiGatewayRoute(input, "apigateway-rest", path, str(inputs, "authorization") ?? "NONE", REST_AUTH, str(inputs, "restApi"));
}

export function restMethodSettings({ inputs, common }: AdapterInput): Fact[] {
  const rate = num(inputs, "settings", "throttlingRateLimit");
  return [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: [{ kind: "Stage", name: str(inputs, "stageName") ?? "" }], ...(rate !== undefined ? { rateLimitPerMinute: rate * 60 } : {}) })];
}

/** `TLS_1_0`, `TLS_1_2`, `SecurityPolicy_TLS13_1_2_2021_06` -> `1.0`, `1.2`, `1.2`. */
export function awsTlsMin(policy: string | undefined): string | undefined {
  if (!policy) return undefined;
  const m = /TLS[-_]?1[-_](\d)/i.exec(policy) ?? /TLS13[-_]1[-_](\d)/i.exec(policy);
  if (/TLS13_1_3|TLS13-1-3/i.test(policy)) return "1.3";
  if (/TLS13[-_]1[-_]2|TLS-1-2|TLS_1_2|TLS12/i.test(policy)) return "1.2";
  if (/FS-1-1|TLS-1-1|TLS_1_1/i.test(policy)) return "1.1";
  if (m) return `1.${m[1]}`;
  // ELBSecurityPolicy-2016-08 and other undated names allow TLS 1.0.
  return /ELBSecurityPolicy-(2015|2016)|TLS_1_0/.test(policy) ? "1.0" : undefined;
}

export function apiDomainName({ inputs, common }: AdapterInput): Fact[] {
  const policy = str(inputs, "securityPolicy") ?? str(inputs, "domainNameConfiguration", "securityPolicy");
  // API Gateway custom domains default to TLS_1_2 when no policy is given.
  return [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: [{ kind: "DomainName", name: str(inputs, "domainName") ?? "" }], minTlsVersion: awsTlsMin(policy) ?? "1.2" })];
}

export function wafAssociation({ inputs, common }: AdapterInput): Fact[] {
  return [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: [{ kind: "Arn", name: str(inputs, "resourceArn") ?? "" }], waf: true })];
}

export function loadBalancer({ inputs, common }: AdapterInput): Fact[] {
  const internal = bool(inputs, "internal") === true;
  return [
    fact<LoadBalancerFact>(common, {
      kind: "load-balancer",
      role: "balancer",
      public: !internal,
      listeners: [],
      accessLogs: bool(inputs, "accessLogs", "enabled") === true,
      waf: undefined,
    }),
  ];
}

export function listener({ inputs, common }: AdapterInput): Fact[] {
  const protocol = str(inputs, "protocol") ?? "HTTP";
  const redirects = records(inputs, "defaultActions").some((a) => str(a, "type") === "redirect" && str(a, "redirect", "protocol") === "HTTPS");
  const policy = str(inputs, "sslPolicy");
  const min = awsTlsMin(policy);
  return [
    fact<LoadBalancerFact>(common, {
      kind: "load-balancer",
      role: "listener",
      public: undefined,
      listeners: [{ protocol, ...(num(inputs, "port") !== undefined ? { port: num(inputs, "port") } : {}), ...(policy ? { tlsPolicy: policy } : {}), ...(min ? { minTlsVersion: min } : {}), redirectsToHttps: redirects }],
      accessLogs: undefined,
      waf: undefined,
    }),
  ];
}
