import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { l2Bound, memoryFor, packGpus, unitsFor, type GpuBinShape, type GpuItem, type PackingResult } from "../../lib/plan/gpu-packing";
import { planFleet } from "../../lib/plan/plan-fleet";
import { isConfigError } from "../../lib/spec/errors";
import { minimalAgent, minimalFleet } from "../helpers/fleets";
import { mulberry32, randomPackingCase } from "../helpers/random";

const EPS = 1e-9;

/** Checks every packing invariant; returns the problems found (empty when the packing is sound). */
function violations(items: ReadonlyArray<GpuItem>, shape: GpuBinShape, result: PackingResult): string[] {
  const problems: string[] = [];
  const key = (i: { agent: string; replica: number }) => `${i.agent}#${i.replica}`;
  const byKey = new Map(items.map((i) => [key(i), i]));
  const seen = new Set<string>();
  const load = new Map<string, { units: number; memory: number; whole: number; fractional: number }>();
  for (const a of result.assignments) {
    const item = byKey.get(key(a));
    if (!item) {
      problems.push(`assignment for unknown item ${key(a)}`);
      continue;
    }
    if (seen.has(key(a))) problems.push(`${key(a)} assigned twice`);
    seen.add(key(a));
    if (a.node < 0 || a.node >= result.nodes) problems.push(`${key(a)} on node ${a.node} of ${result.nodes}`);
    const expectedGpus = item.share >= 1 ? item.share : 1;
    if (a.gpus.length !== expectedGpus) problems.push(`${key(a)} holds ${a.gpus.length} GPUs, needs ${expectedGpus}`);
    if (new Set(a.gpus).size !== a.gpus.length) problems.push(`${key(a)} lists a GPU twice`);
    for (const g of a.gpus) {
      if (g < 0 || g >= shape.gpusPerNode) problems.push(`${key(a)} on GPU ${g} of a ${shape.gpusPerNode}-GPU node`);
      const slot = `${a.node}/${g}`;
      const l = load.get(slot) ?? { units: 0, memory: 0, whole: 0, fractional: 0 };
      if (item.share >= 1) {
        l.whole++;
        l.units += shape.unitsPerGpu;
        l.memory += shape.gpuMemoryGi;
      } else {
        l.fractional++;
        l.units += unitsFor(item.share, shape.unitsPerGpu);
        l.memory += memoryFor(item, shape);
      }
      load.set(slot, l);
    }
  }
  for (const i of items) if (!seen.has(key(i))) problems.push(`${key(i)} not assigned`);
  for (const [slot, l] of load) {
    if (l.units > shape.unitsPerGpu + EPS) problems.push(`GPU ${slot} over-committed: ${l.units} of ${shape.unitsPerGpu} units`);
    if (l.memory > shape.gpuMemoryGi + EPS) problems.push(`GPU ${slot} over-committed: ${l.memory} of ${shape.gpuMemoryGi} GiB`);
    if (l.whole > 0 && l.whole + l.fractional > 1) problems.push(`GPU ${slot} is dedicated but shared`);
  }
  const usedNodes = new Set(result.assignments.map((a) => a.node));
  if (usedNodes.size !== result.nodes) problems.push(`${result.nodes} nodes reported, ${usedNodes.size} used`);
  if (load.size !== result.gpusUsed) problems.push(`${result.gpusUsed} GPUs reported, ${load.size} used`);
  if (result.nodes < result.lowerBound.nodes) problems.push(`${result.nodes} nodes is below the lower bound ${result.lowerBound.nodes}`);
  if (result.lowerBound.nodes !== Math.max(result.lowerBound.share, result.lowerBound.memory)) problems.push("lowerBound.nodes is not the larger bound");
  if (result.nodes > 0 && Math.abs(result.efficiency - result.lowerBound.nodes / result.nodes) > EPS) problems.push("efficiency is not bound / nodes");
  return problems;
}

const timeSliced24: GpuBinShape = { gpusPerNode: 1, gpuMemoryGi: 24, unitsPerGpu: 1 };

