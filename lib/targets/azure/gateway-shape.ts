import type { AgentPlan, FleetPlan } from "../../plan/types";
import type { GatewaySettings } from "../../spec/types";
import { FRONT_DOOR_ID_HEADER } from "./front-door";

/**
 * API Management as plain data: the SKU per tier and environment, the subnet and
 * its rules, and the policy XML of every kind of route (pure builders, shared by
 * the Pulumi gateway and its tests).
 */

export type ApimSkuName = "Developer" | "Premium";

/**
 * The APIM SKU. Every policy used here (validate-jwt, rate-limit-by-key,
 * validate-content, retry, send-request, authentication-managed-identity, cache
 * lookups, backend circuit breakers and pools) exists on the classic Developer and
 * Premium tiers, and both are injected into the fleet's VNet (internal agents are
 * reachable only there). Premium (one unit, SLA 99.95%) in prod outside the small
 * tier; Developer (no SLA, one unit, about $48 a month) everywhere else, including
 * the small tier's prod, whose $1,000 budget cannot hold Premium (~$2,800) or
 * Standard v2 (~$700, outbound VNet integration). Consumption lacks
 * rate-limit-by-key and VNet; Basic v2 has no VNet integration.
 */
export function apimSku(plan: Pick<FleetPlan, "tier" | "fleet">): { readonly name: ApimSkuName; readonly capacity: 1 } {
  return plan.fleet.environment === "prod" && plan.tier.name !== "small" ? { name: "Premium", capacity: 1 } : { name: "Developer", capacity: 1 };
}

/** The APIM subnet: `10.<octet>.12.0/24` of the fleet VNet (stv2 injection needs a /27 or more, and nothing else in it). */
export function apimSubnetCidr(vnetCidr: string): string {
  const m = /^10\.(\d{1,3})\.0\.0\/16$/.exec(vnetCidr);
  if (!m) throw new Error(`unreachable: the fleet VNet is 10.<octet>.0.0/16, not ${vnetCidr}`);
  return `10.${m[1]}.12.0/24`;
}

/**
 * The rules APIM's VNet injection needs (Microsoft Learn, "Virtual network
 * configuration reference: API Management", stv2): clients on 443 (Front Door's
 * backends when public, the VNet when internal), the management endpoint from the
 * ApiManagement service tag, the load balancer's probe; out to Storage, SQL, Key
 * Vault and Azure Monitor. Everything else inbound is denied by the NSG's defaults.
 */
