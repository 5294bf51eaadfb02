/**
 * Azure's state stores as the state store builds them: Cosmos DB accounts (with
 * their autoscale throughput and data-plane role assignments), Azure Managed Redis
 * (`redisenterprise`) clusters and databases, and PostgreSQL flexible servers
 * (with their server parameters and read replicas). `linkAzureState` folds
 * management locks, databases and parameters into the stores they belong to.
 */
import { fact, refOf, type AdapterInput, type AdapterTable } from "./context";
import type { Fact, FactOf, IamPolicyFact, RawResource, StoreFact } from "./types";
import { bool, get, num, records, str, strings } from "./values";

/** Cosmos DB's built-in data-plane roles (the same ids in every account) and their data actions. */
export const COSMOS_BUILTIN_ROLES: Readonly<Record<string, ReadonlyArray<string>>> = {
  "00000000-0000-0000-0000-000000000001": [
    "Microsoft.DocumentDB/databaseAccounts/readMetadata",
    "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/executeQuery",
    "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/readChangeFeed",
    "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/read",
  ],
  "00000000-0000-0000-0000-000000000002": [
    "Microsoft.DocumentDB/databaseAccounts/readMetadata",
    "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/*",
    "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/*",
  ],
};

const CONTINUOUS_DAYS: Readonly<Record<string, number>> = { Continuous7Days: 7, Continuous30Days: 30 };

function cosmosAccount({ inputs, common }: AdapterInput): Fact[] {
  const backup = str(inputs, "backupPolicy", "type") ?? "Periodic";
  const tier = str(inputs, "backupPolicy", "continuousModeProperties", "tier") ?? "Continuous30Days";
  const serverless = records(inputs, "capabilities").some((c) => str(c, "name") === "EnableServerless");
  const key = str(inputs, "keyVaultKeyUri");
  const regions = records(inputs, "locations").length;
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "cosmosdb",
      capacityMode: serverless ? "serverless" : "provisioned",
      // Regions the account is billed in (each bills its throughput and storage).
      nodes: Math.max(1, regions),
      // Periodic backups are on by default (two copies, 8 hours); Continuous adds point-in-time restore for 7 or 30 days.
      backups: backup === "Continuous" ? { enabled: true, pointInTime: true, retentionDays: CONTINUOUS_DAYS[tier] ?? 30 } : { enabled: true, pointInTime: false },
      encryption: key ? { atRest: "customer-key", keyId: key } : { atRest: "provider-key" },
      // Cosmos DB serves HTTPS only; `minimalTlsVersion` decides which TLS versions.
      tlsRequired: true,
      publiclyAccessible: str(inputs, "publicNetworkAccess") !== "Disabled",
      highAvailability: regions > 1 || bool(inputs, "enableAutomaticFailover") === true,
    }),
  ];
}

/** An account-level role assignment (`/` or the account id) reaches every container: the statement's resource is `*`. */
function cosmosRoleAssignment({ raw, inputs, common }: AdapterInput, all: ReadonlyArray<RawResource>): Fact[] {
  const scope = str(inputs, "scope");
  const definition = str(inputs, "roleDefinitionId");
  const definitionId = definition?.split("/").pop() ?? "";
  const custom = all.find((r) => r.type === "azure-native:cosmosdb:SqlResourceSqlRoleDefinition" && (str(r.inputs, "roleDefinitionId") === definitionId || definition?.endsWith(`/${str(r.inputs, "roleDefinitionId") ?? "-"}`)));
  const actions = COSMOS_BUILTIN_ROLES[definitionId] ?? (custom ? records(custom.inputs, "permissions").flatMap((p) => strings(p, "dataActions")) : undefined);
  const readable = scope !== undefined && actions !== undefined;
  const accountWide = scope === "/" || (scope !== undefined && !/\/dbs\/[^/]+/.test(scope));
  return [
    fact<IamPolicyFact>(common, {
      kind: "iam-policy",
      scope: "identity",
      attachedTo: { kind: "other", ref: str(inputs, "principalId") ?? raw.name },
      statements: readable ? [{ effect: "Allow", actions, notActions: false, resources: [accountWide ? "*" : scope], principals: [], conditionKeys: [] }] : [],
      unreadable: !readable,
    }),
  ];
}

