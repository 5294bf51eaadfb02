import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { JwtSettingsInput } from "../../components/inputs";
import { costLabels } from "../../plan/tags";
import type { AgentPlan } from "../../plan/types";
import type { GatewaySettings } from "../../spec/types";
import type { GatewayOutputs, GatewayScope } from "../target";
import { ENVOY_PROXY_RESOURCES } from "./addon-resources";
import { agentLabels } from "./labels";
import { childOpts, landings, type KubernetesLanding } from "./landing";
import { fleetNames } from "./names";
import { fleetCertificate } from "./tls";
import { requestValidator, VALIDATOR_PORT } from "./request-validator";

const EG_API = "gateway.envoyproxy.io/v1alpha1";
const GW_API = "gateway.networking.k8s.io/v1";
/** Envoy Gateway's controller name, which its GatewayClass must carry. */
export const ENVOY_GATEWAY_CONTROLLER = "gateway.envoyproxy.io/gatewayclass-controller";

/** A policy target: one HTTPRoute. */
export const routeTarget = (name: string) => ({ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name });

/** The legacy monolith as host, port and TLS, from `gateway.legacyBackend.url`. */
export function legacyEndpoint(url: string): { hostname: string; port: number; tls: boolean } {
  const u = new URL(url);
  const tls = u.protocol === "https:";
  return { hostname: u.hostname, port: u.port ? Number(u.port) : tls ? 443 : 80, tls };
}

/**
 * One agent's HTTPRoute rule: its path to its Service, and when the route's weight
 * is under 100 the rest of the traffic to the legacy monolith (the seed's
 * MonolithAdapter as a canary at the edge); the route's timeout as the request timeout.
 */
export function agentRouteSpec(agent: AgentPlan, gateway: string, settings: GatewaySettings, legacyBackendName: string): Record<string, unknown> {
  const route = agent.route;
  if (!route) throw new Error(`unreachable: agent ${agent.name} has no route`);
  const toAgent = { kind: "Service", name: agent.name, port: 80, weight: route.weight };
  const legacy = settings.legacyBackend && route.weight < 100 ? [{ group: "gateway.envoyproxy.io", kind: "Backend", name: legacyBackendName, port: legacyEndpoint(settings.legacyBackend.url).port, weight: 100 - route.weight }] : [];
  return {
    parentRefs: [{ name: gateway, sectionName: "https" }],
    ...(settings.hostname ? { hostnames: [settings.hostname] } : {}),
    rules: [
      {
        matches: [{ path: { type: "PathPrefix", value: route.path } }],
        backendRefs: [toAgent, ...legacy],
        timeouts: { request: `${route.timeoutSeconds}s` },
      },
    ],
  };
}

/**
 * Who may call a route: a JWT from the fleet's issuer (`auth: jwt`), an API key from
 * the fleet's key Secret (`auth: apiKey`), and for routes with a schema, the request
 * validator as external authorization (it receives the body). `auth: none` without a
 * schema gets no policy: the route is public, as its spec says explicitly.
 */
export function securityPolicySpec(
  route: NonNullable<AgentPlan["route"]>,
  routeName: string,
  settings: GatewaySettings,
  fleet: string,
  validatorService: string,
  computedJwt?: JwtSettingsInput,
): Record<string, unknown> | undefined {
  const n = fleetNames(fleet);
  const jwtSettings = computedJwt ?? settings.jwt;
  const jwt = route.auth === "jwt" && jwtSettings ? { jwt: jwtProviders(fleet, jwtSettings) } : {};
  const apiKey = route.auth === "apiKey" ? { apiKeyAuth: { credentialRefs: [{ group: "", kind: "Secret", name: n.apiKeySecret }], extractFrom: [{ headers: ["x-api-key"] }] } } : {};
  const validate = route.schema ? { extAuth: { grpc: { backendRefs: [{ name: validatorService, port: VALIDATOR_PORT }] }, bodyToExtAuth: { maxRequestBytes: 1048576 }, failOpen: false } } : {};
  if (Object.keys(jwt).length + Object.keys(apiKey).length + Object.keys(validate).length === 0) return undefined;
  return { targetRefs: [routeTarget(routeName)], ...jwt, ...apiKey, ...validate };
}

/** Envoy Gateway's JWT providers: the fleet's settings, or the ones the program computed (GatewayScope.jwt). */
function jwtProviders(fleet: string, jwt: JwtSettingsInput): Record<string, unknown> {
  // Plain audiences stay a plain list; Array.isArray does not narrow a ReadonlyArray out of an Input, hence the cast.
  const audiences = Array.isArray(jwt.audiences) ? [...(jwt.audiences as ReadonlyArray<string>)] : pulumi.output(jwt.audiences).apply((a) => [...a]);
  return { providers: [{ name: fleet, issuer: jwt.issuer, audiences, remoteJWKS: { uri: jwt.jwksUri } }] };
}

