import { createHash } from "node:crypto";

/**
 * Google Cloud name limits the target builds names under. Most resource names
 * are RFC 1035 labels (lowercase letter first, letters, digits and '-', no
 * trailing '-'); service account ids are 6 to 30 characters.
 */
export const GCP_NAME_LIMITS = {
  /** Cloud Run services: 49 characters. */
  runService: 49,
  /** Service account ids: 6 to 30 characters. */
  serviceAccount: 30,
  /** Compute resources (networks, routers, NATs, addresses, backends): 63. */
  compute: 63,
  /** Pub/Sub topics and subscriptions: 255 (kept at 100 for readability). */
  pubsub: 100,
  /** GKE clusters: 40; node pools: 40. */
  cluster: 40,
  nodePool: 40,
  /** Cloud SQL instances: 98 with the project (kept at 80). */
  sql: 80,
  /** Memorystore instance ids: 40 (Redis) and 63 (Valkey). */
  memorystore: 40,
  /** Log bucket ids: 100. */
  logBucket: 100,
  /** KMS key rings and keys: 63. */
  kms: 63,
} as const;

/**
 * A Google Cloud name from parts: lowercase, '-' for anything else, a letter
 * first, at most `max` characters; when shortened, a 6-character hash of the
 * full name keeps it unique.
 */
export function gcpName(parts: ReadonlyArray<string>, max: number): string {
  const full = parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
  const lettered = /^[a-z]/.test(full) ? full : `m-${full}`;
  if (lettered.length <= max) return lettered;
  const hash = createHash("sha256").update(lettered).digest("hex").slice(0, 6);
  return `${lettered.slice(0, max - 7).replace(/-+$/, "")}-${hash}`;
}

/** A service account id (6-30 characters): `<prefix>-<what>`, padded when short. */
export function serviceAccountId(parts: ReadonlyArray<string>): string {
  const id = gcpName(parts, GCP_NAME_LIMITS.serviceAccount);
  return id.length >= 6 ? id : `${id}-sa-id`.slice(0, 6);
}
