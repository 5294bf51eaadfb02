/**
 * Azure resources company stacks hold beyond the agents' own: storage accounts, Key
 * Vault network and purge settings, Service Bus namespace settings and SAS rules, AKS
 * authentication, and Container Instances (judged like Container Apps). Types that
 * azure.ts already reads keep their facts; these add to them.
 */
import { azureAdapters } from "./azure";
import { fact, type AdapterEntry, type AdapterInput, type AdapterTable } from "./context";
import type { AccessKeyFact, ClusterAuthFact, ContainerFact, ContainerWorkloadFact, Fact, KeyVaultFact, MessagingNamespaceFact, ObjectStoreFact } from "./types";
import { bool, isRecord, num, obj, records, str, strings } from "./values";

/** An existing adapter with more facts from the same resource. */
function extend(type: string, more: AdapterEntry["adapt"]): AdapterEntry {
  const base = azureAdapters[type] ?? { taggable: true, adapt: () => [] };
  return { ...base, adapt: (input) => [...base.adapt(input), ...more(input)] };
}

// `TLS1_2` (Storage) or `1.2` (Service Bus) as `1.2`.
const tls = (v: string | undefined): string | undefined => (v ? v.replace(/^TLS/i, "").replace("_", ".") : undefined);

function storageAccount({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "accountName");
  const keySource = str(inputs, "encryption", "keySource");
  const key = str(inputs, "encryption", "keyVaultProperties", "keyName");
  const minTls = tls(str(inputs, "minimumTlsVersion"));
  return [
    fact<ObjectStoreFact>(common, {
      kind: "object-store",
      service: "azure-storage",
      ...(name ? { bucketName: name } : {}),
      // New accounts disallow anonymous blob access unless allowBlobPublicAccess is true.
      publicAccessBlocked: bool(inputs, "allowBlobPublicAccess") !== true,
      publicGrants: bool(inputs, "allowBlobPublicAccess") === true ? ["allowBlobPublicAccess: true"] : [],
      httpsOnly: bool(inputs, "enableHttpsTrafficOnly") !== false,
      ...(minTls ? { minTlsVersion: minTls } : {}),
      // Azure Storage always encrypts at rest; Microsoft.Keyvault makes the key the customer's.
      encryption: keySource === "Microsoft.Keyvault" ? { atRest: "customer-key", ...(key ? { keyId: key } : {}) } : { atRest: "provider-key" },
    }),
  ];
}

function keyVault({ inputs, common }: AdapterInput): Fact[] {
  const props = obj(inputs, "properties");
  const name = str(inputs, "vaultName");
  return [
    fact<KeyVaultFact>(common, {
      kind: "key-vault",
      ...(name ? { vaultName: name } : {}),
      purgeProtection: bool(props, "enablePurgeProtection") === true,
      networkRestricted: str(props, "networkAcls", "defaultAction") === "Deny" || str(props, "publicNetworkAccess") === "Disabled",
    }),
  ];
}

function serviceBusNamespace({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "namespaceName");
  const minTls = tls(str(inputs, "minimumTlsVersion"));
  return [
    fact<MessagingNamespaceFact>(common, {
      kind: "messaging-namespace",
      service: "servicebus",
      ...(name ? { namespaceName: name } : {}),
      publicNetworkAccess: (str(inputs, "publicNetworkAccess") ?? "Enabled") === "Enabled",
      ...(minTls ? { minTlsVersion: minTls } : {}),
      localAuth: bool(inputs, "disableLocalAuth") !== true,
    }),
  ];
}

function sasRule(scopeKey: "namespaceName" | "queueName" | "topicName") {
  return ({ inputs, common }: AdapterInput): Fact[] => [
    fact<AccessKeyFact>(common, { kind: "access-key", service: "servicebus", rights: strings(inputs, "rights"), scope: str(inputs, scopeKey) ?? str(inputs, "namespaceName") ?? "" }),
  ];
}

function aksAuth({ inputs, common }: AdapterInput): Fact[] {
  return [
    fact<ClusterAuthFact>(common, {
      kind: "cluster-auth",
      service: "aks",
      localAccounts: bool(inputs, "disableLocalAccounts") !== true,
      rbac: bool(inputs, "enableRBAC") !== false,
      entraId: isRecord(inputs.aadProfile),
    }),
  ];
}

