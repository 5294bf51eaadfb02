import { l2Bound, memoryFor, unitsFor, type GpuBinShape } from "../lib/plan/gpu-packing";
import type { GpuPoolPlan } from "../lib/plan/types";
import type { Agent } from "../lib/spec/types";

interface Item {
  readonly u: number;
  readonly m: number;
}

/** The fewest GPUs the fractional items fit on, by a step-bounded exact search; undefined when it gives up. */
export function exactGpus(items: ReadonlyArray<Item>, U: number, M: number, maxSteps = 300_000): number | undefined {
  const sorted = [...items].sort((a, b) => b.m / M + b.u / U - a.m / M - a.u / U);
  const lower = Math.max(Math.ceil(sorted.reduce((s, i) => s + i.u, 0) / U - 1e-9), l2Bound(sorted.map((i) => i.m), M));
  let best = sorted.length;
  let steps = 0;
  const bins: Array<{ u: number; m: number }> = [];
  const dfs = (k: number): void => {
    if (++steps > maxSteps || bins.length >= best || best === lower) return;
    if (k === sorted.length) {
      best = bins.length;
      return;
    }
    const it = sorted[k];
    const seen = new Set<string>();
    for (const b of bins) {
      const key = `${b.u}/${b.m}`;
      if (seen.has(key) || b.u + it.u > U + 1e-9 || b.m + it.m > M + 1e-9) continue;
      seen.add(key);
      b.u += it.u;
      b.m += it.m;
      dfs(k + 1);
      b.u -= it.u;
      b.m -= it.m;
    }
    bins.push({ u: it.u, m: it.m });
    dfs(k + 1);
    bins.pop();
  };
  dfs(0);
  return steps > maxSteps && best !== lower ? undefined : best;
}

/** A pool's packing against the L2 bound and the exact optimum of the same items the plan packed (at maximum replicas). */
export function poolOptimum(pool: GpuPoolPlan, agents: ReadonlyMap<string, Agent>): { l2Nodes: number; exactNodes?: number } {
  const shape: GpuBinShape = { gpusPerNode: pool.gpusPerNode, gpuMemoryGi: pool.gpuMemoryGi, unitsPerGpu: pool.sharing === "mig" ? 7 : 1 };
  const fractional: Item[] = [];
  let whole = 0;
  for (const a of pool.packing.atMax.assignments) {
    // The assignment carries the effective share the plan packed (raised to the node vCPU and memory the replica needs).
    const gpu = agents.get(a.agent)?.resources.gpu;
    if (!gpu) continue;
    if (a.share >= 1) whole += a.share;
    else fractional.push({ u: unitsFor(a.share, shape.unitsPerGpu), m: memoryFor({ share: a.share, memoryGi: gpu.memoryGi }, shape) });
  }
  const nodesFor = (gpus: number) => Math.ceil((gpus + whole) / shape.gpusPerNode - 1e-9);
  const l2 = Math.max(l2Bound(fractional.map((i) => i.m), shape.gpuMemoryGi), Math.ceil(fractional.reduce((s, i) => s + i.u, 0) / shape.unitsPerGpu - 1e-9));
  const exact = fractional.length <= 80 ? exactGpus(fractional, shape.unitsPerGpu, shape.gpuMemoryGi) : undefined;
  return { l2Nodes: Math.max(nodesFor(l2), pool.packing.atMax.lowerBound.nodes), ...(exact !== undefined ? { exactNodes: nodesFor(exact) } : {}) };
}
