import { fact, type AdapterEntry, type AdapterInput, type AdapterTable } from "./context";
import { gpuOfMachine, normalizeAccelerator } from "./gpu-shapes";
import type {
  BudgetFact,
  ClusterFact,
  ContainerFact,
  ContainerWorkloadFact,
  EncryptionFact,
  EncryptionKeyFact,
  Fact,
  FirewallRuleFact,
  GatewayPolicyFact,
  IamPolicyFact,
  LoadBalancerFact,
  LogGroupFact,
  NatGatewayFact,
  NetworkExposureFact,
  NodePoolFact,
  QueueFact,
  SecretFact,
  StoreFact,
  TopicFact,
} from "./types";
import { bool, cpuCores, durationSeconds, get, isRecord, jsonish, memoryMiB, num, obj, records, str, strings, type Bag } from "./values";

const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];
const cmek = (key: string | undefined): EncryptionFact => (key ? { atRest: "customer-key", keyId: key } : { atRest: "provider-key" });

// ---------------------------------------------------------------------------
// Cloud Run

/** A Cloud Run container: v2 names a secret env source `valueSource`, v1 (Knative) `valueFrom`. */
export function runContainer(c: Bag, secretSource: "valueSource" | "valueFrom" = "valueSource"): ContainerFact {
  const limits = obj(c, "resources", "limits");
  const cpu = cpuCores(limits.cpu);
  const mem = memoryMiB(limits.memory);
  const gpus = num(limits, "nvidia.com/gpu");
  const image = str(c, "image");
  return {
    name: str(c, "name") ?? "",
    ...(image !== undefined ? { image } : {}),
    init: false,
    capabilities: { drop: [], add: [] },
    env: records(c, "envs").map((e) => ({ name: str(e, "name") ?? "", ...(str(e, "value") !== undefined ? { value: str(e, "value") } : {}), fromSecret: isRecord(get(e, secretSource, "secretKeyRef")) })),
    cpu: cpu !== undefined ? { limit: cpu, request: cpu } : {},
    memoryMiB: mem !== undefined ? { limit: mem, request: mem } : {},
    ...(gpus !== undefined && gpus > 0 ? { gpu: { count: gpus, resourceName: "nvidia.com/gpu" } } : {}),
    // Cloud Run sends traffic only after the startup probe passes, and adds a TCP startup probe when none is given.
    probes: { liveness: isRecord(c.livenessProbe), readiness: true, startup: true },
    ports: records(c, "ports").map((p) => num(p, "containerPort")).filter((p): p is number => p !== undefined),
  };
}

function cloudRun(kind: "Service" | "Job") {
  return ({ inputs, common }: AdapterInput): Fact[] => {
    const template = kind === "Job" ? obj(inputs, "template", "template") : obj(inputs, "template");
    const containers = records(template, "containers").map((c) => runContainer(c));
    const accel = normalizeAccelerator(str(template, "nodeSelector", "accelerator"));
    const gpus = containers.reduce((t, c) => t + (c.gpu?.count ?? 0), 0);
    const sum = (pick: (c: ContainerFact) => number | undefined) => containers.reduce((t, c) => t + (pick(c) ?? 0), 0);
    const scaling = kind === "Job" ? {} : obj(template, "scaling");
    // Cloud Run defaults: min 0, max 100 instances.
    const min = kind === "Job" ? (num(inputs, "template", "parallelism") ?? 1) : (num(scaling, "minInstanceCount") ?? 0);
    const max = kind === "Job" ? min : (num(scaling, "maxInstanceCount") ?? 100);
    const ingress = str(inputs, "ingress") ?? "INGRESS_TRAFFIC_ALL";
    const sa = str(template, "serviceAccount");
    const name = str(inputs, "name");
    return [
      fact<ContainerWorkloadFact>(common, {
        kind: "container-workload",
        platform: "cloud-run",
        workloadKind: kind,
        ...(name ? { workloadName: name } : {}),
        podLabels: {},
        containers: containers.map((c) => (c.gpu && accel ? { ...c, gpu: { ...c.gpu, type: accel } } : c)),
        host: { network: false, pid: false, ipc: false },
        hostPaths: [],
        perReplica: { cpu: sum((c) => c.cpu.limit), memoryMiB: sum((c) => c.memoryMiB.limit), gpus, ...(accel ? { gpuType: accel } : {}) },
        replicas: { min, max, source: kind === "Job" ? "fixed" : "autoscaler" },
        spot: false,
        tolerations: [],
        nodeSelector: {},
        requiredNodeLabels: {},
        identity: sa ? { serviceAccount: sa } : {},
        ingress: kind === "Job" ? "none" : ingress === "INGRESS_TRAFFIC_ALL" ? "public" : "internal",
      }),
    ];
  };
}

