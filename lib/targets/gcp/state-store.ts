import * as firestore from "@pulumi/gcp/firestore";
import * as memorystore from "@pulumi/gcp/memorystore";
import * as networkconnectivity from "@pulumi/gcp/networkconnectivity";
import * as projects from "@pulumi/gcp/projects";
import * as sql from "@pulumi/gcp/sql";
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../../plan/types";
import { invalidProp } from "../../spec/errors";
import type { StateStoreOutputs, StateStoreScope } from "../target";
import { keyGrant } from "./kms";
import { childOpts, gcpLandings, gcpServices, type GcpLanding } from "./landing";
import { gcpName, GCP_NAME_LIMITS } from "./names";
import { SERVICE_AGENTS, serviceAgent } from "./project";
import { backupDatabasePromoted, gcpStateHandles, gcpStateReplication, multiRegionKey, pairLocation, replicaArgs } from "./replication";

/** Roles an agent gets on the state, each conditioned on the one resource (these services grant at project level only). */
export const STATE_ROLES = { firestore: "roles/datastore.user", cache: "roles/memorystore.dbConnectionUser", sqlClient: "roles/cloudsql.client", sqlUser: "roles/cloudsql.instanceUser" } as const;

/** Cloud SQL shape: shared-core-free custom machines; Enterprise Plus where the tier pools connections (managed connection pooling needs it). */
export function sqlShape(plan: Pick<FleetPlan, "tier" | "fleet">, pooling: boolean): { tier: string; edition: "ENTERPRISE" | "ENTERPRISE_PLUS"; availabilityType: "REGIONAL" | "ZONAL"; retainedBackups: number } {
  const prod = plan.fleet.environment === "prod";
  const ha = prod && plan.tier.name !== "small";
  if (pooling) return { tier: prod ? "db-perf-optimized-N-4" : "db-perf-optimized-N-2", edition: "ENTERPRISE_PLUS", availabilityType: ha ? "REGIONAL" : "ZONAL", retainedBackups: prod ? 30 : 7 };
  return { tier: prod ? "db-custom-2-7680" : "db-custom-1-3840", edition: "ENTERPRISE", availabilityType: ha ? "REGIONAL" : "ZONAL", retainedBackups: prod ? 30 : 7 };
}

/**
 * The seed's shared state on Google Cloud: Firestore (native mode) with a `tasks`
 * collection indexed on status and priority and `tasks`/`context` TTLs on
 * `expiresAt`, point-in-time recovery, daily backups, delete protection and the
 * fleet key; Memorystore for Valkey (IAM auth, TLS, RDB snapshots and daily
 * backups, reached over Private Service Connect); Cloud SQL for PostgreSQL on a
 * private IP only (IAM database auth, TLS only, backups with point-in-time
 * recovery, deletion protection, regional HA in medium and enterprise prod,
 * managed connection pooling where the tier pools). Each agent gets IAM on these
 * resources alone (conditions on the resource name) and a Cloud SQL IAM user.
 * Every store is encrypted with a fleet key its service agent may use alone.
 * In a primary-backup pair (gcp/replication.ts) the primary's Firestore database
 * is in the multi-region that holds both regions, with a key there; the backup's
 * agents use that database, its Postgres is a cross-region read replica, and its
 * cache is its own (cold after a failover).
 */
