/**
 * The GCP gateway as facts: its routes and their authentication read from the
 * Envoy configuration the gateway proxy actually runs (`--config-yaml` in the
 * arguments of a Cloud Run container or a Kubernetes Deployment's container), the
 * internal load balancer's backend service and SSL policy, HTTP proxies (a listener
 * that only redirects to HTTPS when its URL map does), and a Cloud Run service whose
 * invoker check is off while it takes traffic from the internet.
 */
import { fact, type AdapterEntry, type AdapterInput, type AdapterTable } from "./context";
import { backendServiceOf, gcpAdapters, sslPolicy } from "./gcp";
import { kubernetesAdapters } from "./kubernetes";
import type { Fact, FactOf, GatewayFact, GatewayRouteFact, LoadBalancerFact, NetworkExposureFact, RawResource } from "./types";
import { bool, get, isRecord, records, str, strings, type Bag } from "./values";

const JWT_FILTER = "envoy.filters.http.jwt_authn";
const RATE_FILTER = "envoy.filters.http.local_ratelimit";
/** Routes of the proxy that say only "ready" or "ok/degraded": public on purpose. */
const STATUS_ROUTES = new Set(["ready", "health"]);

/** The Envoy bootstrap a container runs from `--config-yaml <json>`, when it is there and JSON. */
export function envoyConfigOf(args: ReadonlyArray<string>): Bag | undefined {
  const i = args.indexOf("--config-yaml");
  const text = i >= 0 ? args[i + 1] : undefined;
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    // YAML that is not JSON: not one of ours; the gateway's routes are then not read.
    return undefined;
  }
}

function seconds(d: string | undefined): number | undefined {
  const m = d ? /^(\d+(?:\.\d+)?)s$/.exec(d) : null;
  return m ? Number(m[1]) : undefined;
}

/** Gateway and route facts from an Envoy bootstrap: each HTTP connection manager a gateway, each route its path, JWT requirement and local rate limit. */
export function envoyGatewayFacts(common: AdapterInput["common"], config: Bag, gatewayName: string): Fact[] {
  const managers = records(config, "static_resources", "listeners").flatMap((l) =>
    records(l, "filter_chains")
      .flatMap((c) => records(c, "filters"))
      .filter((f) => str(f, "name") === "envoy.filters.network.http_connection_manager")
      .map((f) => get(f, "typed_config")),
  );
  const out: Fact[] = [];
  for (const hcm of managers.filter(isRecord)) {
    const filters = records(hcm, "http_filters").map((f) => str(f, "name"));
    const jwtOn = filters.includes(JWT_FILTER);
    out.push(
      fact<GatewayFact>(common, {
        kind: "gateway",
        service: "load-balancer",
        gatewayName,
        // Reachability is the load balancer's: its backend service says (a load-balancer fact).
        public: undefined,
        accessLogs: records(hcm, "access_log").length > 0,
        waf: undefined,
        // The proxy's listener is behind Google's load balancer, which terminates TLS (its SSL policy is a fact of its own).
        httpListener: false,
      }),
    );
    for (const route of records(hcm, "route_config", "virtual_hosts").flatMap((v) => records(v, "routes"))) {
      const name = str(route, "name") ?? "";
      const path = str(route, "match", "path") ?? str(route, "match", "prefix") ?? "/";
      if (name.endsWith("-subpaths") || name === "not-found") continue;
      const perRoute = isRecord(route.typed_per_filter_config) ? route.typed_per_filter_config : {};
      const jwt = get(perRoute, JWT_FILTER);
      const jwtRequired = jwtOn && isRecord(jwt) && str(jwt, "requirement_name") !== undefined && bool(jwt, "disabled") !== true;
      const rate = get(perRoute, RATE_FILTER);
      const tokens = isRecord(rate) ? Number(get(rate, "token_bucket", "tokens_per_fill")) : NaN;
      const interval = isRecord(rate) ? seconds(str(rate, "token_bucket", "fill_interval")) : undefined;
      const perMinute = Number.isFinite(tokens) && interval ? (tokens * 60) / interval : undefined;
      out.push(
        fact<GatewayRouteFact>(common, {
          kind: "gateway-route",
          service: "load-balancer",
          path,
          routeName: name,
          auth: jwtRequired ? "jwt" : "none",
          explicitlyPublic: STATUS_ROUTES.has(name),
          ...(perMinute !== undefined ? { rateLimitPerMinute: perMinute } : {}),
          gateway: gatewayName,
        }),
      );
    }
  }
  return out;
}

function containerArgs(c: Bag): string[] {
  return strings(c, "args");
}

/** A base adapter with more facts from the same inputs. */
function extend(table: AdapterTable, type: string, more: (input: AdapterInput) => Fact[]): AdapterEntry {
  const base = table[type] ?? { taggable: true, adapt: () => [] };
  return { ...base, adapt: (input) => [...base.adapt(input), ...more(input)] };
}