function invokerBinding({ inputs, common }: AdapterInput): Fact[] {
  const members = [...strings(inputs, "member"), ...strings(inputs, "members")];
  if (!members.some((m) => PUBLIC_MEMBERS.includes(m)) || !/invoker/.test(str(inputs, "role") ?? "")) return [];
  return [
    fact<NetworkExposureFact>(common, {
      kind: "network-exposure",
      via: "invoker-binding",
      public: true,
      ports: [443],
      sourceRanges: ["0.0.0.0/0"],
      ...(str(inputs, "name") ? { target: str(inputs, "name") } : {}),
      gateway: false,
    }),
  ];
}

// ---------------------------------------------------------------------------
// GKE

function gkeCluster({ inputs, common }: AdapterInput): Fact[] {
  const priv = obj(inputs, "privateClusterConfig");
  const privateEndpoint = bool(priv, "enablePrivateEndpoint") === true;
  const authorized = records(inputs, "masterAuthorizedNetworksConfig", "cidrBlocks").map((b) => str(b, "cidrBlock")).filter((c): c is string => c !== undefined);
  const hasAuthorized = isRecord(inputs.masterAuthorizedNetworksConfig);
  const enc = obj(inputs, "databaseEncryption");
  const autopilot = bool(inputs, "enableAutopilot") === true;
  const version = str(inputs, "minMasterVersion");
  const name = str(inputs, "name");
  const removeDefault = bool(inputs, "removeDefaultNodePool") === true;
  const initial = num(inputs, "initialNodeCount");
  const machine = str(inputs, "nodeConfig", "machineType");
  return [
    fact<ClusterFact>(common, {
      kind: "cluster",
      service: "gke",
      ...(name ? { clusterName: name } : {}),
      ...(version ? { kubernetesVersion: version } : {}),
      endpoint: { public: !privateEndpoint, publicCidrs: privateEndpoint ? [] : hasAuthorized ? authorized : ["0.0.0.0/0"] },
      // GKE writes Kubernetes admin-activity audit logs to Cloud Audit Logs; they cannot be switched off.
      auditLogs: true,
      secretsEncryption: str(enc, "state") === "ENCRYPTED" && str(enc, "keyName") !== undefined,
      ...(removeDefault || autopilot ? {} : { defaultPool: { nodes: initial ?? 1, instanceType: machine ?? "e2-medium" } }),
      sku: autopilot ? "autopilot" : "standard",
    }),
  ];
}

const GKE_EFFECTS: Readonly<Record<string, string>> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };

