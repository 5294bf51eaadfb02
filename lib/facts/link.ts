import type { RawResource, ContainerWorkloadFact, Fact, FactOf, GatewayFact, GatewayPolicyFact, GatewayRouteFact, NodePoolFact, QueueFact, TopicFact } from "./types";
import { gpuOfMachine } from "./gpu-shapes";
import { linkAzureGateway } from "./azure-gateway";
import { get, isRecord, jsonish, str } from "./values";

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
  const templates = of("node-template");
  const { merged, absorbed } = ecsServices(of("container-workload"));
  const redrives = raw.filter((r) => r.type === "aws:sqs/redrivePolicy:RedrivePolicy");
  const diagnostics = raw.filter((r) => r.type === "azure-native:monitor:DiagnosticSetting");
  const rotations = raw.filter((r) => r.type === "aws:secretsmanager/secretRotation:SecretRotation").map((r) => str(r.inputs, "secretId") ?? "");

  return facts.filter((f) => !absorbed.has(f)).map((f) => {
    switch (f.kind) {
      case "container-workload":
        return withPool(withAutoscaler(merged.get(f) ?? f, autoscalers), pools);
      case "queue":
        return withJetstream(withDeadLetter(withRedriveResource(f, redrives), queues), jetstream);
      case "secret":
        return f.store === "secretsmanager" && rotations.some((id) => refersToName(id, [f.resource.name, str(raw.find((r) => r.urn === f.resource.urn)?.inputs, "name")])) ? { ...f, rotation: true } : f;
      case "node-pool":
        return withTemplate(f, templates);
      case "topic":
        return withJetstream(f, jetstream);
      case "gateway-route":
        return linkAzureGateway(withRoutePolicies(f, policies), policies, raw);
      case "gateway":
        return linkAzureGateway(withEnvoyService(withDiagnostics(withArnPolicies(withGatewayPolicies(f, policies, gateways.length), policies), diagnostics, raw), raw), policies, raw);
      case "network-exposure":
        return f.gateway === true ? withEnvoyService(f, raw) : f;
      case "cluster":
        return withDiagnostics(f, diagnostics, raw);
      case "messaging-namespace":
        return linkAzureGateway(f, policies, raw);
      case "load-balancer":
        if (f.role === "listener") return withBalancerScheme(f, facts, raw);
        return f.role === "balancer" && policies.some((p) => p.waf && p.targets.some((t) => t.kind === "Arn" && refersToName(t.name, [f.resource.name, str(raw.find((r) => r.urn === f.resource.urn)?.inputs, "name")]))) ? { ...f, waf: true } : f;
      default:
        return f;
    }
  });
}

/** A listener is as public as the load balancer it listens on (`loadBalancerArn` names it). */
function withBalancerScheme(l: FactOf<"load-balancer">, facts: ReadonlyArray<Fact>, raw: ReadonlyArray<RawResource>): FactOf<"load-balancer"> {
  const ref = str(raw.find((r) => r.urn === l.resource.urn)?.inputs, "loadBalancerArn");
  if (!ref) return l;
  const balancer = facts.find((f): f is FactOf<"load-balancer"> => f.kind === "load-balancer" && f.role === "balancer" && refersToName(ref, [f.resource.name, str(raw.find((r) => r.urn === f.resource.urn)?.inputs, "name")]));
  return balancer?.public !== undefined ? { ...l, public: balancer.public } : l;
}

