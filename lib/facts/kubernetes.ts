import { parseDocument } from "yaml";
import { BUDGET_ANNOTATION, GPU_SHARE_ANNOTATION } from "../plan/tags";
import { fact, type AdapterEntry, type AdapterInput, type AdapterTable, type FactCommon } from "./context";
import type {
  AutoscalerFact,
  BudgetFact,
  ContainerFact,
  ContainerWorkloadFact,
  EnvVarFact,
  Fact,
  GatewayFact,
  GatewayPolicyFact,
  GatewayRouteFact,
  GpuRequestFact,
  IamPolicyFact,
  NamespaceFact,
  NetworkExposureFact,
  NetworkPolicyFact,
  NodePoolFact,
  QueueFact,
  SecretFact,
  StoreFact,
  TopicFact,
} from "./types";
import { arr, bool, cpuCores, durationSeconds, get, isRecord, memoryMiB, num, obj, records, str, strings, type Bag } from "./values";
import { containerPaths, helmComponents, requestsAt, type HelmComponent } from "./helm-components";

/** Annotation or label that marks a route or Service as public on purpose. */
export const PUBLIC_ANNOTATION = "microagents.io/public";

const GPU_RESOURCE = /^(nvidia\.com\/(gpu|mig-.+)|amd\.com\/gpu|gpu\.intel\.com\/.+)$/;
/** Node labels that name the accelerator model. */
const GPU_TYPE_LABELS = ["cloud.google.com/gke-accelerator", "nvidia.com/gpu.product", "karpenter.k8s.aws/instance-gpu-name", "accelerator"];
const SPOT_LABELS: Readonly<Record<string, ReadonlyArray<string>>> = {
  "karpenter.sh/capacity-type": ["spot"],
  "eks.amazonaws.com/capacityType": ["SPOT"],
  "cloud.google.com/gke-spot": ["true"],
  "cloud.google.com/gke-preemptible": ["true"],
  "kubernetes.azure.com/scalesetpriority": ["spot"],
};

function labels(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

const meta = (inputs: Bag) => obj(inputs, "metadata");
const metaName = (inputs: Bag) => str(inputs, "metadata", "name");
const metaNamespace = (inputs: Bag) => str(inputs, "metadata", "namespace");
const annotations = (inputs: Bag) => labels(meta(inputs).annotations);
const explicitlyPublic = (inputs: Bag) => annotations(inputs)[PUBLIC_ANNOTATION] === "true" || labels(meta(inputs).labels)[PUBLIC_ANNOTATION] === "true";

function envOf(c: Bag): EnvVarFact[] {
  return records(c, "env").map((e) => {
    const name = str(e, "name") ?? "";
    const value = str(e, "value");
    const from = obj(e, "valueFrom");
    return { name, ...(value !== undefined ? { value } : {}), fromSecret: isRecord(from.secretKeyRef) };
  });
}

function gpuOf(resources: Bag, nodeSelector: Readonly<Record<string, string>>): GpuRequestFact | undefined {
  const bag = { ...obj(resources, "requests"), ...obj(resources, "limits") };
  for (const [key, value] of Object.entries(bag)) {
    if (!GPU_RESOURCE.test(key)) continue;
    const count = num(value);
    if (count === undefined || count <= 0) continue;
    const mig = /^nvidia\.com\/mig-(.+)$/.exec(key);
    const type = GPU_TYPE_LABELS.map((l) => nodeSelector[l]).find((x) => x !== undefined);
    return { count, resourceName: key, ...(mig ? { migProfile: mig[1] } : {}), ...(type ? { type } : {}) };
  }
  return undefined;
}

function containerOf(c: Bag, podSc: Bag, init: boolean, nodeSelector: Readonly<Record<string, string>>): ContainerFact {
  const sc = obj(c, "securityContext");
  const privileged = bool(sc, "privileged");
  const ape = bool(sc, "allowPrivilegeEscalation");
  const runAsNonRoot = bool(sc, "runAsNonRoot") ?? bool(podSc, "runAsNonRoot");
  const runAsUser = num(sc, "runAsUser") ?? num(podSc, "runAsUser");
  const ro = bool(sc, "readOnlyRootFilesystem");
  const res = obj(c, "resources");
  const cpuReq = cpuCores(get(res, "requests", "cpu"));
  const cpuLim = cpuCores(get(res, "limits", "cpu"));
  const memReq = memoryMiB(get(res, "requests", "memory"));
  const memLim = memoryMiB(get(res, "limits", "memory"));
  const gpu = gpuOf(res, nodeSelector);
  const image = str(c, "image");
  return {
    name: str(c, "name") ?? "",
    ...(image !== undefined ? { image } : {}),
    init,
    ...(privileged !== undefined ? { privileged } : {}),
    ...(runAsNonRoot !== undefined ? { runAsNonRoot } : {}),
    ...(runAsUser !== undefined ? { runAsUser } : {}),
    // A privileged container can always escalate.
    ...(ape !== undefined || privileged ? { allowPrivilegeEscalation: privileged === true ? true : ape } : {}),
    ...(ro !== undefined ? { readOnlyRootFilesystem: ro } : {}),
    capabilities: { drop: strings(sc, "capabilities", "drop"), add: strings(sc, "capabilities", "add") },
    env: envOf(c),
    cpu: { ...(cpuReq !== undefined ? { request: cpuReq } : {}), ...(cpuLim !== undefined ? { limit: cpuLim } : {}) },
    memoryMiB: { ...(memReq !== undefined ? { request: memReq } : {}), ...(memLim !== undefined ? { limit: memLim } : {}) },
    ...(gpu ? { gpu } : {}),
    probes: { liveness: isRecord(c.livenessProbe), readiness: isRecord(c.readinessProbe), startup: isRecord(c.startupProbe) },
    ports: records(c, "ports").map((p) => num(p, "containerPort")).filter((p): p is number => p !== undefined),
  };
}

function requiredNodeLabels(podSpec: Bag): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const term of records(podSpec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")) {
    for (const e of records(term, "matchExpressions")) {
      const key = str(e, "key");
      if (key && str(e, "operator") === "In") out[key] = strings(e, "values");
    }
  }
  return out;
}