function gkeNodePool({ inputs, common }: AdapterInput): Fact[] {
  const cfg = obj(inputs, "nodeConfig");
  const machineType = str(cfg, "machineType") ?? "e2-medium";
  const accel = records(cfg, "guestAccelerators")[0];
  const machine = gpuOfMachine(machineType);
  const sharing = obj(accel, "gpuSharingConfig");
  const partition = str(accel, "gpuPartitionSize");
  const gpuType = normalizeAccelerator(str(accel, "type")) ?? machine?.type;
  const count = num(accel, "count") ?? machine?.count;
  const auto = obj(inputs, "autoscaling");
  const fixed = num(inputs, "nodeCount") ?? num(inputs, "initialNodeCount");
  const taints = records(cfg, "taints").map((t) => ({ key: str(t, "key") ?? "", ...(str(t, "value") !== undefined ? { value: str(t, "value") } : {}), effect: GKE_EFFECTS[str(t, "effect") ?? ""] ?? str(t, "effect") ?? "" }));
  // GKE taints GPU nodes nvidia.com/gpu=present:NoSchedule itself.
  const gpuTaint = gpuType && !taints.some((t) => t.key === "nvidia.com/gpu") ? [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }] : [];
  const mode = str(cfg, "workloadMetadataConfig", "mode");
  const name = str(inputs, "name");
  const version = str(inputs, "version");
  const disk = num(cfg, "diskSizeGb");
  const privateNodes = bool(inputs, "networkConfig", "enablePrivateNodes");
  return [
    fact<NodePoolFact>(common, {
      kind: "node-pool",
      service: "gke-nodepool",
      ...(name ? { poolName: name } : {}),
      instanceTypes: [machineType],
      nodes: isRecord(inputs.autoscaling)
        ? { min: num(auto, "minNodeCount") ?? num(auto, "totalMinNodeCount"), max: num(auto, "maxNodeCount") ?? num(auto, "totalMaxNodeCount"), ...(fixed !== undefined ? { desired: fixed } : {}) }
        : { min: fixed ?? 1, max: fixed ?? 1, desired: fixed ?? 1 },
      spot: bool(cfg, "spot") === true || bool(cfg, "preemptible") === true,
      ...(gpuType
        ? {
            gpu: {
              type: gpuType,
              ...(count !== undefined ? { count } : {}),
              ...(partition ? { sharing: "mig" as const, migProfile: partition } : isRecord(accel?.gpuSharingConfig) ? { sharing: "time-slicing" as const, slicesPerGpu: num(sharing, "maxSharedClientsPerGpu") } : { sharing: "none" as const }),
            },
          }
        : {}),
      taints: [...taints, ...gpuTaint],
      labels: Object.fromEntries(Object.entries(obj(cfg, "labels")).filter((e): e is [string, string] => typeof e[1] === "string")),
      ...(privateNodes !== undefined ? { publicIp: !privateNodes } : {}),
      ssh: "none",
      ...(mode ? { metadataProtected: mode === "GKE_METADATA" } : {}),
      ...(disk !== undefined ? { diskGb: disk } : {}),
      ...(version ? { kubernetesVersion: version } : {}),
    }),
  ];
}

// ---------------------------------------------------------------------------
// Pub/Sub

function topic({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "name");
  return [fact<TopicFact>(common, { kind: "topic", service: "pubsub", ...(name ? { topicName: name } : {}), encryption: cmek(str(inputs, "kmsKeyName")) })];
}

function subscription({ inputs, common }: AdapterInput): Fact[] {
  const dl = obj(inputs, "deadLetterPolicy");
  const target = str(dl, "deadLetterTopic");
  const retention = durationSeconds(str(inputs, "messageRetentionDuration"));
  const name = str(inputs, "name");
  const source = str(inputs, "topic");
  return [
    fact<QueueFact>(common, {
      kind: "queue",
      service: "pubsub",
      ...(name ? { queueName: name } : {}),
      // Subscriptions store messages under the topic's key; Google encrypts by default.
      encryption: { atRest: "provider-key" },
      isDeadLetter: false,
      ...(source ? { topic: source } : {}),
      deadLetter: { configured: target !== undefined, ...(target ? { target } : {}), maxReceiveCount: num(dl, "maxDeliveryAttempts") ?? 5 },
      ...(retention !== undefined ? { retentionSeconds: retention } : {}),
      ...(bool(inputs, "enableMessageOrdering") !== undefined ? { fifo: bool(inputs, "enableMessageOrdering") } : {}),
    }),
  ];
}

/**
 * What a role on one resource allows, for least privilege: a basic role (owner,
 * editor) everything, a service's admin role everything of that service
 * (`roles/pubsub.admin` as `pubsub:*`), any other role itself.
 */
function roleActions(role: string): string[] {
  if (BASIC_ROLES.includes(role)) return ["*"];
  const admin = /^roles\/([a-z0-9]+)\.admin$/i.exec(role);
  return admin ? [`${admin[1]}:*`] : [role];
}

type Binding = { readonly role: string; readonly members: ReadonlyArray<string>; readonly conditioned: boolean };

/**
 * One resource's grants as two facts: the resource's policy (MA-SEC-009 reads its
 * principals, public members as `*`) and, for each granted identity, what it may
 * do on that resource (MA-SEC-013 reads the actions).
 */