function withAutoscaler(w: ContainerWorkloadFact, autoscalers: ReadonlyArray<FactOf<"autoscaler">>): ContainerWorkloadFact {
  const scaler = autoscalers.find((a) => {
    if (w.platform === "kubernetes") {
      return a.target.name === w.workloadName && (a.target.kind ?? "Deployment") === w.workloadKind && (a.target.namespace === undefined || a.target.namespace === w.namespace);
    }
    if (w.platform === "ecs" && w.workloadKind === "Service") {
      // Application Auto Scaling ids: service/<cluster>/<service>.
      // From CloudFormation the service part reads `<logicalId>.Name` (its GetAtt).
      const parts = a.target.name.split("/");
      return parts[0] === "service" && (parts[2] === w.workloadName || parts[2] === w.resource.name || parts[2] === `${w.resource.name}.Name`);
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
  // A Container Apps replica on a GPU workload profile gets the profile's GPU.
  const gpus = w.platform === "container-apps" && w.perReplica.gpus === 0 ? (matches.find((p) => p.gpu)?.gpu?.count ?? 0) : w.perReplica.gpus;
  return {
    ...w,
    perReplica: { ...w.perReplica, gpus, ...(gpuType ? { gpuType } : {}) },
    spot: w.spot || matches.every((p) => p.spot),
  };
}

function queueNames(q: QueueFact): string[] {
  return [q.queueName, q.resource.name].filter((n): n is string => n !== undefined && n !== "");
}

/** Does a reference (ARN, URL, id, name) point at this queue? */
function refersTo(ref: string, q: QueueFact): boolean {
  // CloudFormation references read `Logical.Arn` (Fn::GetAtt) or the logical ID (Ref).
  return queueNames(q).some((n) => ref === n || ref === `${n}.Arn` || ref.endsWith(`:${n}`) || ref.endsWith(`/${n}`) || ref.includes(`/queues/${n}`) || ref.includes(`/subscriptions/${n}`));
}

function withDeadLetter(q: QueueFact, queues: ReadonlyArray<QueueFact>): QueueFact {
  let out = q;
  if (!q.deadLetter.configured) {
    const dlq = queues.find((d) => d !== q && d.deadLetterFor?.some((s) => queueNames(q).includes(s)));
    if (dlq) out = { ...out, deadLetter: { ...out.deadLetter, configured: true, target: dlq.queueName ?? dlq.resource.name } };
  }
  if (!q.isDeadLetter) {
    const servesSomeone = queues.some(
      (other) => other !== q && other.deadLetter.target !== undefined && (refersTo(other.deadLetter.target, q) || (q.topic !== undefined && (other.deadLetter.target === q.topic || other.deadLetter.target.endsWith(`/topics/${q.topic}`) || q.topic.endsWith(`/${other.deadLetter.target}`)))),
    );
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

/**
 * Envoy Gateway puts a Gateway's proxies behind a Service of the type its EnvoyProxy
 * names (`spec.provider.kubernetes.envoyService.type`, LoadBalancer by default): with
 * every EnvoyProxy of the stack on ClusterIP (or NodePort), the Gateway gets no load
 * balancer and is not public.
 */
function withEnvoyService<F extends GatewayFact | FactOf<"network-exposure">>(f: F, raw: ReadonlyArray<RawResource>): F {
  if (f.kind === "gateway" && f.service !== "gateway-api") return f;
  const types = raw.filter((r) => r.type === "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy").map((r) => str(r.inputs, "spec", "provider", "kubernetes", "envoyService", "type") ?? "LoadBalancer");
  return types.length > 0 && types.every((t) => t === "ClusterIP" || t === "NodePort") ? { ...f, public: false } : f;
}

/** Does a reference (ARN, URL, id) name one of these names? */
function refersToName(ref: string, names: ReadonlyArray<string | undefined>): boolean {
  return names.some((n) => n !== undefined && n !== "" && (ref === n || ref.startsWith(`${n}.`) || ref.endsWith(`:${n}`) || ref.endsWith(`/${n}`) || ref.includes(`:${n}-`) || ref.includes(`/${n}/`) || ref.includes(`:secret:${n}`) || ref.startsWith(`${n}-`)));
}

/**
 * An ECS service runs a task definition: the service's fact takes the task's
 * containers, size and identity; the task definition's own fact is dropped so
 * nothing is counted twice. Task definitions no service runs keep their fact.
 */
function ecsServices(workloads: ReadonlyArray<ContainerWorkloadFact>): { merged: Map<ContainerWorkloadFact, ContainerWorkloadFact>; absorbed: Set<Fact> } {
  const merged = new Map<ContainerWorkloadFact, ContainerWorkloadFact>();
  const absorbed = new Set<Fact>();
  const tasks = workloads.filter((w) => w.platform === "ecs" && w.workloadKind === "TaskDefinition");
  for (const svc of workloads.filter((w) => w.platform === "ecs" && w.workloadKind === "Service" && w.taskDefinition)) {
    const ref = svc.taskDefinition as string;
    const candidates = tasks.filter((t) => !absorbed.has(t) && ((t.workloadName !== undefined && (ref.includes(`task-definition/${t.workloadName}:`) || ref === t.workloadName || ref.startsWith(`${t.workloadName}:`))) || refersToName(ref, [t.resource.name])));
    // The same family can exist in several regions (primary and backup): take the service's own.
    const arnRegion = /^arn:[^:]+:ecs:([^:]+):/.exec(ref)?.[1];
    const task =
      candidates.find((t) => arnRegion !== undefined && t.region === arnRegion && t.resource.component?.name === svc.resource.component?.name) ??
      candidates.find((t) => arnRegion !== undefined && t.region === arnRegion) ??
      candidates.find((t) => t.resource.component !== undefined && t.resource.component.name === svc.resource.component?.name) ??
      candidates[0];
    if (!task) continue;
    absorbed.add(task);
    merged.set(svc, {
      ...svc,
      containers: task.containers,
      host: task.host,
      hostPaths: task.hostPaths,
      perReplica: task.perReplica,
      identity: { ...task.identity, ...svc.identity },
    });
  }
  return { merged, absorbed };
}

function withRedriveResource(q: QueueFact, redrives: ReadonlyArray<RawResource>): QueueFact {
  if (q.deadLetter.configured || q.service !== "sqs") return q;
  const r = redrives.find((x) => refersToName(str(x.inputs, "queueUrl") ?? "", [q.queueName, q.resource.name]));
  if (!r) return q;
  const policy = jsonish(r.inputs.redrivePolicy);
  const target = str(policy, "deadLetterTargetArn");
  return { ...q, deadLetter: { configured: target !== undefined, ...(target ? { target } : {}) } };
}

/** Node pools on a launch template take its hardening and, when they state none, its instance type. */
function withTemplate(p: NodePoolFact, templates: ReadonlyArray<FactOf<"node-template">>): NodePoolFact {
  if (!p.launchTemplate) return p;
  const t = templates.find((x) => refersToName(p.launchTemplate as string, [x.resource.name]));
  if (!t) return p;
  const gpu = p.gpu ?? (t.instanceType ? gpuFromMachine(t.instanceType) : undefined);
  return {
    ...p,
    ...(p.instanceTypes.length === 0 && t.instanceType ? { instanceTypes: [t.instanceType] } : {}),
    ...(t.publicIp !== undefined ? { publicIp: t.publicIp } : {}),
    ...(t.metadataProtected !== undefined ? { metadataProtected: t.metadataProtected } : {}),
    ...(gpu ? { gpu } : {}),
  };
}

function gpuFromMachine(type: string): NodePoolFact["gpu"] {
  const m = gpuOfMachine(type);
  return m ? { type: m.type, ...(m.count !== undefined ? { count: m.count } : {}) } : undefined;
}

/** WAF associations and TLS policies by ARN: API Gateway stages are `.../stages/<name>`. */
function withArnPolicies(g: GatewayFact, policies: ReadonlyArray<GatewayPolicyFact>): GatewayFact {
  if (g.service !== "apigateway-rest" && g.service !== "apigateway-http") return g;
  const waf = policies.some((p) => p.waf && p.targets.some((t) => t.kind === "Arn" && g.gatewayName !== undefined && t.name.endsWith(`/stages/${g.gatewayName}`)));
  return waf ? { ...g, waf: true } : g;
}

/** Azure diagnostic settings: `kube-audit` logs on an AKS cluster, `GatewayLogs` on API Management. */
function withDiagnostics<F extends FactOf<"cluster"> | GatewayFact>(f: F, diagnostics: ReadonlyArray<RawResource>, raw: ReadonlyArray<RawResource>): F {
  if (diagnostics.length === 0 || (f.kind === "cluster" && f.service !== "aks") || (f.kind === "gateway" && f.service !== "apim")) return f;
  const own = raw.find((r) => r.urn === f.resource.urn);
  const names = [f.resource.name, str(own?.inputs, "resourceName"), str(own?.inputs, "serviceName")];
  const categories = diagnostics
    .filter((d) => refersToName(str(d.inputs, "resourceUri") ?? "", names))
    .flatMap((d) => (Array.isArray(d.inputs.logs) ? d.inputs.logs : []))
    .filter((l) => isRecord(l) && l.enabled !== false)
    .map((l) => (isRecord(l) ? String(l.category ?? l.categoryGroup ?? "") : ""));
  if (f.kind === "cluster") return categories.some((c) => c === "kube-audit" || c === "kube-audit-admin" || c === "audit" || c === "allLogs") ? { ...f, auditLogs: true } : f;
  return categories.some((c) => c === "GatewayLogs" || c === "allLogs" || c === "audit") ? { ...f, accessLogs: true } : f;
}
