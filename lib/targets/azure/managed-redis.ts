import * as redisenterprise from "@pulumi/azure-native/redisenterprise";
import type * as pulumi from "@pulumi/pulumi";
import type { AzureLanding, AzureServiceHandle } from "./landing";
import { redisAssignmentName, REDIS_DATABASE, REDIS_PORT, type StateShape } from "./state-shape";

/** The results cache: an Azure Managed Redis cluster and its one database. */
export interface ManagedRedis {
  readonly cluster: redisenterprise.RedisEnterprise;
  readonly database: redisenterprise.Database;
  /** `<cluster>.<region>.redis.azure.net`. */
  readonly hostName: pulumi.Output<string>;
}

/**
 * Azure Managed Redis (the `redisenterprise` resource provider; Azure Cache for
 * Redis is retiring) for the results cache: TLS 1.2, public network access off
 * where the fleet is private, high availability in prod. Its database takes TLS
 * only (`Encrypted`), Entra tokens only (access keys off), evicts least recently
 * used keys that carry a TTL, and in prod writes an RDB snapshot every hour. The
 * cache is regional: a backup region's cache starts cold.
 */
export function managedRedis(name: string, p: { readonly clusterName: string; readonly landing: Pick<AzureLanding, "resourceGroupName" | "location" | "privateNetworking" | "tags">; readonly shape: StateShape["redis"] }, opts: pulumi.CustomResourceOptions): ManagedRedis {
  const cluster = new redisenterprise.RedisEnterprise(
    `${name}-redis`,
    {
      resourceGroupName: p.landing.resourceGroupName,
      location: p.landing.location,
      clusterName: p.clusterName,
      sku: { name: p.shape.sku },
      minimumTlsVersion: "1.2",
      highAvailability: p.shape.highAvailability ? "Enabled" : "Disabled",
      publicNetworkAccess: p.landing.privateNetworking ? "Disabled" : "Enabled",
      tags: { ...p.landing.tags },
    },
    opts,
  );
  const database = new redisenterprise.Database(
    `${name}-redis`,
    {
      resourceGroupName: p.landing.resourceGroupName,
      clusterName: cluster.name,
      databaseName: REDIS_DATABASE,
      port: REDIS_PORT,
      clientProtocol: "Encrypted",
      accessKeysAuthentication: "Disabled",
      // One endpoint for any client: no cluster-aware client needed.
      clusteringPolicy: "EnterpriseCluster",
      evictionPolicy: "VolatileLRU",
      ...(p.shape.persistence ? { persistence: { rdbEnabled: true, rdbFrequency: "1h" } } : {}),
    },
    opts,
  );
  return { cluster, database, hostName: cluster.hostName };
}

/** Each agent's Entra access to the cache: the database's `default` access policy for its identity's object id. */
export function redisGrants(name: string, redis: ManagedRedis, landing: Pick<AzureLanding, "resourceGroupName">, services: ReadonlyArray<AzureServiceHandle>, opts: pulumi.CustomResourceOptions): redisenterprise.AccessPolicyAssignment[] {
  return services.map(
    (s) =>
      new redisenterprise.AccessPolicyAssignment(
        `${name}-${s.agent.name}-redis`,
        {
          resourceGroupName: landing.resourceGroupName,
          clusterName: redis.cluster.name,
          databaseName: redis.database.name,
          accessPolicyAssignmentName: redisAssignmentName(s.agent.name),
          accessPolicyName: "default",
          user: { objectId: s.identity.principalId },
        },
        opts,
      ),
  );
}