function isSpot(nodeSelector: Readonly<Record<string, string>>, required: Readonly<Record<string, ReadonlyArray<string>>>, tolerations: ReadonlyArray<Bag>): boolean {
  for (const [key, values] of Object.entries(SPOT_LABELS)) {
    const sel = nodeSelector[key];
    if (sel !== undefined && values.includes(sel)) return true;
    const req = required[key];
    if (req && req.length > 0 && req.every((v) => values.includes(v))) return true;
  }
  return tolerations.some((t) => str(t, "key") === "kubernetes.azure.com/scalesetpriority" && str(t, "value") === "spot" && str(t, "effect") === "NoSchedule" && Object.keys(nodeSelector).length > 0);
}

/** Facts for any pod spec: the workload itself. */
export function podWorkload(common: FactCommon, kind: string, podSpec: Bag, podMeta: Bag, workloadMeta: Bag, replicas: ContainerWorkloadFact["replicas"]): ContainerWorkloadFact {
  const podSc = obj(podSpec, "securityContext");
  const nodeSelector = labels(podSpec.nodeSelector);
  const required = requiredNodeLabels(podSpec);
  const selectorForGpu = { ...nodeSelector, ...Object.fromEntries(Object.entries(required).filter(([, v]) => v.length === 1).map(([k, v]) => [k, v[0]])) };
  const containers = [
    ...records(podSpec, "initContainers").map((c) => containerOf(c, podSc, true, selectorForGpu)),
    ...records(podSpec, "containers").map((c) => containerOf(c, podSc, false, selectorForGpu)),
  ];
  const main = containers.filter((c) => !c.init);
  const sum = (pick: (c: ContainerFact) => number | undefined) => (main.every((c) => pick(c) !== undefined) && main.length > 0 ? main.reduce((t, c) => t + (pick(c) ?? 0), 0) : undefined);
  const cpu = sum((c) => c.cpu.request ?? c.cpu.limit);
  const mem = sum((c) => c.memoryMiB.request ?? c.memoryMiB.limit);
  // Time-sliced requests count slices; the workload's annotation (set by our targets) says the real share.
  const annotatedShare = num(labels(podMeta.annotations)[GPU_SHARE_ANNOTATION]);
  const gpus = annotatedShare ?? main.reduce((t, c) => t + (c.gpu?.count ?? 0), 0);
  const gpuType = main.find((c) => c.gpu?.type)?.gpu?.type;
  const tolerations = records(podSpec, "tolerations");
  const sa = str(podSpec, "serviceAccountName");
  const automount = bool(podSpec, "automountServiceAccountToken");
  const namespace = str(workloadMeta, "namespace");
  const name = str(workloadMeta, "name");
  return fact<ContainerWorkloadFact>(common, {
    kind: "container-workload",
    platform: "kubernetes",
    workloadKind: kind,
    ...(namespace ? { namespace } : {}),
    ...(name ? { workloadName: name } : {}),
    podLabels: labels(podMeta.labels),
    containers,
    host: { network: bool(podSpec, "hostNetwork") === true, pid: bool(podSpec, "hostPID") === true, ipc: bool(podSpec, "hostIPC") === true },
    hostPaths: records(podSpec, "volumes").map((v) => str(v, "hostPath", "path")).filter((p): p is string => p !== undefined),
    perReplica: { ...(cpu !== undefined ? { cpu } : {}), ...(mem !== undefined ? { memoryMiB: mem } : {}), gpus, ...(gpuType ? { gpuType } : {}) },
    replicas,
    spot: isSpot(nodeSelector, required, tolerations),
    tolerations: tolerations.map((t) => ({ ...optional("key", str(t, "key")), ...optional("operator", str(t, "operator")), ...optional("value", str(t, "value")), ...optional("effect", str(t, "effect")) })),
    nodeSelector,
    requiredNodeLabels: required,
    identity: { ...(sa ? { serviceAccount: sa } : {}), ...(automount !== undefined ? { automountToken: automount } : {}) },
    ingress: "internal",
  });
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>); // a computed key cannot be typed as K without the cast
}