function bindingFacts(common: AdapterInput["common"], kind: "topic" | "subscription" | "service-account" | "other", ref: string, bindings: ReadonlyArray<Binding>): Fact[] {
  const resourcePolicy = fact<IamPolicyFact>(common, {
    kind: "iam-policy",
    scope: "resource",
    attachedTo: { kind, ref },
    statements: bindings.map((b) => ({ effect: "Allow" as const, actions: [b.role], notActions: false, resources: [ref], principals: b.members.map((m) => (PUBLIC_MEMBERS.includes(m) ? "*" : m)), conditionKeys: b.conditioned ? ["condition"] : [] })),
    unreadable: false,
  });
  const identities = [...new Set(bindings.flatMap((b) => b.members))].filter((m) => !PUBLIC_MEMBERS.includes(m));
  return [
    resourcePolicy,
    ...identities.map((m) =>
      fact<IamPolicyFact>(common, {
        kind: "iam-policy",
        scope: "identity",
        attachedTo: { kind: "service-account", ref: m },
        statements: bindings.filter((b) => b.members.includes(m)).map((b) => ({ effect: "Allow" as const, actions: roleActions(b.role), notActions: false, resources: [ref], principals: [m], conditionKeys: b.conditioned ? ["condition"] : [] })),
        unreadable: false,
      }),
    ),
  ];
}

function memberBinding(kind: "topic" | "subscription" | "service-account" | "other", refKey: string): AdapterEntry {
  return {
    taggable: false,
    adapt: ({ inputs, common }) => {
      const members = [...strings(inputs, "member"), ...strings(inputs, "members")];
      return bindingFacts(common, kind, str(inputs, refKey) ?? "", [{ role: str(inputs, "role") ?? "", members, conditioned: isRecord(inputs.condition) }]);
    },
  };
}

/** A whole IAM policy on one resource (`policyData`, the JSON of `getIAMPolicy`): every binding; unreadable when it is not JSON yet. */
function policyBinding(kind: "topic" | "subscription", refKey: string): AdapterEntry {
  return {
    taggable: false,
    adapt: ({ inputs, common }) => {
      const ref = str(inputs, refKey) ?? "";
      const policy = jsonish(inputs.policyData);
      if (!isRecord(policy)) return [fact<IamPolicyFact>(common, { kind: "iam-policy", scope: "resource", attachedTo: { kind, ref }, statements: [], unreadable: true })];
      const bindings = (Array.isArray(policy.bindings) ? policy.bindings : []).filter(isRecord).map((b) => ({
        role: typeof b.role === "string" ? b.role : "",
        members: Array.isArray(b.members) ? b.members.filter((m): m is string => typeof m === "string") : [],
        conditioned: isRecord(b.condition),
      }));
      return bindingFacts(common, kind, ref, bindings);
    },
  };
}

/** Basic roles grant (almost) everything in the project. */
const BASIC_ROLES = ["roles/owner", "roles/editor"];

function projectMember({ inputs, common }: AdapterInput): Fact[] {
  const role = str(inputs, "role") ?? "";
  const members = [...strings(inputs, "member"), ...strings(inputs, "members")];
  return [
    fact<IamPolicyFact>(common, {
      kind: "iam-policy",
      scope: "identity",
      attachedTo: { kind: "service-account", ref: members.join(",") },
      statements: [{ effect: "Allow", actions: BASIC_ROLES.includes(role) ? ["*"] : [role], notActions: false, resources: [str(inputs, "project") ?? "*"], principals: members, conditionKeys: [] }],
      unreadable: false,
    }),
  ];
}

// ---------------------------------------------------------------------------
// State, logs, secrets, budget, network

/** Firestore's multi-region locations (cloud.google.com/firestore/docs/locations). */
const FIRESTORE_MULTI_REGION = /^(nam\d+|eur\d+)$/;

function firestore({ inputs, common }: AdapterInput): Fact[] {
  const pitr = str(inputs, "pointInTimeRecoveryEnablement") === "POINT_IN_TIME_RECOVERY_ENABLED";
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "firestore",
      capacityMode: "on-demand",
      backups: { enabled: pitr, pointInTime: pitr },
      deletionProtection: str(inputs, "deleteProtectionState") === "DELETE_PROTECTION_ENABLED",
      encryption: cmek(str(inputs, "cmekConfig", "kmsKeyName")),
      // A multi-region location (nam5, nam7, eur3) keeps the data in several regions; a regional one in one.
      highAvailability: FIRESTORE_MULTI_REGION.test(str(inputs, "locationId") ?? ""),
    }),
  ];
}

