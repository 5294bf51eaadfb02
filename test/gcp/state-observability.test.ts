import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import type { ResourceGraph } from "../../lib/offline/engine";
import { planFleet } from "../../lib/plan";
import { cacheZoneDistribution, sqlShape } from "../../lib/targets/gcp/state-store";
import { BILLING, gcpAgent, gcpFleet, planGcp, PROJECT } from "../helpers/gcp";
import { at, one, ofType } from "../helpers/offline";

describe("AgentStateStore on GCP: Firestore, Memorystore for Valkey, Cloud SQL", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await planGcp(gcpFleet("run", [gcpAgent("a"), gcpAgent("b")], { tier: "medium", environment: "prod" }));
  });

  it("keeps tasks and context in Firestore native mode with PITR, delete protection, CMEK, a status+priority index and TTLs", () => {
    const db = one(g, "gcp:firestore/database:Database", "acme-state-firestore");
    assert.deepEqual(
      { type: at(db, "type"), pitr: at(db, "pointInTimeRecoveryEnablement"), protect: at(db, "deleteProtectionState"), location: at(db, "locationId") },
      { type: "FIRESTORE_NATIVE", pitr: "POINT_IN_TIME_RECOVERY_ENABLED", protect: "DELETE_PROTECTION_ENABLED", location: "us-central1" },
    );
    assert.match(String(at(db, "cmekConfig", "kmsKeyName")), /cryptoKeys\/acme-prod-fleet$/);
    const index = one(g, "gcp:firestore/index:Index", "acme-state-tasks-status-priority");
    assert.deepEqual(at(index, "fields"), [
      { fieldPath: "status", order: "ASCENDING" },
      { fieldPath: "priority", order: "DESCENDING" },
      { fieldPath: "__name__", order: "DESCENDING" },
    ]);
    assert.deepEqual(ofType(g, "gcp:firestore/field:Field").map((f) => [at(f, "collection"), at(f, "field")]).sort(), [["context", "expiresAt"], ["tasks", "expiresAt"]]);
  });

  it("runs the results cache on Memorystore for Valkey with IAM auth and TLS over Private Service Connect", () => {
    const c = one(g, "gcp:memorystore/instance:Instance", "acme-state-cache");
    assert.deepEqual([at(c, "authorizationMode"), at(c, "transitEncryptionMode"), at(c, "replicaCount"), at(c, "nodeType")], ["IAM_AUTH", "SERVER_AUTHENTICATION", 1, "HIGHMEM_MEDIUM"]);
    assert.equal(at(one(g, "gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy", "acme-state-cache-psc"), "serviceClass"), "gcp-memorystore");
  });

  it("puts a dev cache in one zone that exists in its region (us-east1 and europe-west1 have no -a zone), a prod cache across zones", async () => {
    assert.deepEqual(cacheZoneDistribution("us-central1", false), { mode: "SINGLE_ZONE", zone: "us-central1-a" });
    assert.deepEqual(cacheZoneDistribution("us-east1", false), { mode: "SINGLE_ZONE", zone: "us-east1-b" });
    assert.deepEqual(cacheZoneDistribution("europe-west1", false), { mode: "SINGLE_ZONE", zone: "europe-west1-b" });
    assert.deepEqual(cacheZoneDistribution("us-east1", true), { mode: "MULTI_ZONE" });
    const base = gcpFleet("run", [gcpAgent("a")], { tier: "medium", environment: "dev" });
    const dev = await planGcp({ ...base, spec: { ...base.spec, targets: [{ runtime: "run", region: "us-east1", project: PROJECT, billingAccount: BILLING }] } });
    assert.deepEqual(at(one(dev, "gcp:memorystore/instance:Instance", "acme-state-cache"), "zoneDistributionConfig"), { mode: "SINGLE_ZONE", zone: "us-east1-b" });
  });

  it("runs Postgres on a private IP with IAM auth, TLS, PITR backups, regional HA and managed pooling in medium prod", () => {
    const pg = one(g, "gcp:sql/databaseInstance:DatabaseInstance", "acme-state-postgres");
    assert.deepEqual(at(pg, "settings", "ipConfiguration"), { ipv4Enabled: false, privateNetwork: `projects/${PROJECT}/global/networks/acme-prod-us-central1-vpc`, sslMode: "ENCRYPTED_ONLY", enablePrivatePathForGoogleCloudServices: false });
    assert.equal(at(pg, "settings", "availabilityType"), "REGIONAL");
    assert.equal(at(pg, "settings", "edition"), "ENTERPRISE_PLUS");
    assert.deepEqual(at(pg, "settings", "connectionPoolConfigs"), [{ connectionPoolingEnabled: true }]);
    assert.deepEqual(at(pg, "settings", "databaseFlags", 0), { name: "cloudsql.iam_authentication", value: "on" });
    assert.equal(at(one(g, "gcp:sql/user:User", "acme-state-a"), "type"), "CLOUD_IAM_SERVICE_ACCOUNT");
  });

  it("grants each agent the state roles on these resources only", () => {
    const grant = one(g, "gcp:projects/iAMMember:IAMMember", "acme-state-a-firestore");
    assert.equal(at(grant, "role"), "roles/datastore.user");
    assert.equal(at(grant, "condition", "expression"), `resource.name == "projects/${PROJECT}/databases/acme-prod-state"`);
  });

  it("sizes Cloud SQL by tier: zonal without pooling in small, regional HA only in medium and enterprise prod", () => {
    const small = planFleet(gcpFleet("run", [gcpAgent("a")], { tier: "small", environment: "prod" }));
    assert.deepEqual(sqlShape(small, false), { tier: "db-custom-2-7680", edition: "ENTERPRISE", availabilityType: "ZONAL", retainedBackups: 30 });
    const dev = planFleet(gcpFleet("run", [gcpAgent("a")], { tier: "medium", environment: "dev" }));
    assert.equal(sqlShape(dev, true).availabilityType, "ZONAL");
  });
});

