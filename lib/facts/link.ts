import type { RawResource, ContainerWorkloadFact, Fact, FactOf, GatewayFact, GatewayPolicyFact, GatewayRouteFact, NodePoolFact, QueueFact, TopicFact } from "./types";
import { get, isRecord, str } from "./values";

/**
 * Facts that need more than one resource: replicas from autoscalers, dead-letter
 * queues, gateway policies onto routes, node pools onto GPU workloads, JetStream
 * encryption from the NATS release. Pure: returns new facts, never mutates.
 */
export function linkFacts(facts: ReadonlyArray<Fact>, raw: ReadonlyArray<RawResource>): Fact[] {
  const of = <K extends Fact["kind"]>(kind: K) => facts.filter((f): f is FactOf<K> => f.kind === kind);
  const autoscalers = of("autoscaler");
  const queues = of("queue");
  const policies = of("gateway-policy");
  const pools = of("node-pool");
  const gateways = of("gateway");
  const jetstream = jetstreamEncryption(raw);

  return facts.map((f) => {
    switch (f.kind) {
      case "container-workload":
        return withPool(withAutoscaler(f, autoscalers), pools);
      case "queue":
        return withJetstream(withDeadLetter(f, queues), jetstream);
      case "topic":
        return withJetstream(f, jetstream);
      case "gateway-route":
        return withRoutePolicies(f, policies);
      case "gateway":
        return withGatewayPolicies(f, policies, gateways.length);
      default:
        return f;
    }
  });
}

function withAutoscaler(w: ContainerWorkloadFact, autoscalers: ReadonlyArray<FactOf<"autoscaler">>): ContainerWorkloadFact {
  const scaler = autoscalers.find((a) => {
    if (w.platform === "kubernetes") {
      return a.target.name === w.workloadName && (a.target.kind ?? "Deployment") === w.workloadKind && (a.target.namespace === undefined || a.target.namespace === w.namespace);
    }
    if (w.platform === "ecs" && w.workloadKind === "Service") {
      // Application Auto Scaling ids: service/<cluster>/<service>.
      const parts = a.target.name.split("/");
      return parts[0] === "service" && (parts[2] === w.workloadName || parts[2] === w.resource.name);
    }
    return false;
  });
  return scaler ? { ...w, replicas: { min: scaler.min, max: scaler.max, source: "autoscaler" } } : w;
}

/** A GPU workload pinned to a pool by node labels takes the pool's GPU type and spot-ness. */
function withPool(w: ContainerWorkloadFact, pools: ReadonlyArray<NodePoolFact>): ContainerWorkloadFact {
  if (w.perReplica.gpus === 0 && !Object.keys(w.nodeSelector).length && !Object.keys(w.requiredNodeLabels).length) return w;
  const matches = pools.filter((p) => {
    const wanted = Object.entries(w.nodeSelector).map(([k, v]) => [k, [v]] as const);
    const required = Object.entries(w.requiredNodeLabels);
    const all = [...wanted, ...required];
    return all.length > 0 && all.every(([k, values]) => p.labels[k] !== undefined && values.includes(p.labels[k]));
  });
  if (matches.length === 0) return w;
  const gpuType = w.perReplica.gpuType ?? matches.find((p) => p.gpu?.type)?.gpu?.type;
  return {
    ...w,
    perReplica: { ...w.perReplica, ...(gpuType ? { gpuType } : {}) },
    spot: w.spot || matches.every((p) => p.spot),
  };
}

function queueNames(q: QueueFact): string[] {
  return [q.queueName, q.resource.name].filter((n): n is string => n !== undefined && n !== "");
}

/** Does a reference (ARN, URL, id, name) point at this queue? */
function refersTo(ref: string, q: QueueFact): boolean {
  return queueNames(q).some((n) => ref === n || ref.endsWith(`:${n}`) || ref.endsWith(`/${n}`) || ref.includes(`/queues/${n}`) || ref.includes(`/subscriptions/${n}`));
}

