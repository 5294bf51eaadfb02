import { createHash } from "node:crypto";

/** Lengths and alphabets Azure enforces on the names this target sets. */
export const AZURE_NAME_LIMITS = {
  resourceGroup: 90,
  keyVault: 24,
  serviceBusNamespace: 50,
  serviceBusEntity: 260,
  containerApp: 32,
  managedEnvironment: 60,
  logAnalytics: 63,
  identity: 128,
  aksCluster: 63,
  /** Linux AKS node pools: lowercase letters and digits, 12 characters. */
  aksPool: 12,
} as const;

/** Eight hex digits from the parts: keeps globally unique names stable per fleet, environment and region. */
export function shortHash(...parts: ReadonlyArray<string>): string {
  return createHash("sha256").update(parts.join("/")).digest("hex").slice(0, 8);
}

/**
 * A name from parts joined by '-', lowercased, cut to `max` with a hash of the
 * whole kept at the end when it had to be cut (so two long names do not collide).
 */
export function azureName(parts: ReadonlyArray<string>, max: number): string {
  const full = parts.filter((p) => p.length > 0).join("-").toLowerCase();
  if (full.length <= max) return full;
  const h = shortHash(full);
  return `${full.slice(0, max - h.length - 1).replace(/-+$/, "")}-${h}`;
}

/**
 * A globally unique name (Key Vault, Service Bus namespace, Cosmos account...): a
 * readable head from the fleet, then a hash of fleet, environment, region and
 * what the resource is, within `max` characters.
 */
export function globalName(kind: string, prefix: string, region: string, max: number): string {
  const h = shortHash(kind, prefix, region);
  const head = `${kind}-${prefix}`.toLowerCase().replace(/[^a-z0-9-]/g, "").slice(0, max - h.length - 1).replace(/-+$/, "");
  return `${head}-${h}`;
}

/** Key Vault secret names: letters, digits and '-'. */
export const KEY_VAULT_SECRET_NAME = /^[A-Za-z0-9-]{1,127}$/;

/** An ISO 8601 duration in whole seconds, as Service Bus takes them: PT5M, PT30S, P4D. */
export function isoDuration(seconds: number): string {
  if (seconds % 86400 === 0) return `P${seconds / 86400}D`;
  if (seconds % 3600 === 0) return `PT${seconds / 3600}H`;
  if (seconds % 60 === 0) return `PT${seconds / 60}M`;
  return `PT${seconds}S`;
}
