import { fact, type AdapterEntry, type AdapterInput, type AdapterTable, type FactCommon } from "./context";
import { gpuOfMachine } from "./gpu-shapes";
import type {
  AutoscalerFact,
  BudgetFact,
  ClusterFact,
  ContainerFact,
  ContainerWorkloadFact,
  EncryptionKeyFact,
  Fact,
  FirewallRuleFact,
  GatewayFact,
  GatewayPolicyFact,
  GatewayRouteFact,
  IamPolicyFact,
  LogGroupFact,
  NatGatewayFact,
  NodePoolFact,
  QueueFact,
  SecretFact,
  StoreFact,
  TopicFact,
} from "./types";
import { bool, durationSeconds, get, isRecord, memoryMiB, num, obj, records, str, strings, type Bag } from "./values";

/** `key=value:NoSchedule` (AKS node taints) into parts. */
export function parseTaint(t: string): { key: string; value?: string; effect: string } {
  const [kv, effect = ""] = t.split(":");
  const [key, value] = kv.split("=");
  return { key, ...(value !== undefined ? { value } : {}), effect };
}

function stringMap(v: unknown): Record<string, string> {
  return isRecord(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string")) : {};
}

// ---------------------------------------------------------------------------
// Container Apps

const PROBE_TYPES = { Liveness: "liveness", Readiness: "readiness", Startup: "startup" } as const;

function acaContainer(c: Bag, init: boolean): ContainerFact {
  const probes = { liveness: false, readiness: false, startup: false };
  for (const p of records(c, "probes")) {
    const type = str(p, "type") as keyof typeof PROBE_TYPES | undefined;
    if (type && type in PROBE_TYPES) probes[PROBE_TYPES[type]] = true;
  }
  const cpu = num(c, "resources", "cpu");
  const mem = memoryMiB(str(c, "resources", "memory"));
  const image = str(c, "image");
  return {
    name: str(c, "name") ?? "",
    ...(image !== undefined ? { image } : {}),
    init,
    capabilities: { drop: [], add: [] },
    env: records(c, "env").map((e) => ({ name: str(e, "name") ?? "", ...(str(e, "value") !== undefined ? { value: str(e, "value") } : {}), fromSecret: str(e, "secretRef") !== undefined })),
    cpu: cpu !== undefined ? { request: cpu, limit: cpu } : {},
    memoryMiB: mem !== undefined ? { request: mem, limit: mem } : {},
    probes,
    ports: [],
  };
}

/** An RFC 1918 address or range (10/8, 172.16/12, 192.168/16). */
function isPrivateRange(range: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}(?:\/(\d{1,2}))?$/.exec(range);
  if (!m) return false;
  const [a, b, bits] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 32 : Number(m[3])];
  return (a === 10 && bits >= 8) || (a === 172 && b >= 16 && b <= 31 && bits >= 12) || (a === 192 && b === 168 && bits >= 16);
}

