import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { factsFromGraph } from "../../lib/facts";
import { runOffline } from "../../lib/offline/engine";
import { loadPolicyConfig, type PolicyConfig } from "../../policies/engine/config";
import { loadEstimator } from "../../policies/engine/cost";
import { evaluate } from "../../policies/engine/evaluate";
import { CHECK_DAY } from "./fixtures/kit";

/** The example configs' allow-lists and waivers; tier and environment come from the stack's own tags. */
function shared(path: string): PolicyConfig {
  const { tier: _tier, environment: _environment, ...rest } = loadPolicyConfig(path);
  return rest;
}

/** The GCP project and billing account a stack with a GCP target needs (the enterprise stack's GKE cluster); the others ignore them. */
const GCP_CONFIG = { "gcp:project": "acme-agents", "microagents:billingAccount": "012345-6789AB-CDEF01" };

/** Every stack on every runtime it offers (the first is its default), in dev and prod. */
const STACKS: ReadonlyArray<{ stack: string; runtimes: ReadonlyArray<string | undefined> }> = [
  { stack: "small", runtimes: [undefined, "eks", "kubernetes"] },
  { stack: "medium", runtimes: [undefined, "ecs", "eks"] },
  { stack: "enterprise", runtimes: [undefined] },
];

describe("the example stacks pass every mandatory rule", () => {
  for (const { stack, runtimes } of STACKS) {
    for (const runtime of runtimes) {
      for (const environment of ["dev", "prod"] as const) {
        it(`stacks/index.ts stack=${stack}${runtime ? ` runtime=${runtime}` : ""} environment=${environment}`, async () => {
          const graph = await runOffline("stacks/index.ts", { config: { stack, environment, ...(runtime ? { runtime } : {}), ...GCP_CONFIG } });
          const result = evaluate(factsFromGraph(graph), { config: shared(`policies/${environment}.json`), now: CHECK_DAY, estimateCost: loadEstimator() });
          assert.equal(result.tier, stack);
          assert.equal(result.environment, environment);
          const mandatory = result.violations.filter((v) => v.enforcement === "mandatory");
          assert.deepEqual(mandatory.map((v) => `${v.ruleId} ${v.resource}: ${v.message}`), []);
          assert.ok(result.rules.length >= 34, "the rules ran");
        });
      }
    }
  }
});
