import type * as firestore from "@pulumi/gcp/firestore";
import type * as kms from "@pulumi/gcp/kms";
import type * as sql from "@pulumi/gcp/sql";
import * as pulumi from "@pulumi/pulumi";
import { MicroAgentsConfigError } from "../../spec/errors";
import { Registry } from "../target";
import { fleetKey } from "./kms";
import { gcpLandings, type GcpLanding } from "./landing";
import type { StateStoreScope } from "../target";

/**
 * State that survives the primary region on Google Cloud (medium tier, a primary
 * and a backup GCP target): the task and context collections live in one Firestore
 * database in a multi-region location that holds both regions' data (synchronous
 * replication across regions, no promotion), encrypted with a key in the matching
 * Cloud KMS multi-region; Postgres has a Cloud SQL cross-region read replica in the
 * backup region, encrypted with that region's fleet key, that a person promotes
 * (`gcloud sql instances promote-replica`, docs/failover.md). The results cache
 * (Memorystore) is regional: the backup region's starts cold.
 */

/**
 * Firestore multi-region locations by the primary's region, with the Cloud KMS
 * location their CMEK key must be in (cloud.google.com/firestore/docs/locations,
 * cloud.google.com/firestore/docs/use-cmek, read 2026-12-07): `nam5` (United
 * States: us-central1 and us-central2, witness us-east1) for a primary in North
 * America, `eur3` (Europe: europe-west1 and europe-west4, witness europe-north1)
 * for one in Europe. Firestore has no multi-region elsewhere (Asia, Australia,
 * South America, Middle East, Africa): a pair there is refused, because a regional
 * database would be lost with its region.
 */
export const FIRESTORE_MULTI_REGIONS: ReadonlyArray<{ readonly regionPrefixes: ReadonlyArray<string>; readonly location: "nam5" | "eur3"; readonly kmsLocation: "us" | "europe" }> = [
  { regionPrefixes: ["us-", "northamerica-"], location: "nam5", kmsLocation: "us" },
  { regionPrefixes: ["europe-"], location: "eur3", kmsLocation: "europe" },
];

/** The Firestore multi-region for a primary region, or undefined where Firestore has none. */
export function firestoreMultiRegion(region: string): (typeof FIRESTORE_MULTI_REGIONS)[number] | undefined {
  return FIRESTORE_MULTI_REGIONS.find((m) => m.regionPrefixes.some((p) => region.startsWith(p)));
}

/** What a primary region's state store built, for its backup region's store. */
export interface GcpStateHandle {
  readonly landing: GcpLanding;
  /** The fleet's Firestore database (in the multi-region when the store has backups). */
  readonly database: firestore.Database;
  readonly postgres?: sql.DatabaseInstance;
}

export const gcpStateHandles = new Registry<StateStoreScope, GcpStateHandle>("StateStoreScope");

/** The replication a store takes part in: none, primary of backups, or backup of a primary. */
export type GcpStateReplication = { readonly role: "none" } | { readonly role: "primary"; readonly replicas: ReadonlyArray<GcpLanding> } | { readonly role: "backup"; readonly primary: GcpStateHandle };

/** Reads the state store's replication args (set by AgentFleet for a primary-backup fleet). */
export function gcpStateReplication(scope: StateStoreScope): GcpStateReplication {
  if (scope.replicaOf) return { role: "backup", primary: gcpStateHandles.get(scope.replicaOf) };
  if (scope.replicaPlatforms.length > 0) return { role: "primary", replicas: scope.replicaPlatforms.map((p) => gcpLandings.get(p)) };
  return { role: "none" };
}

/** The multi-region of a primary with backups, with a clear error where Firestore has none. */
export function pairLocation(scope: StateStoreScope, landing: GcpLanding): (typeof FIRESTORE_MULTI_REGIONS)[number] {
  const multi = firestoreMultiRegion(landing.region);
  if (multi) return multi;
  const index = scope.platform.fleet.targets.indexOf(scope.platform.target);
  throw new MicroAgentsConfigError([
    {
      path: `spec.targets[${index}].region`,
      message: `a primary in ${landing.region} with a backup region needs Firestore in a multi-region location, and Firestore has one only in North America (nam5) and Europe (eur3)`,
      hint: "put the primary and backup in us-*/northamerica-* or europe-* regions, or drop the backup target (a regional Firestore database would be lost with its region)",
    },
  ]);
}

/**
 * The key of a multi-region Firestore database: a key ring and key in the Cloud
 * KMS multi-region that matches the database's location (`us` for nam5, `europe`
 * for eur3), rotated like the fleet key.
 */
export function multiRegionKey(name: string, landing: GcpLanding, kmsLocation: string, prod: boolean, opts: pulumi.CustomResourceOptions): kms.CryptoKey {
  return fleetKey({ name: `${name}-firestore`, prefix: landing.prefix, region: kmsLocation, labels: landing.labels, prod }, opts).key;
}

/**
 * Whether a person promoted the backup's database (docs/failover.md): config
 * `microagents:backupDatabasePromoted`, so the program agrees with the promoted
 * instance (the same setting the AWS target reads).
 */
export function backupDatabasePromoted(): boolean {
  return new pulumi.Config("microagents").getBoolean("backupDatabasePromoted") ?? false;
}

/**
 * How the backup region's Postgres relates to the primary's: a cross-region read
 * replica (`masterInstanceName`, `instanceType` READ_REPLICA_INSTANCE), which
 * takes no backups of its own (Cloud SQL refuses them on replicas; the primary's
 * backups and point-in-time recovery cover the data); once promoted, a standalone
 * instance with its own backups. The replica must be in the primary's project.
 */
export function replicaArgs(primary: sql.DatabaseInstance | undefined, promoted: boolean): { readonly replica: boolean; readonly args: { instanceType?: string; masterInstanceName?: pulumi.Input<string> } } {
  if (!primary) return { replica: false, args: {} };
  if (promoted) return { replica: false, args: { instanceType: "CLOUD_SQL_INSTANCE" } };
  return { replica: true, args: { instanceType: "READ_REPLICA_INSTANCE", masterInstanceName: primary.name } };
}
