import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { customerServiceFleet, emailFleet, researchFleet } from "../../agents";
import { circuitBreakerPolicy, pipelineEdges, planFleet, retryPolicy } from "../../lib/plan";
import { isConfigError } from "../../lib/spec";
import { minimalAgent, minimalFleet } from "../helpers/fleets";

const k8s = [{ runtime: "kubernetes" as const, region: "local" }];
const aws = [{ runtime: "ecs" as const, region: "us-east-1" }];

describe("resilience from the seed", () => {
  it("retries: 4 attempts, 1 s base, doubling, 10% jitter", () => {
    assert.deepEqual(retryPolicy(), { attempts: 4, baseDelayMs: 1000, multiplier: 2, jitterRatio: 0.1, delaysMs: [1000, 2000, 4000], maxDelayMs: 4000 });
  });
  it("circuit breaker: open after 5 consecutive failures, retry after 60 s", () => {
    assert.deepEqual(circuitBreakerPolicy(), { consecutiveFailures: 5, openSeconds: 60 });
  });
  it("alarms: memory > 90%, errors > 10%, queue > 100, any dead letter, p95 over the agent's target", () => {
    const plan = planFleet(minimalFleet({}, [minimalAgent({ model: { tier: "large" } }), minimalAgent({ name: "fast", latencyTargetMs: 750 })]));
    assert.deepEqual(plan.agent("worker").alarms, { memoryPercent: 90, errorRatePercent: 10, queueDepth: 100, dlqDepth: 0, p95LatencyMs: 15000 });
    assert.equal(plan.agent("fast").alarms.p95LatencyMs, 750);
  });
});

describe("scaling triggers", () => {
  it("horizontal agents scale on backlog including in-flight messages", () => {
    const plan = planFleet(minimalFleet({}, [minimalAgent({ scaling: { mode: "horizontal", min: 2, max: 20, backlogPerReplica: 10, cpuTargetPercent: 60 } })]));
    assert.deepEqual(plan.agent("worker").triggers, { queue: true, backlogPerReplica: 10, includeInFlight: true, cpuTargetPercent: 60, scaleToZero: false, cooldownSeconds: 300, pollingIntervalSeconds: 30 });
  });
  it("min 0 scales to zero; fixed agents do not autoscale", () => {
    const plan = planFleet(minimalFleet({}, [minimalAgent({ scaling: { mode: "horizontal", min: 0, max: 5 } }), minimalAgent({ name: "fixed", scaling: { mode: "fixed", replicas: 2 } })]));
    assert.equal(plan.agent("worker").triggers.scaleToZero, true);
    assert.equal(plan.agent("fixed").triggers.queue, false);
    assert.equal(plan.agent("fixed").triggers.scaleToZero, false);
  });
  it("GPU and vertical agents cool down longer (model loading is slow)", () => {
    const plan = planFleet(researchFleet({ tier: "medium", environment: "prod", targets: k8s }));
    assert.equal(plan.agent("language-analyzer").triggers.cooldownSeconds, 600);
    assert.equal(plan.agent("document-processor").triggers.cooldownSeconds, 300);
  });
});

describe("pipelines become subscriptions", () => {
  it("sequence, fan-out and fan-in", () => {
    const edges = pipelineEdges({ name: "p", steps: ["a", { parallel: ["b", "c"] }, "d"] });
    assert.deepEqual(
      edges.map((e) => `${e.publisher}>${e.subscriber}`),
      ["a>b", "a>c", "b>d", "c>d"],
    );
    assert.ok(edges.every((e) => e.pipeline === "p"));
  });
  it("a loop links its agents in a ring; the back edge carries retry events", () => {
    const edges = pipelineEdges({ name: "p", steps: ["a", { loop: ["g", "q"], maxIterations: 2 }] });
    assert.deepEqual(
      edges.map((e) => `${e.publisher}>${e.subscriber}:${(e.eventTypes ?? ["*"]).join(",")}`),
      ["a>g:*", "g>q:*", "q>g:retry"],
    );
  });
  it("the fleet plan merges `subscribes` and pipelines without duplicates", () => {
    const plan = planFleet(emailFleet({ tier: "small", environment: "prod", targets: k8s }));
    assert.deepEqual(
      plan.subscriptions.map((s) => `${s.publisher}>${s.subscriber}`).sort(),
      ["email-intake>sentiment", "email-intake>technical", "sentiment>response-composer", "technical>response-composer"],
    );
  });
});