describe("ObservabilityStack on GCP: the seed's alerts, a dashboard, e-mail channels", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await planGcp(gcpFleet("run", [gcpAgent("a", { latencyTargetMs: 1500 })], { tier: "medium", environment: "prod", observability: { alertEmails: ["oncall@acme.example"] } }));
  });

  it("alerts on memory, error rate, undelivered messages, dead letters and p95 latency at the seed's thresholds, to the e-mail channel", () => {
    const policies = ofType(g, "gcp:monitoring/alertPolicy:AlertPolicy");
    assert.equal(policies.length, 5);
    const by = (id: string) => one(g, "gcp:monitoring/alertPolicy:AlertPolicy", `acme-a-${id}`);
    assert.equal(at(by("memory"), "conditions", 0, "conditionThreshold", "thresholdValue"), 0.9);
    assert.equal(at(by("error-rate"), "conditions", 0, "conditionThreshold", "thresholdValue"), 0.1);
    assert.match(String(at(by("error-rate"), "conditions", 0, "conditionThreshold", "denominatorFilter")), /user\/acme_prod_handled/);
    assert.equal(at(by("queue-depth"), "conditions", 0, "conditionThreshold", "thresholdValue"), 100);
    assert.match(String(at(by("queue-depth"), "conditions", 0, "conditionThreshold", "filter")), /subscription_id = "acme-prod-a-in"/);
    assert.deepEqual([at(by("dead-letters"), "conditions", 0, "conditionThreshold", "thresholdValue"), at(by("dead-letters"), "conditions", 0, "conditionThreshold", "duration")], [0, "0s"]);
    assert.match(String(at(by("dead-letters"), "conditions", 0, "conditionThreshold", "filter")), /subscription_id = "acme-prod-a-dlq"/);
    assert.equal(at(by("p95-latency"), "conditions", 0, "conditionThreshold", "thresholdValue"), 1500);
    const [channel] = ofType(g, "gcp:monitoring/notificationChannel:NotificationChannel").filter((c) => at(c, "labels", "email_address") === "oncall@acme.example");
    for (const p of policies) assert.deepEqual(at(p, "notificationChannels"), [channel.outputs.id ?? channel.outputs.name]);
  });

  it("draws one dashboard with a row of four tiles per agent", () => {
    const [d] = ofType(g, "gcp:monitoring/dashboard:Dashboard");
    const json = JSON.parse(String(at(d, "dashboardJson"))) as { mosaicLayout: { tiles: Array<{ yPos: number }> } };
    assert.deepEqual(json.mosaicLayout.tiles.map((t) => t.yPos), [0, 0, 0, 0]);
  });
});
