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
    ]).filter((f) => f.kind === "iam-policy" && f.scope === "resource");
    assert.equal(facts.length, 3);
    const byRef = Object.fromEntries(facts.map((f) => [f.kind === "iam-policy" ? (f.attachedTo?.kind ?? "") : "", f.kind === "iam-policy" ? f.statements[0].principals : []]));
    assert.deepEqual(byRef, { other: ["serviceAccount:service-1@gcp-sa-pubsub.iam.gserviceaccount.com"], "service-account": ["serviceAccount:p.svc.id.goog[ns/a]"] });
    const secret = facts.find((f) => f.kind === "iam-policy" && f.statements[0].resources[0] === "token");
    assert.ok(secret && secret.kind === "iam-policy");
    assert.deepEqual(secret.statements[0].principals, ["*"]);
  });

  it("reads what each granted identity may do on the resource (MA-SEC-013): the role itself, a service's admin role as service:*, a basic role as *", () => {
    const identity = factsFromResources([
      { type: "gcp:pubsub/topicIAMMember:TopicIAMMember", name: "t", custom: true, inputs: { topic: "events", role: "roles/pubsub.publisher", member: "serviceAccount:a@p.iam.gserviceaccount.com" } },
      { type: "gcp:pubsub/subscriptionIAMBinding:SubscriptionIAMBinding", name: "s", custom: true, inputs: { subscription: "work", role: "roles/pubsub.admin", members: ["serviceAccount:b@p.iam.gserviceaccount.com", "allUsers"] } },
      { type: "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy", name: "p", custom: true, inputs: { topic: "other", policyData: JSON.stringify({ bindings: [{ role: "roles/editor", members: ["user:c@acme.example"] }] }) } },
    ]).flatMap((f) => (f.kind === "iam-policy" && f.scope === "identity" ? [[f.attachedTo?.ref, f.statements.map((x) => `${x.actions.join(",")} on ${x.resources.join(",")}`)]] : []));
    assert.deepEqual(identity, [
      ["serviceAccount:a@p.iam.gserviceaccount.com", ["roles/pubsub.publisher on events"]],
      ["serviceAccount:b@p.iam.gserviceaccount.com", ["pubsub:* on work"]],
      ["user:c@acme.example", ["* on other"]],
    ]);
  });

  it("reads the fleet key on log buckets, Valkey and Cloud SQL, and a Cloud SQL replica's source", () => {
    const key = "projects/p/locations/europe-west4/keyRings/r/cryptoKeys/fleet";
    const facts = factsFromResources([
      { type: "gcp:logging/projectBucketConfig:ProjectBucketConfig", name: "logs", custom: true, inputs: { bucketId: "agents", retentionDays: 14, cmekSettings: { kmsKeyName: key } } },
      { type: "gcp:memorystore/instance:Instance", name: "cache", custom: true, inputs: { kmsKey: key, labels: {} } },
      { type: "gcp:sql/databaseInstance:DatabaseInstance", name: "replica", custom: true, inputs: { masterInstanceName: "primary", encryptionKeyName: key, settings: { tier: "db-custom-2-7680" } } },
    ]);
    const log = facts.find((f) => f.kind === "log-group");
    assert.ok(log && log.kind === "log-group");
    assert.deepEqual([log.retentionDays, log.encryption], [14, { atRest: "customer-key", keyId: key }]);
    const stores = facts.flatMap((f) => (f.kind === "store" ? [[f.storeKind, f.encryption.atRest, f.replicaOf]] : []));
    assert.deepEqual(stores, [
      ["memorystore", "customer-key", undefined],
      ["cloudsql", "customer-key", "primary"],
    ]);
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