describe("GPU placement", () => {
  it("places GPU agents in the cheapest allowed pool that fits and sizes it by packing", () => {
    const plan = planFleet(customerServiceFleet({ tier: "medium", environment: "prod", targets: aws }));
    // Every GPU agent fits a 16 GiB T4, the cheapest GPU the medium tier allows, and
    // its quarter or half of a g4dn.xlarge's vCPU and memory: the cheapest shape.
    assert.deepEqual(plan.gpuPools.map((p) => p.name), ["t4-shared"]);
    const pool = plan.gpuPools[0];
    assert.equal(pool.accelerator, "nvidia-t4");
    assert.equal(pool.slicesPerGpu, 4, "the smallest share is 1/4");
    assert.deepEqual(pool.agents, ["classifier", "intent", "generator"]);
    assert.equal(pool.shapes.aws?.instanceType, "g4dn.xlarge");
    // 8 generators (1/2, 8 GiB) + 10 classifiers + 10 intents (1/4, 4 GiB) at max
    // scale: each generator GPU takes two quarters, 4 quarters fill a ninth GPU.
    assert.equal(pool.packing.atMax.nodes, 9);
    assert.deepEqual(pool.packing.atMax.lowerBound, { share: 9, memory: 9, nodes: 9 });
    assert.equal(pool.maxNodes, 9);
    assert.equal(pool.minNodes, 1, "prod keeps the nodes the minimum replicas need");
    assert.equal(plan.agent("generator").gpu?.resourceCount, 2, "1/2 of a GPU is 2 of 4 slices");
    assert.equal(plan.agent("classifier").gpu?.resourceCount, 1);
    assert.equal(pool.spot, false, "medium tier: spot only for all-batch pools, and generator is critical");
  });

  it("whole-GPU agents get a dedicated pool; non-prod pools scale to zero and run on spot", () => {
    const plan = planFleet(researchFleet({ tier: "small", environment: "dev", targets: aws }));
    const pool = plan.gpuPools.find((p) => p.name === "t4-dedicated");
    assert.ok(pool);
    assert.equal(pool.sharing, "none");
    // 8 vCPU and 32 GiB per replica do not fit a g4dn.xlarge (4 vCPU, 16 GiB); the
    // 4-GPU g4dn.12xlarge holds all three replicas.
    assert.equal(pool.shapes.aws?.instanceType, "g4dn.12xlarge");
    assert.equal(pool.maxNodes, 1);
    assert.equal(pool.minNodes, 0);
    assert.equal(pool.spot, true);
    assert.deepEqual(plan.agent("language-analyzer").gpu, { pool: "t4-dedicated", share: 1, memoryGi: 16, resourceName: "nvidia.com/gpu", resourceCount: 1 });
  });

  it("raises a replica's GPU share to the vCPU and memory it needs of its node", () => {
    // 1 vCPU of a g4dn.xlarge's 3.6 allocatable is more than a quarter: three fit a node, not four.
    const plan = planFleet(
      minimalFleet({ targets: aws }, [minimalAgent({ resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.25, memoryGi: 4 } }, scaling: { mode: "horizontal", min: 1, max: 6 } })]),
    );
    const pool = plan.gpuPools[0];
    assert.equal(pool.shapes.aws?.instanceType, "g4dn.xlarge");
    assert.equal(pool.packing.atMax.nodes, 2);
    assert.equal(plan.agent("worker").gpu?.resourceCount, 1, "the device plugin request stays the agent's own share");
  });

  it("caps a pool the plan made at the tier's node cap, and says so", () => {
    const plan = planFleet(customerServiceFleet({ tier: "small", environment: "dev", targets: aws }));
    assert.equal(plan.gpuPools[0].packing.atMax.nodes, 9);
    assert.equal(plan.gpuPools[0].maxNodes, 4);
    assert.match(plan.notes.join("\n"), /needs 9 nodes at maximum scale; the small tier caps a pool at 4/);
  });

  it("MIG pools hand out MIG profiles", () => {
    const plan = planFleet(
      minimalFleet({ tier: "enterprise", gpuPools: [{ name: "a100", accelerator: "nvidia-a100", sharing: "mig" }], targets: aws }, [
        minimalAgent({ resources: { cpu: 2, memory: "8Gi", gpu: { share: 0.25, memoryGi: 8, pool: "a100" } } }),
      ]),
    );
    assert.deepEqual(plan.agent("worker").gpu, { pool: "a100", share: 0.25, memoryGi: 8, resourceName: "nvidia.com/mig-2g.10gb", resourceCount: 1 });
  });

  it("notes a declared pool capped below what its agents need", () => {
    const plan = planFleet(
      minimalFleet({ gpuPools: [{ name: "tiny", accelerator: "nvidia-l4", maxNodes: 1 }] }, [
        minimalAgent({ resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.5, memoryGi: 20, pool: "tiny" } }, scaling: { mode: "horizontal", min: 1, max: 3 } }),
      ]),
    );
    assert.equal(plan.gpuPools[0].maxNodes, 1);
    assert.match(plan.notes[0], /capped at 1 nodes but its agents need 3/);
  });

  it("rejects a GPU no cloud of the fleet sells", () => {
    try {
      planFleet(minimalFleet({ targets: [{ runtime: "aks", region: "westeurope" }], gpuPools: [{ name: "p", accelerator: "nvidia-l4" }] }));
      assert.fail("expected a config error");
    } catch (e) {
      assert.ok(isConfigError(e));
      assert.equal(e.issues[0].path, "spec.gpuPools[0].accelerator");
      assert.match(e.issues[0].message, /not sold on azure/);
    }
  });

  it("tags every agent with the cost-allocation keys", () => {
    const plan = planFleet(emailFleet({ tier: "small", environment: "prod", targets: k8s }));
    assert.deepEqual(plan.agent("sentiment").tags, { fleet: "acme-email", agent: "sentiment", tier: "small", environment: "prod", team: "support", "managed-by": "microagents" });
  });
});