describe("packGpus", () => {
  it("never over-commits a GPU's compute or memory, over 2,000 seeded random cases", () => {
    const rand = mulberry32(20261125);
    let checked = 0;
    for (let n = 0; n < 2000; n++) {
      const { items, shape } = randomPackingCase(rand);
      const result = packGpus(items, shape);
      assert.deepEqual(violations(items, shape, result), [], `case ${n}: ${JSON.stringify({ shape, items })}`);
      checked += items.length;
    }
    assert.ok(checked > 10000, "the generator produces real work");
  });

  it("the invariant checker catches an over-committed GPU", () => {
    const items: GpuItem[] = [
      { agent: "a", replica: 0, share: 0.5, memoryGi: 20 },
      { agent: "b", replica: 0, share: 0.5, memoryGi: 20 },
    ];
    const forced: PackingResult = {
      nodes: 1,
      gpusUsed: 1,
      assignments: items.map((i) => ({ agent: i.agent, replica: 0, node: 0, gpus: [0], share: i.share })),
      lowerBound: { share: 1, memory: 2, nodes: 2 },
      efficiency: 2,
      heuristic: "forced",
    };
    assert.ok(violations(items, timeSliced24, forced).some((p) => p.includes("over-committed: 40 of 24 GiB")));
    assert.deepEqual(violations(items, timeSliced24, packGpus(items, timeSliced24)), []);
  });

  it("packs by memory when memory binds: two GPUs where share-first packing needs three", () => {
    const items: GpuItem[] = [
      { agent: "big-share", replica: 0, share: 0.5, memoryGi: 4 },
      { agent: "big-share", replica: 1, share: 0.5, memoryGi: 4 },
      { agent: "big-model", replica: 0, share: 0.125, memoryGi: 20 },
      { agent: "big-model", replica: 1, share: 0.125, memoryGi: 20 },
    ];
    const result = packGpus(items, timeSliced24);
    assert.equal(result.nodes, 2);
    assert.equal(result.lowerBound.memory, 2);
    assert.equal(result.efficiency, 1);
    assert.match(result.heuristic, /memory/);
  });

  it("gives MIG profiles their fixed memory slice, not just what the model asks", () => {
    // A100-40GB: a 1g profile holds 5 GiB; eight of them cannot share one GPU even at 1 GiB each.
    const a100mig: GpuBinShape = { gpusPerNode: 1, gpuMemoryGi: 40, unitsPerGpu: 7 };
    assert.equal(memoryFor({ share: 0.125, memoryGi: 1 }, a100mig), 5);
    assert.equal(memoryFor({ share: 0.25, memoryGi: 1 }, a100mig), 10);
    assert.equal(memoryFor({ share: 0.5, memoryGi: 1 }, a100mig), 20);
    assert.equal(memoryFor({ share: 0.5, memoryGi: 1 }, timeSliced24), 1, "time-slicing holds what it asks");
    const items = Array.from({ length: 8 }, (_, r) => ({ agent: "tiny", replica: r, share: 0.125, memoryGi: 1 }));
    const result = packGpus(items, a100mig);
    assert.equal(result.nodes, 2, "seven 1g slices per GPU");
    assert.deepEqual(violations(items, a100mig, result), []);
  });

  it("puts whole-GPU items on one node and fills the rest of it with shared GPUs", () => {
    const shape: GpuBinShape = { gpusPerNode: 4, gpuMemoryGi: 24, unitsPerGpu: 1 };
    const items: GpuItem[] = [
      { agent: "large", replica: 0, share: 2, memoryGi: 40 },
      { agent: "small", replica: 0, share: 0.5, memoryGi: 8 },
      { agent: "small", replica: 1, share: 0.5, memoryGi: 8 },
      { agent: "small", replica: 2, share: 0.5, memoryGi: 8 },
    ];
    const result = packGpus(items, shape);
    assert.equal(result.nodes, 1);
    assert.equal(result.gpusUsed, 4);
    assert.deepEqual(result.assignments.find((a) => a.agent === "large")?.gpus, [0, 1]);
    assert.deepEqual(violations(items, shape, result), []);
  });

  it("is deterministic: the same input gives the same packing", () => {
    const rand = mulberry32(7);
    const { items, shape } = randomPackingCase(rand);
    assert.deepEqual(packGpus(items, shape), packGpus([...items].reverse(), shape));
  });

  it("reports the share and memory bounds", () => {
    const shape: GpuBinShape = { gpusPerNode: 4, gpuMemoryGi: 16, unitsPerGpu: 1 };
    const items: GpuItem[] = Array.from({ length: 10 }, (_, r) => ({ agent: "a", replica: r, share: 0.25, memoryGi: 10 }));
    const result = packGpus(items, shape);
    assert.deepEqual(result.lowerBound, { share: 1, memory: 2, nodes: 2 }, "2.5 GPUs of compute, 100 GiB of 64 GiB a node");
    assert.equal(result.nodes, 3, "one 10 GiB item a 16 GiB GPU: ten GPUs");
    assert.equal(result.gpusUsed, 10);
  });

  it("finds the optimum by exact search where every first-fit and best-fit order needs one GPU more", () => {
    // Compute sums to 3 GPUs and memory to 63 of 72 GiB; the greedy orders all open a fourth GPU.
    const pairs: Array<[number, number]> = [[0.5, 7], [0.5, 9], [0.25, 3], [0.25, 4], [0.5, 4], [0.5, 6], [0.25, 14], [0.25, 16]];
    const items = pairs.map(([share, memoryGi], r) => ({ agent: `a${r}`, replica: 0, share, memoryGi }));
    const result = packGpus(items, timeSliced24);
    assert.equal(result.nodes, 3);
    assert.equal(result.heuristic, "exact search");
    assert.equal(result.efficiency, 1);
    assert.deepEqual(violations(items, timeSliced24, result), []);
  });

  it("rejects an item no GPU of the pool can hold", () => {
    assert.throws(() => packGpus([{ agent: "huge", replica: 0, share: 0.5, memoryGi: 30 }], timeSliced24), /needs 30 GiB/);
    assert.throws(() => packGpus([{ agent: "wide", replica: 0, share: 8, memoryGi: 1 }], { ...timeSliced24, gpusPerNode: 4 }), /needs 8 GPUs/);
  });

  it("packs nothing onto no nodes", () => {
    const result = packGpus([], timeSliced24);
    assert.equal(result.nodes, 0);
    assert.equal(result.efficiency, 1);
  });
});