function cloudSql({ inputs, common }: AdapterInput): Fact[] {
  const s = obj(inputs, "settings");
  const backup = obj(s, "backupConfiguration");
  const ip = obj(s, "ipConfiguration");
  const tier = str(s, "tier");
  const size = num(s, "diskSize");
  const engine = str(inputs, "databaseVersion");
  const source = str(inputs, "masterInstanceName");
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "cloudsql",
      ...(source ? { replicaOf: source } : {}),
      ...(engine ? { engine } : {}),
      ...(tier ? { instanceClass: tier } : {}),
      ...(size !== undefined ? { sizeGb: size } : {}),
      capacityMode: "provisioned",
      backups: { enabled: bool(backup, "enabled") === true, pointInTime: bool(backup, "pointInTimeRecoveryEnabled") === true, ...(num(backup, "backupRetentionSettings", "retainedBackups") !== undefined ? { retentionDays: num(backup, "backupRetentionSettings", "retainedBackups") } : {}) },
      // The Pulumi provider's `deletionProtection` defaults to true; the API-level flag also counts.
      deletionProtection: bool(s, "deletionProtectionEnabled") === true || (bool(inputs, "deletionProtection") ?? true),
      encryption: cmek(str(inputs, "encryptionKeyName")),
      tlsRequired: str(ip, "sslMode") === "ENCRYPTED_ONLY" || str(ip, "sslMode") === "TRUSTED_CLIENT_CERTIFICATE_REQUIRED" || bool(ip, "requireSsl") === true,
      highAvailability: str(s, "availabilityType") === "REGIONAL",
      publiclyAccessible: bool(ip, "ipv4Enabled") !== false && records(ip, "authorizedNetworks").some((n) => str(n, "value") === "0.0.0.0/0"),
    }),
  ];
}

function memorystore({ inputs, common }: AdapterInput): Fact[] {
  const rdb = str(inputs, "persistenceConfig", "persistenceMode") === "RDB";
  const size = num(inputs, "memorySizeGb");
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "memorystore",
      engine: "redis",
      instanceClass: str(inputs, "tier") ?? "BASIC",
      ...(size !== undefined ? { sizeGb: size } : {}),
      capacityMode: "provisioned",
      backups: { enabled: rdb },
      encryption: cmek(str(inputs, "customerManagedKey")),
      tlsRequired: str(inputs, "transitEncryptionMode") === "SERVER_AUTHENTICATION",
      highAvailability: str(inputs, "tier") === "STANDARD_HA",
    }),
  ];
}

/** Memorystore for Valkey (and Redis Cluster-style instances): `gcp:memorystore/instance:Instance`. */
function memorystoreValkey({ inputs, common }: AdapterInput): Fact[] {
  const backups = isRecord(inputs.automatedBackupConfig);
  const retention = durationSeconds(str(inputs, "automatedBackupConfig", "retention"));
  const rdb = str(inputs, "persistenceConfig", "mode") === "RDB" || str(inputs, "persistenceConfig", "mode") === "AOF";
  const node = str(inputs, "nodeType");
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "memorystore",
      engine: "valkey",
      ...(node ? { instanceClass: node } : {}),
      capacityMode: "provisioned",
      nodes: (num(inputs, "shardCount") ?? 1) * (1 + (num(inputs, "replicaCount") ?? 0)),
      backups: { enabled: backups || rdb, ...(retention !== undefined ? { retentionDays: retention / 86400 } : {}) },
      deletionProtection: bool(inputs, "deletionProtectionEnabled") !== false,
      encryption: cmek(str(inputs, "kmsKey")),
      tlsRequired: str(inputs, "transitEncryptionMode") === "SERVER_AUTHENTICATION",
      highAvailability: (num(inputs, "replicaCount") ?? 0) > 0 && str(inputs, "zoneDistributionConfig", "mode") !== "SINGLE_ZONE",
      publiclyAccessible: false,
    }),
  ];
}

function logBucket({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "bucketId");
  return [
    fact<LogGroupFact>(common, {
      kind: "log-group",
      service: "cloud-logging",
      ...(name ? { logName: name } : {}),
      // Cloud Logging buckets keep 30 days when no retention is given.
      retentionDays: num(inputs, "retentionDays") ?? 30,
      encryption: cmek(str(inputs, "cmekSettings", "kmsKeyName")),
    }),
  ];
}

function secret({ inputs, common }: AdapterInput): Fact[] {
  const auto = str(inputs, "replication", "auto", "customerManagedEncryption", "kmsKeyName");
  const replicas = records(inputs, "replication", "userManaged", "replicas");
  const userKeys = replicas.map((r) => str(r, "customerManagedEncryption", "kmsKeyName"));
  const key = auto ?? (replicas.length > 0 && userKeys.every((k) => k !== undefined) ? userKeys[0] : undefined);
  return [
    fact<SecretFact>(common, {
      kind: "secret",
      store: "secret-manager",
      encryption: cmek(key),
      rotation: str(inputs, "rotation", "rotationPeriod") !== undefined,
      rotationSupported: true,
    }),
  ];
}

