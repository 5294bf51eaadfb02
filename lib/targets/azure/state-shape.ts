import { createHash } from "node:crypto";
import { failoverPairs, type FailoverPair } from "../../plan/topology";
import type { FleetPlan } from "../../plan/types";
import type { Fleet, FleetTarget } from "../../spec/types";
import { globalName } from "./names";

/**
 * The shared state on Azure as plain data: names, endpoints and sizes of the Cosmos
 * DB account, the Azure Managed Redis cluster and the Postgres flexible server, per
 * tier and environment (shared by the Pulumi resources, the agents' env and tests).
 */

/** Cosmos DB database of the fleet's state and its two containers. */
export const COSMOS_DATABASE = "state";
export const COSMOS_CONTAINERS = { tasks: "tasks", context: "context" } as const;
/** Cosmos DB's built-in "Cosmos DB Built-in Data Contributor" data-plane role (the same id in every account). */
export const COSMOS_DATA_CONTRIBUTOR = "00000000-0000-0000-0000-000000000002";
/** Tasks expire 30 days after their last write unless an item sets its own `ttl`. */
export const TASKS_DEFAULT_TTL_SECONDS = 30 * 86400;
/** -1: TTL on, nothing expires unless an item sets its own `ttl` (context entries the agents age out). */
export const CONTEXT_DEFAULT_TTL_SECONDS = -1;

/** Azure Managed Redis serves one database, which must be called `default`, here on TLS port 10000. */
export const REDIS_DATABASE = "default";
export const REDIS_PORT = 10000;

/** The fleet's Postgres database and ports: 5432 direct, 6432 the built-in PgBouncer. */
export const POSTGRES_DATABASE = "microagents";
export const POSTGRES_PORT = 5432;
export const PGBOUNCER_PORT = 6432;
export const POSTGRES_VERSION = "17";

/** Lengths Azure enforces on the state's globally unique names. */
export const STATE_NAME_LIMITS = { cosmosAccount: 44, redisCluster: 60, postgresServer: 63 } as const;

/**
 * The fleet's Azure primary-backup pair (lib/plan/topology.ts): one primary and one
 * backup on aca or aks in two regions, the pair AgentFleet hands `replicaOf` and
 * `replicaPlatforms` to. The agents' env (built before the state) reads it too.
 */
export function azurePair(fleet: Pick<Fleet, "targets">): FailoverPair | undefined {
  return failoverPairs(fleet).find((p) => p.cloud === "azure");
}

/** Where a target's Cosmos DB account lives: the primary's region for both halves of a pair, else the target's own. */
export function cosmosHome(fleet: Pick<Fleet, "targets">, target: Pick<FleetTarget, "region">): string {
  const pair = azurePair(fleet);
  if (!pair) return target.region;
  const backup = fleet.targets[pair.backup];
  return backup === target || backup.region === target.region ? fleet.targets[pair.primary].region : target.region;
}

/** Whether this target is the backup half of an Azure pair (its Postgres is a read replica). */
export function isBackupTarget(fleet: Pick<Fleet, "targets">, target: Pick<FleetTarget, "region">): boolean {
  const pair = azurePair(fleet);
  return pair !== undefined && fleet.targets[pair.backup].region === target.region;
}

const prefixOf = (plan: Pick<FleetPlan, "fleet">) => `${plan.fleet.name}-${plan.fleet.environment}`;

/** Globally unique names of a target's stores (the Cosmos account named after its home region). */
export function stateNames(plan: Pick<FleetPlan, "fleet">, target: Pick<FleetTarget, "region">) {
  const prefix = prefixOf(plan);
  return {
    cosmosAccount: globalName("cosmos", prefix, cosmosHome(plan.fleet, target), STATE_NAME_LIMITS.cosmosAccount),
    redisCluster: globalName("redis", prefix, target.region, STATE_NAME_LIMITS.redisCluster),
    postgresServer: globalName("psql", prefix, target.region, STATE_NAME_LIMITS.postgresServer),
  };
}

/** What a tier and environment size: Cosmos capacity and backup tier, the Redis SKU, the Postgres server. */
export interface StateShape {
  /** Serverless (small tier, dev) or autoscale throughput shared by the database (a pair is always autoscale: serverless accounts are single-region). */
  readonly cosmos: { readonly serverless: boolean; readonly maxThroughput?: number; readonly backupTier: "Continuous7Days" | "Continuous30Days" };
  readonly redis: { readonly sku: string; readonly highAvailability: boolean; readonly persistence: boolean };
  readonly postgres: {
    readonly skuName: string;
    readonly skuTier: "Burstable" | "GeneralPurpose";
    readonly zoneRedundant: boolean;
    readonly pooled: boolean;
    readonly storageGb: number;
    readonly backupRetentionDays: number;
  };
}

/**
 * Sizes per tier and environment. Cosmos: serverless in the small tier and in dev,
 * autoscale (1,000 RU/s max in medium, 4,000 in enterprise) elsewhere and in every
 * pair; continuous backup for 30 days in prod, 7 (free) in dev. Redis: Balanced
 * B0 in dev without HA, B0/B1/B3 with HA and hourly RDB persistence in prod.
 * Postgres: Burstable B1ms (dev) or B2s (prod) in the small tier; General Purpose
 * D2ds_v5 (D4ds_v5 in enterprise prod) where the tier pools connections (PgBouncer
 * is not offered on Burstable), where HA is zone redundant (medium and enterprise
 * prod) and for a cross-region replica (Burstable has none); 35 days of backups in
 * prod, 7 in dev.
 */
export function stateShape(plan: Pick<FleetPlan, "fleet" | "tier">, options: { readonly pooling: boolean; readonly replicated: boolean }): StateShape {
  const prod = plan.fleet.environment === "prod";
  const tier = plan.tier.name;
  const serverless = (tier === "small" || !prod) && !options.replicated;
  const zoneRedundant = prod && tier !== "small";
  const generalPurpose = options.pooling || zoneRedundant || options.replicated;
  return {
    cosmos: { serverless, ...(serverless ? {} : { maxThroughput: tier === "enterprise" && prod ? 4000 : 1000 }), backupTier: prod ? "Continuous30Days" : "Continuous7Days" },
    redis: { sku: !prod ? "Balanced_B0" : tier === "enterprise" ? "Balanced_B3" : tier === "medium" ? "Balanced_B1" : "Balanced_B0", highAvailability: prod, persistence: prod },
    postgres: {
      skuName: generalPurpose ? (prod && tier === "enterprise" ? "Standard_D4ds_v5" : "Standard_D2ds_v5") : prod ? "Standard_B2s" : "Standard_B1ms",
      skuTier: generalPurpose ? "GeneralPurpose" : "Burstable",
      zoneRedundant,
      pooled: options.pooling && generalPurpose,
      storageGb: 32,
      backupRetentionDays: prod ? 35 : 7,
    },
  };
}

/** A stable GUID from parts (Cosmos DB role assignment ids must be GUIDs; a fixed one keeps updates in place). */
export function stableGuid(...parts: ReadonlyArray<string>): string {
  const h = createHash("sha256").update(parts.join("/")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Redis access policy assignment names: letters and digits only. */
export function redisAssignmentName(agent: string): string {
  return agent.replace(/[^A-Za-z0-9]/g, "").slice(0, 60) || "agent";
}