const fixedReplicas = (n: number | undefined): ContainerWorkloadFact["replicas"] => ({ min: n ?? 1, max: n ?? 1, source: "fixed" });

function controller(kind: string): AdapterEntry {
  return {
    taggable: true,
    adapt: ({ inputs, common }) => {
      const spec = obj(inputs, "spec");
      if (kind === "Pod") return [podWorkload(common, kind, spec, meta(inputs), meta(inputs), fixedReplicas(1))];
      if (kind === "CronJob") {
        const template = obj(spec, "jobTemplate", "spec", "template");
        return [podWorkload(common, kind, obj(template, "spec"), obj(template, "metadata"), meta(inputs), fixedReplicas(num(spec, "jobTemplate", "spec", "parallelism")))];
      }
      const template = obj(spec, "template");
      const replicas =
        kind === "DaemonSet" ? { min: 1, max: 1, source: "per-node" as const } : kind === "Job" ? fixedReplicas(num(spec, "parallelism")) : fixedReplicas(num(spec, "replicas"));
      return [podWorkload(common, kind, obj(template, "spec"), obj(template, "metadata"), meta(inputs), replicas)];
    },
  };
}

const INTERNAL_LB_ANNOTATIONS: ReadonlyArray<readonly [string, string]> = [
  ["service.beta.kubernetes.io/aws-load-balancer-internal", "true"],
  ["service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"],
  ["service.beta.kubernetes.io/azure-load-balancer-internal", "true"],
  ["networking.gke.io/load-balancer-type", "Internal"],
  ["cloud.google.com/load-balancer-type", "Internal"],
];

function service({ inputs, common }: AdapterInput): Fact[] {
  const spec = obj(inputs, "spec");
  const type = str(spec, "type") ?? "ClusterIP";
  const ann = annotations(inputs);
  const selector = labels(spec.selector);
  const namespace = metaNamespace(inputs);
  const isGateway = "gateway.envoyproxy.io/owning-gateway-name" in selector || "gateway.networking.k8s.io/gateway-name" in selector || labels(meta(inputs).labels)["microagents.io/role"] === "gateway";
  const ports = records(spec, "ports").map((p) => num(p, "port")).filter((p): p is number => p !== undefined);
  const external = strings(spec, "externalIPs");
  const out: Fact[] = [];
  const exposure = (via: NetworkExposureFact["via"], isPublic: boolean, sourceRanges: string[]) =>
    fact<NetworkExposureFact>(common, { kind: "network-exposure", via, public: isPublic, ports, sourceRanges, selector, ...(namespace ? { namespace } : {}), gateway: isGateway });
  if (type === "LoadBalancer") {
    const internal = INTERNAL_LB_ANNOTATIONS.some(([k, v]) => ann[k]?.toLowerCase() === v.toLowerCase());
    const ranges = strings(spec, "loadBalancerSourceRanges");
    out.push(exposure("load-balancer-service", !internal, ranges.length > 0 ? ranges : ["0.0.0.0/0"]));
  } else if (type === "NodePort") {
    out.push(exposure("node-port", true, ["0.0.0.0/0"]));
  }
  if (external.length > 0) out.push(exposure("public-ip", true, ["0.0.0.0/0"]));
  return out;
}

function networkPolicy({ inputs, common }: AdapterInput): Fact[] {
  const spec = obj(inputs, "spec");
  const podSelector = obj(spec, "podSelector");
  const selectsAll = Object.keys(obj(podSelector, "matchLabels")).length === 0 && arr(podSelector, "matchExpressions").length === 0;
  const declared = strings(spec, "policyTypes").filter((t): t is "Ingress" | "Egress" => t === "Ingress" || t === "Egress");
  // Without policyTypes, Ingress always applies and Egress applies when egress rules exist.
  const policyTypes = declared.length > 0 ? declared : (["Ingress", ...(Array.isArray(spec.egress) ? ["Egress" as const] : [])] as Array<"Ingress" | "Egress">);
  const namespace = metaNamespace(inputs);
  return [
    fact<NetworkPolicyFact>(common, {
      kind: "network-policy",
      ...(namespace ? { namespace } : {}),
      selectsAll,
      podSelector: labels(podSelector.matchLabels),
      policyTypes,
      denyAllIngress: selectsAll && policyTypes.includes("Ingress") && arr(spec, "ingress").length === 0,
      denyAllEgress: selectsAll && policyTypes.includes("Egress") && arr(spec, "egress").length === 0,
    }),
  ];
}

