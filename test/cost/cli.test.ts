import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cli } from "../helpers/cli";

const FLEET = "test/fixtures/acme-support.fleet.yaml";

describe("microagents cost", () => {
  it("--json prints the total, the budget, every item and every unpriced resource", async () => {
    const r = await cli("cost", "--fleet", FLEET, "--json");
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      totalMonthlyUsd: number;
      budgetMonthlyUsd: number;
      items: Array<Record<string, unknown>>;
      unpriced: Array<Record<string, unknown>>;
    };
    assert.ok(out.totalMonthlyUsd > 0);
    assert.equal(out.budgetMonthlyUsd, 1000, "the small tier's budget, from the fleet's plan");
    for (const i of out.items) assert.deepEqual(Object.keys(i), ["resource", "type", "agent", "monthlyUsd", "basis"]);
    for (const u of out.unpriced) assert.deepEqual(Object.keys(u), ["resource", "type", "agent", "reason"]);
    const cents = out.items.reduce((s, i) => s + Math.round((i.monthlyUsd as number) * 100), 0);
    assert.equal(cents, Math.round(out.totalMonthlyUsd * 100));
    // Every Helm release now sizes its pods: nothing is left unpriced for this fleet.
    assert.deepEqual(out.unpriced, []);
    assert.ok(out.items.some((i) => i.type === "kubernetes:helm.sh/v3:Release" && (i.monthlyUsd as number) > 0), "Helm releases are priced");
  });

  it("prints a table per agent and per resource and the total against the budget", async () => {
    const r = await cli("cost", "--fleet", FLEET);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^By agent$/m);
    assert.match(r.stdout, /^Resources, most expensive first$/m);
    assert.doesNotMatch(r.stdout, /^Unpriced:/m, "nothing unpriced, so no such section");
    assert.match(r.stdout, /^Total: \$[\d.,]+\/month of a \$1000 budget \(\d+%\)$/m);
  });

  it("prices the naive deployment (on demand, whole GPUs) above the planned one", async () => {
    const example = "agents/acme-support.fleet.yaml"; // has quarter-GPU agents on a spot pool
    const planned = JSON.parse((await cli("cost", "--fleet", example, "--json")).stdout) as { totalMonthlyUsd: number };
    const naive = JSON.parse((await cli("cost", "--fleet", example, "--json", "--naive")).stdout) as { totalMonthlyUsd: number };
    assert.ok(naive.totalMonthlyUsd > planned.totalMonthlyUsd, `${naive.totalMonthlyUsd} > ${planned.totalMonthlyUsd}`);
  });

  it("rejects a spot discount outside [0, 1) with exit 2", async () => {
    const r = await cli("cost", "--fleet", FLEET, "--spot-discount", "1.5");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--spot-discount expects a fraction in \[0, 1\)/);
  });

  it("microagents plan shows the estimated total", async () => {
    const r = await cli("plan", "--fleet", FLEET);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Estimated cost: \$[\d.,]+\/month of a \$1000 budget \(\d+%\)/m);
  });
});