export function gcpStateStore(scope: StateStoreScope): StateStoreOutputs {
  const landing = gcpLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const labels = { ...plan.tags };

  const replication = gcpStateReplication(scope);
  // A backup uses the primary's (multi-region) database; everyone else builds one.
  const db = replication.role === "backup" ? replication.primary.database : firestoreDatabase(scope, landing, replication.role === "primary", opts);
  const dbProject = replication.role === "backup" ? replication.primary.landing.project : landing.project;

  const cache = valkey(name, landing, plan, labels, opts);
  const primaryPostgres = replication.role === "backup" ? replication.primary.postgres : undefined;
  if (primaryPostgres && replication.role === "backup" && replication.primary.landing.project !== landing.project) {
    const index = scope.platform.fleet.targets.indexOf(scope.platform.target);
    invalidProp(`spec.targets[${index}].project`, `the backup's Cloud SQL replica must be in the primary's project '${replication.primary.landing.project}', not '${landing.project}'`, "deploy the primary and backup GCP targets into one project");
  }
  // The replica lives in its primary's VPC network, where the one private services access connection is; the backup's agents reach it there.
  if (primaryPostgres && replication.role === "backup" && replication.primary.landing.network.network !== landing.network.network) {
    invalidProp("networkOf", `the backup platform '${scope.platform.resourceName}' has a VPC network of its own, but its Cloud SQL replica must share its primary's network (private services access allows one connection per network, and peerings do not transit)`, "build the backup's AgentPlatform with `networkOf: <the primary's platform>` (AgentFleet does)");
  }
  const database = scope.settings.database ? postgres(name, landing, plan, scope.settings.connectionPooling, labels, opts, replicaArgs(primaryPostgres, backupDatabasePromoted())) : undefined;
  gcpStateHandles.set(scope, { landing, database: db, ...(database ? { postgres: database } : {}) });

  for (const service of scope.services) {
    const handle = gcpServices.get(service);
    const agent = handle.agent.name;
    const grant = (suffix: string, role: string, title: string, expression: pulumi.Input<string>, project = landing.project) =>
      new projects.IAMMember(`${name}-${agent}-${suffix}`, { project, role, member: handle.member, condition: { title, description: `microagents: ${agent} on this resource only`, expression } }, opts);
    grant("firestore", STATE_ROLES.firestore, "fleet-firestore-only", pulumi.interpolate`resource.name == "projects/${dbProject}/databases/${db.name}"`, dbProject);
    grant("cache", STATE_ROLES.cache, "fleet-cache-only", pulumi.interpolate`resource.name == "${cache.name}"`);
    if (database) {
      const instance = pulumi.interpolate`projects/${landing.project}/instances/${database.name}`;
      grant("sql-client", STATE_ROLES.sqlClient, "fleet-database-only", pulumi.interpolate`resource.name == "${instance}" && resource.type == "sqladmin.googleapis.com/Instance"`);
      grant("sql-user", STATE_ROLES.sqlUser, "fleet-database-login-only", pulumi.interpolate`resource.name == "${instance}" && resource.type == "sqladmin.googleapis.com/Instance"`);
      // Users of a replica are created on its primary (they replicate, and stay when the replica is promoted).
      new sql.User(`${name}-${agent}`, { instance: (primaryPostgres ?? database).name, type: "CLOUD_IAM_SERVICE_ACCOUNT", name: handle.serviceAccount.email.apply((e) => e.replace(/\.gserviceaccount\.com$/, "")) }, opts);
    }
  }
  return {
    taskTable: pulumi.interpolate`${db.name}/tasks`,
    contextStore: pulumi.interpolate`${db.name}/context`,
    resultsCacheEndpoint: cache.discoveryEndpoints.apply((e) => (e[0] ? `${e[0].address}:${e[0].port ?? 6379}` : "")),
  };
}

/**
 * The fleet's Firestore database: native mode, point-in-time recovery, delete
 * protection, daily backups, the tasks index and TTLs, CMEK. In the target's
 * region, or, for a primary with backups, in the multi-region that holds both
 * (nam5, eur3) with a key in the matching Cloud KMS multi-region.
 */
function firestoreDatabase(scope: StateStoreScope, landing: GcpLanding, paired: boolean, opts: pulumi.CustomResourceOptions): firestore.Database {
  const name = scope.resourceName;
  const prod = scope.platform.plan.fleet.environment === "prod";
  const multi = paired ? pairLocation(scope, landing) : undefined;
  const key = multi ? multiRegionKey(name, landing, multi.kmsLocation, prod, opts) : landing.key;
  const firestoreAgent = new projects.ServiceIdentity(`${name}-firestore-agent`, { project: landing.project, service: "firestore.googleapis.com" }, opts);
  const firestoreKey = keyGrant(`${name}-key-firestore`, key, firestoreAgent.member, opts);
  const db = new firestore.Database(
    `${name}-firestore`,
    {
      name: gcpName([landing.prefix, "state"], 63),
      locationId: multi ? multi.location : landing.region,
      type: "FIRESTORE_NATIVE",
      concurrencyMode: "OPTIMISTIC",
      pointInTimeRecoveryEnablement: "POINT_IN_TIME_RECOVERY_ENABLED",
      deleteProtectionState: "DELETE_PROTECTION_ENABLED",
      deletionPolicy: "ABANDON",
      cmekConfig: { kmsKeyName: key.id },
    },
    { ...opts, dependsOn: [firestoreKey] },
  );
  new firestore.BackupSchedule(`${name}-firestore-daily`, { database: db.name, retention: `${(prod ? 14 : 7) * 86400}s`, dailyRecurrence: {} }, opts);
  new firestore.Index(
    `${name}-tasks-status-priority`,
    { database: db.name, collection: "tasks", queryScope: "COLLECTION", fields: [{ fieldPath: "status", order: "ASCENDING" }, { fieldPath: "priority", order: "DESCENDING" }, { fieldPath: "__name__", order: "DESCENDING" }] },
    opts,
  );
  for (const collection of ["tasks", "context"]) new firestore.Field(`${name}-${collection}-ttl`, { database: db.name, collection, field: "expiresAt", ttlConfig: {}, indexConfig: {} }, opts);
  return db;
}

/**
 * Regions without an `-a` zone (cloud.google.com/compute/docs/regions-zones: us-east1
 * has us-east1-b, -c and -d; europe-west1 has europe-west1-b, -c and -d), with the
 * zone a single-zone instance takes there instead.
 */
export const REGIONS_WITHOUT_ZONE_A: Readonly<Record<string, string>> = { "us-east1": "us-east1-b", "europe-west1": "europe-west1-b" };

/**
 * Where the results cache's nodes are: across zones in prod, else in one zone of the
 * region, `<region>-a` where it exists. The zone is named (in magic-modules'
 * memorystore/Instance.yaml `zone` is immutable and not default_from_api, so a zone
 * the API picked could read back as a change), and it must exist: Memorystore
 * refuses a zone the region lacks.
 */
