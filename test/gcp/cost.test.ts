import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { customerServiceFleet } from "../../agents/fleets";
import { estimateCost } from "../../lib/cost/estimate";
import { cloudSqlMachine } from "../../lib/cost/services";
import { factsFromGraph } from "../../lib/facts";
import { onCloudRun } from "../../stacks/gcp";
import { BILLING, planGcp, PROJECT } from "../helpers/gcp";

/** What the estimate still cannot price on GCP, each for a stated reason (README, Google Cloud): nothing now. */
const KNOWN_UNPRICED = new Set<string>();

describe("microagents cost on GCP", () => {
  for (const runtime of ["run", "gke"] as const) {
    it(`prices every resource of acme-support (medium, prod) on ${runtime} but the listed few`, async () => {
      const base = customerServiceFleet({ tier: "medium", environment: "prod", targets: [{ runtime, region: "us-central1", project: PROJECT, billingAccount: BILLING }] });
      const e = estimateCost(factsFromGraph(await planGcp(runtime === "run" ? onCloudRun(base) : base)));
      assert.deepEqual([...new Set(e.unpriced.map((u) => u.type))].filter((t) => !KNOWN_UNPRICED.has(t)), []);
      const sql = e.items.find((i) => i.type === "gcp:sql/databaseInstance:DatabaseInstance");
      assert.ok(sql && sql.monthlyUsd > 0 && /regional HA/.test(sql.basis), sql?.basis);
      if (runtime === "run") {
        const gpu = e.items.find((i) => i.type === "gcp:cloudrunv2/service:Service" && /L4/.test(i.basis));
        assert.ok(gpu && gpu.monthlyUsd > 0, "Cloud Run L4 services are priced");
      }
    });
  }

  it("reads Cloud SQL tiers", () => {
    assert.deepEqual(cloudSqlMachine("db-custom-2-7680"), { vcpu: 2, memoryGb: 7.5, note: "" });
    assert.equal(cloudSqlMachine("db-perf-optimized-N-4")?.memoryGb, 32);
    assert.equal(cloudSqlMachine("db-f1-micro"), undefined);
  });
});
