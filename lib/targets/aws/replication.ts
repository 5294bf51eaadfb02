import type * as dynamodb from "@pulumi/aws/dynamodb";
import type * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";
import { Registry } from "../target";
import { awsLandings, type AwsLanding } from "./landing";
import type { StateStoreScope } from "../target";

/**
 * State that survives the primary region (medium tier): the task table and context
 * store are DynamoDB global tables (version 2019.11.21) with a replica in the backup
 * region encrypted with that region's fleet key; Postgres has an RDS read replica in
 * the backup region, encrypted with that region's key, that a person promotes
 * (docs/failover.md). The results cache is regional and starts cold in the backup.
 */

/** What a primary region's state store built, for its backup region's store to replicate. */
export interface AwsStateHandle {
  readonly region: string;
  readonly tasks: dynamodb.Table;
  readonly context: dynamodb.Table;
  readonly database?: rds.Instance;
}

export const awsStateHandles = new Registry<StateStoreScope, AwsStateHandle>("StateStoreScope");

/** One table as the agents' policies and the endpoints parameter need it. */
export interface TableRef {
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
}

/** The replication a store takes part in: none, primary of backups, or backup of a primary. */
export type StateReplication = { readonly role: "none" } | { readonly role: "primary"; readonly replicas: ReadonlyArray<AwsLanding> } | { readonly role: "backup"; readonly primary: AwsStateHandle };

/** Reads the state store's replication args (set by AgentFleet for a primary-backup fleet). */
export function stateReplication(scope: StateStoreScope): StateReplication {
  if (scope.replicaOf) return { role: "backup", primary: awsStateHandles.get(scope.replicaOf) };
  if (scope.replicaPlatforms.length > 0) return { role: "primary", replicas: scope.replicaPlatforms.map((p) => awsLandings.get(p)) };
  return { role: "none" };
}

/**
 * Table arguments that make a primary table global: a stream (global tables
 * replicate through it) and a replica per backup region with that region's fleet
 * key, point-in-time recovery, deletion protection and the table's tags.
 */
export function globalTableArgs(replicas: ReadonlyArray<Pick<AwsLanding, "region" | "key">>) {
  if (replicas.length === 0) return {};
  return {
    streamEnabled: true,
    streamViewType: "NEW_AND_OLD_IMAGES",
    replicas: replicas.map((r) => ({ regionName: r.region, kmsKeyArn: r.key.arn, pointInTimeRecovery: true, deletionProtectionEnabled: true, propagateTags: true })),
  };
}

/** The backup region's copy of a primary table: same name, this region's ARN. */
export function replicaTable(table: dynamodb.Table, landing: Pick<AwsLanding, "partition" | "region" | "accountId">): TableRef {
  return { name: table.name, arn: pulumi.interpolate`arn:${landing.partition}:dynamodb:${landing.region}:${landing.accountId}:table/${table.name}` };
}

/**
 * Whether a person promoted the backup's database (docs/failover.md): config
 * `microagents:backupDatabasePromoted`, so the program agrees with the promoted instance.
 */
export function backupDatabasePromoted(): boolean {
  return new pulumi.Config("microagents").getBoolean("backupDatabasePromoted") ?? false;
}

/**
 * Arguments of the backup region's read replica, over the primary's instance:
 * the source by ARN (cross-region), and no database name, user or password (the
 * replica has the primary's, and the provider would replace an instance to set
 * them). Deleting a read replica takes no final snapshot (RDS refuses one);
 * deletion protection still guards it. Once promoted, the source goes: on an
 * instance that is still a replica, the provider promotes it.
 */
export function readReplicaArgs(primary: rds.Instance, promoted = false) {
  return promoted ? { skipFinalSnapshot: true } : { replicateSourceDb: primary.arn, skipFinalSnapshot: true };
}
