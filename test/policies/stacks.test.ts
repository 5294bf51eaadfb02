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

const STACKS: ReadonlyArray<{ stack: string; environment: "dev" | "prod" }> = [
  { stack: "small", environment: "dev" },
  { stack: "small", environment: "prod" },
  { stack: "medium", environment: "dev" },
  { stack: "medium", environment: "prod" },
  { stack: "enterprise", environment: "dev" },
  { stack: "enterprise", environment: "prod" },
];

describe("the example stacks pass every mandatory rule", () => {
  for (const { stack, environment } of STACKS) {
    it(`stacks/index.ts stack=${stack} environment=${environment}`, async () => {
      const graph = await runOffline("stacks/index.ts", { config: { stack, environment } });
      const result = evaluate(factsFromGraph(graph), { config: shared(`policies/${environment}.json`), now: CHECK_DAY, estimateCost: loadEstimator() });
      assert.equal(result.tier, stack);
      assert.equal(result.environment, environment);
      const mandatory = result.violations.filter((v) => v.enforcement === "mandatory");
      assert.deepEqual(mandatory.map((v) => `${v.ruleId} ${v.resource}: ${v.message}`), []);
      assert.ok(result.rules.length >= 34, "the rules ran");
    });
  }
});
