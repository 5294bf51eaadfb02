import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { planFleet } from "../../lib/plan/plan-fleet";
import type { AgentInput, FleetInput, TargetInput } from "../../lib/spec";
import { preflightIssues } from "../../lib/targets/preflight";
import { cli } from "../helpers/cli";
import { DIGEST } from "../helpers/fleets";

const JWT = { issuer: "https://auth.acme.example/", jwksUri: "https://auth.acme.example/.well-known/jwks.json", audiences: ["agents"] };
const canary: AgentInput = { name: "docs", image: `ghcr.io/acme/docs@${DIGEST}`, route: { path: "/docs", weight: 25 } };
const vision: AgentInput = { name: "vision", image: `ghcr.io/acme/vision@${DIGEST}`, resources: { cpu: 2, memory: "8Gi", gpu: { share: 1, memoryGi: 16 } } };

function fleet(targets: TargetInput[], agents: AgentInput[]): FleetInput {
  return { apiVersion: "microagents/v1", kind: "Fleet", metadata: { name: "acme" }, spec: { tier: "enterprise", environment: "prod", team: "platform", targets, agents, gateway: { jwt: JWT, legacyBackend: { url: "https://monolith.acme.example" }, hostname: "agents.acme.example", hostedZoneId: "Z0ACMEZONE1234", public: true } } };
}

function file(f: FleetInput): string {
  const path = join(mkdtempSync(join(tmpdir(), "validate-")), "fleet.json");
  writeFileSync(path, JSON.stringify(f));
  return path;
}

describe("validate runs the targets' checks", () => {
  it("reports every failing target with its index: a canary weight API Gateway cannot split, Cloud Run without GPUs in the region", () => {
    const plan = planFleet(fleet([{ runtime: "kubernetes", region: "local" }, { runtime: "ecs", region: "us-east-1" }, { runtime: "run", region: "europe-north1", project: "acme-agents-prod", billingAccount: "012345-6789AB-CDEF01" }], [canary, vision]));
    const issues = preflightIssues(plan, ["kubernetes", "ecs", "run"]);
    assert.deepEqual(
      issues.map((i) => i.path),
      ["spec.agents[0].route.weight", "spec.targets[2].region"],
    );
    assert.match(issues[0].message, /cannot split one route 25\/75 .* \(target spec\.targets\[1\], ecs\/us-east-1\)$/);
    assert.match(issues[1].message, /^Cloud Run has no GPUs in europe-north1$/);
  });

  it("names each target whose runtime this version lacks, not just the first", () => {
    const plan = planFleet(fleet([{ runtime: "kubernetes", region: "local" }, { runtime: "aks", region: "westeurope" }, { runtime: "gke", region: "europe-west1" }], [canary]));
    const issues = preflightIssues(plan, ["kubernetes"]);
    assert.deepEqual(issues.slice(0, 2).map((i) => `${i.path}: ${i.message}`), ["spec.targets[1].runtime: runtime 'aks' has no target in this version", "spec.targets[2].runtime: runtime 'gke' has no target in this version"]);
    // The fleet's entry is checked whatever its targets: a Route 53 global entry with no AWS target behind it.
    assert.deepEqual(issues.slice(2).map((i) => i.path), ["spec.gateway.globalEntry"]);
    assert.equal(issues[0].hint, "available: kubernetes");
  });

  it("the CLI refuses what plan would refuse: exit 2, no 'ok'", async () => {
    const r = await cli("validate", "--fleet", file(fleet([{ runtime: "ecs", region: "us-east-1" }], [canary])));
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^spec\.agents\[0\]\.route\.weight: API Gateway \(runtime ecs\/eks\) cannot split one route 25\/75/);
  });

  it("checks several files, naming the file on each line", async () => {
    const good = file(fleet([{ runtime: "kubernetes", region: "local" }], [canary]));
    const bad = file(fleet([{ runtime: "ecs", region: "us-east-1" }], [canary]));
    const r = await cli("validate", "--fleet", good, "--fleet", bad, "--fleet", "test/fixtures/nope.yaml");
    assert.equal(r.code, 2);
    assert.match(r.stdout, new RegExp(`^${good.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: ok: fleet acme`));
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 2);
    assert.ok(lines[0].startsWith(`${bad}: spec.agents[0].route.weight: `), lines[0]);
    assert.equal(lines[1], "test/fixtures/nope.yaml: no such file (check the --fleet path)");
  });
});