function namespace({ inputs, common }: AdapterInput): Fact[] {
  const l = labels(meta(inputs).labels);
  const enforce = l["pod-security.kubernetes.io/enforce"];
  const budget = Number(annotations(inputs)[BUDGET_ANNOTATION]);
  return [
    fact<NamespaceFact>(common, { kind: "namespace", namespaceName: metaName(inputs) ?? common.resource.name, ...(enforce ? { podSecurityEnforce: enforce } : {}) }),
    ...(Number.isFinite(budget) && budget > 0 ? [fact<BudgetFact>(common, { kind: "budget", service: "fleet-annotation", amountUsd: budget, period: "MONTHLY", alertPercents: [] })] : []),
  ];
}

function secret({ common }: AdapterInput): Fact[] {
  // Encryption of Secrets at rest is the cluster's (MA-SEC-016 judges the cluster).
  return [fact<SecretFact>(common, { kind: "secret", store: "kubernetes", encryption: { atRest: "unknown" }, rotationSupported: false })];
}

/** An autoscaler over a workload: the HPA and KEDA differ in field names and defaults. */
function autoscalerOf(inputs: Bag, common: FactCommon, scaler: AutoscalerFact["scaler"], min: number | undefined, max: number | undefined, triggers: string[]): Fact[] {
  const ref = obj(inputs, "spec", "scaleTargetRef");
  const namespace = metaNamespace(inputs);
  return [
    fact<AutoscalerFact>(common, {
      kind: "autoscaler",
      scaler,
      target: { kind: str(ref, "kind") ?? "Deployment", name: str(ref, "name") ?? "", ...(namespace ? { namespace } : {}) },
      min: min ?? (scaler === "keda" ? 0 : 1),
      max: max ?? (scaler === "keda" ? 100 : 1),
      triggers,
    }),
  ];
}

function hpa({ inputs, common }: AdapterInput): Fact[] {
  const spec = obj(inputs, "spec");
  return autoscalerOf(inputs, common, "hpa", num(spec, "minReplicas"), num(spec, "maxReplicas"), records(spec, "metrics").map((m) => str(m, "resource", "name") ?? str(m, "type") ?? "metric"));
}

/** KEDA defaults: minReplicaCount 0, maxReplicaCount 100 (keda.sh/docs ScaledObject spec). */
function scaledObject({ inputs, common }: AdapterInput): Fact[] {
  const spec = obj(inputs, "spec");
  return autoscalerOf(inputs, common, "keda", num(spec, "minReplicaCount"), num(spec, "maxReplicaCount"), records(spec, "triggers").map((t) => str(t, "type") ?? "unknown"));
}

const MAX_DELIVERIES = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.";

/** NACK Stream: a work-queue stream is a queue; an advisory-capturing stream a dead-letter queue; others are topics. */
function natsStream({ inputs, common }: AdapterInput): Fact[] {
  const spec = obj(inputs, "spec");
  const subjects = strings(spec, "subjects");
  const retention = str(spec, "retention") ?? "limits";
  const name = str(spec, "name") ?? metaName(inputs);
  const maxAge = durationSeconds(get(spec, "maxAge"));
  // JetStream encrypts at rest only when the server has a key; linking reads the NATS release.
  const encryption = { atRest: "unknown" as const };
  const isDlq = subjects.length > 0 && subjects.every((s) => s.startsWith("$JS.EVENT.ADVISORY.CONSUMER."));
  const serves = deadLetterSources(subjects);
  if (retention === "workqueue" || isDlq) {
    return [
      fact<QueueFact>(common, {
        kind: "queue",
        service: "nats-jetstream",
        ...(name ? { queueName: name } : {}),
        encryption,
        isDeadLetter: isDlq,
        ...(serves.length > 0 ? { deadLetterFor: serves } : {}),
        deadLetter: { configured: false },
        ...(maxAge ? { retentionSeconds: maxAge } : {}),
      }),
    ];
  }
  return [fact<TopicFact>(common, { kind: "topic", service: "nats-jetstream", ...(name ? { topicName: name } : {}), encryption })];
}

/** Subjects a dead-letter stream captures: `<stream>.<consumer>` pairs. */
export function deadLetterSources(subjects: ReadonlyArray<string>): string[] {
  return [...new Set(subjects.filter((s) => s.startsWith(MAX_DELIVERIES)).map((s) => s.slice(MAX_DELIVERIES.length).split(".")[0]))];
}

function rbacRole({ inputs, common }: AdapterInput): Fact[] {
  return [
    fact<IamPolicyFact>(common, {
      kind: "iam-policy",
      scope: "identity",
      statements: records(inputs, "rules").map((r) => ({
        effect: "Allow" as const,
        actions: strings(r, "verbs"),
        notActions: false,
        resources: [
          ...strings(r, "resources").flatMap((res) => {
            const names = strings(r, "resourceNames");
            return names.length > 0 ? names.map((n) => `${res}/${n}`) : [res];
          }),
          ...strings(r, "nonResourceURLs"),
        ],
        principals: [],
        conditionKeys: [],
      })),
      unreadable: false,
    }),
  ];
}

