import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { customerServiceFleet, emailFleet, researchFleet, type FleetPlacement } from "../../agents/fleets";
import type { ResourceGraph } from "../../lib/offline/engine";
import { TRACE_ROLE } from "../../lib/targets/gcp/identity";
import { STATE_ROLES } from "../../lib/targets/gcp/state-store";
import { KEDA_ROLE, NODE_ROLES } from "../../lib/targets/gcp-gke";
import type { FleetInput } from "../../lib/spec";
import { onCloudRun } from "../../stacks/gcp";
import { BILLING, planGcp, PROJECT } from "../helpers/gcp";
import { at, ofType } from "../helpers/offline";
import { factsFromGraph } from "../../lib/facts";
import { loadPolicyConfig } from "../../policies/engine/config";
import { loadEstimator } from "../../policies/engine/cost";
import { evaluate } from "../../policies/engine/evaluate";
import { CHECK_DAY } from "../policies/fixtures/kit";

/**
 * What must hold for every GCP stack this package builds: every seed fleet, in
 * every tier, on Cloud Run and on GKE.
 */
const SEEDS: ReadonlyArray<(p: FleetPlacement) => FleetInput> = [emailFleet, customerServiceFleet, researchFleet];
/** The tier of the seed's scenario each fleet comes from: there, prod must pass every mandatory rule. */
const OWN_TIER: Readonly<Record<string, string>> = { "acme-email": "small", "acme-support": "medium", "acme-research": "enterprise" };
const REGION = "europe-west4";
const PUBLIC = ["allUsers", "allAuthenticatedUsers"];
/** A key of the fleet's key ring in the target's region. */
const FLEET_KEY = new RegExp(`^projects/${PROJECT}/locations/${REGION}/keyRings/[^/]+/cryptoKeys/[^/]+$`);
/** Google service agents of the project (cloud.google.com/iam/docs/service-agents). */
const SERVICE_AGENT = /^serviceAccount:service-\d+@(gcp-sa-[a-z-]+|container-engine-robot|compute-system|serverless-robot-prod)\.iam\.gserviceaccount\.com$/;

function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (typeof v === "object" && v !== null) return Object.values(v).flatMap(strings);
  return [];
}