/** A Container Instances container: `secureValue` env values are secrets; CPU and memory are requests. */
function aciContainer(c: Record<string, unknown>): ContainerFact {
  const req = obj(c, "resources", "requests");
  const lim = obj(c, "resources", "limits");
  const cpu = num(req, "cpu");
  const mem = num(req, "memoryInGB");
  const gpu = num(req, "gpu", "count");
  const image = str(c, "image");
  return {
    name: str(c, "name") ?? "",
    ...(image !== undefined ? { image } : {}),
    init: false,
    capabilities: { drop: [], add: [] },
    env: records(c, "environmentVariables").map((e) => ({ name: str(e, "name") ?? "", ...(str(e, "value") !== undefined ? { value: str(e, "value") } : {}), fromSecret: str(e, "secureValue") !== undefined })),
    cpu: cpu !== undefined ? { request: cpu, ...(num(lim, "cpu") !== undefined ? { limit: num(lim, "cpu") } : {}) } : {},
    memoryMiB: mem !== undefined ? { request: mem * 1024, ...(num(lim, "memoryInGB") !== undefined ? { limit: (num(lim, "memoryInGB") ?? 0) * 1024 } : {}) } : {},
    ...(gpu !== undefined && gpu > 0 ? { gpu: { count: gpu, resourceName: "GPU", ...(str(req, "gpu", "sku") ? { type: str(req, "gpu", "sku") } : {}) } } : {}),
    probes: { liveness: isRecord(c.livenessProbe), readiness: isRecord(c.readinessProbe), startup: false },
    ports: records(c, "ports").map((p) => num(p, "port")).filter((p): p is number => p !== undefined),
  };
}

function containerGroup({ inputs, common }: AdapterInput): Fact[] {
  const containers = [...records(inputs, "initContainers").map((c) => ({ ...aciContainer(c), init: true })), ...records(inputs, "containers").map(aciContainer)];
  const running = containers.filter((c) => !c.init);
  const sum = (pick: (c: ContainerFact) => number | undefined) => running.reduce((t, c) => t + (pick(c) ?? 0), 0);
  const ip = obj(inputs, "ipAddress");
  const isPublic = str(ip, "type") === "Public";
  const name = str(inputs, "containerGroupName");
  const gpus = sum((c) => c.gpu?.count);
  return [
    fact<ContainerWorkloadFact>(common, {
      kind: "container-workload",
      platform: "container-instances",
      workloadKind: "ContainerGroup",
      ...(name ? { workloadName: name } : {}),
      podLabels: {},
      containers,
      host: { network: false, pid: false, ipc: false },
      hostPaths: [],
      perReplica: { cpu: sum((c) => c.cpu.request), memoryMiB: sum((c) => c.memoryMiB.request), gpus },
      replicas: { min: 1, max: 1, source: "fixed" },
      spot: str(inputs, "priority") === "Spot",
      tolerations: [],
      nodeSelector: {},
      requiredNodeLabels: {},
      identity: {},
      ingress: isPublic ? "public" : records(inputs, "subnetIds").length > 0 ? "internal" : "none",
    }),
  ];
}

export const azureSecurityAdapters: AdapterTable = {
  "azure-native:storage:StorageAccount": { taggable: true, adapt: storageAccount },
  "azure-native:keyvault:Vault": extend("azure-native:keyvault:Vault", keyVault),
  "azure-native:servicebus:Namespace": extend("azure-native:servicebus:Namespace", serviceBusNamespace),
  "azure-native:servicebus:NamespaceAuthorizationRule": { taggable: false, adapt: sasRule("namespaceName") },
  "azure-native:servicebus:QueueAuthorizationRule": { taggable: false, adapt: sasRule("queueName") },
  "azure-native:servicebus:TopicAuthorizationRule": { taggable: false, adapt: sasRule("topicName") },
  "azure-native:containerservice:ManagedCluster": extend("azure-native:containerservice:ManagedCluster", aksAuth),
  "azure-native:containerinstance:ContainerGroup": { taggable: true, adapt: containerGroup },
};