function gateway({ inputs, common }: AdapterInput): Fact[] {
  const spec = obj(inputs, "spec");
  const listeners = records(spec, "listeners");
  const ann = annotations(inputs);
  const internal = INTERNAL_LB_ANNOTATIONS.some(([k, v]) => ann[k]?.toLowerCase() === v.toLowerCase());
  const infraAnn = labels(get(spec, "infrastructure", "annotations"));
  const internalInfra = INTERNAL_LB_ANNOTATIONS.some(([k, v]) => infraAnn[k]?.toLowerCase() === v.toLowerCase());
  const isPublic = !(internal || internalInfra);
  const namespace = metaNamespace(inputs);
  const name = metaName(inputs);
  return [
    fact<GatewayFact>(common, {
      kind: "gateway",
      service: "gateway-api",
      ...(name ? { gatewayName: name } : {}),
      ...(namespace ? { namespace } : {}),
      public: isPublic,
      // Access logs and WAF live in implementation policies; linking fills them in.
      accessLogs: undefined,
      waf: undefined,
      httpListener: listeners.some((l) => str(l, "protocol") === "HTTP"),
    }),
    fact<NetworkExposureFact>(common, {
      kind: "network-exposure",
      via: "load-balancer-service",
      public: isPublic,
      ports: listeners.map((l) => num(l, "port")).filter((p): p is number => p !== undefined),
      sourceRanges: ["0.0.0.0/0"],
      ...(namespace ? { namespace } : {}),
      gateway: true,
    }),
  ];
}

function httpRoute({ inputs, common }: AdapterInput): Fact[] {
  const spec = obj(inputs, "spec");
  const parents = records(spec, "parentRefs").map((p) => str(p, "name")).filter((n): n is string => n !== undefined);
  const pub = explicitlyPublic(inputs);
  const routeName = metaName(inputs);
  const namespace = metaNamespace(inputs);
  const paths = records(spec, "rules").flatMap((r) => {
    const matches = records(r, "matches");
    return matches.length === 0 ? ["/"] : matches.map((m) => str(m, "path", "value") ?? "/");
  });
  return [...new Set(paths)].map((path) =>
    fact<GatewayRouteFact>(common, {
      kind: "gateway-route",
      service: "gateway-api",
      path,
      ...(routeName ? { routeName } : {}),
      ...(namespace ? { namespace } : {}),
      auth: "unknown",
      explicitlyPublic: pub,
      ...(parents[0] ? { gateway: parents[0] } : {}),
    }),
  );
}

function policyTargets(spec: Bag): GatewayPolicyFact["targets"] {
  const refs = [...records(spec, "targetRefs"), ...(isRecord(spec.targetRef) ? [spec.targetRef] : [])];
  return refs.map((r) => ({ kind: str(r, "kind") ?? "", name: str(r, "name") ?? "", ...optional("namespace", str(r, "namespace")) }));
}

/** Envoy Gateway SecurityPolicy: JWT, API key, basic, OIDC or external auth on routes or gateways. */
function envoySecurityPolicy({ inputs, common }: AdapterInput): Fact[] {
  const spec = obj(inputs, "spec");
  const auth: GatewayRouteFact["auth"] = isRecord(spec.jwt) ? "jwt" : isRecord(spec.apiKeyAuth) || isRecord(spec.basicAuth) ? "api-key" : isRecord(spec.oidc) || isRecord(spec.extAuth) ? "custom" : "unknown";
  return [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: policyTargets(spec), ...(auth !== "unknown" ? { auth } : {}) })];
}

const PER_MINUTE: Readonly<Record<string, number>> = { Second: 60, Minute: 1, Hour: 1 / 60, Day: 1 / 1440 };

function envoyBackendTrafficPolicy({ inputs, common }: AdapterInput): Fact[] {
  const spec = obj(inputs, "spec");
  const rules = [...records(spec, "rateLimit", "local", "rules"), ...records(spec, "rateLimit", "global", "rules")];
  const perMinute = rules
    .map((r) => {
      const requests = num(r, "limit", "requests");
      const unit = str(r, "limit", "unit") ?? "Minute";
      return requests === undefined ? undefined : requests * (PER_MINUTE[unit] ?? 1);
    })
    .filter((n): n is number => n !== undefined);
  return [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: policyTargets(spec), ...(perMinute.length > 0 ? { rateLimitPerMinute: Math.min(...perMinute) } : {}) })];
}

function envoyClientTrafficPolicy({ inputs, common }: AdapterInput): Fact[] {
  const spec = obj(inputs, "spec");
  const min = str(spec, "tls", "minVersion");
  return [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: policyTargets(spec), ...(min ? { minTlsVersion: min } : {}) })];
}

/** EnvoyProxy: Envoy Gateway logs access to stdout unless telemetry.accessLog.disable is set. */
function envoyProxy({ inputs, common }: AdapterInput): Fact[] {
  const disabled = bool(inputs, "spec", "telemetry", "accessLog", "disable") === true;
  return [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: [{ kind: "EnvoyProxy", name: metaName(inputs) ?? common.resource.name }], accessLogs: !disabled })];
}

