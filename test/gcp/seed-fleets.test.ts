import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { customerServiceFleet, emailFleet, researchFleet, type FleetPlacement } from "../../agents/fleets";
import { factsFromGraph } from "../../lib/facts";
import type { FleetInput } from "../../lib/spec";
import { loadPolicyConfig } from "../../policies/engine/config";
import { loadEstimator } from "../../policies/engine/cost";
import { evaluate } from "../../policies/engine/evaluate";
import { CHECK_DAY } from "../policies/fixtures/kit";
import { BILLING, planGcp, PROJECT } from "../helpers/gcp";
import { onCloudRun } from "../../stacks/gcp";

const REGION = "europe-west4";

/** Each seed fleet at the tier of the seed's scenario it comes from. */
const SEEDS: ReadonlyArray<{ fleet: (p: FleetPlacement) => FleetInput; tier: FleetPlacement["tier"] }> = [
  { fleet: emailFleet, tier: "small" },
  { fleet: customerServiceFleet, tier: "medium" },
  { fleet: researchFleet, tier: "enterprise" },
];

describe("the seed fleets pass every mandatory rule on Cloud Run and GKE in dev", () => {
  for (const runtime of ["run", "gke"] as const) {
    // prod is checked in invariants.test.ts on the same graphs (each seed at its own tier).
    for (const environment of ["dev"] as const) {
      for (const seed of SEEDS) {
        const base = seed.fleet({ tier: seed.tier, environment, targets: [{ runtime, region: REGION, project: PROJECT, billingAccount: BILLING }] });
        const fleet = runtime === "run" ? onCloudRun(base) : base;
        it(`${fleet.metadata.name} (${seed.tier}, ${environment}) on ${runtime}`, async () => {
          // The example dev config as it is: its allow-list holds the example stacks' GCP regions.
          const { tier: _t, environment: _e, ...config } = loadPolicyConfig(`policies/${environment}.json`);
          assert.ok(config.allowedRegions?.includes(REGION));
          const graph = await planGcp(fleet);
          const result = evaluate(factsFromGraph(graph), { config, tier: seed.tier, environment, now: CHECK_DAY, estimateCost: loadEstimator() });
          const mandatory = result.violations.filter((v) => v.enforcement === "mandatory");
          assert.deepEqual(mandatory.map((v) => `${v.ruleId} ${v.resource}: ${v.message}`), []);
        });
      }
    }
  }
});