function containerApp(kind: "ContainerApp" | "Job") {
  return ({ inputs, common }: AdapterInput): Fact[] => {
    const template = obj(inputs, "template");
    const containers = [...records(template, "initContainers").map((c) => acaContainer(c, true)), ...records(template, "containers").map((c) => acaContainer(c, false))];
    const main = containers.filter((c) => !c.init);
    const cpu = main.reduce((t, c) => t + (c.cpu.request ?? 0), 0);
    const mem = main.reduce((t, c) => t + (c.memoryMiB.request ?? 0), 0);
    const scale = obj(template, "scale");
    // Container Apps defaults: 0 to 10 replicas.
    const min = num(scale, "minReplicas") ?? 0;
    const max = num(scale, "maxReplicas") ?? 10;
    const ingress = obj(inputs, "configuration", "ingress");
    // External ingress limited by an allow-list of private ranges (the gateway's subnet) takes no traffic from the internet.
    const privateOnly = records(ingress, "ipSecurityRestrictions").length > 0 && records(ingress, "ipSecurityRestrictions").every((r) => str(r, "action") === "Allow" && isPrivateRange(str(r, "ipAddressRange") ?? ""));
    const external = isRecord(inputs.configuration) && isRecord(get(inputs, "configuration", "ingress")) ? bool(ingress, "external") === true && !privateOnly : false;
    const profile = str(inputs, "workloadProfileName");
    const env = str(inputs, "managedEnvironmentId") ?? str(inputs, "environmentId");
    const name = str(inputs, "containerAppName") ?? str(inputs, "name");
    return [
      fact<ContainerWorkloadFact>(common, {
        kind: "container-workload",
        platform: "container-apps",
        workloadKind: kind,
        ...(env ? { namespace: env } : {}),
        ...(name ? { workloadName: name } : {}),
        podLabels: {},
        containers,
        host: { network: false, pid: false, ipc: false },
        hostPaths: [],
        perReplica: { ...(main.length > 0 ? { cpu, memoryMiB: mem } : {}), gpus: 0 },
        replicas: { min, max, source: isRecord(template.scale) ? "autoscaler" : "fixed" },
        spot: false,
        tolerations: [],
        nodeSelector: profile ? { workloadProfile: profile } : {},
        requiredNodeLabels: {},
        identity: {},
        ingress: isRecord(get(inputs, "configuration", "ingress")) ? (external ? "public" : "internal") : "none",
      }),
      ...(isRecord(template.scale)
        ? [
            fact<AutoscalerFact>(common, {
              kind: "autoscaler",
              scaler: "container-apps",
              target: { kind, name: name ?? common.resource.name },
              min,
              max,
              triggers: records(scale, "rules").map((r) => str(r, "custom", "type") ?? (isRecord(r.azureQueue) ? "azure-queue" : isRecord(r.http) ? "http" : "custom")),
            }),
          ]
        : []),
      ...(isRecord(get(inputs, "configuration", "ingress")) && bool(ingress, "allowInsecure") === true
        ? [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: [{ kind: "ContainerApp", name: name ?? common.resource.name }], allowsHttp: true })]
        : []),
    ];
  };
}

/** Workload profiles are the environment's capacity: GPU profiles (`NC24-A100`, `Consumption-GPU-NC8as-T4`) are node pools. */
function managedEnvironment({ inputs, common }: AdapterInput): Fact[] {
  return records(inputs, "workloadProfiles")
    .filter((p) => str(p, "workloadProfileType") !== "Consumption")
    .map((p) => {
      const type = str(p, "workloadProfileType") ?? "";
      const gpu = /A100/i.test(type) ? "nvidia-a100-80gb" : /T4/i.test(type) ? "nvidia-t4" : undefined;
      const name = str(p, "name") ?? type;
      // Serverless (Consumption-GPU-*) profiles have no nodes of their own: each app's replicas carry a whole GPU, bounded by its maxReplicas.
      const serverless = /^Consumption-/i.test(type);
      return fact<NodePoolFact>(common, {
        kind: "node-pool",
        service: "aca-workload-profile",
        poolName: name,
        instanceTypes: [type],
        nodes: serverless ? { min: 0, max: 0 } : { min: num(p, "minimumCount"), max: num(p, "maximumCount") },
        spot: false,
        ...(gpu ? { gpu: { type: gpu, count: 1 } } : {}),
        // The platform schedules only apps that ask for the profile: as good as a taint.
        taints: gpu ? [{ key: "nvidia.com/gpu", effect: "NoSchedule" }] : [],
        labels: { workloadProfile: name },
        publicIp: false,
        ssh: "none",
        metadataProtected: true,
      });
    });
}

// ---------------------------------------------------------------------------
// AKS

function agentPool(common: FactCommon, p: Bag, name: string | undefined): NodePoolFact {
  const vm = str(p, "vmSize");
  const machine = gpuOfMachine(vm);
  const mig = str(p, "gpuInstanceProfile");
  const auto = bool(p, "enableAutoScaling") === true;
  const count = num(p, "count");
  const disk = num(p, "osDiskSizeGB");
  const version = str(p, "orchestratorVersion");
  return fact<NodePoolFact>(common, {
    kind: "node-pool",
    service: "aks-agentpool",
    ...(name ? { poolName: name } : {}),
    instanceTypes: vm ? [vm] : [],
    nodes: auto ? { min: num(p, "minCount"), max: num(p, "maxCount"), desired: count } : { min: count ?? 1, max: count ?? 1, desired: count ?? 1 },
    spot: str(p, "scaleSetPriority") === "Spot",
    ...(machine
      ? { gpu: { type: machine.type, ...(machine.count !== undefined ? { count: machine.count } : {}), ...(mig ? { sharing: "mig" as const, migProfile: mig.replace(/^MIG/, "").toLowerCase() } : {}) } }
      : {}),
    taints: strings(p, "nodeTaints").map(parseTaint),
    labels: stringMap(p.nodeLabels),
    publicIp: bool(p, "enableNodePublicIP") === true,
    ssh: bool(p, "enableNodePublicIP") === true ? "unknown" : "none",
    ...(disk !== undefined ? { diskGb: disk } : {}),
    ...(version ? { kubernetesVersion: version } : {}),
  });
}

