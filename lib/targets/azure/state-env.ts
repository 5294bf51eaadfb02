import type * as pulumi from "@pulumi/pulumi";
import type { AgentPlan, FleetPlan } from "../../plan/types";
import type { FleetTarget } from "../../spec/types";
import { cacheKeyPrefix } from "../aws/state-shape";
import { replicaPromoted } from "./postgres";
import { azurePair, COSMOS_CONTAINERS, COSMOS_DATABASE, isBackupTarget, PGBOUNCER_PORT, POSTGRES_DATABASE, POSTGRES_PORT, REDIS_PORT, stateNames } from "./state-shape";

/** The agent's identity as the state sees it: the client id picks it, the object id is its Redis user, its name its Postgres role. */
export interface StateIdentity {
  readonly clientId: pulumi.Input<string>;
  readonly principalId: pulumi.Input<string>;
  readonly name: pulumi.Input<string>;
}

/**
 * The state part of the Azure agent contract: endpoints and names only, no keys
 * (every store takes the agent's Entra token). Built from the stores' globally
 * unique names, so a service built before the state store gets them.
 * - Cosmos DB: `MICROAGENTS_COSMOS_ENDPOINT`, `MICROAGENTS_COSMOS_DATABASE`,
 *   `MICROAGENTS_TASK_TABLE` and `MICROAGENTS_CONTEXT_TABLE` (container names),
 *   `MICROAGENTS_COSMOS_PREFERRED_REGIONS` (its own region first).
 * - Results cache: `MICROAGENTS_RESULTS_CACHE_URL` (rediss, port 10000),
 *   `MICROAGENTS_RESULTS_CACHE_AUTH_MODE` = entra, `MICROAGENTS_RESULTS_CACHE_USER` (the
 *   identity's object id, the Redis user name with a token), and
 *   `MICROAGENTS_RESULTS_CACHE_PREFIX` (`<agent>:`, a convention on Azure: Managed
 *   Redis grants per database, not per key).
 * - Postgres: `MICROAGENTS_DB_HOST`, `_PORT` (6432 through PgBouncer where the tier
 *   pools), `_NAME`, `_USER` (the identity's name, its Entra role), `_SSLMODE`,
 *   `_AUTH_MODE` = entra, and `_READ_ONLY` on a backup region's replica until
 *   `microagents:backupDatabasePromoted` says it was promoted.
 */
export function azureStateEnv(plan: Pick<FleetPlan, "fleet" | "tier">, target: Pick<FleetTarget, "region">, agent: Pick<AgentPlan, "name">, identity: StateIdentity): Record<string, pulumi.Input<string>> {
  const names = stateNames(plan, target);
  const pair = azurePair(plan.fleet);
  const other = pair ? [plan.fleet.targets[pair.primary].region, plan.fleet.targets[pair.backup].region].filter((r) => r !== target.region) : [];
  return {
    MICROAGENTS_COSMOS_ENDPOINT: `https://${names.cosmosAccount}.documents.azure.com:443/`,
    MICROAGENTS_COSMOS_DATABASE: COSMOS_DATABASE,
    MICROAGENTS_COSMOS_PREFERRED_REGIONS: [target.region, ...other].join(","),
    MICROAGENTS_TASK_TABLE: COSMOS_CONTAINERS.tasks,
    MICROAGENTS_CONTEXT_TABLE: COSMOS_CONTAINERS.context,
    MICROAGENTS_RESULTS_CACHE_URL: `rediss://${names.redisCluster}.${target.region}.redis.azure.net:${REDIS_PORT}`,
    MICROAGENTS_RESULTS_CACHE_AUTH_MODE: "entra",
    MICROAGENTS_RESULTS_CACHE_USER: identity.principalId,
    MICROAGENTS_RESULTS_CACHE_PREFIX: cacheKeyPrefix(agent.name),
    MICROAGENTS_DB_HOST: `${names.postgresServer}.postgres.database.azure.com`,
    MICROAGENTS_DB_PORT: String(plan.tier.connectionPooling ? PGBOUNCER_PORT : POSTGRES_PORT),
    MICROAGENTS_DB_NAME: POSTGRES_DATABASE,
    MICROAGENTS_DB_USER: identity.name,
    MICROAGENTS_DB_SSLMODE: "verify-full",
    MICROAGENTS_DB_AUTH_MODE: "entra",
    ...(isBackupTarget(plan.fleet, target) && !replicaPromoted() ? { MICROAGENTS_DB_READ_ONLY: "true" } : {}),
  };
}