function withDeadLetter(q: QueueFact, queues: ReadonlyArray<QueueFact>): QueueFact {
  let out = q;
  if (!q.deadLetter.configured) {
    const dlq = queues.find((d) => d !== q && d.deadLetterFor?.some((s) => queueNames(q).includes(s)));
    if (dlq) out = { ...out, deadLetter: { ...out.deadLetter, configured: true, target: dlq.queueName ?? dlq.resource.name } };
  }
  if (!q.isDeadLetter) {
    const servesSomeone = queues.some((other) => other !== q && other.deadLetter.target !== undefined && refersTo(other.deadLetter.target, q));
    if (servesSomeone) out = { ...out, isDeadLetter: true };
  }
  return out;
}

type JetstreamKey = QueueFact["encryption"] | undefined;

/**
 * JetStream encrypts file storage only when the server has a key (`jetstream.cipher`
 * and `jetstream.key`, set through the chart's `config.jetstream.merge`). With a NATS
 * release in the stack we know; without one the server is outside the stack.
 */
function jetstreamEncryption(raw: ReadonlyArray<RawResource>): JetstreamKey {
  const releases = raw.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && /(^|\/)nats$/.test(String(r.inputs.chart ?? "")));
  if (releases.length === 0) return undefined;
  const encrypted = releases.every((r) => {
    const js = get(r.inputs, "values", "config", "jetstream");
    const merge = isRecord(js) ? get(js, "merge") : undefined;
    return str(merge, "key") !== undefined || str(merge, "cipher") !== undefined || str(js, "key") !== undefined;
  });
  return encrypted ? { atRest: "customer-key" } : { atRest: "none" };
}

function withJetstream<F extends QueueFact | TopicFact>(f: F, key: JetstreamKey): F {
  return f.service === "nats-jetstream" && key && f.encryption.atRest === "unknown" ? { ...f, encryption: key } : f;
}

function targetsRoute(p: GatewayPolicyFact, r: GatewayRouteFact): boolean {
  return p.targets.some((t) => t.kind === "HTTPRoute" && t.name === r.routeName && (t.namespace === undefined || t.namespace === r.namespace));
}

function targetsGateway(p: GatewayPolicyFact, gatewayName: string | undefined, namespace: string | undefined): boolean {
  return gatewayName !== undefined && p.targets.some((t) => t.kind === "Gateway" && t.name === gatewayName && (t.namespace === undefined || namespace === undefined || t.namespace === namespace));
}

/** Route-level policies win over gateway-level ones, as in Envoy Gateway. */
function withRoutePolicies(r: GatewayRouteFact, policies: ReadonlyArray<GatewayPolicyFact>): GatewayRouteFact {
  if (r.service !== "gateway-api") return r;
  const onRoute = policies.filter((p) => targetsRoute(p, r));
  const onGateway = policies.filter((p) => targetsGateway(p, r.gateway, r.namespace));
  const pick = <T>(get: (p: GatewayPolicyFact) => T | undefined): T | undefined => onRoute.map(get).find((x) => x !== undefined) ?? onGateway.map(get).find((x) => x !== undefined);
  const auth = pick((p) => p.auth);
  const rate = pick((p) => p.rateLimitPerMinute);
  return { ...r, ...(auth && r.auth === "unknown" ? { auth } : {}), ...(rate !== undefined && r.rateLimitPerMinute === undefined ? { rateLimitPerMinute: rate } : {}) };
}

function withGatewayPolicies(g: GatewayFact, policies: ReadonlyArray<GatewayPolicyFact>, gatewayCount: number): GatewayFact {
  if (g.service !== "gateway-api") return g;
  const mine = policies.filter((p) => targetsGateway(p, g.gatewayName, g.namespace));
  // An EnvoyProxy configures the data plane of the gateways that use it; with one gateway it is this one.
  const proxies = policies.filter((p) => p.targets.some((t) => t.kind === "EnvoyProxy"));
  const accessLogs = proxies.length > 0 && gatewayCount >= 1 ? proxies.every((p) => p.accessLogs === true) : g.accessLogs;
  const minTls = mine.map((p) => p.minTlsVersion).find((x) => x !== undefined);
  const rate = mine.map((p) => p.rateLimitPerMinute).find((x) => x !== undefined);
  const waf = mine.map((p) => p.waf).find((x) => x !== undefined);
  return {
    ...g,
    accessLogs,
    ...(minTls ? { minTlsVersion: minTls } : {}),
    ...(rate !== undefined ? { rateLimitPerMinute: rate } : {}),
    ...(waf !== undefined ? { waf } : {}),
  };
}