/** The fewest bins of `capacity` that hold `sizes`, by trying every assignment (small inputs only). */
function bruteForceBins(sizes: ReadonlyArray<number>, capacity: number): number {
  for (let bins = 1; ; bins++) {
    const loads = new Array<number>(bins).fill(0);
    const place = (i: number): boolean => {
      if (i === sizes.length) return true;
      for (let b = 0; b < bins; b++) {
        if (loads[b] + sizes[i] > capacity + EPS) continue;
        loads[b] += sizes[i];
        if (place(i + 1)) return true;
        loads[b] -= sizes[i];
      }
      return false;
    };
    if (sizes.length === 0 || place(0)) return sizes.length === 0 ? 0 : bins;
  }
}

describe("l2Bound", () => {
  it("beats the sum bound when large items cannot share a bin", () => {
    // Three items of 0.6 sum to 1.8 (sum bound 2) but no two fit together.
    assert.equal(l2Bound([0.6, 0.6, 0.6], 1), 3);
    assert.equal(l2Bound([0.6, 0.6, 0.4, 0.4], 1), 2);
  });

  it("never exceeds the optimum on 300 seeded random cases", () => {
    const rand = mulberry32(7);
    for (let c = 0; c < 300; c++) {
      const sizes = Array.from({ length: 1 + Math.floor(rand() * 7) }, () => Math.ceil(rand() * 8) / 8);
      const optimum = bruteForceBins(sizes, 1);
      const bound = l2Bound(sizes, 1);
      assert.ok(bound <= optimum, `l2Bound ${bound} > optimum ${optimum} for ${sizes.join(",")}`);
      assert.ok(bound >= Math.ceil(sizes.reduce((s, x) => s + x, 0) - EPS), `l2Bound ${bound} below the sum bound for ${sizes.join(",")}`);
    }
  });
});

describe("GPU placement of whole-GPU agents", () => {
  const aws = [{ runtime: "ecs" as const, region: "us-east-1" }];

  it("picks a GPU whose cloud sells a node with that many GPUs", () => {
    // T4, L4, A10G and L40S come at most four to an AWS node; eight GPUs need the A100's p4d.24xlarge.
    const plan = planFleet(minimalFleet({ tier: "enterprise", targets: aws }, [minimalAgent({ resources: { cpu: 8, memory: "64Gi", gpu: { share: 8, memoryGi: 16 } }, scaling: { mode: "fixed", replicas: 1 } })]));
    assert.deepEqual(plan.gpuPools.map((p) => [p.accelerator, p.gpusPerNode, p.shapes.aws?.instanceType]), [["nvidia-a100", 8, "p4d.24xlarge"]]);
    assert.equal(plan.gpuPools[0].packing.atMax.nodes, 1);
  });

  it("refuses a declared pool whose GPU no node of the cloud carries that many of", () => {
    const fleet = minimalFleet({ tier: "enterprise", targets: aws, gpuPools: [{ name: "t4", accelerator: "nvidia-t4", sharing: "none" }] }, [
      minimalAgent({ resources: { cpu: 8, memory: "64Gi", gpu: { share: 8, memoryGi: 16, pool: "t4" } } }),
    ]);
    assert.throws(() => planFleet(fleet), (e: unknown) => isConfigError(e) && e.issues.some((i) => i.path === "spec.agents[0].resources"));
  });
});
