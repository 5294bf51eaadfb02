import * as cosmosdb from "@pulumi/azure-native/cosmosdb";
import * as pulumi from "@pulumi/pulumi";
import type { AzureLanding, AzureServiceHandle } from "./landing";
import { COSMOS_CONTAINERS, COSMOS_DATA_CONTRIBUTOR, COSMOS_DATABASE, CONTEXT_DEFAULT_TTL_SECONDS, stableGuid, TASKS_DEFAULT_TTL_SECONDS, type StateShape } from "./state-shape";

/** The tasks container's composite index: "next tasks by status, highest priority first". */
export const TASKS_COMPOSITE_INDEX = [
  { path: "/status", order: "ascending" },
  { path: "/priority", order: "descending" },
] as const;

/** A Cosmos DB account and its state database, as the agents' grants and a backup region need them. */
export interface CosmosState {
  readonly account: cosmosdb.DatabaseAccount;
  readonly accountName: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Output<string>;
  readonly database: cosmosdb.SqlResourceSqlDatabase;
  readonly containers: ReadonlyArray<cosmosdb.SqlResourceSqlContainer>;
}

/** The account's regions: its home first (writes), then each backup region, which takes over automatically. */
export function cosmosLocations(home: string, replicas: ReadonlyArray<string>) {
  return [home, ...replicas].map((locationName, failoverPriority) => ({ locationName, failoverPriority, isZoneRedundant: false }));
}

/**
 * The account's settings: Cosmos DB for NoSQL, session consistency, serverless or
 * provisioned (autoscale on the database), continuous backup (point-in-time
 * restore), local (key) auth and key-based metadata writes off, TLS 1.2, public
 * network access off where the fleet is private, and automatic failover across
 * the listed regions.
 */
export function cosmosAccountArgs(p: { readonly name: string; readonly landing: Pick<AzureLanding, "resourceGroupName" | "location" | "privateNetworking" | "tags">; readonly shape: StateShape["cosmos"]; readonly replicaLocations: ReadonlyArray<string> }): cosmosdb.DatabaseAccountArgs {
  return {
    resourceGroupName: p.landing.resourceGroupName,
    accountName: p.name,
    location: p.landing.location,
    kind: "GlobalDocumentDB",
    databaseAccountOfferType: "Standard",
    locations: cosmosLocations(p.landing.location, p.replicaLocations),
    consistencyPolicy: { defaultConsistencyLevel: "Session" },
    capabilities: p.shape.serverless ? [{ name: "EnableServerless" }] : [],
    backupPolicy: { type: "Continuous", continuousModeProperties: { tier: p.shape.backupTier } },
    disableLocalAuth: true,
    disableKeyBasedMetadataWriteAccess: true,
    minimalTlsVersion: "Tls12",
    publicNetworkAccess: p.landing.privateNetworking ? "Disabled" : "Enabled",
    networkAclBypass: "None",
    enableAutomaticFailover: p.replicaLocations.length > 0,
    enableMultipleWriteLocations: false,
    enableFreeTier: false,
    tags: { ...p.landing.tags },
  };
}

/**
 * The fleet's Cosmos DB account with the `state` database: `tasks` (partitioned
 * by task id, the status-priority composite index, a 30-day default TTL) and
 * `context` (partitioned by context id, TTL per item). Autoscale throughput is
 * shared by the database; serverless accounts have none to set.
 */
export function cosmosState(name: string, p: Parameters<typeof cosmosAccountArgs>[0], opts: pulumi.CustomResourceOptions): CosmosState {
  const account = new cosmosdb.DatabaseAccount(`${name}-cosmos`, cosmosAccountArgs(p), opts);
  const parent = { resourceGroupName: p.landing.resourceGroupName, accountName: account.name };
  const database = new cosmosdb.SqlResourceSqlDatabase(
    `${name}-cosmos-state`,
    {
      ...parent,
      databaseName: COSMOS_DATABASE,
      resource: { id: COSMOS_DATABASE },
      ...(p.shape.maxThroughput !== undefined ? { options: { autoscaleSettings: { maxThroughput: p.shape.maxThroughput } } } : {}),
      tags: { ...p.landing.tags },
    },
    opts,
  );
  const tasks = new cosmosdb.SqlResourceSqlContainer(
    `${name}-cosmos-tasks`,
    {
      ...parent,
      databaseName: database.name,
      containerName: COSMOS_CONTAINERS.tasks,
      resource: {
        id: COSMOS_CONTAINERS.tasks,
        partitionKey: { paths: ["/taskId"], kind: "Hash", version: 2 },
        defaultTtl: TASKS_DEFAULT_TTL_SECONDS,
        indexingPolicy: {
          automatic: true,
          indexingMode: "consistent",
          includedPaths: [{ path: "/*" }],
          excludedPaths: [{ path: '/"_etag"/?' }],
          compositeIndexes: [TASKS_COMPOSITE_INDEX.map((c) => ({ ...c }))],
        },
      },
      tags: { ...p.landing.tags },
    },
    opts,
  );
  const context = new cosmosdb.SqlResourceSqlContainer(
    `${name}-cosmos-context`,
    {
      ...parent,
      databaseName: database.name,
      containerName: COSMOS_CONTAINERS.context,
      resource: { id: COSMOS_CONTAINERS.context, partitionKey: { paths: ["/contextId"], kind: "Hash", version: 2 }, defaultTtl: CONTEXT_DEFAULT_TTL_SECONDS },
      tags: { ...p.landing.tags },
    },
    opts,
  );
  return { account, accountName: account.name, resourceGroupName: pulumi.output(p.landing.resourceGroupName), database, containers: [tasks, context] };
}

/**
 * Each agent's data-plane role: Cosmos DB Built-in Data Contributor (items and
 * queries, no account or container management) on each of the two containers,
 * the narrowest scope Cosmos DB takes (`/dbs/<db>/colls/<container>`). With
 * local auth off this is the only way in.
 */
export function cosmosGrants(name: string, cosmos: CosmosState, services: ReadonlyArray<AzureServiceHandle>, opts: pulumi.CustomResourceOptions): cosmosdb.SqlResourceSqlRoleAssignment[] {
  return services.flatMap((s) =>
    Object.values(COSMOS_CONTAINERS).map(
      (container) =>
        new cosmosdb.SqlResourceSqlRoleAssignment(
          `${name}-${s.agent.name}-cosmos-${container}`,
          {
            resourceGroupName: cosmos.resourceGroupName,
            accountName: cosmos.accountName,
            roleAssignmentId: pulumi.all([cosmos.accountName]).apply(([account]) => stableGuid(account, name, s.agent.name, container)),
            roleDefinitionId: pulumi.interpolate`${cosmos.account.id}/sqlRoleDefinitions/${COSMOS_DATA_CONTRIBUTOR}`,
            scope: pulumi.interpolate`${cosmos.account.id}/dbs/${COSMOS_DATABASE}/colls/${container}`,
            principalId: s.identity.principalId,
          },
          // The id is fixed per store, agent and container: a backup region's agents get their own on the same account.
          { ...opts, dependsOn: [...cosmos.containers] },
        ),
    ),
  );
}