export function apimSecurityRules(publicGateway: boolean) {
  const inbound = (name: string, priority: number, source: string, port: string) => ({ name, priority, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: source, sourcePortRange: "*", destinationAddressPrefix: "VirtualNetwork", destinationPortRange: port });
  const outbound = (name: string, priority: number, destination: string, ports: string[]) => ({ name, priority, direction: "Outbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "VirtualNetwork", sourcePortRange: "*", destinationAddressPrefix: destination, destinationPortRanges: ports });
  return [
    inbound("clients-https", 100, publicGateway ? "AzureFrontDoor.Backend" : "VirtualNetwork", "443"),
    inbound("apim-management", 110, "ApiManagement", "3443"),
    inbound("load-balancer", 120, "AzureLoadBalancer", "6390"),
    outbound("storage", 100, "Storage", ["443"]),
    outbound("sql", 110, "Sql", ["1433"]),
    outbound("key-vault", 120, "AzureKeyVault", ["443"]),
    outbound("monitor", 130, "AzureMonitor", ["1886", "443"]),
  ];
}

/** TLS 1.2 only, on the client side and to backends; no 3DES; HTTP/2 on. */
export const APIM_TLS_PROPERTIES: Readonly<Record<string, string>> = Object.fromEntries([
  ...["Protocols.Tls10", "Protocols.Tls11", "Protocols.Ssl30", "Backend.Protocols.Tls10", "Backend.Protocols.Tls11", "Backend.Protocols.Ssl30", "Ciphers.TripleDes168"].map((k) => [`Microsoft.WindowsAzure.ApiManagement.Gateway.Security.${k}`, "false"]),
  ["Microsoft.WindowsAzure.ApiManagement.Gateway.Protocols.Server.Http2", "true"],
]);

/** forward-request's longest timeout on the classic tiers. */
export const APIM_MAX_TIMEOUT_SECONDS = 240;
/** validate-content's largest body (bytes). */
export const APIM_MAX_VALIDATED_BODY = 102400;
/** The health route's answer is cached this long, whatever the number of Front Door edges probing it. */
export const HEALTH_CACHE_SECONDS = 10;

/** An APIM identifier from a name: letters, digits and '-' (APIs, operations, backends, schemas). */
export function apimId(...parts: ReadonlyArray<string>): string {
  return parts.join("-").toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "").slice(0, 80);
}

/** `/documents` -> `documents`: the API's URL suffix (APIM strips it before forwarding). */
export function apiPath(routePath: string): string {
  return routePath.replace(/^\/+|\/+$/g, "");
}

const attr = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const text = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The issuer's OpenID discovery document: validate-jwt reads the signing keys (its `jwks_uri`) from it. */
export function openIdConfigUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

/** `validate-jwt` from `gateway.jwt`: Bearer scheme, signed tokens with an expiry, the fleet's issuer and audiences. */
export function jwtPolicy(jwt: NonNullable<GatewaySettings["jwt"]>): string {
  return [
    `<validate-jwt header-name="Authorization" require-scheme="Bearer" failed-validation-httpcode="401" failed-validation-error-message="Unauthorized" require-expiration-time="true" require-signed-tokens="true" clock-skew="60">`,
    `<openid-config url="${attr(openIdConfigUrl(jwt.issuer))}" />`,
    `<audiences>${jwt.audiences.map((a) => `<audience>${text(a)}</audience>`).join("")}</audiences>`,
    `<issuers><issuer>${text(jwt.issuer)}</issuer></issuers>`,
    `</validate-jwt>`,
  ].join("");
}

/** The route's limit: `rateLimitPerMinute` calls a minute for the whole route (one counter per route, as API Gateway's method throttle). */
export function rateLimitPolicy(agent: string, perMinute: number): string {
  return `<rate-limit-by-key calls="${perMinute}" renewal-period="60" counter-key="route-${attr(agent)}" />`;
}

/** `validate-content` against the route's JSON schema (an APIM schema resource): JSON bodies only, at most 100 KiB. */
export function schemaPolicy(schemaId: string): string {
  // Bodies are validated where a method carries one: a GET has none to check.
  return [
    `<choose><when condition="@(context.Request.Method != &quot;GET&quot; &amp;&amp; context.Request.Method != &quot;HEAD&quot;)">`,
    `<validate-content unspecified-content-type-action="prevent" max-size="${APIM_MAX_VALIDATED_BODY}" size-exceeded-action="prevent" errors-variable-name="requestBodyValidation">`,
    `<content type="application/json" validate-as="json" action="prevent" schema-id="${attr(schemaId)}" />`,
    `</validate-content>`,
    `</when></choose>`,
  ].join("");
}

/**
 * The plan's retries around the forward: `attempts - 1` retries, APIM's exponential
 * interval (interval + (2^n - 1) × delta, ±20%) from the first delay, which gives
 * 1 s, 2 s, 4 s for the seed's numbers, capped at the longest delay; each try with
 * the route's timeout (at most 240 s).
 */
export function retryForward(agent: Pick<AgentPlan, "retry">, timeoutSeconds: number, condition: string): string {
  const r = agent.retry;
  const interval = Math.max(1, Math.round(r.baseDelayMs / 1000));
  const delta = Math.max(1, Math.round((r.baseDelayMs * (r.multiplier - 1)) / 1000));
  const max = Math.max(interval, Math.round(r.maxDelayMs / 1000));
  return [
    `<retry condition="${attr(condition)}" count="${Math.max(0, r.attempts - 1)}" interval="${interval}" delta="${delta}" max-interval="${max}" first-fast-retry="false">`,
    `<forward-request timeout="${Math.min(timeoutSeconds, APIM_MAX_TIMEOUT_SECONDS)}" buffer-request-body="true" />`,
    `</retry>`,
  ].join("");
}

/** Retry on a failed forward (no response) and on 429, 502, 503, 504: the backend's answer, not the caller's mistake. */
export const RETRY_CONDITION = "@(context.Response == null || context.Response.StatusCode == 429 || (context.Response.StatusCode >= 502 && context.Response.StatusCode <= 504))";

/** What every route checks first: its JWT (auth: jwt), its rate limit, its schema. */
export interface RouteChecks {
  readonly jwt?: NonNullable<GatewaySettings["jwt"]>;
  readonly schemaId?: string;
}

function front(agent: AgentPlan, checks: RouteChecks): string[] {
  const route = agent.route;
  if (!route) throw new Error(`unreachable: ${agent.name} has no route`);
  return [
    "<base />",
    ...(route.auth === "jwt" && checks.jwt ? [jwtPolicy(checks.jwt)] : []),
    rateLimitPolicy(agent.name, route.rateLimitPerMinute),
    ...(checks.schemaId ? [schemaPolicy(checks.schemaId)] : []),
  ];
}

function policies(inbound: string[], backend: string, outbound: string[] = ["<base />"]): string {
  return `<policies><inbound>${inbound.join("")}</inbound><backend>${backend}</backend><outbound>${outbound.join("")}</outbound><on-error><base /></on-error></policies>`;
}

/** A `choose` that sends `100 - weight` percent of the calls to the legacy backend (a canary the gateway draws per request). */
function canary(weight: number, legacyBackendId: string, routePath: string): string[] {
  if (weight >= 100) return ['<set-variable name="toAgent" value="@(true)" />'];
  return [
    `<set-variable name="toAgent" value="@(new Random().Next(100) &lt; ${weight})" />`,
    `<choose><when condition="@(!(bool)context.Variables[&quot;toAgent&quot;])"><set-backend-service backend-id="${attr(legacyBackendId)}" /><rewrite-uri template="${attr(routePath)}" copy-unmatched-params="true" /></when></choose>`,
  ];
}

/**
 * An async route: the checks, then the body goes to the agent's Service Bus queue
 * over its REST endpoint (`POST https://<namespace>.servicebus.windows.net/<queue>/messages`,
 * the queue's backend) with a token of APIM's managed identity for
 * `https://servicebus.azure.net`; the message id is APIM's request id, and an
 * ordered queue's session is the `X-Message-Group-Id` header (else `default`).
 * Service Bus answers 201; the caller gets 202 with the request id, or 502 when the
 * queue refused the message. Below weight 100, the rest goes to the monolith.
 */
export function asyncRoutePolicy(agent: AgentPlan, p: RouteChecks & { readonly queueBackendId: string; readonly sessions: boolean; readonly legacyBackendId?: string }): string {
  const route = agent.route;
  if (!route) throw new Error(`unreachable: ${agent.name} has no route`);
  const broker = [
    `new JProperty("MessageId", context.RequestId.ToString())`,
    ...(p.sessions ? [`new JProperty("SessionId", context.Request.Headers.GetValueOrDefault("X-Message-Group-Id", "default"))`] : []),
  ].join(", ");
  const enqueue = [
    `<set-backend-service backend-id="${attr(p.queueBackendId)}" />`,
    `<rewrite-uri template="/messages" copy-unmatched-params="false" />`,
    `<set-method>POST</set-method>`,
    `<set-header name="Content-Type" exists-action="override"><value>application/json</value></set-header>`,
    `<set-header name="BrokerProperties" exists-action="override"><value>@(new JObject(${broker}).ToString(Newtonsoft.Json.Formatting.None))</value></set-header>`,
    `<authentication-managed-identity resource="https://servicebus.azure.net" />`,
  ];
  const inbound = route.weight < 100 && p.legacyBackendId
    ? [...front(agent, p), ...canary(route.weight, p.legacyBackendId, route.path), `<choose><when condition="@((bool)context.Variables[&quot;toAgent&quot;])">${enqueue.join("")}</when></choose>`]
    : [...front(agent, p), '<set-variable name="toAgent" value="@(true)" />', ...enqueue];
  const accepted = `<when condition="@((bool)context.Variables[&quot;toAgent&quot;] &amp;&amp; context.Response.StatusCode == 201)"><set-status code="202" reason="Accepted" /><set-header name="Content-Type" exists-action="override"><value>application/json</value></set-header><set-body>@(new JObject(new JProperty("requestId", context.RequestId.ToString())).ToString())</set-body></when>`;
  const refused = `<when condition="@((bool)context.Variables[&quot;toAgent&quot;])"><set-status code="502" reason="Bad Gateway" /><set-header name="Content-Type" exists-action="override"><value>application/json</value></set-header><set-body>{"message":"the agent's queue did not accept the request"}</set-body></when>`;
  return policies(inbound, retryForward(agent, route.timeoutSeconds, RETRY_CONDITION), ["<base />", `<choose>${accepted}${refused}</choose>`]);
}

/** A sync route: the checks, then the agent's backend (or the agent-and-monolith pool of a canary), with the plan's retries and the route's timeout. */
export function syncRoutePolicy(agent: AgentPlan, p: RouteChecks & { readonly backendId: string }): string {
  const route = agent.route;
  if (!route) throw new Error(`unreachable: ${agent.name} has no route`);
  return policies([...front(agent, p), `<set-backend-service backend-id="${attr(p.backendId)}" />`], retryForward(agent, route.timeoutSeconds, RETRY_CONDITION));
}

/** The monolith for every path no agent serves: JWT when the fleet has an issuer, then the legacy backend with retries. */
export function fallbackPolicy(settings: Pick<GatewaySettings, "jwt">, legacyBackendId: string, retry: AgentPlan["retry"], perMinute: number): string {
  return policies(
    ["<base />", ...(settings.jwt ? [jwtPolicy(settings.jwt)] : []), `<rate-limit-by-key calls="${perMinute}" renewal-period="60" counter-key="legacy" />`, `<set-backend-service backend-id="${attr(legacyBackendId)}" />`],
    retryForward({ retry }, APIM_MAX_TIMEOUT_SECONDS, RETRY_CONDITION),
  );
}

/** Calls a minute each client address may make to the health route (Front Door's edges probe every 30 s each). */
export const HEALTH_RATE_LIMIT_PER_IP = 120;

/** One agent the health route probes: its name and health URL inside the VNet. */
export interface HealthProbe {
  readonly agent: string;
  readonly url: string;
}

/**
 * The health route: GET each always-on agent's health endpoint (5 s each, errors
 * ignored), answer 200 `{"status":"ok"}` only when every one answered 2xx, else
 * 503 `{"status":"degraded"}`; the answer is cached 10 s, so Front Door's many
 * edges probing it do not multiply the agents' load. It says nothing else.
 */
export function healthPolicy(probes: ReadonlyArray<HealthProbe>): string {
  const sends = probes.map((p, i) => `<send-request mode="new" response-variable-name="probe${i}" timeout="5" ignore-error="true"><set-url>${text(p.url)}</set-url><set-method>GET</set-method></send-request>`).join("");
  const names = probes.map((_p, i) => `&quot;probe${i}&quot;`).join(", ");
  const healthy = probes.length === 0 ? "true" : `new [] { ${names} }.All(v =&gt; context.Variables.GetValueOrDefault&lt;IResponse&gt;(v) != null &amp;&amp; context.Variables.GetValueOrDefault&lt;IResponse&gt;(v).StatusCode &gt;= 200 &amp;&amp; context.Variables.GetValueOrDefault&lt;IResponse&gt;(v).StatusCode &lt; 300)`;
  const answer = (code: number, reason: string, status: string) => `<return-response><set-status code="${code}" reason="${reason}" /><set-header name="Content-Type" exists-action="override"><value>application/json</value></set-header><set-header name="Cache-Control" exists-action="override"><value>no-store</value></set-header><set-body>{"status":"${status}"}</set-body></return-response>`;
  return policies(
    [
      "<base />",
      `<rate-limit-by-key calls="${HEALTH_RATE_LIMIT_PER_IP}" renewal-period="60" counter-key="@(context.Request.IpAddress)" />`,
      `<cache-lookup-value key="microagents-health" variable-name="health" caching-type="internal" />`,
      `<choose><when condition="@(!context.Variables.ContainsKey(&quot;health&quot;))">${sends}<set-variable name="health" value="@(${healthy} ? &quot;ok&quot; : &quot;degraded&quot;)" /><cache-store-value key="microagents-health" value="@((string)context.Variables[&quot;health&quot;])" duration="${HEALTH_CACHE_SECONDS}" caching-type="internal" /></when></choose>`,
      `<choose><when condition="@((string)context.Variables[&quot;health&quot;] == &quot;ok&quot;)">${answer(200, "OK", "ok")}</when><otherwise>${answer(503, "Service Unavailable", "degraded")}</otherwise></choose>`,
    ],
    "<base />",
  );
}

/** The service-wide policy of a gateway behind Front Door: only requests carrying one of these Front Door profile ids get through (403 otherwise). */
export function frontDoorOnlyPolicy(frontDoorIds: ReadonlyArray<string>): string {
  return policies(
    [`<check-header name="${FRONT_DOOR_ID_HEADER}" failed-check-httpcode="403" failed-check-error-message="Call the fleet's Front Door entry" ignore-case="true">${frontDoorIds.map((id) => `<value>${text(id)}</value>`).join("")}</check-header>`],
    "<forward-request />",
    [],
  );
}

/** The circuit breaker on every backend: open after `consecutiveFailures` 5xx answers within the open period, for `openSeconds`, honouring Retry-After. */
export function circuitBreaker(agent: Pick<AgentPlan, "circuitBreaker">) {
  const cb = agent.circuitBreaker;
  return {
    rules: [
      {
        name: "server-errors",
        failureCondition: { count: cb.consecutiveFailures, interval: `PT${cb.openSeconds}S`, statusCodeRanges: [{ min: 500, max: 599 }], errorReasons: ["Server errors"] },
        tripDuration: `PT${cb.openSeconds}S`,
        acceptRetryAfter: true,
      },
    ],
  };
}

/**
 * Whether the gateway calls an agent over HTTP inside the VNet: a fleet with a
 * gateway (some agent has a route) calls its sync-routed agents (weight > 0) and,
 * for the health route, every agent that keeps at least one replica. Only these
 * agents take traffic from the APIM subnet; the rest take none.
 */
export function reachedByGateway(plan: Pick<FleetPlan, "agents">, agent: AgentPlan, minReplicas: number): boolean {
  if (!plan.agents.some((a) => a.route)) return false;
  return (agent.route?.invoke === "sync" && agent.route.weight > 0) || minReplicas >= 1;
}
