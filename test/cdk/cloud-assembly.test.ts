import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { App } from "aws-cdk-lib";
import { emailFleet } from "../../agents";
import { AgentFleetStacks } from "../../lib/cdk";
import { estimateCost } from "../../lib/cost/estimate";
import { factsFromCloudAssembly } from "../../lib/facts/cloud-assembly";
import type { FactOf } from "../../lib/facts/types";
import { cli } from "../helpers/cli";

/** The email fleet on ECS, synthesized into a fresh cloud assembly. */
function synthesized(): { dir: string; fleet: AgentFleetStacks } {
  const dir = mkdtempSync(join(tmpdir(), "cdk-assembly-"));
  const app = new App({ outdir: dir });
  const fleet = new AgentFleetStacks(app, "email", { fleet: emailFleet({ tier: "small", environment: "dev", targets: [{ runtime: "ecs", region: "us-east-1" }] }) });
  app.synth();
  return { dir, fleet };
}

describe("facts from a synthesized CDK app", () => {
  const { dir, fleet } = synthesized();
  const facts = factsFromCloudAssembly(dir);

  it("follows cross-stack references: each ECS service gets its autoscaler's bounds, and GPU services their pool", () => {
    const services = facts.filter((f): f is FactOf<"container-workload"> => f.kind === "container-workload" && f.workloadKind === "Service");
    assert.equal(services.length, fleet.plan.agents.length);
    for (const s of services) {
      const agent = fleet.plan.agent(s.agent ?? "");
      assert.deepEqual(s.replicas, { min: agent.scaling.min, max: agent.scaling.max, source: "autoscaler" }, s.resource.name);
    }
    const estimate = estimateCost(facts);
    assert.deepEqual(estimate.unpriced, []);
    const gpuServices = estimate.items.filter((i) => i.type === "AWS::ECS::Service" && /node pool acme-email-dev-t4-shared/.test(i.basis));
    assert.equal(gpuServices.length, fleet.plan.agents.filter((a) => a.gpu).length);
    const cents = estimate.items.reduce((t, i) => t + Math.round(i.monthlyUsd * 100), 0);
    assert.equal(cents, Math.round(estimate.totalMonthlyUsd * 100));
  });

  it("puts each resource in its stack's region", () => {
    const regions = new Set(facts.filter((f) => f.kind === "resource").map((f) => f.region));
    assert.deepEqual([...regions], ["us-east-1"]);
  });
});

describe("microagents check and cost --cdk-out", () => {
  const { dir } = synthesized();

  it("checks the synthesized app with no mandatory violation and prices it against its budget", async () => {
    const check = await cli("check", "--cdk-out", dir, "--format", "json");
    assert.equal(check.code, 0, check.stderr);
    assert.equal((JSON.parse(check.stdout) as { summary: { mandatory: number } }).summary.mandatory, 0);
    const cost = await cli("cost", "--cdk-out", dir, "--json");
    assert.equal(cost.code, 0, cost.stderr);
    const json = JSON.parse(cost.stdout) as { totalMonthlyUsd: number; budgetMonthlyUsd: number; unpriced: unknown[] };
    assert.equal(json.budgetMonthlyUsd, 1000);
    assert.ok(json.totalMonthlyUsd > 50 && json.totalMonthlyUsd < 200, `total ${json.totalMonthlyUsd}`);
    assert.deepEqual(json.unpriced, []);
  });

  it("rejects a directory that is not a cloud assembly, and mixed sources, with exit 2", async () => {
    const empty = mkdtempSync(join(tmpdir(), "not-cdk-"));
    const r = await cli("cost", "--cdk-out", empty);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no manifest\.json: not a synthesized CDK app/);
    writeFileSync(join(empty, "manifest.json"), "{ not json");
    const bad = await cli("check", "--cdk-out", empty);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /manifest\.json: the cloud assembly manifest is not JSON/);
    const mixed = await cli("check", "--cdk-out", dir, "--stack", "stacks/index.ts");
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /give one of --fleet, --stack and --cdk-out/);
  });
});