function managedCluster({ inputs, common }: AdapterInput): Fact[] {
  const access = obj(inputs, "apiServerAccessProfile");
  const isPrivate = bool(access, "enablePrivateCluster") === true;
  const ranges = strings(access, "authorizedIPRanges");
  const pools = records(inputs, "agentPoolProfiles");
  const name = str(inputs, "resourceName");
  const version = str(inputs, "kubernetesVersion");
  const first = pools[0];
  return [
    fact<ClusterFact>(common, {
      kind: "cluster",
      service: "aks",
      ...(name ? { clusterName: name } : {}),
      ...(version ? { kubernetesVersion: version } : {}),
      endpoint: { public: !isPrivate, publicCidrs: isPrivate ? [] : ranges.length > 0 ? ranges : ["0.0.0.0/0"] },
      // AKS audit logs go through a diagnostic setting (kube-audit); linking sets this.
      auditLogs: false,
      secretsEncryption: bool(inputs, "securityProfile", "azureKeyVaultKms", "enabled") === true,
      ...(first ? { defaultPool: { ...(num(first, "count") !== undefined ? { nodes: num(first, "count") } : {}), ...(str(first, "vmSize") ? { instanceType: str(first, "vmSize") } : {}) } } : {}),
      monitoring: bool(inputs, "addonProfiles", "omsagent", "enabled") === true || bool(inputs, "azureMonitorProfile", "metrics", "enabled") === true,
      sku: (str(inputs, "sku", "tier") ?? "Free").toLowerCase(),
    }),
    ...pools.map((p) => agentPool(common, p, str(p, "name"))),
  ];
}

// ---------------------------------------------------------------------------
// Service Bus

function sbQueue({ inputs, common }: AdapterInput): Fact[] {
  const ttl = durationSeconds(str(inputs, "defaultMessageTimeToLive"));
  const name = str(inputs, "queueName");
  const forward = str(inputs, "forwardDeadLetteredMessagesTo");
  return [
    fact<QueueFact>(common, {
      kind: "queue",
      service: "servicebus",
      ...(name ? { queueName: name } : {}),
      // Service Bus encrypts at rest; the namespace decides whether with the customer's key.
      encryption: { atRest: "provider-key" },
      isDeadLetter: false,
      // Every Service Bus queue has a built-in $DeadLetterQueue sub-queue; maxDeliveryCount defaults to 10.
      deadLetter: { configured: true, target: forward ?? "$DeadLetterQueue", maxReceiveCount: num(inputs, "maxDeliveryCount") ?? 10 },
      ...(ttl !== undefined ? { retentionSeconds: ttl } : {}),
      ...(bool(inputs, "requiresSession") !== undefined ? { fifo: bool(inputs, "requiresSession") } : {}),
    }),
  ];
}

function sbTopic({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "topicName");
  return [fact<TopicFact>(common, { kind: "topic", service: "servicebus", ...(name ? { topicName: name } : {}), encryption: { atRest: "provider-key" } })];
}

// ---------------------------------------------------------------------------
// Key Vault, identity

function kvKey({ inputs, common }: AdapterInput): Fact[] {
  const actions = records(inputs, "properties", "rotationPolicy", "lifetimeActions");
  const rotate = actions.find((a) => (str(a, "action", "type") ?? "").toLowerCase() === "rotate");
  const after = durationSeconds(str(rotate, "trigger", "timeAfterCreate"));
  return [fact<EncryptionKeyFact>(common, { kind: "encryption-key", service: "keyvault", rotation: rotate !== undefined, ...(after !== undefined ? { rotationDays: after / 86400 } : {}) })];
}