function ingress({ inputs, common }: AdapterInput): Fact[] {
  const spec = obj(inputs, "spec");
  const ann = annotations(inputs);
  const cls = str(spec, "ingressClassName") ?? ann["kubernetes.io/ingress.class"] ?? "";
  const internal = /internal/i.test(cls) || ann["alb.ingress.kubernetes.io/scheme"] === "internal" || ann["kubernetes.io/ingress.class"] === "gce-internal";
  const namespace = metaNamespace(inputs);
  return [
    fact<NetworkExposureFact>(common, {
      kind: "network-exposure",
      via: "ingress",
      public: !internal,
      ports: strings(spec, "tls").length > 0 || records(spec, "tls").length > 0 ? [443] : [80],
      sourceRanges: ["0.0.0.0/0"],
      ...(namespace ? { namespace } : {}),
      gateway: false,
    }),
  ];
}

/** Karpenter NodePool: capacity type and instance requirements. */
function karpenterNodePool({ inputs, common }: AdapterInput): Fact[] {
  const template = obj(inputs, "spec", "template");
  const reqs = records(template, "spec", "requirements");
  const valuesOf = (key: string) => reqs.filter((r) => str(r, "key") === key && str(r, "operator") === "In").flatMap((r) => strings(r, "values"));
  const capacity = valuesOf("karpenter.sh/capacity-type");
  const gpuNames = valuesOf("karpenter.k8s.aws/instance-gpu-name");
  const taints = records(template, "spec", "taints").map((t) => ({ key: str(t, "key") ?? "", ...optional("value", str(t, "value")), effect: str(t, "effect") ?? "" }));
  const limitsGpu = num(inputs, "spec", "limits", "nvidia.com/gpu");
  const name = metaName(inputs);
  const isGpu = gpuNames.length > 0 || limitsGpu !== undefined || valuesOf("karpenter.k8s.aws/instance-family").some((f) => /^(g|p)\d/.test(f));
  return [
    fact<NodePoolFact>(common, {
      kind: "node-pool",
      service: "karpenter",
      ...(name ? { poolName: name } : {}),
      instanceTypes: [...valuesOf("node.kubernetes.io/instance-type"), ...valuesOf("karpenter.k8s.aws/instance-family")],
      nodes: { min: 0 },
      spot: capacity.length > 0 && capacity.every((c) => c === "spot"),
      ...(isGpu ? { gpu: { ...optional("type", gpuNames[0]) } } : {}),
      taints,
      labels: labels(get(template, "metadata", "labels")),
      ssh: "none",
    }),
  ];
}

function pvc({ inputs, common }: AdapterInput): Fact[] {
  const size = memoryMiB(get(inputs, "spec", "resources", "requests", "storage"));
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "volume",
      ...(size !== undefined ? { sizeGb: size / 1024 } : {}),
      backups: {},
      encryption: { atRest: "unknown" },
    }),
  ];
}

/** CloudNativePG Cluster: an in-cluster Postgres; backups are an object store (WAL archive = point in time). */
function cnpgCluster({ inputs, common }: AdapterInput): Fact[] {
  const spec = obj(inputs, "spec");
  const store = obj(spec, "backup", "barmanObjectStore");
  const hasStore = Object.keys(store).length > 0;
  const retention = /^(\d+)d$/.exec(str(spec, "backup", "retentionPolicy") ?? "");
  const size = memoryMiB(str(spec, "storage", "size"));
  const instances = num(spec, "instances") ?? 1;
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "postgres",
      engine: "postgres",
      ...(size !== undefined ? { sizeGb: size / 1024 } : {}),
      capacityMode: "provisioned",
      nodes: instances,
      backups: { enabled: hasStore, pointInTime: hasStore, ...(retention ? { retentionDays: Number(retention[1]) } : {}) },
      // Data at rest sits on the cluster's volumes: the storage class decides.
      encryption: { atRest: "unknown" },
      highAvailability: instances > 1,
    }),
  ];
}

const UNTAGGED: AdapterEntry = { taggable: true, adapt: () => [] };

/**
 * A plain-Kubernetes GPU pool's ConfigMap (`microagents.io/gpu-pool` label) records
 * what its nodes carry and how many the packing needs (`requirements.yaml`): the
 * cost estimator prices the pool's nodes from it, as it does from the fleet's plan.
 */
function gpuPoolBilling({ inputs }: AdapterInput): Readonly<Record<string, string | number | boolean>> | undefined {
  const pool = labels(meta(inputs).labels)["microagents.io/gpu-pool"];
  const text = str(inputs, "data", "requirements.yaml");
  if (!pool || !text) return undefined;
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return undefined;
  const r: unknown = doc.toJS();
  if (!isRecord(r)) return undefined;
  const out: Record<string, string | number | boolean> = { gpuPool: pool };
  for (const k of ["accelerator", "sharing", "slicesPerGpu", "minNodes", "maxNodes", "nodesAtMinReplicas", "nodesAtMaxReplicas", "spot"]) {
    const v = r[k];
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

/** What a CloudNativePG Cluster runs: instances of its pod size, each with its data (and WAL) volume. */
function cnpgBilling({ inputs }: AdapterInput): Readonly<Record<string, number>> {
  const spec = obj(inputs, "spec");
  const cpu = cpuCores(get(spec, "resources", "requests", "cpu"));
  const memory = memoryMiB(get(spec, "resources", "requests", "memory"));
  const storage = (memoryMiB(str(spec, "storage", "size")) ?? 0) + (memoryMiB(str(spec, "walStorage", "size")) ?? 0);
  return { instances: num(spec, "instances") ?? 1, ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memoryMiB: memory } : {}), ...(storage > 0 ? { storageGb: storage / 1024 } : {}) };
}

