import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { AgentBroker } from "../../lib/components/agent-broker";
import { AgentPlatform } from "../../lib/components/agent-platform";
import { AgentStateStore } from "../../lib/components/agent-state-store";
import { MicroAgentService } from "../../lib/components/micro-agent-service";
import { estimateCost } from "../../lib/cost/estimate";
import { factsFromGraph } from "../../lib/facts";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import { GCP_PROJECT_NUMBER } from "../../lib/offline/mocks/gcp";
import type { FleetInput } from "../../lib/spec";
import { MicroAgentsConfigError } from "../../lib/spec";
import { firestoreMultiRegion } from "../../lib/targets/gcp/replication";
import { loadPolicyConfig } from "../../policies/engine/config";
import { loadEstimator } from "../../policies/engine/cost";
import { evaluate } from "../../policies/engine/evaluate";
import { CHECK_DAY } from "../policies/fixtures/kit";
import { BILLING, gcpAgent, gcpFleet, planGcp, PROJECT } from "../helpers/gcp";
import { at, ofType, one } from "../helpers/offline";

/** A medium-tier fleet with a primary and a backup GCP target. */
function pairFleet(runtime: "run" | "gke", primary: string, backup: string): FleetInput {
  const base = gcpFleet(runtime, [gcpAgent("triage"), gcpAgent("writer")], { tier: "medium", environment: "prod" });
  return { ...base, spec: { ...base.spec, targets: [{ runtime, region: primary, project: PROJECT, billingAccount: BILLING }, { runtime, region: backup, project: PROJECT, billingAccount: BILLING, role: "backup" }] } };
}

/** Builds both regions with the state stores wired as AgentFleet wires a pair: the primary names its backup, the backup replicates the primary. */
function buildPair(fleet: FleetInput, promoted = false): Promise<ResourceGraph> {
  return runOffline(
    () => {
      // The backup joins the primary's VPC network, as AgentFleet builds a GCP pair.
      const primaryPlatform = new AgentPlatform("acme-0", { fleet, targetIndex: 0 });
      const platforms = [primaryPlatform, new AgentPlatform("acme-1", { fleet, targetIndex: 1, networkOf: primaryPlatform })];
      const services = platforms.map((platform) => {
        const broker = new AgentBroker(`${platform.resourceName}`, { platform });
        return ["triage", "writer"].map((agent) => new MicroAgentService(`${platform.resourceName}-${agent}`, { platform, agent, broker }));
      });
      const primary = new AgentStateStore("acme-0-state", { platform: platforms[0], services: services[0], replicaPlatforms: [platforms[1]] });
      new AgentStateStore("acme-1-state", { platform: platforms[1], services: services[1], replicaOf: primary });
    },
    { config: { "gcp:project": PROJECT, "microagents:billingAccount": BILLING, ...(promoted ? { "microagents:backupDatabasePromoted": "true" } : {}) } },
  );
}