export function cacheZoneDistribution(region: string, prod: boolean): { mode: "MULTI_ZONE" } | { mode: "SINGLE_ZONE"; zone: string } {
  if (prod) return { mode: "MULTI_ZONE" };
  return { mode: "SINGLE_ZONE", zone: REGIONS_WITHOUT_ZONE_A[region] ?? `${region}-a` };
}

function valkey(name: string, landing: GcpLanding, plan: FleetPlan, labels: Record<string, string>, opts: pulumi.CustomResourceOptions): memorystore.Instance {
  const prod = plan.fleet.environment === "prod";
  const policy = new networkconnectivity.ServiceConnectionPolicy(
    `${name}-cache-psc`,
    { name: gcpName([landing.prefix, landing.region, "memorystore"], GCP_NAME_LIMITS.compute), location: landing.region, serviceClass: "gcp-memorystore", network: landing.network.network.id, pscConfig: { subnetworks: [landing.network.subnet.id] }, labels },
    opts,
  );
  const cacheKey = keyGrant(`${name}-key-memorystore`, landing.key, serviceAgent(landing.projectNumber, SERVICE_AGENTS.memorystore), opts);
  return new memorystore.Instance(
    `${name}-cache`,
    {
      instanceId: gcpName([landing.prefix, "cache"], GCP_NAME_LIMITS.memorystore),
      location: landing.region,
      engineVersion: "VALKEY_8_0",
      mode: "CLUSTER_DISABLED",
      shardCount: 1,
      replicaCount: prod ? 1 : 0,
      nodeType: prod && plan.tier.name !== "small" ? "HIGHMEM_MEDIUM" : "SHARED_CORE_NANO",
      authorizationMode: "IAM_AUTH",
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      desiredPscAutoConnections: [{ network: landing.network.network.id, projectId: landing.project }],
      persistenceConfig: { mode: "RDB", rdbConfig: { rdbSnapshotPeriod: "ONE_HOUR" } },
      automatedBackupConfig: { fixedFrequencySchedule: { startTime: { hours: 3 } }, retention: `${(prod ? 14 : 7) * 86400}s` },
      zoneDistributionConfig: cacheZoneDistribution(landing.region, prod),
      deletionProtectionEnabled: true,
      // CMEK of the persisted data (RDB snapshots, backups); Valkey does not encrypt memory.
      kmsKey: landing.key.id,
      labels,
    },
    { ...opts, dependsOn: [policy, cacheKey] },
  );
}

/**
 * Cloud SQL for PostgreSQL, or, in a backup region, a cross-region read replica
 * of the primary's (the same tier and edition so it can take the load when
 * promoted, zonal, no backups until promoted, this region's key and network).
 */
function postgres(name: string, landing: GcpLanding, plan: FleetPlan, pooling: boolean, labels: Record<string, string>, opts: pulumi.CustomResourceOptions, role: ReturnType<typeof replicaArgs>): sql.DatabaseInstance {
  const shape = sqlShape(plan, pooling);
  const backups = { enabled: true, pointInTimeRecoveryEnabled: true, startTime: "03:00", transactionLogRetentionDays: 7, backupRetentionSettings: { retainedBackups: shape.retainedBackups, retentionUnit: "COUNT" } };
  const sqlKey = keyGrant(`${name}-key-cloud-sql`, landing.key, new projects.ServiceIdentity(`${name}-cloud-sql-agent`, { project: landing.project, service: "sqladmin.googleapis.com" }, opts).member, opts);
  return new sql.DatabaseInstance(
    `${name}-postgres`,
    {
      name: gcpName([landing.prefix, "state"], GCP_NAME_LIMITS.sql),
      region: landing.region,
      databaseVersion: "POSTGRES_16",
      ...role.args,
      encryptionKeyName: landing.key.id,
      deletionProtection: true,
      settings: {
        tier: shape.tier,
        edition: shape.edition,
        availabilityType: role.replica ? "ZONAL" : shape.availabilityType,
        diskType: "PD_SSD",
        diskSize: 20,
        diskAutoresize: true,
        deletionProtectionEnabled: true,
        ...(role.replica ? {} : { backupConfiguration: backups }),
        ipConfiguration: { ipv4Enabled: false, privateNetwork: landing.network.network.id, sslMode: "ENCRYPTED_ONLY", enablePrivatePathForGoogleCloudServices: false },
        databaseFlags: [
          { name: "cloudsql.iam_authentication", value: "on" },
          { name: "log_connections", value: "on" },
          { name: "log_disconnections", value: "on" },
        ],
        ...(pooling ? { connectionPoolConfigs: [{ connectionPoolingEnabled: true }] } : {}),
        insightsConfig: { queryInsightsEnabled: true },
        maintenanceWindow: { day: 7, hour: 3, updateTrack: "stable" },
        userLabels: labels,
      },
    },
    { ...opts, dependsOn: [sqlKey, ...landing.network.privateServices] },
  );
}