/** A CloudNativePG Pooler: PgBouncer instances, with the requests its pod template states (none by default). */
function poolerBilling({ inputs }: AdapterInput): Readonly<Record<string, number>> {
  const spec = obj(inputs, "spec");
  const container = records(obj(spec, "template", "spec"), "containers")[0] ?? {};
  const cpu = cpuCores(get(container, "resources", "requests", "cpu"));
  const memory = memoryMiB(get(container, "resources", "requests", "memory"));
  return { instances: num(spec, "instances") ?? 1, ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memoryMiB: memory } : {}) };
}

/** Kubernetes objects by type token. Every Kubernetes object can carry labels. */
export const kubernetesAdapters: AdapterTable = {
  "kubernetes:apps/v1:Deployment": controller("Deployment"),
  "kubernetes:apps/v1:StatefulSet": controller("StatefulSet"),
  "kubernetes:apps/v1:DaemonSet": controller("DaemonSet"),
  "kubernetes:apps/v1:ReplicaSet": controller("ReplicaSet"),
  "kubernetes:core/v1:Pod": controller("Pod"),
  "kubernetes:batch/v1:Job": controller("Job"),
  "kubernetes:batch/v1:CronJob": controller("CronJob"),
  "kubernetes:core/v1:Service": { taggable: true, adapt: service },
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": { taggable: true, adapt: networkPolicy },
  "kubernetes:networking.k8s.io/v1:Ingress": { taggable: true, adapt: ingress },
  "kubernetes:core/v1:Namespace": { taggable: true, adapt: namespace },
  "kubernetes:core/v1:Secret": { taggable: true, adapt: secret },
  "kubernetes:core/v1:PersistentVolumeClaim": { taggable: true, adapt: pvc },
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": { taggable: true, adapt: hpa },
  "kubernetes:autoscaling/v1:HorizontalPodAutoscaler": { taggable: true, adapt: hpa },
  "kubernetes:keda.sh/v1alpha1:ScaledObject": { taggable: true, adapt: scaledObject },
  "kubernetes:jetstream.nats.io/v1beta2:Stream": { taggable: true, adapt: natsStream },
  "kubernetes:rbac.authorization.k8s.io/v1:Role": { taggable: true, adapt: rbacRole },
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": { taggable: true, adapt: rbacRole },
  "kubernetes:gateway.networking.k8s.io/v1:Gateway": { taggable: true, adapt: gateway },
  "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": { taggable: true, adapt: httpRoute },
  "kubernetes:gateway.networking.k8s.io/v1beta1:HTTPRoute": { taggable: true, adapt: httpRoute },
  "kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy": { taggable: true, adapt: envoySecurityPolicy },
  "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy": { taggable: true, adapt: envoyBackendTrafficPolicy },
  "kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy": { taggable: true, adapt: envoyClientTrafficPolicy },
  "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy": { taggable: true, adapt: envoyProxy, billing: envoyProxyBilling },
  "kubernetes:karpenter.sh/v1:NodePool": { taggable: true, adapt: karpenterNodePool },
  "kubernetes:postgresql.cnpg.io/v1:Cluster": { taggable: true, adapt: cnpgCluster, billing: cnpgBilling },
  "kubernetes:postgresql.cnpg.io/v1:Pooler": { taggable: true, adapt: () => [], billing: poolerBilling },
  "kubernetes:core/v1:ConfigMap": { taggable: true, adapt: () => [], billing: gpuPoolBilling },
};

/**
 * What a Helm release's values size, for the cost estimator. A chart the package
 * installs (lib/facts/helm-components.ts) is read component by component: each pod's
 * containers' `resources.requests` (nested per component, e.g. KEDA's
 * `resources.operator`), its replica count, its volume, and whether it is a DaemonSet
 * (`perNode*`: requests of one pod, on every node or every GPU node). A component whose
 * containers state no requests runs at the chart's defaults and is named in `unsized`.
 * Any other chart: every block of the values with `resources.requests` counts its
 * `replicas` or `replicaCount` (1 when absent) pods of that size; every
 * `persistence.size`, `requestedSize` or `storage.size` a volume per replica of its
 * block. Nothing stated means the chart's own defaults size the release (`sized: false`).
 */
