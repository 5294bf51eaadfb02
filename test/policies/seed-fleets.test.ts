import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { researchFleet, customerServiceFleet, emailFleet, type FleetPlacement } from "../../agents/fleets";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { factsFromGraph } from "../../lib/facts";
import { runOffline } from "../../lib/offline/engine";
import type { FleetInput } from "../../lib/spec";
import { availableRuntimes } from "../../lib/targets/registry";
import { loadPolicyConfig } from "../../policies/engine/config";
import { loadEstimator } from "../../policies/engine/cost";
import { evaluate } from "../../policies/engine/evaluate";
import { CHECK_DAY } from "./fixtures/kit";

/** Each seed fleet at the tier of the seed's scenario it comes from. */
const SEEDS: ReadonlyArray<{ fleet: (p: FleetPlacement) => FleetInput; tier: FleetPlacement["tier"] }> = [
  { fleet: emailFleet, tier: "small" },
  { fleet: customerServiceFleet, tier: "medium" },
  { fleet: researchFleet, tier: "enterprise" },
];

describe("the seed fleets pass every mandatory rule on every available runtime", () => {
  // GCP runtimes need a project and a GCP region, and Cloud Run whole GPUs: test/gcp/seed-fleets.test.ts.
  // Azure runtimes need an Azure region, and Container Apps whole GPUs: test/azure/invariants.test.ts and stacks.test.ts.
  for (const runtime of availableRuntimes().filter((r) => r !== "run" && r !== "gke" && r !== "aca" && r !== "aks")) {
    for (const environment of ["dev", "prod"] as const) {
      for (const seed of SEEDS) {
        const fleet = seed.fleet({ tier: seed.tier, environment, targets: [{ runtime, region: runtime === "kubernetes" ? "local" : "us-east-1" }] });
        it(`${fleet.metadata.name} (${seed.tier}, ${environment}) on ${runtime}`, async () => {
          const { tier: _t, environment: _e, ...config } = loadPolicyConfig(`policies/${environment}.json`);
          const graph = await runOffline(() => new AgentFleet(fleet.metadata.name, { fleet }));
          const result = evaluate(factsFromGraph(graph), { config, tier: seed.tier, environment, now: CHECK_DAY, estimateCost: loadEstimator() });
          const mandatory = result.violations.filter((v) => v.enforcement === "mandatory");
          assert.deepEqual(mandatory.map((v) => `${v.ruleId} ${v.resource}: ${v.message}`), []);
        });
      }
    }
  }
});