/** Cloud Run v2: the gateway proxy's routes; and the invoker check switched off on a service the internet reaches (anyone may invoke it). */
function runService(input: AdapterInput): Fact[] {
  const { inputs, common } = input;
  const name = str(inputs, "name") ?? common.resource.name;
  const envoy = records(inputs, "template", "containers").map((c) => envoyConfigOf(containerArgs(c))).find(isRecord);
  const ingress = str(inputs, "ingress") ?? "INGRESS_TRAFFIC_ALL";
  const open = bool(inputs, "invokerIamDisabled") === true && ingress === "INGRESS_TRAFFIC_ALL";
  return [
    ...(envoy ? envoyGatewayFacts(common, envoy, name) : []),
    ...(open ? [fact<NetworkExposureFact>(common, { kind: "network-exposure", via: "invoker-binding", public: true, ports: [443], sourceRanges: ["0.0.0.0/0"], target: name, gateway: envoy !== undefined })] : []),
  ];
}

/** A Deployment whose container runs the gateway proxy: its routes. */
function deployment({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "metadata", "name") ?? common.resource.name;
  const envoy = records(inputs, "spec", "template", "spec", "containers").map((c) => envoyConfigOf(containerArgs(c))).find(isRecord);
  return envoy ? envoyGatewayFacts(common, envoy, name) : [];
}


/** An HTTP target proxy: a plain-HTTP listener on port 80 (linkGcpHttpProxies says whether its URL map only redirects to HTTPS). */
function httpProxy({ common }: AdapterInput): Fact[] {
  return [fact<LoadBalancerFact>(common, { kind: "load-balancer", role: "listener", public: undefined, listeners: [{ protocol: "HTTP", port: 80 }], accessLogs: undefined, waf: undefined })];
}

/** Does a URL map only redirect to HTTPS (no backend anywhere)? */
export function redirectsOnly(map: Bag): boolean {
  const https = bool(map, "defaultUrlRedirect", "httpsRedirect") === true;
  return https && str(map, "defaultService") === undefined && records(map, "pathMatchers").length === 0 && records(map, "hostRules").length === 0;
}

/** HTTP listeners whose URL map (named in `urlMap`) only redirects to HTTPS are marked so; the others stay plain HTTP. */
export function linkGcpHttpProxies(facts: ReadonlyArray<Fact>, raw: ReadonlyArray<RawResource>): Fact[] {
  const maps = raw.filter((r) => r.type === "gcp:compute/uRLMap:URLMap" || r.type === "gcp:compute/regionUrlMap:RegionUrlMap");
  return facts.map((f) => {
    if (f.kind !== "load-balancer" || f.role !== "listener" || !(f.resource.type === "gcp:compute/targetHttpProxy:TargetHttpProxy" || f.resource.type === "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy")) return f;
    const ref = str(raw.find((r) => r.urn === f.resource.urn)?.inputs, "urlMap") ?? "";
    const map = maps.find((m) => {
      const name = str(m.inputs, "name") ?? m.name;
      return ref === name || ref.endsWith(`/urlMaps/${name}`);
    });
    const listener: FactOf<"load-balancer"> = f;
    return map && redirectsOnly(map.inputs) ? { ...listener, listeners: listener.listeners.map((l) => ({ ...l, redirectsToHttps: true })) } : f;
  });
}

/** Billing dimensions of the edge's priced resources (lib/cost/gcp-gateway.ts): a forwarding rule's port, a Cloud Armor policy's rule count. */
const forwardingRule: AdapterEntry = { taggable: true, adapt: () => [], billing: ({ inputs }) => ({ portRange: str(inputs, "portRange") ?? "", scheme: str(inputs, "loadBalancingScheme") ?? "EXTERNAL" }) };
const armorPolicy: AdapterEntry = { taggable: false, adapt: () => [], billing: ({ inputs }) => ({ rules: records(inputs, "rules").length }) };

/** Adapters for the GCP gateway's resources, and extensions of the Cloud Run and Deployment adapters. */
export const gcpGatewayAdapters: AdapterTable = {
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": forwardingRule,
  "gcp:compute/forwardingRule:ForwardingRule": forwardingRule,
  "gcp:compute/securityPolicy:SecurityPolicy": armorPolicy,
  "gcp:compute/regionSecurityPolicy:RegionSecurityPolicy": armorPolicy,
  "gcp:cloudrunv2/service:Service": extend(gcpAdapters, "gcp:cloudrunv2/service:Service", runService),
  "kubernetes:apps/v1:Deployment": extend(kubernetesAdapters, "kubernetes:apps/v1:Deployment", deployment),
  // Backend services of regional load balancers: internal (INTERNAL_MANAGED) unless they say otherwise.
  "gcp:compute/regionBackendService:RegionBackendService": { taggable: false, adapt: backendServiceOf("INTERNAL_MANAGED") },
  "gcp:compute/regionSslPolicy:RegionSslPolicy": { taggable: false, adapt: sslPolicy },
  "gcp:compute/targetHttpProxy:TargetHttpProxy": { taggable: false, adapt: httpProxy },
  "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy": { taggable: false, adapt: httpProxy },
};
