import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { estimateCost } from "../../lib/cost";
import { factsFromGraph } from "../../lib/facts";
import { runOffline } from "../../lib/offline/engine";
import { ruleContext } from "../../policies/engine/evaluate";
import { ruleById } from "../../policies/rules";
import { azureStateFixtures } from "./fixtures/azure-state";
import { costFixtures } from "./fixtures/cost";
import { coverageFixtures } from "./fixtures/coverage";
import { CHECK_DAY, type Fixture } from "./fixtures/kit";
import { securityFixtures } from "./fixtures/security";

async function findings(f: Fixture) {
  const rule = ruleById(f.rule);
  assert.ok(rule, `no rule ${f.rule}`);
  const graph = await runOffline(f.program, { project: "fixtures", stack: "test" });
  const facts = factsFromGraph(graph);
  const ctx = ruleContext(f.tier ?? "small", f.environment ?? "prod", { ...(f.config ? { config: f.config } : {}), now: CHECK_DAY, estimateCost: (x) => estimateCost(x) });
  return { found: rule.check(facts, ctx), resources: graph.resources.length };
}

for (const [kind, fixtures] of [["security", securityFixtures], ["cost", costFixtures], ["coverage", coverageFixtures], ["azure state", azureStateFixtures]] as const) {
  describe(`${kind} rules on real provider resources`, () => {
    for (const f of fixtures) {
      it(`${f.rule} ${f.expect === "pass" ? "passes" : "fails"}: ${f.name}`, async () => {
        const { found, resources } = await findings(f);
        assert.ok(resources > 0, "the fixture registered no resource");
        if (f.expect === "pass") {
          assert.deepEqual(found.map((x) => x.message), [], "a compliant fixture must give no finding");
        } else {
          assert.ok(found.length > 0, "a non-compliant fixture must give a finding");
          if (f.match) assert.ok(found.some((x) => f.match?.test(x.message)), `no finding matches ${f.match}: ${found.map((x) => x.message).join(" | ")}`);
        }
      });
    }
  });
}