/**
 * The seed's failure handling at the gateway, from the plan: a local rate limit of
 * `rateLimitPerMinute` (per Envoy replica), retries (`attempts - 1` of them, backoff
 * from the first delay up to the longest, Envoy's fully jittered exponential), and
 * the circuit breaker as outlier detection: an endpoint that fails
 * `consecutiveFailures` times in a row is ejected for `openSeconds`.
 */
export function backendTrafficPolicySpec(agent: AgentPlan, routeName: string): Record<string, unknown> {
  const route = agent.route;
  if (!route) throw new Error(`unreachable: agent ${agent.name} has no route`);
  const seconds = (ms: number) => `${Math.ceil(ms / 1000)}s`;
  return {
    targetRefs: [routeTarget(routeName)],
    rateLimit: { type: "Local", local: { rules: [{ limit: { requests: route.rateLimitPerMinute, unit: "Minute" } }] } },
    retry: {
      numRetries: agent.retry.attempts - 1,
      retryOn: { triggers: ["connect-failure", "refused-stream", "reset", "retriable-status-codes"], httpStatusCodes: [502, 503, 504] },
      perRetry: { backOff: { baseInterval: seconds(agent.retry.baseDelayMs), maxInterval: seconds(agent.retry.maxDelayMs) } },
    },
    healthCheck: {
      passive: {
        consecutive5XxErrors: agent.circuitBreaker.consecutiveFailures,
        consecutiveGatewayErrors: agent.circuitBreaker.consecutiveFailures,
        baseEjectionTime: `${agent.circuitBreaker.openSeconds}s`,
        interval: "10s",
        maxEjectionPercent: 100,
      },
    },
  };
}

/**
 * The gateway on Envoy Gateway: a GatewayClass whose EnvoyProxy keeps the proxy's
 * Service internal unless `gateway.public`, a Gateway with an HTTPS listener (a
 * certificate for `gateway.hostname` from the fleet's CA), one HTTPRoute per agent
 * route with its SecurityPolicy and BackendTrafficPolicy, the legacy monolith as a
 * Backend with a catch-all fallback route, and the request validator when a route
 * has a schema.
 */
export function kubernetesGateway(scope: GatewayScope): GatewayOutputs {
  const landing = landings.get(scope.platform);
  const plan = scope.platform.plan;
  const fleet = plan.fleet.name;
  const ns = landing.namespace;
  const n = fleetNames(fleet);
  const settings = scope.settings;
  const name = scope.resourceName;
  const shared = costLabels(plan.tags);
  const opts = childOpts(scope, landing, landing.crdsReady);
  const routed = scope.services.map((s) => s.agent).filter((a): a is AgentPlan & { route: NonNullable<AgentPlan["route"]> } => a.route !== undefined);

  const proxy = new k8s.apiextensions.CustomResource(
    `${name}-proxy`,
    {
      apiVersion: EG_API,
      kind: "EnvoyProxy",
      metadata: { name: n.envoyProxy, namespace: ns, labels: shared },
      spec: {
        provider: {
          type: "Kubernetes",
          kubernetes: { envoyService: { type: settings.public ? "LoadBalancer" : "ClusterIP" }, envoyDeployment: { replicas: 1, container: { resources: ENVOY_PROXY_RESOURCES } } },
        },
      },
    },
    opts,
  );
  const gatewayClass = new k8s.apiextensions.CustomResource(
    `${name}-class`,
    {
      apiVersion: GW_API,
      kind: "GatewayClass",
      metadata: { name: n.gatewayClass, labels: shared },
      spec: { controllerName: ENVOY_GATEWAY_CONTROLLER, parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: n.envoyProxy, namespace: ns } },
    },
    { ...opts, dependsOn: [...landing.crdsReady, proxy] },
  );
  const hostname = settings.hostname ?? `${fleet}.${ns}.gateway.internal`;
  const cert = fleetCertificate(
    `${name}-tls`,
    { name: n.gatewayTlsSecret, namespace: ns, secretName: n.gatewayTlsSecret, fleet, labels: shared, dnsNames: [hostname] },
    opts,
  );
  const gateway = new k8s.apiextensions.CustomResource(
    name,
    {
      apiVersion: GW_API,
      kind: "Gateway",
      metadata: { name: n.gateway, namespace: ns, labels: shared },
      spec: {
        gatewayClassName: n.gatewayClass,
        listeners: [
          {
            name: "https",
            protocol: "HTTPS",
            port: 443,
            hostname,
            tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: n.gatewayTlsSecret }] },
            allowedRoutes: { namespaces: { from: "Same" } },
          },
        ],
      },
    },
    { ...opts, dependsOn: [...landing.crdsReady, gatewayClass, cert] },
  );
  const after = { ...opts, dependsOn: [...landing.crdsReady, gateway] };
  const settingsWithHost = { ...settings, hostname };

  const validatorService = routed.some((a) => a.route.schema) ? requestValidator(scope, landing, routed) : undefined;
  if (settings.legacyBackend) legacy(scope, landing, settingsWithHost, after);
  for (const agent of routed) {
    const labels = agentLabels(fleet, agent.name, agent.tags);
    const routeName = agent.name;
    new k8s.apiextensions.CustomResource(
      `${name}-${agent.name}`,
      { apiVersion: GW_API, kind: "HTTPRoute", metadata: { name: routeName, namespace: ns, labels }, spec: agentRouteSpec(agent, n.gateway, settingsWithHost, n.legacyBackend) },
      after,
    );
    const security = securityPolicySpec(agent.route, routeName, settings, fleet, validatorService ?? n.requestValidator, scope.jwt);
    if (security) {
      new k8s.apiextensions.CustomResource(`${name}-${agent.name}`, { apiVersion: EG_API, kind: "SecurityPolicy", metadata: { name: routeName, namespace: ns, labels }, spec: security }, after);
    }
    new k8s.apiextensions.CustomResource(
      `${name}-${agent.name}`,
      { apiVersion: EG_API, kind: "BackendTrafficPolicy", metadata: { name: routeName, namespace: ns, labels }, spec: backendTrafficPolicySpec(agent, routeName) },
      after,
    );
  }
  return { url: pulumi.output(`https://${hostname}`) };
}

