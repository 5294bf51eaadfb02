import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { factsFromResources } from "../../lib/facts";

/** GCP resources the target builds, read as facts the rules judge (real gcp type tokens). */
describe("facts from the GCP target's resources", () => {
  it("reads per-resource IAM on secrets, service accounts and keys, public members as '*'", () => {
    const facts = factsFromResources([
      { type: "gcp:secretmanager/secretIamMember:SecretIamMember", name: "s", custom: true, inputs: { secretId: "token", role: "roles/secretmanager.secretAccessor", member: "allUsers" } },
      { type: "gcp:serviceaccount/iAMMember:IAMMember", name: "wi", custom: true, inputs: { serviceAccountId: "projects/p/serviceAccounts/a@p.iam.gserviceaccount.com", role: "roles/iam.workloadIdentityUser", member: "serviceAccount:p.svc.id.goog[ns/a]" } },
      { type: "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", name: "k", custom: true, inputs: { cryptoKeyId: "projects/p/locations/r/keyRings/k/cryptoKeys/f", role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member: "serviceAccount:service-1@gcp-sa-pubsub.iam.gserviceaccount.com" } },
    ]).filter((f) => f.kind === "iam-policy");
    assert.equal(facts.length, 3);
    const byRef = Object.fromEntries(facts.map((f) => [f.kind === "iam-policy" ? (f.attachedTo?.kind ?? "") : "", f.kind === "iam-policy" ? f.statements[0].principals : []]));
    assert.deepEqual(byRef, { other: ["serviceAccount:service-1@gcp-sa-pubsub.iam.gserviceaccount.com"], "service-account": ["serviceAccount:p.svc.id.goog[ns/a]"] });
    const secret = facts.find((f) => f.kind === "iam-policy" && f.statements[0].resources[0] === "token");
    assert.ok(secret && secret.kind === "iam-policy");
    assert.deepEqual(secret.statements[0].principals, ["*"]);
  });

  it("reads Memorystore for Valkey as a store with backups, TLS and deletion protection", () => {
    const [store] = factsFromResources([
      {
        type: "gcp:memorystore/instance:Instance",
        name: "cache",
        custom: true,
        inputs: { transitEncryptionMode: "SERVER_AUTHENTICATION", automatedBackupConfig: { retention: "604800s" }, deletionProtectionEnabled: true, replicaCount: 1, shardCount: 1, zoneDistributionConfig: { mode: "MULTI_ZONE" }, labels: {} },
      },
    ]).filter((f) => f.kind === "store");
    assert.ok(store && store.kind === "store");
    assert.deepEqual([store.storeKind, store.backups.enabled, store.backups.retentionDays, store.tlsRequired, store.deletionProtection, store.highAvailability, store.nodes], ["memorystore", true, 7, true, true, true, 2]);
  });
});
