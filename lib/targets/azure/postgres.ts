import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import * as pulumi from "@pulumi/pulumi";
import { MicroAgentsConfigError } from "../../spec/errors";
import type { AzureLanding } from "./landing";
import { POSTGRES_DATABASE, POSTGRES_VERSION, type StateShape } from "./state-shape";

/** Server parameters this target sets: TLS 1.2 or newer only, connections logged, and PgBouncer where the tier pools. */
export function postgresParameters(pooled: boolean): ReadonlyArray<readonly [string, string]> {
  return [
    ["require_secure_transport", "on"],
    ["ssl_min_protocol_version", "TLSv1.2"],
    ["log_connections", "on"],
    ["log_disconnections", "on"],
    ...(pooled ? ([["pgbouncer.enabled", "true"], ["pgbouncer.pool_mode", "transaction"]] as const) : []),
  ];
}

/** Entra principal types a flexible server's administrator can be. */
export const POSTGRES_ADMIN_TYPES: ReadonlyArray<string> = ["user", "group", "servicePrincipal"];

/** The Entra principal that administers the server: `microagents:postgresAdmin*` config, else the deploying principal. */
export function postgresAdmin(landing: Pick<AzureLanding, "deployerObjectId" | "prefix">) {
  const config = new pulumi.Config("microagents");
  const type = config.get("postgresAdminType") ?? "servicePrincipal";
  if (!POSTGRES_ADMIN_TYPES.includes(type)) {
    throw new MicroAgentsConfigError([{ path: "config microagents:postgresAdminType", message: `'${type}' is not an Entra principal type`, hint: `use one of ${POSTGRES_ADMIN_TYPES.join(", ")} (pulumi config set microagents:postgresAdminType user)` }]);
  }
  return {
    objectId: config.get("postgresAdminObjectId") ?? landing.deployerObjectId,
    principalName: config.get("postgresAdminName") ?? `${landing.prefix}-deployer`,
    principalType: type,
  };
}

/** Whether a person promoted the backup region's replica (docs/failover.md): `microagents:backupDatabasePromoted`. */
export function replicaPromoted(): boolean {
  return new pulumi.Config("microagents").getBoolean("backupDatabasePromoted") ?? false;
}

interface PostgresParams {
  readonly serverName: string;
  readonly landing: Pick<AzureLanding, "resourceGroupName" | "location" | "tenantId" | "tags" | "deployerObjectId" | "prefix">;
  readonly shape: StateShape["postgres"];
}

/**
 * The primary server's settings: PostgreSQL 17, Entra authentication only
 * (password auth off), reachable through a private endpoint only (public network
 * access off), geo-redundant backups kept 7 or 35 days, storage that grows by
 * itself, zone-redundant HA in medium and enterprise prod, Sunday 03:00 maintenance.
 */
export function postgresServerArgs(p: PostgresParams): dbforpostgresql.ServerArgs {
  return {
    resourceGroupName: p.landing.resourceGroupName,
    location: p.landing.location,
    serverName: p.serverName,
    createMode: "Create",
    version: POSTGRES_VERSION,
    sku: { name: p.shape.skuName, tier: p.shape.skuTier },
    storage: { storageSizeGB: p.shape.storageGb, autoGrow: "Enabled", type: "Premium_LRS" },
    backup: { backupRetentionDays: p.shape.backupRetentionDays, geoRedundantBackup: "Enabled" },
    highAvailability: { mode: p.shape.zoneRedundant ? "ZoneRedundant" : "Disabled" },
    authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId: p.landing.tenantId },
    network: { publicNetworkAccess: "Disabled" },
    maintenanceWindow: { customWindow: "Enabled", dayOfWeek: 0, startHour: 3, startMinute: 0 },
    tags: { ...p.landing.tags },
  };
}

/**
 * A backup region's read replica of the primary (asynchronous, cross-region),
 * private like its primary. It keeps the primary's Entra settings and admin. Once
 * `microagents:backupDatabasePromoted` is true the next `pulumi up` promotes it to a
 * standalone server (forced: it does not wait for the primary); docs/failover.md.
 */
export function postgresReplicaArgs(p: PostgresParams, sourceServerId: pulumi.Input<string>, promoted: boolean): dbforpostgresql.ServerArgs {
  return {
    resourceGroupName: p.landing.resourceGroupName,
    location: p.landing.location,
    serverName: p.serverName,
    createMode: "Replica",
    sourceServerResourceId: sourceServerId,
    sku: { name: p.shape.skuName, tier: p.shape.skuTier },
    storage: { storageSizeGB: p.shape.storageGb, autoGrow: "Enabled", type: "Premium_LRS" },
    network: { publicNetworkAccess: "Disabled" },
    ...(promoted ? { replica: { promoteMode: "Standalone", promoteOption: "Forced" } } : {}),
    tags: { ...p.landing.tags },
  };
}

/**
 * The shared Postgres: the primary server with its Entra administrator, the
 * `microagents` database and its parameters (one at a time: the server applies
 * them in turn), or with `source` a read replica of the primary's server.
 */
export function postgresState(name: string, p: PostgresParams, opts: pulumi.CustomResourceOptions, source?: dbforpostgresql.Server) {
  const server = new dbforpostgresql.Server(`${name}-postgres`, source ? postgresReplicaArgs(p, source.id, replicaPromoted()) : postgresServerArgs(p), opts);
  const base = { resourceGroupName: p.landing.resourceGroupName, serverName: server.name };
  let previous: pulumi.Resource = server;
  for (const [parameter, value] of postgresParameters(p.shape.pooled)) {
    previous = new dbforpostgresql.Configuration(`${name}-postgres-${parameter.replace(/[._]/g, "-")}`, { ...base, configurationName: parameter, value, source: "user-override" }, { ...opts, dependsOn: [previous] });
  }
  if (source) return { server, ready: previous };
  const admin = postgresAdmin(p.landing);
  const administrator = new dbforpostgresql.AdministratorsMicrosoftEntra(`${name}-postgres-admin`, { ...base, ...admin, tenantId: p.landing.tenantId }, { ...opts, dependsOn: [previous] });
  const database = new dbforpostgresql.Database(`${name}-postgres-db`, { ...base, databaseName: POSTGRES_DATABASE, charset: "UTF8", collation: "en_US.utf8" }, { ...opts, dependsOn: [administrator] });
  return { server, ready: database };
}
