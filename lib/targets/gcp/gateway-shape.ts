import type { AgentPlan, FleetPlan } from "../../plan/types";
import { MicroAgentsConfigError, type SpecIssue } from "../../spec/errors";
import type { GatewaySettings } from "../../spec/types";
import { HEALTH_PATH } from "../target";

/**
 * The GCP AgentGateway as plain data, the same for Cloud Run and GKE from the same
 * fleet file: what each route does, the Cloud Armor rules, the images the proxy runs.
 *
 * Why a proxy: Google's Application Load Balancer cannot verify a JWT from an
 * arbitrary issuer, validate a JSON body, or publish to Pub/Sub, and API Gateway
 * cannot wrap a body in Pub/Sub's base64 `data` either. So the load balancer
 * (TLS, Cloud Armor WAF and per-route throttles, access logs) sends every request
 * to one gateway proxy per region: Envoy with `jwt_authn`, a per-route local rate
 * limit, `ext_authz` to the same OPA-Envoy schema validator as the Kubernetes
 * target (a sidecar), a Lua filter that publishes async requests to the agent's
 * topic and answers 202, and, on Cloud Run, `gcp_authn` identity tokens for the
 * agents it calls (envoy-config.ts).
 */

/** What a route does at the proxy. */
export type GcpRouteKind = "async" | "sync" | "legacy";

export interface GcpRoute {
  readonly agent: string;
  readonly path: string;
  readonly kind: GcpRouteKind;
  readonly auth: "jwt" | "apiKey" | "none";
  readonly rateLimitPerMinute: number;
  readonly timeoutSeconds: number;
  /** Percent to the agent; the rest to the legacy backend (sync routes only: async routes publish everything, as on AWS). */
  readonly weight: number;
  readonly schema?: Readonly<Record<string, unknown>>;
  /** The agent's queue is ordered: the publish carries an ordering key. */
  readonly ordered: boolean;
}

/** A routed agent, narrowed. */
export type RoutedAgent = AgentPlan & { readonly route: NonNullable<AgentPlan["route"]> };

export function routedAgents(agents: ReadonlyArray<AgentPlan>): RoutedAgent[] {
  return agents.filter((a): a is RoutedAgent => a.route !== undefined);
}

/** A route per routed agent: weight 0 goes to the legacy backend; async routes publish; sync routes call the agent (with the legacy share as canary). */
export function gcpRoutes(agents: ReadonlyArray<AgentPlan>): GcpRoute[] {
  return routedAgents(agents).map((a) => ({
    agent: a.name,
    path: a.route.path,
    kind: a.route.weight === 0 ? "legacy" : a.route.invoke === "async" ? "async" : "sync",
    auth: a.route.auth,
    rateLimitPerMinute: a.route.rateLimitPerMinute,
    timeoutSeconds: a.route.timeoutSeconds,
    weight: a.route.invoke === "async" && a.route.weight > 0 ? 100 : a.route.weight,
    ...(a.route.schema ? { schema: a.route.schema } : {}),
    ordered: a.queue.fifo,
  }));
}

/**
 * Agents the health route checks: those that always keep an instance on this
 * runtime (`min` is the runtime's own floor: Cloud Run scales most GPU agents to
 * zero). An agent that scales to zero is healthy at zero, as on AWS.
 */
export function healthAgents<T extends { readonly agent: AgentPlan; readonly min: number }>(services: ReadonlyArray<T>): T[] {
  return services.filter((s) => s.min >= 1);
}

/** The proxy's readiness path (the load balancer's health check and the container probes): Envoy is up, agents not consulted. */
export const READY_PATH = "/_microagents/ready";
/** The port the proxy listens on (Cloud Run's default). */
export const PROXY_PORT = 8080;

/**
 * Envoy, pinned by digest (MA-SEC-005). Tag and digest as pinned for
 * `envoyproxy/envoy:v1.38.0` in a public repository's end-to-end test (found by
 * exact-string search of stored GitHub sources, 2026-12-07); no registry was
 * reachable here to re-resolve it: run `crane digest envoyproxy/envoy:v1.38.0`
 * before a release.
 */
export const ENVOY_IMAGE = "envoyproxy/envoy:v1.38.0@sha256:8146b97ee61a42cd216514709e4e3198af75f014974e3d9f310aef9c901fcbdf";

/** Cloud Armor's preconfigured WAF rules (ModSecurity CRS 3.3, sensitivity 1) on a public gateway. */
export const ARMOR_WAF_RULES = ["sqli-v33-stable", "xss-v33-stable", "lfi-v33-stable", "rfi-v33-stable", "rce-v33-stable", "methodenforcement-v33-stable", "scannerdetection-v33-stable", "protocolattack-v33-stable", "sessionfixation-v33-stable"] as const;

