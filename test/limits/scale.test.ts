import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { largeFleet } from "../../bench/fleets";
import type { ResourceGraph } from "../../lib/offline/engine";
import { planFleet } from "../../lib/plan";
import { graphLimitReport, planLimitReport, policyChars } from "../../lib/plan/limits";
import type { FleetInput, Runtime, Tier } from "../../lib/spec";
import { planFleetOffline } from "../helpers/offline";

/**
 * 500 agents on the AWS runtimes in every tier. The plan (names, REST API
 * resources, topic subscriptions and filter policies, cache users) is checked at
 * 500 agents outright. The resources are checked by growth: each fleet is run
 * through the offline engine at 4 and 8 agents, no limit is crossed, and no role
 * shared by the fleet has a policy that grows with it; so none reaches IAM's
 * limits at 500. Planning 500 agents through the engine takes about 75 s of CPU
 * per runtime and tier, too slow for npm test: `node --import tsx bench/limits-500.ts`
 * runs the full 500-agent plans (bench/RESULTS.md).
 */
const RUNTIMES: ReadonlyArray<Runtime> = ["ecs", "eks"];
const TIERS: ReadonlyArray<Tier> = ["small", "medium", "enterprise"];

function fleetOf(n: number, runtime: Runtime, tier: Tier): FleetInput {
  const f = largeFleet(n, runtime);
  return { ...f, metadata: { name: `scale-${runtime}` }, spec: { ...f.spec, tier, environment: "prod" } };
}

/** Inline policy characters per role, keyed by the role's name with agent names taken out. */
function roleSizes(g: ResourceGraph): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of g.resources) {
    if (r.type !== "aws:iam/rolePolicy:RolePolicy" || typeof r.inputs.policy !== "string") continue;
    const role = String(r.inputs.role);
    out.set(role, (out.get(role) ?? 0) + policyChars(r.inputs.policy));
  }
  return out;
}

const isShared = (role: string) => !/agent-\d{4}/.test(role);

describe("500 agents: the plan crosses no limit on ECS or EKS, in any tier", () => {
  for (const runtime of RUNTIMES) {
    for (const tier of TIERS) {
      it(`${runtime} ${tier} prod`, () => {
        const plan = planFleet(fleetOf(500, runtime, tier));
        const report = planLimitReport(plan);
        assert.deepEqual(report.errors, []);
        assert.deepEqual(report.warnings, [], "no adjustable quota either");
        assert.equal(plan.agents.length, 500);
      });
    }
  }
});

for (const runtime of RUNTIMES) {
  describe(`Pulumi ${runtime}: no limit crossed, and no shared role's policy grows with the fleet`, () => {
    const graphs = new Map<string, { small: ResourceGraph; large: ResourceGraph }>();
    before(async () => {
      for (const tier of TIERS) graphs.set(tier, { small: await planFleetOffline(fleetOf(4, runtime, tier)), large: await planFleetOffline(fleetOf(8, runtime, tier)) });
    });
    for (const tier of TIERS) {
      it(`${tier} prod`, () => {
        const g = graphs.get(tier);
        if (!g) throw new Error("no graphs");
        for (const graph of [g.small, g.large]) assert.deepEqual(graphLimitReport(graph.resources).errors, []);
        const small = roleSizes(g.small);
        const large = roleSizes(g.large);
        const shared = [...large.keys()].filter(isShared);
        assert.ok(shared.length >= 3, `shared roles: ${shared.join(", ")}`);
        for (const role of shared) assert.equal(large.get(role), small.get(role), `${role} grows with the fleet: ${small.get(role)} -> ${large.get(role)} characters`);
        // Per-agent roles are the same size whatever the fleet's size, far below IAM's 10,240.
        const perAgent = [...large.entries()].filter(([r]) => !isShared(r)).map(([, n]) => n);
        assert.ok(perAgent.length >= 8 && Math.max(...perAgent) < 5_000, `largest per-agent role: ${Math.max(...perAgent)}`);
      });
    }
  });
}