function managedRedis({ inputs, common }: AdapterInput): Fact[] {
  const cmk = str(inputs, "encryption", "customerManagedKeyEncryption", "keyEncryptionKeyUrl");
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "redis",
      instanceClass: str(inputs, "sku", "name") ?? "",
      capacityMode: "provisioned",
      // Persistence is a database setting: linkAzureState reads it.
      backups: { enabled: false },
      encryption: cmk ? { atRest: "customer-key", keyId: cmk } : { atRest: "provider-key" },
      // TLS is a database setting (clientProtocol, Encrypted by default): linkAzureState reads it.
      tlsRequired: true,
      publiclyAccessible: str(inputs, "publicNetworkAccess") !== "Disabled",
      highAvailability: str(inputs, "highAvailability") !== "Disabled",
    }),
  ];
}

function flexibleServer({ inputs, common }: AdapterInput): Fact[] {
  const replica = str(inputs, "createMode") === "Replica";
  const days = num(inputs, "backup", "backupRetentionDays") ?? 7;
  const size = num(inputs, "storage", "storageSizeGB");
  const cls = str(inputs, "sku", "name");
  const cmk = str(inputs, "dataEncryption", "type") === "AzureKeyVault";
  const vnet = str(inputs, "network", "delegatedSubnetResourceId") !== undefined;
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "postgres",
      engine: "postgres",
      ...(cls ? { instanceClass: cls } : {}),
      ...(size !== undefined ? { sizeGb: size } : {}),
      capacityMode: "provisioned",
      // A read replica keeps no backups of its own: it is a live copy of a primary that has them (and gets its own once promoted).
      backups: replica ? { enabled: true, pointInTime: false } : { enabled: days > 0, retentionDays: days, pointInTime: days > 0, geoRedundant: str(inputs, "backup", "geoRedundantBackup") === "Enabled" },
      encryption: cmk ? { atRest: "customer-key" } : { atRest: "provider-key" },
      // require_secure_transport is on unless a server parameter turns it off (linkAzureState).
      tlsRequired: true,
      highAvailability: (str(inputs, "highAvailability", "mode") ?? "Disabled") !== "Disabled",
      publiclyAccessible: !vnet && str(inputs, "network", "publicNetworkAccess") !== "Disabled",
    }),
  ];
}

const none = () => [];

/** Azure state types; the Cosmos role assignment adapter reads custom role definitions from the whole graph, so it is built per graph in linkAzureState. */
export const azureStorageAdapters: AdapterTable = {
  "azure-native:cosmosdb:DatabaseAccount": { taggable: true, adapt: cosmosAccount },
  "azure-native:cosmosdb:SqlResourceSqlRoleAssignment": { taggable: false, adapt: (input) => cosmosRoleAssignment(input, []) },
  "azure-native:cosmosdb:SqlResourceSqlRoleDefinition": { taggable: false, adapt: none },
  "azure-native:redisenterprise:RedisEnterprise": { taggable: true, adapt: managedRedis },
  "azure-native:redisenterprise:Database": { taggable: false, adapt: none },
  "azure-native:redisenterprise:AccessPolicyAssignment": { taggable: false, adapt: none },
  "azure-native:dbforpostgresql:Server": { taggable: true, adapt: flexibleServer },
  "azure-native:dbforpostgresql:Configuration": { taggable: false, adapt: none },
  "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra": { taggable: false, adapt: none },
  "azure-native:dbforpostgresql:Database": { taggable: false, adapt: none },
  "azure-native:authorization:ManagementLockByScope": { taggable: false, adapt: none },
  "azure-native:authorization:ManagementLockAtResourceLevel": { taggable: false, adapt: none },
  "azure-native:authorization:ManagementLockAtResourceGroupLevel": { taggable: false, adapt: none },
};

const LOCKS = new Set(["azure-native:authorization:ManagementLockByScope", "azure-native:authorization:ManagementLockAtResourceLevel", "azure-native:authorization:ManagementLockAtResourceGroupLevel"]);
const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The ARM path of a store's resource: the account or server itself, or (Cosmos) one of its SQL databases. */
function storePath(store: RawResource): RegExp | undefined {
  if (store.type === "azure-native:cosmosdb:DatabaseAccount") {
    const name = str(store.inputs, "accountName");
    return name ? new RegExp(`/providers/Microsoft\\.DocumentDB/databaseAccounts/${escape(name)}(/sqlDatabases/[^/]+)?$`, "i") : undefined;
  }
  if (store.type === "azure-native:dbforpostgresql:Server") {
    const name = str(store.inputs, "serverName");
    return name ? new RegExp(`/providers/Microsoft\\.DBforPostgreSQL/flexibleServers/${escape(name)}$`, "i") : undefined;
  }
  return undefined;
}

