import { HEALTH_PATH } from "../target";
import { VALIDATOR_PORT } from "../kubernetes/request-validator";
import { legacyTarget, PROXY_PORT, READY_PATH, type GcpRoute } from "./gateway-shape";
import { publishScript, healthScript, type HealthProbe } from "./envoy-lua";

/**
 * The gateway proxy's Envoy bootstrap, as plain data (JSON, which Envoy reads as
 * YAML through `--config-yaml`): one listener on PROXY_PORT, the fleet's routes, and
 * the HTTP filters in order: local rate limit (per route), JWT authentication (per
 * route, from `gateway.jwt`), the schema validator as ext_authz (routes with a
 * schema), Lua (async routes publish to Pub/Sub and answer 202; the health route),
 * GCP identity tokens for Cloud Run agents, router. No admin interface.
 */

const T = "type.googleapis.com/envoy.extensions";
export const FILTERS = {
  rate: "envoy.filters.http.local_ratelimit",
  jwt: "envoy.filters.http.jwt_authn",
  validator: "envoy.filters.http.ext_authz",
  lua: "envoy.filters.http.lua",
  gcpAuthn: "envoy.filters.http.gcp_authn",
  router: "envoy.filters.http.router",
} as const;

/** Where the proxy reaches one agent. */
export interface AgentUpstream {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** Cloud Run: the audience of the identity token the proxy attaches (the service URL). */
  readonly audience?: string;
  readonly healthPath: string;
  readonly retry: { readonly attempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly circuitBreaker: { readonly consecutiveFailures: number; readonly openSeconds: number };
}

export interface EnvoyConfigArgs {
  readonly routes: ReadonlyArray<GcpRoute>;
  /** Agents of sync routes and of the health route, by name. */
  readonly upstreams: Readonly<Record<string, AgentUpstream>>;
  /** Agents the health route checks. */
  readonly health: ReadonlyArray<string>;
  /** Input topic per async agent: `projects/<p>/topics/<t>`. */
  readonly topics: Readonly<Record<string, string>>;
  /** The region whose Pub/Sub endpoint the proxy publishes through (`<region>-pubsub.googleapis.com`). */
  readonly region: string;
  readonly jwt?: { readonly issuer: string; readonly jwksUri: string; readonly audiences: ReadonlyArray<string> };
  readonly legacyUrl?: string;
}

export const clusterOf = (agent: string) => `agent-${agent}`;
const seconds = (ms: number) => `${Math.max(1, Math.ceil(ms / 1000))}s`;

function tlsSocket(sni: string): Record<string, unknown> {
  return {
    name: "envoy.transport_sockets.tls",
    typed_config: {
      "@type": `${T}.transport_sockets.tls.v3.UpstreamTlsContext`,
      sni,
      common_tls_context: { validation_context: { trusted_ca: { filename: "/etc/ssl/certs/ca-certificates.crt" }, match_typed_subject_alt_names: [{ san_type: "DNS", matcher: { exact: sni } }] } },
    },
  };
}

function cluster(name: string, host: string, port: number, tls: boolean, more: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    type: "LOGICAL_DNS",
    dns_lookup_family: "V4_ONLY",
    connect_timeout: "5s",
    load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: host, port_value: port } } } }] }] },
    ...(tls ? { transport_socket: tlsSocket(host) } : {}),
    ...more,
  };
}

function agentCluster(agent: string, u: AgentUpstream): Record<string, unknown> {
  return cluster(clusterOf(agent), u.host, u.port, u.tls, {
    // The seed's circuit breaker: an endpoint failing `consecutiveFailures` times in a row is ejected for `openSeconds`.
    outlier_detection: { consecutive_5xx: u.circuitBreaker.consecutiveFailures, consecutive_gateway_failure: u.circuitBreaker.consecutiveFailures, base_ejection_time: `${u.circuitBreaker.openSeconds}s`, interval: "10s", max_ejection_percent: 100 },
    ...(u.audience ? { metadata: { typed_filter_metadata: { [FILTERS.gcpAuthn]: { "@type": `${T}.filters.http.gcp_authn.v3.Audience`, url: u.audience } } } } : {}),
  });
}

/** Per-route filter settings: the route's rate limit, JWT requirement, validator and Lua script (or their absence). */
function perRoute(args: { perMinute?: number; jwt: boolean; validate: boolean; lua?: string }): Record<string, unknown> {
  const out: Record<string, unknown> = {
    [FILTERS.jwt]: { "@type": `${T}.filters.http.jwt_authn.v3.PerRouteConfig`, ...(args.jwt ? { requirement_name: "fleet" } : { disabled: true }) },
    [FILTERS.validator]: { "@type": `${T}.filters.http.ext_authz.v3.ExtAuthzPerRoute`, ...(args.validate ? { check_settings: {} } : { disabled: true }) },
    [FILTERS.lua]: { "@type": `${T}.filters.http.lua.v3.LuaPerRoute`, ...(args.lua ? { source_code: { inline_string: args.lua } } : { disabled: true }) },
  };
  if (args.perMinute !== undefined) {
    out[FILTERS.rate] = {
      "@type": `${T}.filters.http.local_ratelimit.v3.LocalRateLimit`,
      stat_prefix: "route_rate_limit",
      token_bucket: { max_tokens: args.perMinute, tokens_per_fill: args.perMinute, fill_interval: "60s" },
      filter_enabled: { default_value: { numerator: 100, denominator: "HUNDRED" }, runtime_key: "route_rate_limit_enabled" },
      filter_enforced: { default_value: { numerator: 100, denominator: "HUNDRED" }, runtime_key: "route_rate_limit_enforced" },
    };
  }
  return out;
}