/** The most requests a client IP may send to the health route a minute (Cloud DNS health checks probe every 30 s from three regions). */
export const HEALTH_RATE_PER_MINUTE = 60;

export interface ArmorRule {
  readonly priority: number;
  readonly description: string;
  readonly action: "allow" | "deny(403)" | "throttle";
  readonly expression?: string;
  /** Preconfigured WAF rule set, when the rule is one. */
  readonly waf?: string;
  /** Per-client-IP limit over 60 s, when the rule throttles. */
  readonly perMinute?: number;
}

/** A Cloud Armor CEL string literal. */
function celString(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** The request-path test of a route: the path itself and everything under it. */
export function routeMatch(path: string): string {
  const base = path.replace(/\/+$/, "");
  if (base === "") return "true";
  return `request.path == ${celString(base)} || request.path.startsWith(${celString(`${base}/`)})`;
}

/**
 * Cloud Armor rules: on a public gateway the preconfigured WAF rule sets first
 * (priorities 1000+), then a throttle per route keyed on the client IP at the
 * route's `rateLimitPerMinute` (exceeding requests get 429), one on the health
 * route, and the default allow at 2147483647. An internal gateway's policy has the
 * throttles only (a regional policy; Envoy's local limits apply as well).
 */
export function armorRules(routes: ReadonlyArray<GcpRoute>, publicGateway: boolean): ArmorRule[] {
  const waf: ArmorRule[] = publicGateway ? ARMOR_WAF_RULES.map((rule, i) => ({ priority: 1000 + i, description: `WAF: ${rule}`, action: "deny(403)" as const, waf: rule })) : [];
  const throttles: ArmorRule[] = routes.map((r, i) => ({ priority: 2000 + i, description: `rate limit ${r.path} (${r.agent})`, action: "throttle" as const, expression: routeMatch(r.path), perMinute: r.rateLimitPerMinute }));
  const health: ArmorRule = { priority: 1900, description: "rate limit the health route", action: "throttle", expression: routeMatch(HEALTH_PATH), perMinute: HEALTH_RATE_PER_MINUTE };
  return [...waf, health, ...throttles];
}

/** `evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 1})`. */
export function wafExpression(rule: string): string {
  return `evaluatePreconfiguredWaf(${celString(rule)}, {'sensitivity': 1})`;
}

/** The legacy monolith as host, port, TLS and base path, from `gateway.legacyBackend.url`. */
export function legacyTarget(url: string): { host: string; port: number; tls: boolean; basePath: string } {
  const u = new URL(url);
  const tls = u.protocol === "https:";
  return { host: u.hostname, port: u.port ? Number(u.port) : tls ? 443 : 80, tls, basePath: u.pathname.replace(/\/+$/, "") };
}

/**
 * What a GCP gateway needs before any resource, every problem at once: a host name
 * (the Google-managed certificate is issued for it: HTTPS only), no route on the
 * gateway's reserved paths, and JWT or public routes only on the agents this
 * target runs (API keys are not built on GCP; the spec already checks that a
 * weight-0 route has a legacy backend).
 */
export function gcpGatewayIssues(plan: Pick<FleetPlan, "fleet" | "agents">, settings: GatewaySettings, hostnameConfig?: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const hostname = settings.hostname ?? hostnameConfig;
  if (!hostname) {
    issues.push({
      path: "spec.gateway.hostname",
      message: "a GCP gateway serves HTTPS only, with a Google-managed certificate issued for its host name",
      hint: "set spec.gateway.hostname (agents.example.com) or `pulumi config set microagents:hostname agents.example.com`",
    });
  }
  // The agents this target runs (a multi-cloud fleet may route API-key callers to another cloud's agents).
  const here = new Set(plan.agents.map((a) => a.name));
  plan.fleet.agents.forEach((a, i) => {
    if (!here.has(a.name)) return;
    if (a.route?.auth === "apiKey") {
      issues.push({ path: `spec.agents[${i}].route.auth`, message: "API-key routes are not built on GCP in this version (the gateway proxy verifies JWTs)", hint: "use auth: jwt with spec.gateway.jwt, or deploy this route on AWS or Kubernetes" });
    }
    const path = a.route?.path;
    if (path && (path === HEALTH_PATH || path === READY_PATH || path.startsWith("/_microagents/"))) {
      issues.push({ path: `spec.agents[${i}].route.path`, message: `'${path}' is reserved for the gateway's health and readiness routes`, hint: "choose another path" });
    }
  });
  return issues;
}

export function throwGatewayIssues(issues: ReadonlyArray<SpecIssue>): void {
  if (issues.length > 0) throw new MicroAgentsConfigError(issues);
}