function helmBilling({ inputs }: AdapterInput): Readonly<Record<string, string | number | boolean>> {
  const chart = str(inputs, "chart") ?? "";
  const values = obj(inputs, "values");
  const components = helmComponents(chart);
  if (components) return { chart, ...componentBilling(values, components) };
  let cpu = 0;
  let memory = 0;
  let pods = 0;
  let volumeGb = 0;
  const walk = (v: unknown, replicas: number, depth: number): void => {
    if (!isRecord(v) || depth > 8) return;
    const own = num(v, "replicas") ?? num(v, "replicaCount") ?? replicas;
    const req = obj(v, "resources", "requests");
    const c = cpuCores(req.cpu);
    const m = memoryMiB(req.memory);
    if (c !== undefined || m !== undefined) {
      cpu += (c ?? 0) * own;
      memory += (m ?? 0) * own;
      pods += own;
    }
    for (const size of [str(v, "persistence", "size"), str(v, "requestedSize"), str(v, "storage", "size")]) {
      const mib = memoryMiB(size);
      if (mib !== undefined) volumeGb += (mib / 1024) * Math.max(1, own);
    }
    for (const [k, child] of Object.entries(v)) if (k !== "resources") walk(child, k === "persistence" || k === "storage" ? own : 1, depth + 1);
  };
  walk(values, 1, 0);
  return { chart, sized: pods > 0 || volumeGb > 0, pods, cpu, memoryMiB: memory, volumeGb };
}

/** Billing of a known chart's components (see helmBilling). */
function componentBilling(values: Bag, components: ReadonlyArray<HelmComponent>): Readonly<Record<string, string | number | boolean>> {
  const out = { pods: 0, cpu: 0, memoryMiB: 0, volumeGb: 0, perNodeCpu: 0, perNodeMemoryMiB: 0, perGpuNodeCpu: 0, perGpuNodeMemoryMiB: 0 };
  const unsized: string[] = [];
  const daemonSets: string[] = [];
  for (const c of components) {
    if (c.enabled && !c.enabled(values)) continue;
    const requests = containerPaths(c, values).map((path) => requestsAt(values, path));
    if (requests.some((r) => cpuCores(r.cpu) === undefined && memoryMiB(r.memory) === undefined)) {
      unsized.push(c.name);
      continue;
    }
    const cpu = requests.reduce((t, r) => t + (cpuCores(r.cpu) ?? 0), 0);
    const memory = requests.reduce((t, r) => t + (memoryMiB(r.memory) ?? 0), 0);
    if (c.perNode) {
      daemonSets.push(`${c.name} (${c.perNode === "gpu" ? "every GPU node" : "every node"})`);
      if (c.perNode === "gpu") [out.perGpuNodeCpu, out.perGpuNodeMemoryMiB] = [out.perGpuNodeCpu + cpu, out.perGpuNodeMemoryMiB + memory];
      else [out.perNodeCpu, out.perNodeMemoryMiB] = [out.perNodeCpu + cpu, out.perNodeMemoryMiB + memory];
      continue;
    }
    const replicas = c.replicas ? c.replicas(values) : 1;
    out.pods += replicas;
    out.cpu += cpu * replicas;
    out.memoryMiB += memory * replicas;
    const volume = memoryMiB(c.volume?.(values));
    if (volume !== undefined) out.volumeGb += (volume / 1024) * replicas;
  }
  const sized = unsized.length === 0 && (out.pods > 0 || out.volumeGb > 0 || daemonSets.length > 0);
  return { sized, ...out, ...(unsized.length > 0 ? { unsized: unsized.join(", ") } : {}), ...(daemonSets.length > 0 ? { daemonSets: daemonSets.join(", ") } : {}) };
}

/**
 * The proxy Deployment Envoy Gateway runs for a Gateway of this EnvoyProxy's class:
 * its replicas and the envoy container's requests (Envoy Gateway's defaults, 1 replica
 * and 100m / 512Mi, when unset: envoyproxy/gateway v1.9.0 api/v1alpha1/shared_types.go),
 * plus the shutdown-manager sidecar's fixed 10m / 32Mi. None for a DaemonSet proxy.
 */
function envoyProxyBilling({ inputs }: AdapterInput): Readonly<Record<string, number | boolean>> {
  const kubernetes = obj(inputs, "spec", "provider", "kubernetes");
  if (isRecord(kubernetes.envoyDaemonSet)) return { envoyDaemonSet: true };
  const deployment = obj(kubernetes, "envoyDeployment");
  const requests = obj(deployment, "container", "resources", "requests");
  return {
    replicas: num(deployment, "replicas") ?? 1,
    cpu: (cpuCores(requests.cpu) ?? 0.1) + 0.01,
    memoryMiB: (memoryMiB(requests.memory) ?? 512) + 32,
  };
}

/** Any other Kubernetes object carries labels; Helm releases and providers do not. */
export function kubernetesFallback(type: string): AdapterEntry | undefined {
  if (type.startsWith("kubernetes:helm.sh/")) return { taggable: false, adapt: () => [], billing: helmBilling };
  if (type.startsWith("pulumi:providers:") || type.startsWith("kubernetes:yaml/")) return { taggable: false, adapt: () => [] };
  return type.startsWith("kubernetes:") ? UNTAGGED : undefined;
}
