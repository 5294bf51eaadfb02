import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { isConfigError, parseFleet, type SpecIssue } from "../../lib/spec";
import { minimalAgent, minimalFleet } from "../helpers/fleets";

/** Parses and returns the issues; fails when the input is accepted. */
function issuesOf(input: unknown): SpecIssue[] {
  try {
    parseFleet(input);
  } catch (e) {
    if (isConfigError(e)) return [...e.issues];
    throw e;
  }
  assert.fail("expected the fleet to be rejected");
}

function rejectedAt(input: unknown, path: string, message?: RegExp): SpecIssue {
  const issues = issuesOf(input);
  const hit = issues.find((i) => i.path === path);
  assert.ok(hit, `no issue at ${path}; got:\n${issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`);
  if (message) assert.match(hit.message, message);
  return hit;
}

function assertRejectedAt(input: unknown, path: string, message?: RegExp): void {
  rejectedAt(input, path, message);
}

describe("parseFleet rejects bad fleets at the exact path", () => {
  it("an invalid fleet name", () => assertRejectedAt({ ...minimalFleet(), metadata: { name: "Acme_Corp" } }, "metadata.name", /DNS-1123/));
  it("a fleet name too long for cloud resource names", () => assertRejectedAt({ ...minimalFleet(), metadata: { name: "a".repeat(25) } }, "metadata.name", /at most 24/));
  it("an invalid agent name", () => assertRejectedAt(minimalFleet({}, [minimalAgent({ name: "Worker!" })]), "spec.agents[0].name", /DNS-1123/));
  it("duplicate agent names", () =>
    assertRejectedAt(minimalFleet({}, [minimalAgent(), minimalAgent({ name: "other" }), minimalAgent()]), "spec.agents[2].name", /duplicate agent name 'worker'/));
  it("min greater than max", () =>
    assertRejectedAt(minimalFleet({}, [minimalAgent(), minimalAgent({ name: "b", scaling: { mode: "horizontal", min: 30, max: 20 } })]), "spec.agents[1].scaling.max", /min is greater than max/));
  it("vertical min greater than max", () => assertRejectedAt(minimalFleet({}, [minimalAgent({ scaling: { mode: "vertical", min: 3, max: 1 } })]), "spec.agents[0].scaling.max"));
  it("zero cpu", () => assertRejectedAt(minimalFleet({}, [minimalAgent({ resources: { cpu: 0, memory: "1Gi" } })]), "spec.agents[0].resources.cpu", /greater than zero/));
  it("negative cpu", () => assertRejectedAt(minimalFleet({}, [minimalAgent({ resources: { cpu: -1, memory: "1Gi" } })]), "spec.agents[0].resources.cpu"));
  it("zero memory", () => assertRejectedAt(minimalFleet({}, [minimalAgent({ resources: { cpu: 1, memory: "0Mi" } })]), "spec.agents[0].resources.memory", /greater than zero/));
  it("unparseable memory", () => assertRejectedAt(minimalFleet({}, [minimalAgent({ resources: { cpu: 1, memory: "4Gb" } })]), "spec.agents[0].resources.memory", /not a memory quantity/));
  it("an unknown scaling mode", () => {
    const issue = rejectedAt(minimalFleet({}, [minimalAgent({ scaling: { mode: "diagonal" } as never })]), "spec.agents[0].scaling.mode", /unknown mode 'diagonal'/);
    assert.match(issue.hint ?? "", /horizontal, vertical, fixed/);
  });
  it("an unknown runtime", () => assertRejectedAt(minimalFleet({ targets: [{ runtime: "nomad" as never, region: "x" }] }), "spec.targets[0].runtime", /'nomad' is not allowed/));
  it("an unknown tier, with a suggestion", () => {
    const issue = rejectedAt(minimalFleet({ tier: "smal" as never }), "spec.tier");
    assert.match(issue.hint ?? "", /did you mean 'small'/);
  });
  it("a GPU share no sharing scheme serves", () =>
    assertRejectedAt(minimalFleet({}, [minimalAgent({ resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.3, memoryGi: 4 } } })]), "spec.agents[0].resources.gpu.share", /no sharing scheme/));
  it("a fractional share in a pool that does not share", () =>
    assertRejectedAt(
      minimalFleet({ gpuPools: [{ name: "whole", accelerator: "nvidia-l4", sharing: "none" }] }, [
        minimalAgent({ resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.25, memoryGi: 4, pool: "whole" } } }),
      ]),
      "spec.agents[0].resources.gpu.share",
      /does not share GPUs/,
    ));
  it("MIG on a GPU without MIG", () => assertRejectedAt(minimalFleet({ gpuPools: [{ name: "p", accelerator: "nvidia-l4", sharing: "mig" }] }), "spec.gpuPools[0].sharing", /does not support MIG/));
  it("GPU memory the pool's GPU does not have", () =>
    assertRejectedAt(
      minimalFleet({ gpuPools: [{ name: "p", accelerator: "nvidia-l4" }] }, [minimalAgent({ resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.5, memoryGi: 40, pool: "p" } } })]),
      "spec.agents[0].resources.gpu.memoryGi",
      /does not fit/,
    ));
  it("an unknown GPU pool", () =>
    assertRejectedAt(minimalFleet({}, [minimalAgent({ resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.5, memoryGi: 4, pool: "nope" } } })]), "spec.agents[0].resources.gpu.pool", /unknown GPU pool/));
  it("a pipeline step naming an unknown agent", () => assertRejectedAt(minimalFleet({ pipelines: [{ name: "p", steps: ["worker", "ghost"] }] }), "spec.pipelines[0].steps[1]", /unknown agent 'ghost'/));
  it("a parallel branch naming an unknown agent", () =>
    assertRejectedAt(minimalFleet({ pipelines: [{ name: "p", steps: [{ parallel: ["worker", "ghost"] }] }] }), "spec.pipelines[0].steps[0].parallel[1]", /unknown agent/));
  it("a non-positive budget", () => assertRejectedAt(minimalFleet({ budget: { monthlyUsd: 0 } }), "spec.budget.monthlyUsd", /greater than zero/));
  it("an unknown key, with a suggestion", () => {
    const issue = rejectedAt(minimalFleet({}, [{ ...minimalAgent(), queu: {} } as never]), "spec.agents[0].queu", /unknown field 'queu'/);
    assert.equal(issue.hint, "did you mean 'queue'?");
  });
  it("an unknown top-level key", () => assertRejectedAt({ ...minimalFleet(), extra: 1 }, "extra", /unknown field/));
  it("an image with neither tag nor digest", () => assertRejectedAt(minimalFleet({}, [minimalAgent({ image: "ghcr.io/acme/worker" })]), "spec.agents[0].image", /neither a tag nor a digest/));
  it("an image on the mutable latest tag", () => assertRejectedAt(minimalFleet({}, [minimalAgent({ image: "ghcr.io/acme/worker:latest" })]), "spec.agents[0].image", /latest/));
  it("a credential in plain env", () => assertRejectedAt(minimalFleet({}, [minimalAgent({ env: { OPENAI_API_KEY: "sk-123" } })]), "spec.agents[0].env.OPENAI_API_KEY", /credential/));
  it("a jwt route without a JWT issuer", () => assertRejectedAt(minimalFleet({}, [minimalAgent({ route: { path: "/w" } })]), "spec.gateway.jwt", /is required/));
  it("a canary weight without a legacy backend", () =>
    assertRejectedAt(minimalFleet({}, [minimalAgent({ route: { path: "/w", auth: "none", weight: 10 } })]), "spec.gateway.legacyBackend", /is required/));
  it("active-passive with other than two replicas", () =>
    assertRejectedAt(minimalFleet({}, [minimalAgent({ scaling: { mode: "fixed", replicas: 3, activePassive: true } })]), "spec.agents[0].scaling.replicas", /exactly 2/));
  it("a subscription to an unknown agent", () => assertRejectedAt(minimalFleet({}, [minimalAgent({ subscribes: [{ from: "ghost" }] })]), "spec.agents[0].subscribes[0].from", /unknown agent/));
  it("a port below 1024 (agents run as non-root)", () => assertRejectedAt(minimalFleet({}, [minimalAgent({ port: 80 })]), "spec.agents[0].port", /1024/));
  it("a missing required field", () => {
    const { image: _drop, ...noImage } = minimalAgent();
    const issue = rejectedAt(minimalFleet({}, [noImage as never]), "spec.agents[0].image", /is required/);
    assert.match(issue.hint ?? "", /add it/);
  });
  it("the wrong apiVersion", () => assertRejectedAt({ ...minimalFleet(), apiVersion: "microagents/v2" }, "apiVersion"));

  it("reports every problem in one error", () => {
    const issues = issuesOf(
      minimalFleet({ tier: "huge" as never, budget: { monthlyUsd: -1 } }, [minimalAgent({ name: "BAD" }), minimalAgent({ image: "x" })]),
    );
    const paths = issues.map((i) => i.path);
    for (const p of ["spec.tier", "spec.budget.monthlyUsd", "spec.agents[0].name", "spec.agents[1].image"]) assert.ok(paths.includes(p), `missing ${p} in ${paths.join(", ")}`);
  });

  it("reports YAML syntax errors with their line", () => {
    const issues = issuesOf("apiVersion: microagents/v1\nkind: Fleet\nmetadata: { name: acme\n");
    assert.match(issues[0].path, /^line \d+, column \d+$/);
  });
});