describe("GCP primary and backup: replicated state", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await buildPair(pairFleet("run", "us-central1", "us-east1"));
  });

  it("maps primary regions to Firestore multi-regions: North America to nam5, Europe to eur3, none elsewhere", () => {
    assert.deepEqual(["us-central1", "us-east4", "northamerica-northeast1", "europe-west4", "europe-north1", "asia-southeast1", "australia-southeast1"].map((r) => firestoreMultiRegion(r)?.location), ["nam5", "nam5", "nam5", "eur3", "eur3", undefined, undefined]);
  });

  it("keeps one Firestore database, in nam5, encrypted with a key in the Cloud KMS 'us' multi-region that only the Firestore agent may use", () => {
    const [db, ...others] = ofType(g, "gcp:firestore/database:Database");
    assert.equal(others.length, 0);
    assert.equal(at(db, "locationId"), "nam5");
    assert.equal(at(db, "pointInTimeRecoveryEnablement"), "POINT_IN_TIME_RECOVERY_ENABLED");
    assert.equal(at(db, "deleteProtectionState"), "DELETE_PROTECTION_ENABLED");
    const ring = one(g, "gcp:kms/keyRing:KeyRing", "acme-0-state-firestore-keyring");
    assert.equal(at(ring, "location"), "us");
    const key = one(g, "gcp:kms/cryptoKey:CryptoKey", "acme-0-state-firestore-key");
    assert.equal(at(key, "rotationPeriod"), "7776000s");
    const keyId = `projects/${PROJECT}/locations/us/keyRings/${String(at(ring, "name"))}/cryptoKeys/${String(at(key, "name"))}`;
    assert.equal(at(db, "cmekConfig", "kmsKeyName"), keyId);
    const grants = ofType(g, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember").filter((r) => at(r, "cryptoKeyId") === keyId);
    assert.deepEqual(grants.map((r) => at(r, "member")), [`serviceAccount:service-${GCP_PROJECT_NUMBER}@gcp-sa-firestore.iam.gserviceaccount.com`]);
    assert.equal(ofType(g, "gcp:firestore/backupSchedule:BackupSchedule").length, 1);
  });

  it("lets the backup region's agents use the primary's database, conditioned on it alone", () => {
    const [db] = ofType(g, "gcp:firestore/database:Database");
    for (const agent of ["triage", "writer"]) {
      const grant = one(g, "gcp:projects/iAMMember:IAMMember", `acme-1-state-${agent}-firestore`);
      assert.equal(at(grant, "role"), "roles/datastore.user");
      assert.equal(at(grant, "condition", "expression"), `resource.name == "projects/${PROJECT}/databases/${String(db.outputs.name)}"`);
      assert.match(String(at(grant, "member")), /^serviceAccount:acme-prod-use1-/);
    }
  });

  it("makes the backup's Postgres a cross-region read replica of the primary's: its region and key, the pair's one network; no backups of its own, deletion protection on", () => {
    const primary = one(g, "gcp:sql/databaseInstance:DatabaseInstance", "acme-0-state-postgres");
    const replica = one(g, "gcp:sql/databaseInstance:DatabaseInstance", "acme-1-state-postgres");
    assert.equal(at(replica, "region"), "us-east1");
    assert.equal(at(replica, "masterInstanceName"), primary.outputs.name);
    assert.equal(at(replica, "instanceType"), "READ_REPLICA_INSTANCE");
    assert.equal(at(primary, "masterInstanceName"), undefined);
    assert.match(String(at(replica, "encryptionKeyName")), new RegExp(`^projects/${PROJECT}/locations/us-east1/keyRings/[^/]+/cryptoKeys/${String(at(one(g, "gcp:kms/cryptoKey:CryptoKey", "acme-1-key"), "name"))}$`));
    assert.equal(at(replica, "settings", "ipConfiguration", "privateNetwork"), `projects/${PROJECT}/global/networks/${String(at(one(g, "gcp:compute/network:Network", "acme-0-vpc"), "name"))}`);
    assert.equal(at(replica, "settings", "backupConfiguration"), undefined);
    assert.deepEqual([at(replica, "deletionProtection"), at(replica, "settings", "deletionProtectionEnabled")], [true, true]);
    assert.equal(at(replica, "settings", "tier"), at(primary, "settings", "tier"));
    assert.equal(at(replica, "settings", "availabilityType"), "ZONAL");
    assert.equal(at(primary, "settings", "availabilityType"), "REGIONAL");
    assert.deepEqual([at(primary, "settings", "backupConfiguration", "enabled"), at(primary, "settings", "backupConfiguration", "pointInTimeRecoveryEnabled")], [true, true]);
    // The backup agents' IAM database users are created on the primary: they replicate, and survive promotion.
    for (const agent of ["triage", "writer"]) assert.equal(at(one(g, "gcp:sql/user:User", `acme-1-state-${agent}`), "instance"), primary.outputs.name);
  });

  it("prices the pair: the multi-region database at multi-region rates, the replica as an instance of its tier in the backup region, nothing new unpriced", () => {
    const e = estimateCost(factsFromGraph(g));
    const db = e.items.find((i) => i.type === "gcp:firestore/database:Database");
    assert.ok(db && /multi-region location/.test(db.basis), db?.basis);
    const replica = e.items.find((i) => i.resource === "acme-1-state-postgres");
    assert.ok(replica && replica.monthlyUsd > 0 && !/regional HA/.test(replica.basis), replica?.basis);
    assert.equal(replica.region, "us-east1");
    const known = new Set(["gcp:logging/metric:Metric", "gcp:monitoring/alertPolicy:AlertPolicy"]);
    assert.deepEqual([...new Set(e.unpriced.map((u) => u.type))].filter((t) => !known.has(t)), []);
  });

  it("gives the backup region a results cache of its own (it starts cold)", () => {
    const caches = ofType(g, "gcp:memorystore/instance:Instance");
    assert.deepEqual(caches.map((c) => at(c, "location")).sort(), ["us-central1", "us-east1"]);
  });

  it("judges the replica by its source's backups: no MA-SEC-024 or MA-SEC-027 finding, and no mandatory finding on the pair", () => {
    const facts = factsFromGraph(g);
    const replica = facts.find((f) => f.kind === "store" && f.storeKind === "cloudsql" && f.resource.name === "acme-1-state-postgres");
    assert.ok(replica && replica.kind === "store");
    assert.equal(replica.replicaOf, one(g, "gcp:sql/databaseInstance:DatabaseInstance", "acme-0-state-postgres").outputs.name);
    const { tier: _t, environment: _e, ...config } = loadPolicyConfig("policies/prod.json");
    const result = evaluate(facts, { config: { ...config, allowedRegions: [...(config.allowedRegions ?? []), "us-central1", "us-east1", "us"], allowedRegistries: [...(config.allowedRegistries ?? []), "us-docker.pkg.dev/acme/"] }, tier: "medium", environment: "prod", now: CHECK_DAY, estimateCost: loadEstimator() });
    assert.deepEqual(result.violations.filter((v) => ["MA-SEC-024", "MA-SEC-027"].includes(v.ruleId)).map((v) => `${v.ruleId} ${v.resource}: ${v.message}`), []);
    // And no mandatory finding at all on the pair, under the example prod config (its allow-lists widened to this pair's US regions and the test images' registry).
    assert.deepEqual(result.violations.filter((v) => v.enforcement === "mandatory").map((v) => `${v.ruleId} ${v.resource}: ${v.message}`), []);
  });

  it("after a person promotes the replica (microagents:backupDatabasePromoted), the program agrees: a standalone instance with its own backups", async () => {
    const promoted = await buildPair(pairFleet("gke", "europe-west4", "europe-west1"), true);
    const replica = one(promoted, "gcp:sql/databaseInstance:DatabaseInstance", "acme-1-state-postgres");
    assert.equal(at(replica, "masterInstanceName"), undefined);
    assert.equal(at(replica, "instanceType"), "CLOUD_SQL_INSTANCE");
    assert.equal(at(replica, "settings", "backupConfiguration", "enabled"), true);
    assert.equal(at(one(promoted, "gcp:firestore/database:Database", "acme-0-state-firestore"), "locationId"), "eur3");
    assert.equal(at(one(promoted, "gcp:kms/keyRing:KeyRing", "acme-0-state-firestore-keyring"), "location"), "europe");
  });

  it("AgentFleet wires a GKE pair the same way: one eur3 database, the backup's Postgres a replica of the primary's, every store and log under a key, each key granted to service agents alone", async () => {
    const fleet = await planGcp(pairFleet("gke", "europe-west4", "europe-west1"));
    const [db, ...others] = ofType(fleet, "gcp:firestore/database:Database");
    assert.equal(others.length, 0);
    assert.equal(at(db, "locationId"), "eur3");
    const instances = ofType(fleet, "gcp:sql/databaseInstance:DatabaseInstance");
    const [primary] = instances.filter((i) => at(i, "region") === "europe-west4");
    const [replica] = instances.filter((i) => at(i, "region") === "europe-west1");
    assert.equal(at(replica, "masterInstanceName"), primary.outputs.name);
    assert.equal(at(primary, "masterInstanceName"), undefined);
    for (const [r, key] of [
      ...ofType(fleet, "gcp:logging/projectBucketConfig:ProjectBucketConfig").map((r) => [r, at(r, "cmekSettings", "kmsKeyName")] as const),
      ...ofType(fleet, "gcp:memorystore/instance:Instance").map((r) => [r, at(r, "kmsKey")] as const),
      ...instances.map((r) => [r, at(r, "encryptionKeyName")] as const),
      [db, at(db, "cmekConfig", "kmsKeyName")] as const,
    ]) {
      assert.match(String(key), new RegExp(`^projects/${PROJECT}/locations/(${String(at(r, "location") ?? at(r, "region"))}|europe)/keyRings/[^/]+/cryptoKeys/[^/]+$`), r.name);
    }
    for (const k of ofType(fleet, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember")) assert.match(String(at(k, "member")), /^serviceAccount:service-\d+@[a-z-]+\.iam\.gserviceaccount\.com$/, k.name);
  });

  it("refuses a pair whose primary is where Firestore has no multi-region, naming the primary's region", async () => {
    await assert.rejects(planGcp(pairFleet("run", "asia-southeast1", "asia-east1")), (e: unknown) => {
      assert.ok(e instanceof MicroAgentsConfigError, String(e));
      assert.ok(e.issues.some((i) => i.path === "spec.targets[0].region" && /multi-region/.test(i.message)), JSON.stringify(e.issues));
      return true;
    });
  });
});