/** Whether a management lock forbids deleting the store: on it, on its data (a Cosmos SQL database), or on its resource group. */
function lockProtects(lock: RawResource, store: RawResource): boolean {
  const level = str(lock.inputs, "level");
  if (level !== "CanNotDelete" && level !== "ReadOnly") return false;
  const group = str(store.inputs, "resourceGroupName");
  if (lock.type === "azure-native:authorization:ManagementLockAtResourceGroupLevel") return group !== undefined && str(lock.inputs, "resourceGroupName") === group;
  if (lock.type === "azure-native:authorization:ManagementLockAtResourceLevel") {
    const name = str(lock.inputs, "resourceName");
    return str(lock.inputs, "resourceGroupName") === group && (name === str(store.inputs, "accountName") || name === str(store.inputs, "serverName"));
  }
  const scope = str(lock.inputs, "scope");
  // A scope not known yet (a preview of new resources): the lock the state store names after the store, beside it.
  if (scope === undefined) return lock.name === `${store.name}-lock` && lock.parent === store.parent;
  const path = storePath(store);
  return (path?.test(scope) ?? false) || (group !== undefined && new RegExp(`/resourceGroups/${escape(group)}$`, "i").test(scope));
}

/**
 * Folds what other resources say into Azure stores: a management lock is deletion
 * protection; a Managed Redis database's `clientProtocol` (Plaintext) and RDB or AOF
 * persistence are its cluster's TLS and backups; a Postgres `require_secure_transport`
 * parameter set to off lets plain connections in; the autoscale (or manual)
 * throughput of an account's databases and containers is the account's capacity.
 * Cosmos role assignments are read again with the graph's custom role definitions.
 */
export function linkAzureState(facts: ReadonlyArray<Fact>, raw: ReadonlyArray<RawResource>): Fact[] {
  const byUrn = new Map(raw.map((r) => [refOf(r).urn, r]));
  const locks = raw.filter((r) => LOCKS.has(r.type));
  const redisDatabases = raw.filter((r) => r.type === "azure-native:redisenterprise:Database");
  const pgParameters = raw.filter((r) => r.type === "azure-native:dbforpostgresql:Configuration");
  const throughput = raw.filter((r) => r.type === "azure-native:cosmosdb:SqlResourceSqlDatabase" || r.type === "azure-native:cosmosdb:SqlResourceSqlContainer");
  return facts.map((f) => {
    const source = byUrn.get(f.resource.urn);
    if (!source || f.cloud !== "azure") return f;
    if (f.kind === "iam-policy" && source.type === "azure-native:cosmosdb:SqlResourceSqlRoleAssignment") {
      const [again] = cosmosRoleAssignment({ raw: source, inputs: source.inputs, common: f }, raw);
      return again ?? f;
    }
    if (f.kind !== "store") return f;
    const protectedByLock = locks.some((l) => lockProtects(l, source));
    if (source.type === "azure-native:redisenterprise:RedisEnterprise") {
      const cluster = str(source.inputs, "clusterName");
      const dbs = redisDatabases.filter((d) => str(d.inputs, "clusterName") === cluster);
      const persisted = dbs.some((d) => bool(d.inputs, "persistence", "rdbEnabled") === true || bool(d.inputs, "persistence", "aofEnabled") === true);
      const plaintext = dbs.some((d) => str(d.inputs, "clientProtocol") === "Plaintext");
      return withLock({ ...f, backups: { ...f.backups, enabled: persisted }, tlsRequired: !plaintext }, protectedByLock);
    }
    if (source.type === "azure-native:dbforpostgresql:Server") {
      const server = str(source.inputs, "serverName");
      const off = pgParameters.some((c) => str(c.inputs, "serverName") === server && str(c.inputs, "configurationName") === "require_secure_transport" && /^(off|false|0)$/i.test(str(c.inputs, "value") ?? ""));
      return withLock(off ? { ...f, tlsRequired: false } : f, protectedByLock);
    }
    if (source.type === "azure-native:cosmosdb:DatabaseAccount") {
      const account = str(source.inputs, "accountName");
      const units = throughput
        .filter((t) => str(t.inputs, "accountName") === account)
        .map((t) => num(t.inputs, "options", "autoscaleSettings", "maxThroughput") ?? num(t.inputs, "options", "throughput") ?? 0)
        .reduce((a, b) => a + b, 0);
      const autoscale = throughput.some((t) => str(t.inputs, "accountName") === account && get(t.inputs, "options", "autoscaleSettings") !== undefined);
      return withLock(units > 0 ? { ...f, capacity: { units, autoscale } } : f, protectedByLock);
    }
    return withLock(f, protectedByLock);
  });
}

function withLock(f: FactOf<"store">, locked: boolean): FactOf<"store"> {
  return locked ? { ...f, deletionProtection: true } : f;
}