function kvSecret({ common }: AdapterInput): Fact[] {
  // A Key Vault is the customer's own key store; Key Vault secrets have no built-in rotation.
  return [fact<SecretFact>(common, { kind: "secret", store: "keyvault", encryption: { atRest: "customer-key" }, rotationSupported: false })];
}

function roleDefinition({ inputs, common }: AdapterInput): Fact[] {
  const scopes = strings(inputs, "assignableScopes");
  return [
    fact<IamPolicyFact>(common, {
      kind: "iam-policy",
      scope: "identity",
      statements: records(inputs, "permissions").map((p) => ({
        effect: "Allow" as const,
        actions: [...strings(p, "actions"), ...strings(p, "dataActions")],
        notActions: false,
        resources: scopes,
        principals: [],
        conditionKeys: [],
      })),
      unreadable: false,
    }),
  ];
}

// ---------------------------------------------------------------------------
// API Management

function apimService({ inputs, common }: AdapterInput): Fact[] {
  const props = stringMap(inputs.customProperties);
  const on = (p: string) => props[`Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.${p}`]?.toLowerCase() === "true";
  const name = str(inputs, "serviceName");
  const vnet = str(inputs, "virtualNetworkType") ?? "None";
  return [
    fact<GatewayFact>(common, {
      kind: "gateway",
      service: "apim",
      ...(name ? { gatewayName: name } : {}),
      public: vnet !== "Internal" && str(inputs, "publicNetworkAccess") !== "Disabled",
      // Access logs are a diagnostic setting; linking sets this.
      accessLogs: false,
      waf: undefined,
      minTlsVersion: on("Tls10") ? "1.0" : on("Tls11") ? "1.1" : "1.2",
      httpListener: false,
    }),
  ];
}

function apimApi({ inputs, common }: AdapterInput): Fact[] {
  const protocols = strings(inputs, "protocols");
  const service = str(inputs, "serviceName");
  const name = str(inputs, "apiId");
  return [
    fact<GatewayRouteFact>(common, {
      kind: "gateway-route",
      service: "apim",
      path: `/${str(inputs, "path") ?? ""}`.replace(/^\/\//, "/"),
      ...(name ? { routeName: name } : {}),
      // APIM requires a subscription key unless switched off; a JWT policy is linked in.
      auth: bool(inputs, "subscriptionRequired") === false ? "none" : "api-key",
      explicitlyPublic: common.tags.public === "true",
      ...(service ? { gateway: service } : {}),
    }),
    ...(protocols.includes("http") ? [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: [{ kind: "Api", name: name ?? common.resource.name }], allowsHttp: true })] : []),
  ];
}

/** APIM policy XML: `validate-jwt` or `validate-azure-ad-token`, `rate-limit calls="N" renewal-period="S"`. */
function apimPolicy({ inputs, common }: AdapterInput): Fact[] {
  const xml = str(inputs, "value") ?? "";
  const jwt = /<validate-(jwt|azure-ad-token)\b/.test(xml);
  const rate = /<rate-limit(?:-by-key)?\b[^>]*\bcalls="(\d+)"[^>]*\brenewal-period="(\d+)"/.exec(xml) ?? /<rate-limit(?:-by-key)?\b[^>]*\brenewal-period="(\d+)"[^>]*\bcalls="(\d+)"/.exec(xml);
  const perMinute = rate ? (xml.indexOf("calls=") < xml.indexOf("renewal-period=") ? (Number(rate[1]) * 60) / Number(rate[2]) : (Number(rate[2]) * 60) / Number(rate[1])) : undefined;
  return [
    fact<GatewayPolicyFact>(common, {
      kind: "gateway-policy",
      targets: [{ kind: "Api", name: str(inputs, "apiId") ?? "" }],
      ...(jwt ? { auth: "jwt" as const } : {}),
      ...(perMinute !== undefined ? { rateLimitPerMinute: perMinute } : {}),
    }),
  ];
}

// ---------------------------------------------------------------------------
// State (Cosmos DB, Managed Redis and Postgres flexible servers: azure-storage.ts), logs, budget, network

