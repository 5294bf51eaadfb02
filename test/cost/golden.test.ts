import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { customerServiceFleet, emailFleet, researchFleet } from "../../agents";
import { estimateFleet, type CostEstimate } from "../../lib/cost";
import type { FleetInput } from "../../lib/spec";

/**
 * Golden estimates: the estimate of fixed fleets, kept in test/cost/golden/*.json.
 * A change in a price, a usage preset, a pricing rule or a target's resources changes
 * a golden file; the test fails until the new figures are written and reviewed:
 *
 *   UPDATE_GOLDEN=1 node test/run.mjs test/cost/golden.test.ts   # then read the diff
 */

const GOLDEN_DIR = join(__dirname, "golden");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

const fleets: ReadonlyArray<{ name: string; fleet: FleetInput }> = [
  { name: "small-email-ecs-dev", fleet: emailFleet({ tier: "small", environment: "dev", targets: [{ runtime: "ecs", region: "us-east-1" }] }) },
  {
    name: "medium-support-kubernetes-prod",
    fleet: customerServiceFleet({
      tier: "medium",
      environment: "prod",
      targets: [
        { runtime: "kubernetes", region: "us-east-1", role: "primary" },
        { runtime: "kubernetes", region: "us-west-2", role: "backup" },
      ],
    }),
  },
  { name: "enterprise-research-kubernetes-prod", fleet: researchFleet({ tier: "enterprise", environment: "prod", targets: [{ runtime: "kubernetes", region: "us-east-1" }] }) },
];

/** What a reviewer reads: totals, each priced item with its basis, free items by type, unpriced items. */
function goldenOf(e: CostEstimate): Record<string, unknown> {
  const key = (x: { type: string; resource: string }) => `${x.type} ${x.resource}`;
  const paid = e.items.filter((i) => i.monthlyUsd > 0).sort((a, b) => key(a).localeCompare(key(b)));
  const free: Record<string, number> = {};
  for (const i of e.items) if (i.monthlyUsd === 0) free[i.type] = (free[i.type] ?? 0) + 1;
  return {
    totalMonthlyUsd: e.totalMonthlyUsd,
    budgetMonthlyUsd: e.budgetMonthlyUsd ?? null,
    byAgent: e.byAgent,
    items: paid.map((i) => ({ resource: i.resource, type: i.type, agent: i.agent ?? null, monthlyUsd: i.monthlyUsd, basis: i.basis })),
    atZeroByType: Object.fromEntries(Object.entries(free).sort()),
    unpriced: [...e.unpriced].sort((a, b) => key(a).localeCompare(key(b))).map((u) => ({ resource: u.resource, type: u.type, reason: u.reason })),
  };
}

function firstDifferences(expected: unknown, actual: unknown): string[] {
  const a = JSON.stringify(expected, null, 2).split("\n");
  const b = JSON.stringify(actual, null, 2).split("\n");
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < 12; i++) if (a[i] !== b[i]) out.push(`line ${i + 1}:\n  golden: ${a[i] ?? "(none)"}\n  now:    ${b[i] ?? "(none)"}`);
  return out;
}

describe("golden estimates", () => {
  for (const { name, fleet } of fleets) {
    it(`${name} matches test/cost/golden/${name}.json`, async () => {
      const { estimate } = await estimateFleet(fleet);
      const actual = goldenOf(estimate);
      const file = join(GOLDEN_DIR, `${name}.json`);
      if (UPDATE) {
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
        return;
      }
      assert.ok(existsSync(file), `no golden file ${file}: run UPDATE_GOLDEN=1 node test/run.mjs test/cost/golden.test.ts`);
      const expected: unknown = JSON.parse(readFileSync(file, "utf8"));
      const diff = firstDifferences(expected, actual);
      assert.deepEqual(diff, [], `the estimate of ${name} changed; review, then UPDATE_GOLDEN=1 node test/run.mjs test/cost/golden.test.ts\n${diff.join("\n")}`);
    });
  }
});
