import * as authorization from "@pulumi/azure-native/authorization";
import type * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import * as pulumi from "@pulumi/pulumi";
import { Registry, type StateStoreOutputs } from "../target";
import { cosmosGrants, cosmosState, type CosmosState } from "./cosmos";
import { azureLandings, azureServices, childOpts } from "./landing";
import { managedRedis, redisGrants } from "./managed-redis";
import { postgresState } from "./postgres";
import { privateEndpoint } from "./private-link";
import { azurePair, COSMOS_CONTAINERS, COSMOS_DATABASE, REDIS_PORT, stateNames, stateShape } from "./state-shape";
import type { StateStoreScope } from "../target";

/** What a primary region's store built, for its backup region's store to replicate. */
export interface AzureStateHandle {
  readonly location: string;
  readonly cosmos: CosmosState;
  readonly postgres?: dbforpostgresql.Server;
}

export const azureStateHandles = new Registry<StateStoreScope, AzureStateHandle>("StateStoreScope");

/** The lock every durable store gets: ARM refuses to delete it (or its children) until someone removes the lock. */
export const STORE_LOCK = { lockName: "microagents-state", level: "CanNotDelete" } as const;

function storeLock(name: string, what: string, scope: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): authorization.ManagementLockByScope {
  return new authorization.ManagementLockByScope(`${name}-lock`, { ...STORE_LOCK, scope, notes: `microagents: the fleet's ${what}; remove this lock before deleting it on purpose` }, opts);
}

/**
 * The seed's shared state on Azure: Cosmos DB for the task table and context
 * store, Azure Managed Redis for the results cache and PostgreSQL flexible server
 * for the shared database (cosmos.ts, managed-redis.ts, postgres.ts), each behind
 * a private endpoint where the fleet is private (Postgres always), reached with
 * the agents' Entra identities only. Every agent gets Data Contributor on the two
 * containers, the cache's default access policy and (by its identity's name) a
 * Postgres role the Entra admin creates. Cosmos DB and Postgres carry a
 * CanNotDelete lock in every environment (Cosmos DB's on
 * the state database).
 *
 * In a primary-backup pair the primary's Cosmos DB account lists the backup region
 * too (automatic failover); the backup's store reaches that account through its own
 * private endpoint and grants its agents on it, runs its own cache (cold after a
 * failover) and a read replica of the primary's Postgres that a person promotes
 * (docs/failover.md).
 */
export function azureStateStore(scope: StateStoreScope): StateStoreOutputs {
  const landing = azureLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const primary = scope.replicaOf ? azureStateHandles.get(scope.replicaOf) : undefined;
  const replicas = scope.replicaPlatforms.map((p) => azureLandings.get(p));
  if ((primary || replicas.length > 0) && !azurePair(plan.fleet)) {
    throw new Error(`AgentStateStore '${name}': replicated Azure state needs the fleet's one Azure primary and one Azure backup in two regions (the agents' endpoints are named after that pair)`);
  }
  const shape = stateShape(plan, { pooling: scope.settings.connectionPooling, replicated: primary !== undefined || replicas.length > 0 });
  const names = stateNames(plan, scope.platform.target);
  const services = scope.services.map((s) => azureServices.get(s));

  const cosmos = primary ? primary.cosmos : cosmosState(name, { name: names.cosmosAccount, landing, shape: shape.cosmos, replicaLocations: replicas.map((r) => r.location) }, opts);
  // On the database, not the account: a lock is inherited by children, and the account's children include the agents' role assignments, which must stay removable.
  if (!primary) storeLock(`${name}-cosmos`, "task table and context store", cosmos.database.id, opts);
  if (landing.privateNetworking) privateEndpoint(scope.platform, `${name}-cosmos`, landing, { id: cosmos.account.id, group: "Sql" }, opts);
  cosmosGrants(name, cosmos, services, opts);

  const redis = managedRedis(name, { clusterName: names.redisCluster, landing, shape: shape.redis }, opts);
  if (landing.privateNetworking) privateEndpoint(scope.platform, `${name}-redis`, landing, { id: redis.cluster.id, group: "redisEnterprise" }, opts);
  redisGrants(name, redis, landing, services, opts);

  const database = scope.settings.database ? postgresState(name, { serverName: names.postgresServer, landing, shape: shape.postgres }, opts, primary?.postgres) : undefined;
  if (database) {
    // Private access always: public network access is off in every environment.
    privateEndpoint(scope.platform, `${name}-postgres`, landing, { id: database.server.id, group: "postgresqlServer" }, { ...opts, dependsOn: [database.ready] });
    storeLock(`${name}-postgres`, primary ? "read replica of the shared database" : "shared database", database.server.id, { ...opts, dependsOn: [database.ready] });
  }
  if (!primary) azureStateHandles.set(scope, { location: landing.location, cosmos, ...(database ? { postgres: database.server } : {}) });
  return {
    taskTable: pulumi.interpolate`${cosmos.accountName}/${COSMOS_DATABASE}/${COSMOS_CONTAINERS.tasks}`,
    contextStore: pulumi.interpolate`${cosmos.accountName}/${COSMOS_DATABASE}/${COSMOS_CONTAINERS.context}`,
    resultsCacheEndpoint: pulumi.interpolate`${redis.hostName}:${REDIS_PORT}`,
  };
}