function legacyCluster(url: string): Record<string, unknown> {
  const l = legacyTarget(url);
  return cluster("legacy", l.host, l.port, l.tls);
}

/** The route action towards the legacy monolith: its host, its base path before the request's. */
function toLegacy(url: string, timeoutSeconds: number): Record<string, unknown> {
  const l = legacyTarget(url);
  return { cluster: "legacy", host_rewrite_literal: l.host, timeout: `${timeoutSeconds}s`, ...(l.basePath ? { regex_rewrite: { pattern: { regex: "^(.*)$" }, substitution: `${l.basePath}\\1` } } : {}) };
}

function match(path: string): Array<Record<string, unknown>> {
  const base = path.replace(/\/+$/, "");
  if (base === "") return [{ prefix: "/" }];
  return [{ path: base }, { prefix: `${base}/` }];
}

export function envoyRoutes(args: EnvoyConfigArgs): Array<Record<string, unknown>> {
  const ready = { name: "ready", match: { path: READY_PATH }, direct_response: { status: 200, body: { inline_string: '{"status":"ready"}' } }, typed_per_filter_config: perRoute({ jwt: false, validate: false }) };
  const probes: HealthProbe[] = args.health.map((agent) => {
    const u = args.upstreams[agent];
    if (!u) throw new Error(`unreachable: no upstream for health agent ${agent}`);
    return { cluster: clusterOf(agent), path: u.healthPath, authority: u.host, ...(u.audience ? { audience: u.audience } : {}) };
  });
  const health = {
    name: "health",
    match: { path: HEALTH_PATH, headers: [{ name: ":method", string_match: { exact: "GET" } }] },
    direct_response: { status: 503, body: { inline_string: '{"status":"degraded"}' } },
    typed_per_filter_config: perRoute({ jwt: false, validate: false, lua: healthScript(probes) }),
  };
  const routes = [...args.routes]
    .sort((a, b) => b.path.length - a.path.length)
    .flatMap((r) =>
      match(r.path).map((m, i) => {
        const filters = perRoute({ perMinute: r.rateLimitPerMinute, jwt: r.auth === "jwt", validate: r.schema !== undefined, ...(r.kind === "async" ? { lua: publishScript({ topic: args.topics[r.agent] ?? "", region: args.region, ordered: r.ordered }) } : {}) });
        const name = `${r.agent}${i === 0 ? "" : "-subpaths"}`;
        if (r.kind === "async") return { name, match: m, direct_response: { status: 502, body: { inline_string: '{"message":"not published"}' } }, typed_per_filter_config: filters };
        if (r.kind === "legacy") {
          if (!args.legacyUrl) throw new Error(`unreachable: route ${r.path} has weight 0 and no legacy backend`);
          return { name, match: m, route: toLegacy(args.legacyUrl, r.timeoutSeconds), typed_per_filter_config: filters };
        }
        const u = args.upstreams[r.agent];
        if (!u) throw new Error(`unreachable: no upstream for sync agent ${r.agent}`);
        const retry = { retry_on: "connect-failure,refused-stream,reset,retriable-status-codes", retriable_status_codes: [502, 503, 504], num_retries: u.retry.attempts - 1, retry_back_off: { base_interval: seconds(u.retry.baseDelayMs), max_interval: seconds(u.retry.maxDelayMs) } };
        const weighted = r.weight < 100 && args.legacyUrl;
        const action = weighted
          ? {
              weighted_clusters: {
                clusters: [
                  { name: clusterOf(r.agent), weight: r.weight, host_rewrite_literal: u.host },
                  { name: "legacy", weight: 100 - r.weight, host_rewrite_literal: legacyTarget(args.legacyUrl ?? "").host },
                ],
              },
            }
          : { cluster: clusterOf(r.agent), host_rewrite_literal: u.host };
        return { name, match: m, route: { ...action, timeout: `${r.timeoutSeconds}s`, retry_policy: retry }, typed_per_filter_config: filters };
      }),
    );
  // Paths no agent serves: the monolith, authenticated like the fleet's routes (a JWT when the fleet has an issuer), else 404.
  const fallback = args.legacyUrl
    ? { name: "legacy-fallback", match: { prefix: "/" }, route: toLegacy(args.legacyUrl, 60), typed_per_filter_config: perRoute({ jwt: args.jwt !== undefined, validate: false }) }
    : { name: "not-found", match: { prefix: "/" }, direct_response: { status: 404, body: { inline_string: '{"message":"no route"}' } }, typed_per_filter_config: perRoute({ jwt: false, validate: false }) };
  return [ready, health, ...routes, fallback];
}

