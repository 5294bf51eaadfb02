/**
 * Packs GPU work onto the fewest GPUs and nodes: first-fit decreasing in two
 * dimensions (compute share and GPU memory), never over-committing either.
 * Whole-GPU items take dedicated GPUs on one node.
 */

/** One replica of one agent that needs GPU. */
export interface GpuItem {
  readonly agent: string;
  readonly replica: number;
  /** Fraction of a GPU's compute (0.125 .. 0.5), or whole GPUs (1, 2, 4, 8). */
  readonly share: number;
  /** GPU memory per GPU the replica needs, in GiB. */
  readonly memoryGi: number;
}

export interface GpuBinShape {
  readonly gpusPerNode: number;
  readonly gpuMemoryGi: number;
  /**
   * Compute units per GPU: 1 for time-slicing (shares add up to 1), 7 for MIG
   * (shares map to 1g/2g/3g/7g slices).
   */
  readonly unitsPerGpu: number;
}

export interface GpuAssignment {
  readonly agent: string;
  readonly replica: number;
  readonly node: number;
  /** GPU indexes on the node. */
  readonly gpus: ReadonlyArray<number>;
  readonly share: number;
}

export interface PackingResult {
  readonly nodes: number;
  readonly gpusUsed: number;
  readonly assignments: ReadonlyArray<GpuAssignment>;
  /** ⌈Σ share ÷ GPUs per node⌉, the memory bound, and the larger of the two. */
  readonly lowerBound: { readonly share: number; readonly memory: number; readonly nodes: number };
  /** lowerBound.nodes ÷ nodes: 1.0 is optimal. */
  readonly efficiency: number;
}

/** Compute units a share takes on one GPU: shares for time-slicing, MIG slices for MIG. */
export function unitsFor(share: number, unitsPerGpu: number): number {
  if (share >= 1) return unitsPerGpu;
  if (unitsPerGpu === 1) return share;
  return share === 0.5 ? 3 : share === 0.25 ? 2 : 1;
}

interface Gpu {
  freeUnits: number;
  freeMemory: number;
  dedicated: boolean;
}

const EPS = 1e-9;

export function packGpus(items: ReadonlyArray<GpuItem>, shape: GpuBinShape): PackingResult {
  const { gpusPerNode, gpuMemoryGi, unitsPerGpu } = shape;
  for (const item of items) {
    if (item.share >= 1 && item.share > gpusPerNode) throw new Error(`${item.agent} needs ${item.share} GPUs but a node has ${gpusPerNode}`);
    if (item.memoryGi > gpuMemoryGi + EPS) throw new Error(`${item.agent} needs ${item.memoryGi} GiB of GPU memory but a GPU has ${gpuMemoryGi}`);
  }
  const nodes: Gpu[][] = [];
  const assignments: GpuAssignment[] = [];
  const newNode = (): Gpu[] => {
    const node = Array.from({ length: gpusPerNode }, () => ({ freeUnits: unitsPerGpu, freeMemory: gpuMemoryGi, dedicated: false }));
    nodes.push(node);
    return node;
  };
  const isEmpty = (g: Gpu) => !g.dedicated && g.freeUnits >= unitsPerGpu - EPS && g.freeMemory >= gpuMemoryGi - EPS;

  const whole = items.filter((i) => i.share >= 1).sort((a, b) => b.share - a.share || a.agent.localeCompare(b.agent) || a.replica - b.replica);
  for (const item of whole) {
    let placed = false;
    for (let n = 0; n < nodes.length && !placed; n++) {
      const free = nodes[n].map((g, idx) => (isEmpty(g) ? idx : -1)).filter((idx) => idx >= 0);
      if (free.length >= item.share) {
        const take = free.slice(0, item.share);
        for (const idx of take) Object.assign(nodes[n][idx], { freeUnits: 0, freeMemory: 0, dedicated: true });
        assignments.push({ agent: item.agent, replica: item.replica, node: n, gpus: take, share: item.share });
        placed = true;
      }
    }
    if (!placed) {
      const node = newNode();
      const take = Array.from({ length: item.share }, (_, k) => k);
      for (const idx of take) Object.assign(node[idx], { freeUnits: 0, freeMemory: 0, dedicated: true });
      assignments.push({ agent: item.agent, replica: item.replica, node: nodes.length - 1, gpus: take, share: item.share });
    }
  }

  const fractional = items
    .filter((i) => i.share < 1)
    .sort((a, b) => b.share - a.share || b.memoryGi - a.memoryGi || a.agent.localeCompare(b.agent) || a.replica - b.replica);
  for (const item of fractional) {
    const units = unitsFor(item.share, unitsPerGpu);
    let target: { n: number; g: number } | undefined;
    for (let n = 0; n < nodes.length && !target; n++) {
      for (let g = 0; g < gpusPerNode && !target; g++) {
        const gpu = nodes[n][g];
        if (!gpu.dedicated && gpu.freeUnits + EPS >= units && gpu.freeMemory + EPS >= item.memoryGi) target = { n, g };
      }
    }
    if (!target) {
      newNode();
      target = { n: nodes.length - 1, g: 0 };
    }
    const gpu = nodes[target.n][target.g];
    gpu.freeUnits -= units;
    gpu.freeMemory -= item.memoryGi;
    assignments.push({ agent: item.agent, replica: item.replica, node: target.n, gpus: [target.g], share: item.share });
  }

  const totalUnits = items.reduce((s, i) => s + (i.share >= 1 ? i.share * unitsPerGpu : unitsFor(i.share, unitsPerGpu)), 0);
  const totalMemory = items.reduce((s, i) => s + (i.share >= 1 ? i.share * gpuMemoryGi : i.memoryGi), 0);
  const shareBound = Math.ceil(totalUnits / (unitsPerGpu * gpusPerNode) - EPS);
  const memoryBound = Math.ceil(totalMemory / (gpuMemoryGi * gpusPerNode) - EPS);
  const boundNodes = Math.max(shareBound, memoryBound, 0);
  const gpusUsed = nodes.reduce((s, node) => s + node.filter((g) => !isEmpty(g)).length, 0);
  return {
    nodes: nodes.length,
    gpusUsed,
    assignments,
    lowerBound: { share: shareBound, memory: memoryBound, nodes: boundNodes },
    efficiency: nodes.length === 0 ? 1 : boundNodes / nodes.length,
  };
}
