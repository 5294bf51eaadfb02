import * as kms from "@pulumi/gcp/kms";
import type * as pulumi from "@pulumi/pulumi";
import { gcpName, GCP_NAME_LIMITS } from "./names";

/** Key rotation: every 90 days (the ceiling), in the API's duration form. */
export const KEY_ROTATION_SECONDS = 90 * 24 * 3600;

export interface FleetKeyArgs {
  readonly name: string;
  readonly prefix: string;
  readonly region: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly prod: boolean;
}

/**
 * A key ring in the target's region and the fleet key in it: symmetric
 * encrypt/decrypt, rotated every 90 days, destroyed versions kept 30 days in prod
 * (the longest Cloud KMS allows is 120). Key rings and keys cannot be deleted
 * in Google Cloud: `pulumi destroy` drops them from the stack and destroys the
 * key's versions, the names stay taken.
 */
export function fleetKey(args: FleetKeyArgs, opts: pulumi.CustomResourceOptions): { keyRing: kms.KeyRing; key: kms.CryptoKey } {
  const keyRing = new kms.KeyRing(`${args.name}-keyring`, { name: gcpName([args.prefix, args.region], GCP_NAME_LIMITS.kms), location: args.region }, opts);
  const key = new kms.CryptoKey(
    `${args.name}-key`,
    {
      name: gcpName([args.prefix, "fleet"], GCP_NAME_LIMITS.kms),
      keyRing: keyRing.id,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: `${KEY_ROTATION_SECONDS}s`,
      destroyScheduledDuration: `${(args.prod ? 30 : 7) * 86400}s`,
      versionTemplate: { algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION", protectionLevel: "SOFTWARE" },
      labels: { ...args.labels },
    },
    opts,
  );
  return { keyRing, key };
}

/** A service agent may use the fleet key (encrypt and decrypt), on this key only. */
export function keyGrant(name: string, key: kms.CryptoKey, member: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): kms.CryptoKeyIAMMember {
  return new kms.CryptoKeyIAMMember(name, { cryptoKeyId: key.id, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member }, opts);
}