/** The Envoy bootstrap of the gateway proxy. */
export function envoyBootstrap(args: EnvoyConfigArgs): Record<string, unknown> {
  const runAuthn = Object.values(args.upstreams).some((u) => u.audience !== undefined);
  const jwt = args.jwt;
  const filters: Array<Record<string, unknown>> = [
    { name: FILTERS.rate, typed_config: { "@type": `${T}.filters.http.local_ratelimit.v3.LocalRateLimit`, stat_prefix: "route_rate_limit" } },
    ...(jwt
      ? [
          {
            name: FILTERS.jwt,
            typed_config: {
              "@type": `${T}.filters.http.jwt_authn.v3.JwtAuthentication`,
              providers: {
                fleet: {
                  issuer: jwt.issuer,
                  audiences: [...jwt.audiences],
                  remote_jwks: { http_uri: { uri: jwt.jwksUri, cluster: "jwks", timeout: "5s" }, cache_duration: "300s" },
                  forward: false,
                  forward_payload_header: "x-jwt-payload",
                },
              },
              requirement_map: { fleet: { provider_name: "fleet" } },
            },
          },
        ]
      : []),
    {
      name: FILTERS.validator,
      typed_config: {
        "@type": `${T}.filters.http.ext_authz.v3.ExtAuthz`,
        transport_api_version: "V3",
        grpc_service: { envoy_grpc: { cluster_name: "validator" }, timeout: "2s" },
        with_request_body: { max_request_bytes: 1048576, allow_partial_message: false },
        failure_mode_allow: false,
      },
    },
    { name: FILTERS.lua, typed_config: { "@type": `${T}.filters.http.lua.v3.Lua`, default_source_code: { inline_string: "function envoy_on_request(handle) end" } } },
    ...(runAuthn
      ? [
          {
            name: FILTERS.gcpAuthn,
            typed_config: {
              "@type": `${T}.filters.http.gcp_authn.v3.GcpAuthnFilterConfig`,
              http_uri: { uri: "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity?audience=[AUDIENCE]", cluster: "metadata", timeout: "5s" },
              cache_config: { cache_size: 100 },
            },
          },
        ]
      : []),
    { name: FILTERS.router, typed_config: { "@type": `${T}.filters.http.router.v3.Router` } },
  ];
  const clusters = [
    ...Object.entries(args.upstreams).map(([agent, u]) => agentCluster(agent, u)),
    cluster("metadata", "metadata.google.internal", 80, false),
    ...(Object.keys(args.topics).length > 0 ? [cluster("pubsub", `${args.region}-pubsub.googleapis.com`, 443, true)] : []),
    ...(jwt ? [cluster("jwks", new URL(jwt.jwksUri).hostname, Number(new URL(jwt.jwksUri).port || 443), true)] : []),
    ...(args.legacyUrl ? [legacyCluster(args.legacyUrl)] : []),
    {
      name: "validator",
      type: "STATIC",
      connect_timeout: "1s",
      typed_extension_protocol_options: { "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": { "@type": `${T}.upstreams.http.v3.HttpProtocolOptions`, explicit_http_config: { http2_protocol_options: {} } } },
      load_assignment: { cluster_name: "validator", endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: "127.0.0.1", port_value: VALIDATOR_PORT } } } }] }] },
    },
  ];
  return {
    static_resources: {
      listeners: [
        {
          name: "gateway",
          address: { socket_address: { address: "0.0.0.0", port_value: PROXY_PORT } },
          filter_chains: [
            {
              filters: [
                {
                  name: "envoy.filters.network.http_connection_manager",
                  typed_config: {
                    "@type": `${T}.filters.network.http_connection_manager.v3.HttpConnectionManager`,
                    stat_prefix: "gateway",
                    // Behind Google's load balancer: the client is the address it appended to X-Forwarded-For.
                    use_remote_address: false,
                    xff_num_trusted_hops: 1,
                    generate_request_id: true,
                    preserve_external_request_id: false,
                    access_log: [{ name: "envoy.access_loggers.stdout", typed_config: { "@type": `${T}.access_loggers.stream.v3.StdoutAccessLog`, log_format: { json_format: ACCESS_LOG_FIELDS } } }],
                    route_config: { name: "fleet", virtual_hosts: [{ name: "fleet", domains: ["*"], routes: envoyRoutes(args) }] },
                    http_filters: filters,
                  },
                },
              ],
            },
          ],
        },
      ],
      clusters,
    },
  };
}

/** The proxy's access log line (stdout, JSON: Cloud Logging parses it). */
export const ACCESS_LOG_FIELDS = {
  requestId: "%REQ(X-REQUEST-ID)%",
  time: "%START_TIME%",
  method: "%REQ(:METHOD)%",
  path: "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%",
  route: "%ROUTE_NAME%",
  status: "%RESPONSE_CODE%",
  flags: "%RESPONSE_FLAGS%",
  latencyMs: "%DURATION%",
  upstream: "%UPSTREAM_CLUSTER%",
  client: "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%",
} as const;
