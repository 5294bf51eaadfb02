import type { GpuBinShape, GpuItem } from "../../lib/plan/gpu-packing";

/** A small seeded PRNG (mulberry32): the same seed gives the same cases on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, options: ReadonlyArray<T>): T {
  return options[Math.floor(rand() * options.length)];
}

export function intBetween(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

const FRACTIONS = [0.125, 0.25, 0.5] as const;
const MIG_EIGHTHS: Readonly<Record<number, number>> = { 0.125: 1, 0.25: 2, 0.5: 4 };

/**
 * A random packing case that the plan could produce: a pool shape (1, 4 or 8 GPUs
 * a node; 16 to 80 GiB; time-slicing, or MIG on 40 and 80 GiB GPUs) and 1 to 10
 * agents with 1 to 6 replicas, fractional shares and some whole GPUs, each asking
 * for memory its share can hold.
 */
export function randomPackingCase(rand: () => number): { items: GpuItem[]; shape: GpuBinShape } {
  const gpuMemoryGi = pick(rand, [16, 24, 40, 48, 80]);
  const mig = (gpuMemoryGi === 40 || gpuMemoryGi === 80) && rand() < 0.5;
  const shape: GpuBinShape = { gpusPerNode: pick(rand, [1, 4, 8]), gpuMemoryGi, unitsPerGpu: mig ? 7 : 1 };
  const items: GpuItem[] = [];
  const agents = intBetween(rand, 1, 10);
  for (let a = 0; a < agents; a++) {
    const wholeOptions = [1, 2, 4, 8].filter((s) => s <= shape.gpusPerNode);
    const share = rand() < 0.15 ? pick(rand, wholeOptions) : pick(rand, FRACTIONS);
    const cap = share >= 1 ? share * gpuMemoryGi : mig ? (gpuMemoryGi * MIG_EIGHTHS[share]) / 8 : gpuMemoryGi;
    const memoryGi = Math.max(0.5, Math.round(rand() * cap * 2) / 2);
    const replicas = intBetween(rand, 1, 6);
    for (let r = 0; r < replicas; r++) items.push({ agent: `agent-${a}`, replica: r, share, memoryGi });
  }
  return { items, shape };
}