function redis({ inputs, common }: AdapterInput): Fact[] {
  const sku = obj(inputs, "sku");
  const rdb = str(inputs, "redisConfiguration", "rdbBackupEnabled") === "true" || bool(inputs, "redisConfiguration", "rdbBackupEnabled") === true;
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "redis",
      instanceClass: `${str(sku, "name") ?? ""} ${str(sku, "family") ?? ""}${str(sku, "capacity") ?? ""}`.trim(),
      capacityMode: "provisioned",
      backups: { enabled: rdb },
      encryption: { atRest: "provider-key" },
      tlsRequired: bool(inputs, "enableNonSslPort") !== true,
      publiclyAccessible: str(inputs, "publicNetworkAccess") !== "Disabled",
    }),
  ];
}

function workspace({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "workspaceName");
  return [
    fact<LogGroupFact>(common, {
      kind: "log-group",
      service: "log-analytics",
      ...(name ? { logName: name } : {}),
      // Log Analytics keeps 30 days when no retention is given.
      retentionDays: num(inputs, "retentionInDays") ?? 30,
      encryption: { atRest: "provider-key" },
    }),
  ];
}

function budget({ inputs, common }: AdapterInput): Fact[] {
  const notifications = obj(inputs, "notifications");
  return [
    fact<BudgetFact>(common, {
      kind: "budget",
      service: "azure-consumption",
      ...(num(inputs, "amount") !== undefined ? { amountUsd: num(inputs, "amount") } : {}),
      period: str(inputs, "timeGrain") ?? "Monthly",
      alertPercents: Object.values(notifications)
        .filter(isRecord)
        .map((n) => num(n, "threshold"))
        .filter((n): n is number => n !== undefined),
    }),
  ];
}

function nsgRule(common: FactCommon, r: Bag, attachedTo: string | undefined): FirewallRuleFact {
  const props = isRecord(r.properties) ? r.properties : r;
  const ports = [...strings(props, "destinationPortRange"), ...strings(props, "destinationPortRanges")];
  const [from, to] = (ports[0] ?? "*") === "*" ? [0, 65535] : (ports[0] ?? "").split("-").map(Number);
  const sources = [...strings(props, "sourceAddressPrefix"), ...strings(props, "sourceAddressPrefixes")].map((s) => (s === "*" || s === "Internet" ? "0.0.0.0/0" : s));
  return fact<FirewallRuleFact>(common, {
    kind: "firewall-rule",
    direction: str(props, "direction") === "Outbound" ? "egress" : "ingress",
    action: str(props, "access") === "Deny" ? "deny" : "allow",
    protocol: (str(props, "protocol") ?? "*").toLowerCase(),
    ...(Number.isFinite(from) ? { fromPort: from } : {}),
    ...(Number.isFinite(to ?? from) ? { toPort: to ?? from } : {}),
    sources,
    ...(attachedTo ? { attachedTo } : {}),
  });
}

/** Time series a metric alert watches: its scopes, times the values each dimension filter names. */
function alertTimeSeries(inputs: Bag): number {
  const dims = records(inputs, "criteria", "allOf").flatMap((c) => records(c, "dimensions")).map((d) => Math.max(1, strings(d, "values").length));
  return Math.max(1, strings(inputs, "scopes").length) * dims.reduce((a, b) => a * b, 1);
}

const tagged = (adapt: AdapterEntry["adapt"]): AdapterEntry => ({ taggable: true, adapt });
const untagged = (adapt: AdapterEntry["adapt"]): AdapterEntry => ({ taggable: false, adapt });
const none = () => [];