/**
 * TLS from Envoy to the monolith: a Gateway API BackendTLSPolicy on the Backend, with
 * the host name as SNI and as the name its certificate must carry, checked against
 * the system trust store. (Envoy Gateway's own Backend `spec.tls` has no SNI, and its
 * CA settings apply to DynamicResolver backends only.)
 */
export function legacyTlsPolicySpec(backendName: string, hostname: string): Record<string, unknown> {
  return {
    targetRefs: [{ group: "gateway.envoyproxy.io", kind: "Backend", name: backendName }],
    validation: { hostname, wellKnownCACertificates: "System" },
  };
}

/**
 * The monolith: an Envoy Gateway Backend (its host name; verified TLS for https URLs,
 * see legacyTlsPolicySpec) and a catch-all route for every path no agent serves yet.
 * When the fleet has a JWT issuer the fallback requires the same JWT.
 */
function legacy(scope: GatewayScope, landing: KubernetesLanding, settings: GatewaySettings & { hostname: string }, opts: pulumi.CustomResourceOptions): void {
  const legacyBackend = settings.legacyBackend;
  if (!legacyBackend) return;
  const plan = scope.platform.plan;
  const n = fleetNames(plan.fleet.name);
  const labels = costLabels(plan.tags);
  const ns = landing.namespace;
  const endpoint = legacyEndpoint(legacyBackend.url);
  new k8s.apiextensions.CustomResource(
    `${scope.resourceName}-legacy`,
    {
      apiVersion: EG_API,
      kind: "Backend",
      metadata: { name: n.legacyBackend, namespace: ns, labels },
      spec: { endpoints: [{ fqdn: { hostname: endpoint.hostname, port: endpoint.port } }] },
    },
    opts,
  );
  if (endpoint.tls) {
    new k8s.apiextensions.CustomResource(
      `${scope.resourceName}-legacy`,
      { apiVersion: "gateway.networking.k8s.io/v1", kind: "BackendTLSPolicy", metadata: { name: n.legacyBackend, namespace: ns, labels }, spec: legacyTlsPolicySpec(n.legacyBackend, endpoint.hostname) },
      opts,
    );
  }
  const routeName = "legacy-fallback";
  new k8s.apiextensions.CustomResource(
    `${scope.resourceName}-legacy`,
    {
      apiVersion: GW_API,
      kind: "HTTPRoute",
      metadata: { name: routeName, namespace: ns, labels },
      spec: {
        parentRefs: [{ name: n.gateway, sectionName: "https" }],
        hostnames: [settings.hostname],
        rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ group: "gateway.envoyproxy.io", kind: "Backend", name: n.legacyBackend, port: endpoint.port }] }],
      },
    },
    opts,
  );
  if (settings.jwt) {
    new k8s.apiextensions.CustomResource(
      `${scope.resourceName}-legacy`,
      { apiVersion: EG_API, kind: "SecurityPolicy", metadata: { name: routeName, namespace: ns, labels }, spec: { targetRefs: [routeTarget(routeName)], jwt: jwtProviders(plan.fleet.name, scope.jwt ?? settings.jwt) } },
      opts,
    );
  }
}