for (const runtime of ["run", "gke"] as const) {
  for (const tier of ["small", "medium", "enterprise"] as const) {
    for (const seed of SEEDS) {
      const base = seed({ tier, environment: "prod", targets: [{ runtime, region: REGION, project: PROJECT, billingAccount: BILLING }] });
      const fleet = runtime === "run" ? onCloudRun(base) : base;
      describe(`${runtime}: ${fleet.metadata.name}, ${tier}`, () => {
        let g: ResourceGraph;
        before(async () => {
          g = await planGcp(fleet);
        });

        if (OWN_TIER[fleet.metadata.name] === tier) {
          it("passes every mandatory rule (prod, the example prod policy config)", () => {
            const { tier: _t, environment: _e, ...config } = loadPolicyConfig("policies/prod.json");
            const result = evaluate(factsFromGraph(g), { config, tier, environment: "prod", now: CHECK_DAY, estimateCost: loadEstimator() });
            assert.deepEqual(result.violations.filter((v) => v.enforcement === "mandatory").map((v) => `${v.ruleId} ${v.resource}: ${v.message}`), []);
          });
        }

        it("grants nothing to allUsers or allAuthenticatedUsers, anywhere", () => {
          for (const r of g.resources) for (const s of strings(r.inputs)) assert.ok(!PUBLIC.includes(s), `${r.type} ${r.name}: ${s}`);
        });

        it("creates no service-account keys", () => {
          assert.deepEqual(g.resources.filter((r) => r.type === "gcp:serviceaccount/key:Key").map((r) => r.name), []);
        });

        it("gives agents no project-wide role except writing traces; nodes and KEDA get only their documented roles", () => {
          const agents = new Set(ofType(g, "gcp:serviceaccount/account:Account").filter((r) => String(at(r, "description")).startsWith("What agent")).map((r) => `serviceAccount:${String(r.outputs.email)}`));
          assert.ok(agents.size > 0);
          for (const m of ofType(g, "gcp:projects/iAMMember:IAMMember")) {
            const member = String(at(m, "member"));
            const role = String(at(m, "role"));
            if (agents.has(member) && role === TRACE_ROLE) continue;
            if (agents.has(member)) {
              // State services grant at project level only: each such grant is conditioned on the one resource.
              assert.ok((Object.values(STATE_ROLES) as string[]).includes(role), `${m.name}: agent with project role ${role}`);
              assert.match(String(at(m, "condition", "expression")), /^resource\.name == "/, `${m.name}: ${role} without a resource condition`);
            }
            else assert.ok([...NODE_ROLES, KEDA_ROLE].includes(role as (typeof NODE_ROLES)[number]), `${m.name}: unexpected project role ${role}`);
          }
          assert.equal(ofType(g, "gcp:projects/iAMBinding:IAMBinding").length + ofType(g, "gcp:projects/iAMPolicy:IAMPolicy").length, 0);
        });

        it("dead-letters every subscription into a topic that has a subscription of its own", () => {
          const subs = ofType(g, "gcp:pubsub/subscription:Subscription");
          const topicsWithSubs = new Set(subs.map((s) => String(at(s, "topic"))));
          for (const s of subs.filter((x) => at(x, "labels", "queue-role") !== "dead-letter")) {
            const target = at(s, "deadLetterPolicy", "deadLetterTopic");
            assert.ok(typeof target === "string", `${s.name} has no dead-letter topic`);
            assert.ok(topicsWithSubs.has(target), `${s.name}: ${target} has no subscription`);
            assert.ok(Number(at(s, "deadLetterPolicy", "maxDeliveryAttempts")) >= 5);
          }
        });

        it("encrypts every topic with the fleet key", () => {
          for (const t of ofType(g, "gcp:pubsub/topic:Topic")) assert.match(String(at(t, "kmsKeyName")), /\/cryptoKeys\//, t.name);
        });

        it("keeps logs for the environment's retention, under the fleet key", () => {
          const buckets = ofType(g, "gcp:logging/projectBucketConfig:ProjectBucketConfig");
          assert.equal(buckets.length, 1);
          for (const b of buckets) {
            assert.equal(at(b, "retentionDays"), 30);
            assert.match(String(at(b, "cmekSettings", "kmsKeyName")), FLEET_KEY, b.name);
          }
        });

        it("encrypts every store, service and cluster with a fleet key, and grants each key only to Google service agents, on the key", () => {
          const keyed: Array<[string, unknown]> = [
            ...ofType(g, "gcp:firestore/database:Database").map((r): [string, unknown] => [r.name, at(r, "cmekConfig", "kmsKeyName")]),
            ...ofType(g, "gcp:memorystore/instance:Instance").map((r): [string, unknown] => [r.name, at(r, "kmsKey")]),
            ...ofType(g, "gcp:sql/databaseInstance:DatabaseInstance").map((r): [string, unknown] => [r.name, at(r, "encryptionKeyName")]),
            ...ofType(g, "gcp:cloudrunv2/service:Service").map((r): [string, unknown] => [r.name, at(r, "template", "encryptionKey")]),
            ...ofType(g, "gcp:container/cluster:Cluster").map((r): [string, unknown] => [r.name, at(r, "databaseEncryption", "keyName")]),
          ];
          assert.ok(keyed.length >= 3);
          for (const [name, key] of keyed) assert.match(String(key), FLEET_KEY, name);
          const grants = ofType(g, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember");
          for (const k of grants) {
            assert.equal(at(k, "role"), "roles/cloudkms.cryptoKeyEncrypterDecrypter", k.name);
            assert.match(String(at(k, "member")), SERVICE_AGENT, k.name);
          }
          const agents = new Set(grants.map((k) => String(at(k, "member")).split("@")[1]));
          const expected = ["gcp-sa-pubsub", "gcp-sa-logging", "gcp-sa-firestore", "gcp-sa-memorystore", ...(runtime === "run" ? ["serverless-robot-prod"] : ["container-engine-robot", "compute-system"])];
          for (const domain of expected) assert.ok(agents.has(`${domain}.iam.gserviceaccount.com`), `${domain} has no grant on the fleet key`);
          for (const m of ofType(g, "gcp:projects/iAMMember:IAMMember")) assert.ok(!String(at(m, "role")).startsWith("roles/cloudkms."), `${m.name}: a project-wide key role`);
          assert.equal(ofType(g, "gcp:kms/cryptoKeyIAMBinding:CryptoKeyIAMBinding").length + ofType(g, "gcp:kms/keyRingIAMMember:KeyRingIAMMember").length, 0);
        });

        it("keeps every Secret Manager secret it creates under the fleet key, replicated in the region only", () => {
          for (const sec of ofType(g, "gcp:secretmanager/secret:Secret")) {
            const replicas = at(sec, "replication", "userManaged", "replicas") as Array<{ location: string; customerManagedEncryption?: { kmsKeyName: string } }>;
            assert.ok(Array.isArray(replicas) && replicas.length > 0, `${sec.name}: automatic replication`);
            for (const r of replicas) assert.deepEqual([r.location, FLEET_KEY.test(r.customerManagedEncryption?.kmsKeyName ?? "")], [REGION, true], sec.name);
          }
        });

        it("keeps any Cloud Storage bucket private: public access prevention enforced, uniform access", () => {
          for (const b of ofType(g, "gcp:storage/bucket:Bucket")) assert.deepEqual([at(b, "publicAccessPrevention"), at(b, "uniformBucketLevelAccess")], ["enforced", true], b.name);
        });

        it("backs up every store and protects it from deletion", () => {
          const [db] = ofType(g, "gcp:firestore/database:Database");
          assert.equal(at(db, "pointInTimeRecoveryEnablement"), "POINT_IN_TIME_RECOVERY_ENABLED");
          assert.equal(at(db, "deleteProtectionState"), "DELETE_PROTECTION_ENABLED");
          assert.equal(ofType(g, "gcp:firestore/backupSchedule:BackupSchedule").length, 1);
          for (const c of ofType(g, "gcp:memorystore/instance:Instance")) {
            assert.equal(at(c, "deletionProtectionEnabled"), true);
            assert.ok(at(c, "automatedBackupConfig", "retention"));
          }
          for (const pg of ofType(g, "gcp:sql/databaseInstance:DatabaseInstance")) {
            assert.deepEqual([at(pg, "deletionProtection"), at(pg, "settings", "deletionProtectionEnabled")], [true, true]);
            assert.deepEqual([at(pg, "settings", "backupConfiguration", "enabled"), at(pg, "settings", "backupConfiguration", "pointInTimeRecoveryEnabled")], [true, true]);
            assert.equal(at(pg, "settings", "ipConfiguration", "ipv4Enabled"), false);
          }
        });

        it("protects stateful and serving resources from deletion in prod", () => {
          for (const r of [...ofType(g, "gcp:cloudrunv2/service:Service"), ...ofType(g, "gcp:container/cluster:Cluster")]) assert.equal(at(r, "deletionProtection"), true, r.name);
        });

        it("labels every taggable resource with the cost-allocation labels", () => {
          for (const r of [...ofType(g, "gcp:pubsub/topic:Topic"), ...ofType(g, "gcp:pubsub/subscription:Subscription"), ...ofType(g, "gcp:cloudrunv2/service:Service"), ...ofType(g, "gcp:kms/cryptoKey:CryptoKey")]) {
            for (const k of ["fleet", "agent", "tier", "environment", "team", "managed-by"]) assert.ok(typeof at(r, "labels", k) === "string", `${r.type} ${r.name}: label ${k}`);
          }
        });
      });
    }
  }
}