/** Azure (azure-native) resources by Pulumi type token. */
export const azureAdapters: AdapterTable = {
  "azure-native:app:ContainerApp": tagged(containerApp("ContainerApp")),
  "azure-native:app:Job": tagged(containerApp("Job")),
  "azure-native:app:ManagedEnvironment": tagged(managedEnvironment),
  "azure-native:containerservice:ManagedCluster": tagged(managedCluster),
  "azure-native:containerservice:AgentPool": untagged(({ inputs, common }) => [agentPool(common, inputs, str(inputs, "agentPoolName"))]),
  "azure-native:servicebus:Namespace": { ...tagged(none), billing: ({ inputs }) => ({ sku: str(inputs, "sku", "name") ?? "Standard", capacity: num(inputs, "sku", "capacity") ?? 1 }) },
  "azure-native:servicebus:Queue": untagged(sbQueue),
  "azure-native:servicebus:Topic": untagged(sbTopic),
  "azure-native:servicebus:Subscription": untagged(none),
  "azure-native:servicebus:Rule": untagged(none),
  "azure-native:keyvault:Vault": tagged(none),
  "azure-native:keyvault:Key": tagged(kvKey),
  "azure-native:keyvault:Secret": tagged(kvSecret),
  "azure-native:authorization:RoleDefinition": untagged(roleDefinition),
  "azure-native:authorization:RoleAssignment": untagged(none),
  "azure-native:managedidentity:UserAssignedIdentity": tagged(none),
  "azure-native:managedidentity:FederatedIdentityCredential": untagged(none),
  "azure-native:apimanagement:ApiManagementService": tagged(apimService),
  "azure-native:apimanagement:Api": untagged(apimApi),
  "azure-native:apimanagement:ApiPolicy": untagged(apimPolicy),
  "azure-native:apimanagement:ApiOperation": untagged(none),
  "azure-native:apimanagement:Backend": untagged(none),
  "azure-native:cosmosdb:SqlResourceSqlDatabase": tagged(none),
  "azure-native:cosmosdb:SqlResourceSqlContainer": tagged(none),
  "azure-native:redis:Redis": tagged(redis),
  "azure-native:operationalinsights:Workspace": tagged(workspace),
  "azure-native:insights:Component": tagged(none),
  "azure-native:applicationinsights:Component": tagged(none),
  "azure-native:network:PrivateEndpoint": tagged(none),
  "azure-native:network:PrivateDnsZoneGroup": untagged(none),
  "azure-native:privatedns:PrivateZone": tagged(none),
  "azure-native:privatedns:VirtualNetworkLink": tagged(none),
  "azure-native:storage:BlobServiceProperties": untagged(none),
  "azure-native:storage:BlobContainer": untagged(none),
  "azure-native:monitor:DiagnosticSetting": untagged(none),
  // Metric alerts bill per monitored time series: one per scope, times the values of each dimension filter.
  "azure-native:monitor:MetricAlert": { ...tagged(none), billing: ({ inputs }) => ({ timeSeries: alertTimeSeries(inputs) }) },
  // Log search alerts bill per monitored time series (one per rule without dimension splits), by evaluation frequency.
  "azure-native:monitor:ScheduledQueryRule": { ...tagged(none), billing: ({ inputs }) => ({ frequencySeconds: durationSeconds(str(inputs, "evaluationFrequency")) ?? 300, timeSeries: Math.max(1, records(inputs, "criteria", "allOf").flatMap((c) => records(c, "dimensions")).length) }) },
  // Prometheus alert rules bill the samples their queries process, on the Azure Monitor workspace.
  "azure-native:alertsmanagement:PrometheusRuleGroup": { ...tagged(none), billing: ({ inputs }) => ({ rules: records(inputs, "rules").length, intervalSeconds: durationSeconds(str(inputs, "interval")) ?? 60 }) },
  "azure-native:applicationinsights:Workbook": tagged(none),
  "azure-native:monitor:ActionGroup": tagged(none),
  "azure-native:consumption:Budget": untagged(budget),
  "azure-native:network:NatGateway": tagged(({ common }) => [fact<NatGatewayFact>(common, { kind: "nat-gateway", public: true })]),
  "azure-native:network:NetworkSecurityGroup": tagged(({ inputs, common }) => records(inputs, "securityRules").map((r) => nsgRule(common, r, str(inputs, "networkSecurityGroupName") ?? common.resource.name))),
  "azure-native:network:SecurityRule": untagged(({ inputs, common }) => [nsgRule(common, inputs, str(inputs, "networkSecurityGroupName"))]),
  "azure-native:network:VirtualNetwork": tagged(none),
  "azure-native:network:Subnet": untagged(none),
  "azure-native:network:PublicIPAddress": tagged(none),
  "azure-native:resources:ResourceGroup": tagged(none),
  "azure-native:containerregistry:Registry": tagged(none),
};