function cryptoKey({ inputs, common }: AdapterInput): Fact[] {
  const period = durationSeconds(str(inputs, "rotationPeriod"));
  return [fact<EncryptionKeyFact>(common, { kind: "encryption-key", service: "cloud-kms", rotation: period !== undefined, ...(period !== undefined ? { rotationDays: period / 86400 } : {}) })];
}

function budget({ inputs, common }: AdapterInput): Fact[] {
  const units = num(inputs, "amount", "specifiedAmount", "units");
  // Money: whole units plus nano units (a fleet's part of its budget may have cents).
  const nanos = num(inputs, "amount", "specifiedAmount", "nanos") ?? 0;
  const currency = str(inputs, "amount", "specifiedAmount", "currencyCode") ?? "USD";
  return [
    fact<BudgetFact>(common, {
      kind: "budget",
      service: "gcp-billing",
      ...(units !== undefined && currency === "USD" ? { amountUsd: units + nanos / 1e9 } : {}),
      period: str(inputs, "budgetFilter", "calendarPeriod") ?? "MONTH",
      alertPercents: records(inputs, "thresholdRules").map((r) => num(r, "thresholdPercent")).filter((n): n is number => n !== undefined).map((p) => Math.round(p * 100)),
    }),
  ];
}

function firewall({ inputs, common }: AdapterInput): Fact[] {
  const direction = str(inputs, "direction") === "EGRESS" ? "egress" : "ingress";
  const sources = direction === "ingress" ? strings(inputs, "sourceRanges") : strings(inputs, "destinationRanges");
  const network = str(inputs, "network");
  const rules = (list: ReadonlyArray<Bag>, action: "allow" | "deny") =>
    list.flatMap((a) => {
      const ports = strings(a, "ports");
      return (ports.length > 0 ? ports : ["0-65535"]).map((p) => {
        const [from, to] = p.split("-").map(Number);
        return fact<FirewallRuleFact>(common, { kind: "firewall-rule", direction, action, protocol: str(a, "protocol") ?? "all", fromPort: from, toPort: to ?? from, sources, ...(network ? { attachedTo: network } : {}) });
      });
    });
  return [...rules(records(inputs, "allows"), "allow"), ...rules(records(inputs, "denies"), "deny")];
}

/** A backend service's load-balancer fact; the scheme's default differs between global (EXTERNAL) and regional (INTERNAL_MANAGED) ones. */
export function backendServiceOf(defaultScheme: string): (input: AdapterInput) => Fact[] {
  return ({ inputs, common }) => backendServiceFacts(inputs, common, str(inputs, "loadBalancingScheme") ?? defaultScheme);
}

function backendServiceFacts(inputs: AdapterInput["inputs"], common: AdapterInput["common"], scheme: string): Fact[] {
  return [
    fact<LoadBalancerFact>(common, {
      kind: "load-balancer",
      role: "balancer",
      public: scheme.startsWith("EXTERNAL"),
      listeners: [],
      accessLogs: bool(inputs, "logConfig", "enable") === true,
      waf: str(inputs, "securityPolicy") !== undefined,
    }),
  ];
}

const GCP_TLS: Readonly<Record<string, string>> = { TLS_1_0: "1.0", TLS_1_1: "1.1", TLS_1_2: "1.2", TLS_1_3: "1.3" };

export function sslPolicy({ inputs, common }: AdapterInput): Fact[] {
  // GCP SSL policies default to TLS 1.0.
  return [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: [{ kind: "SslPolicy", name: str(inputs, "name") ?? common.resource.name }], minTlsVersion: GCP_TLS[str(inputs, "minTlsVersion") ?? "TLS_1_0"] ?? "1.0" })];
}

function common0(): never[] {
  return [];
}

/** An alerting policy's conditions, for Cloud Monitoring's per-condition charge. */
function alertPolicyBilling({ inputs }: AdapterInput): Readonly<Record<string, number>> {
  return { conditions: records(inputs, "conditions").length };
}

/** A log-based metric's value type (a DISTRIBUTION point is billed as 80 bytes, any other as 8) and its labels. */
function logMetricBilling({ inputs }: AdapterInput): Readonly<Record<string, string | number>> {
  return { valueType: str(inputs, "metricDescriptor", "valueType") ?? "INT64", labels: records(inputs, "metricDescriptor", "labels").length };
}

/** A Firestore backup schedule: how long each backup is kept, and how often one is taken (daily, or weekly). */
function backupScheduleBilling({ inputs }: AdapterInput): Readonly<Record<string, string | number>> {
  const retention = durationSeconds(get(inputs, "retention"));
  return { ...(retention !== undefined ? { retentionDays: retention / 86400 } : {}), recurrence: isRecord(inputs.weeklyRecurrence) ? "weekly" : "daily" };
}

const tagged = (adapt: AdapterEntry["adapt"]): AdapterEntry => ({ taggable: true, adapt });
const untagged = (adapt: AdapterEntry["adapt"]): AdapterEntry => ({ taggable: false, adapt });

/** Google Cloud resources by Pulumi type token (taggable = takes `labels`). */
export const gcpAdapters: AdapterTable = {
  "gcp:cloudrunv2/service:Service": tagged(cloudRun("Service")),
  "gcp:cloudrunv2/job:Job": tagged(cloudRun("Job")),
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": untagged(invokerBinding),
  "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding": untagged(invokerBinding),
  "gcp:container/cluster:Cluster": tagged(gkeCluster),
  "gcp:container/nodePool:NodePool": untagged(gkeNodePool),
  "gcp:pubsub/topic:Topic": tagged(topic),
  "gcp:pubsub/subscription:Subscription": tagged(subscription),
  "gcp:pubsub/topicIAMMember:TopicIAMMember": memberBinding("topic", "topic"),
  "gcp:pubsub/topicIAMBinding:TopicIAMBinding": memberBinding("topic", "topic"),
  "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": memberBinding("subscription", "subscription"),
  "gcp:pubsub/subscriptionIAMBinding:SubscriptionIAMBinding": memberBinding("subscription", "subscription"),
  "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy": policyBinding("topic", "topic"),
  "gcp:pubsub/subscriptionIAMPolicy:SubscriptionIAMPolicy": policyBinding("subscription", "subscription"),
  "gcp:secretmanager/secretIamMember:SecretIamMember": memberBinding("other", "secretId"),
  "gcp:serviceaccount/iAMMember:IAMMember": memberBinding("service-account", "serviceAccountId"),
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": memberBinding("other", "cryptoKeyId"),
  "gcp:projects/iAMMember:IAMMember": untagged(projectMember),
  "gcp:projects/iAMBinding:IAMBinding": untagged(projectMember),
  "gcp:serviceaccount/account:Account": untagged(common0),
  "gcp:firestore/database:Database": untagged(firestore),
  "gcp:firestore/backupSchedule:BackupSchedule": { taggable: false, adapt: common0, billing: backupScheduleBilling },
  "gcp:sql/databaseInstance:DatabaseInstance": untagged(cloudSql),
  "gcp:redis/instance:Instance": tagged(memorystore),
  "gcp:memorystore/instance:Instance": tagged(memorystoreValkey),
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": untagged(logBucket),
  "gcp:billing/budget:Budget": untagged(budget),
  "gcp:secretmanager/secret:Secret": tagged(secret),
  "gcp:secretmanager/secretVersion:SecretVersion": untagged(common0),
  "gcp:kms/cryptoKey:CryptoKey": tagged(cryptoKey),
  "gcp:kms/keyRing:KeyRing": untagged(common0),
  "gcp:compute/routerNat:RouterNat": untagged(({ common }) => [fact<NatGatewayFact>(common, { kind: "nat-gateway", public: true })]),
  "gcp:compute/router:Router": untagged(common0),
  "gcp:compute/firewall:Firewall": untagged(firewall),
  "gcp:compute/network:Network": untagged(common0),
  "gcp:compute/subnetwork:Subnetwork": untagged(common0),
  "gcp:compute/securityPolicy:SecurityPolicy": untagged(common0),
  "gcp:compute/backendService:BackendService": untagged(backendServiceOf("EXTERNAL")),
  "gcp:compute/sSLPolicy:SSLPolicy": untagged(sslPolicy),
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": tagged(common0),
  "gcp:monitoring/alertPolicy:AlertPolicy": { taggable: true, adapt: common0, billing: alertPolicyBilling },
  "gcp:logging/metric:Metric": { taggable: false, adapt: common0, billing: logMetricBilling },
};

