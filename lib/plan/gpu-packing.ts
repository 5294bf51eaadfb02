/**
 * Packs GPU work onto the fewest GPUs and nodes, never over-committing a GPU's
 * compute or memory.
 *
 * - Whole-GPU items (1, 2, 4, 8 GPUs) take dedicated GPUs on one node, placed first
 *   fit decreasing. Their sizes divide every node size (1, 4 or 8 GPUs), so this
 *   wastes no GPU: they fill ⌈Σ whole GPUs ÷ GPUs per node⌉ nodes at most.
 * - Fractional items share GPUs in two dimensions, compute (shares of 1, or MIG
 *   slices of 7) and memory. That is vector bin packing: several first-fit and
 *   best-fit decreasing orders run and the one using the fewest GPUs wins; for up to
 *   64 items a bounded exact search then tries one GPU fewer. On MIG a profile takes
 *   its fixed memory slice, not just the memory the agent asked for.
 * - Fractional GPUs fill the free GPUs of whole-item nodes first, then new nodes.
 */

/** One replica of one agent that needs GPU. */
export interface GpuItem {
  readonly agent: string;
  readonly replica: number;
  /** Fraction of a GPU's compute (0.125 .. 0.5), or whole GPUs (1, 2, 4, 8). */
  readonly share: number;
  /** GPU memory the replica needs, in GiB (over all its GPUs for whole-GPU items). */
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
  /** The item order that packed the fractional items onto the fewest GPUs. */
  readonly heuristic: string;
}

/** Compute units a share takes on one GPU: shares for time-slicing, MIG slices for MIG. */
export function unitsFor(share: number, unitsPerGpu: number): number {
  if (share >= 1) return unitsPerGpu;
  if (unitsPerGpu === 1) return share;
  return share === 0.5 ? 3 : share === 0.25 ? 2 : 1;
}

/** MIG memory slices (of 8) a profile takes: 1g -> 1, 2g -> 2, 3g -> 4. */
const MIG_MEMORY_EIGHTHS: Readonly<Record<number, number>> = { 1: 1, 2: 2, 3: 4, 7: 8 };

/**
 * GPU memory an item holds on its GPU: what it asks for, or on MIG the memory of
 * its profile when that is more (a 1g profile on an A100-40GB holds 5 GiB even if
 * the model needs 3).
 */
export function memoryFor(item: Pick<GpuItem, "share" | "memoryGi">, shape: Pick<GpuBinShape, "unitsPerGpu" | "gpuMemoryGi">): number {
  if (item.share >= 1) return item.share * shape.gpuMemoryGi;
  if (shape.unitsPerGpu !== 7) return item.memoryGi;
  const eighths = MIG_MEMORY_EIGHTHS[unitsFor(item.share, 7)] ?? 8;
  return Math.max(item.memoryGi, (shape.gpuMemoryGi * eighths) / 8);
}

const EPS = 1e-9;

interface Sized {
  readonly item: GpuItem;
  readonly units: number;
  readonly memory: number;
}

interface GpuBin {
  units: number;
  memory: number;
  readonly items: Sized[];
}

type Order = (a: Sized, b: Sized) => number;

const tieBreak: Order = (a, b) => a.item.agent.localeCompare(b.item.agent) || a.item.replica - b.item.replica;

function fractionalOrders(shape: GpuBinShape): ReadonlyArray<{ readonly name: string; readonly order: Order }> {
  const u = (s: Sized) => s.units / shape.unitsPerGpu;
  const m = (s: Sized) => s.memory / shape.gpuMemoryGi;
  return [
    { name: "share, then memory", order: (a, b) => b.units - a.units || b.memory - a.memory || tieBreak(a, b) },
    { name: "memory, then share", order: (a, b) => b.memory - a.memory || b.units - a.units || tieBreak(a, b) },
    { name: "larger of share and memory", order: (a, b) => Math.max(u(b), m(b)) - Math.max(u(a), m(a)) || u(b) + m(b) - u(a) - m(a) || tieBreak(a, b) },
    { name: "share plus memory", order: (a, b) => u(b) + m(b) - u(a) - m(a) || tieBreak(a, b) },
  ];
}

/** Packs items onto GPUs in the given order; `best` picks the fullest GPU that fits, else the first. */
function packOntoGpus(items: ReadonlyArray<Sized>, shape: GpuBinShape, best: boolean): GpuBin[] {
  const bins: GpuBin[] = [];
  for (const s of items) {
    let chosen: GpuBin | undefined;
    let chosenSlack = Infinity;
    for (const bin of bins) {
      const freeUnits = shape.unitsPerGpu - bin.units;
      const freeMemory = shape.gpuMemoryGi - bin.memory;
      if (freeUnits + EPS < s.units || freeMemory + EPS < s.memory) continue;
      if (!best) {
        chosen = bin;
        break;
      }
      const slack = (freeUnits - s.units) / shape.unitsPerGpu + (freeMemory - s.memory) / shape.gpuMemoryGi;
      if (slack < chosenSlack - EPS) {
        chosen = bin;
        chosenSlack = slack;
      }
    }
    if (!chosen) {
      chosen = { units: 0, memory: 0, items: [] };
      bins.push(chosen);
    }
    chosen.units += s.units;
    chosen.memory += s.memory;
    chosen.items.push(s);
  }
  return bins;
}

/** Search steps the exact search may take per packing: bounded, so planning time stays bounded and results deterministic. */
export const EXACT_SEARCH_STEPS = 200_000;
/** The exact search runs on at most this many fractional items. */
export const EXACT_SEARCH_MAX_ITEMS = 64;

/**
 * Martello and Toth's L2 lower bound for bin packing on one dimension: items too
 * large to share a bin count one bin each, and the middle-sized items fill what the
 * large ones leave. Never below ⌈Σ size ÷ capacity⌉.
 */
export function l2Bound(sizes: ReadonlyArray<number>, capacity: number): number {
  const simple = Math.ceil(sizes.reduce((s, x) => s + x, 0) / capacity - EPS);
  let best = simple;
  const alphas = [0, ...new Set(sizes.filter((x) => x <= capacity / 2 + EPS))];
  for (const a of alphas) {
    const j1 = sizes.filter((x) => x > capacity - a + EPS);
    const j2 = sizes.filter((x) => x > capacity / 2 + EPS && x <= capacity - a + EPS);
    const j3 = sizes.filter((x) => x >= a - EPS && x <= capacity / 2 + EPS);
    const free2 = j2.length * capacity - j2.reduce((s, x) => s + x, 0);
    const need3 = Math.max(0, Math.ceil((j3.reduce((s, x) => s + x, 0) - free2) / capacity - EPS));
    best = Math.max(best, j1.length + j2.length + need3);
  }
  return best;
}

/**
 * Depth-first search for a packing onto at most `limit` GPUs (items largest first,
 * GPUs with equal loads tried once). Two prunings keep it short: a branch stops when
 * the items left cannot fit the free room plus the GPUs still allowed, and a replica
 * identical to the one before goes only to that one's GPU or later (swapping two
 * identical replicas never gives a new packing). Undefined when none exists or the
 * step budget runs out.
 */
function packExactly(items: ReadonlyArray<Sized>, shape: GpuBinShape, limit: number): GpuBin[] | undefined {
  const sorted = [...items].sort((a, b) => b.units / shape.unitsPerGpu + b.memory / shape.gpuMemoryGi - a.units / shape.unitsPerGpu - a.memory / shape.gpuMemoryGi || tieBreak(a, b));
  const unitsLeft = suffixSums(sorted.map((s) => s.units));
  const memoryLeft = suffixSums(sorted.map((s) => s.memory));
  const binOf: number[] = [];
  const bins: GpuBin[] = [];
  let freeUnits = 0;
  let freeMemory = 0;
  let steps = 0;
  const cannotFit = (k: number) =>
    unitsLeft[k] > freeUnits + (limit - bins.length) * shape.unitsPerGpu + EPS || memoryLeft[k] > freeMemory + (limit - bins.length) * shape.gpuMemoryGi + EPS;
  const place = (k: number): boolean => {
    if (k === sorted.length) return true;
    if (++steps > EXACT_SEARCH_STEPS || cannotFit(k)) return false;
    const s = sorted[k];
    const sameAsPrevious = k > 0 && sorted[k - 1].units === s.units && sorted[k - 1].memory === s.memory;
    const tried = new Set<string>();
    for (let b = sameAsPrevious ? binOf[k - 1] : 0; b < bins.length; b++) {
      const bin = bins[b];
      const load = `${bin.units.toFixed(6)}/${bin.memory.toFixed(6)}`;
      if (tried.has(load) || bin.units + s.units > shape.unitsPerGpu + EPS || bin.memory + s.memory > shape.gpuMemoryGi + EPS) continue;
      tried.add(load);
      bin.units += s.units;
      bin.memory += s.memory;
      bin.items.push(s);
      freeUnits -= s.units;
      freeMemory -= s.memory;
      binOf[k] = b;
      if (place(k + 1)) return true;
      bin.units -= s.units;
      bin.memory -= s.memory;
      bin.items.pop();
      freeUnits += s.units;
      freeMemory += s.memory;
    }
    if (bins.length < limit) {
      bins.push({ units: s.units, memory: s.memory, items: [s] });
      freeUnits += shape.unitsPerGpu - s.units;
      freeMemory += shape.gpuMemoryGi - s.memory;
      binOf[k] = bins.length - 1;
      if (place(k + 1)) return true;
      bins.pop();
      freeUnits -= shape.unitsPerGpu - s.units;
      freeMemory -= shape.gpuMemoryGi - s.memory;
    }
    return false;
  };
  return place(0) ? bins : undefined;
}

/** suffix[k] = Σ values[k..]; suffix[values.length] = 0. */
function suffixSums(values: ReadonlyArray<number>): number[] {
  const suffix = new Array<number>(values.length + 1).fill(0);
  for (let k = values.length - 1; k >= 0; k--) suffix[k] = suffix[k + 1] + values[k];
  return suffix;
}

/**
 * The fewest GPUs any of the heuristics packs the fractional items onto; then, when
 * that is above ⌈Σ units⌉ and ⌈Σ memory⌉ per GPU and the items are few, an exact
 * search for one GPU fewer, repeated while it succeeds.
 */
function packFractional(items: ReadonlyArray<Sized>, shape: GpuBinShape, exact: boolean): { bins: GpuBin[]; heuristic: string } {
  let result: { bins: GpuBin[]; heuristic: string } | undefined;
  for (const { name, order } of fractionalOrders(shape)) {
    const sorted = [...items].sort(order);
    for (const best of [false, true]) {
      const bins = packOntoGpus(sorted, shape, best);
      if (!result || bins.length < result.bins.length) result = { bins, heuristic: `${best ? "best" : "first"}-fit decreasing by ${name}` };
    }
  }
  if (!result) return { bins: [], heuristic: "none" };
  // L2 on each dimension proves many heuristic packings optimal, sparing a search that cannot succeed.
  const gpuBound = Math.max(
    l2Bound(
      items.map((s) => s.units),
      shape.unitsPerGpu,
    ),
    l2Bound(
      items.map((s) => s.memory),
      shape.gpuMemoryGi,
    ),
  );
  if (exact && items.length <= EXACT_SEARCH_MAX_ITEMS) {
    while (result.bins.length > gpuBound) {
      const fewer = packExactly(items, shape, result.bins.length - 1);
      if (!fewer) break;
      result = { bins: fewer, heuristic: "exact search" };
    }
  }
  return result;
}

/**
 * Packs the items; `exact: false` keeps to the heuristics (for comparing node shapes
 * quickly), the default adds the bounded exact search.
 */
export function packGpus(items: ReadonlyArray<GpuItem>, shape: GpuBinShape, options: { readonly exact?: boolean } = {}): PackingResult {
  const { gpusPerNode, gpuMemoryGi, unitsPerGpu } = shape;
  if (!Number.isInteger(gpusPerNode) || gpusPerNode < 1) throw new Error(`a node must have a whole number of GPUs, got ${gpusPerNode}`);
  for (const item of items) {
    if (item.share >= 1 && item.share > gpusPerNode) throw new Error(`${item.agent} needs ${item.share} GPUs but a node has ${gpusPerNode}`);
    if (item.memoryGi > (item.share >= 1 ? item.share : 1) * gpuMemoryGi + EPS) {
      throw new Error(`${item.agent} needs ${item.memoryGi} GiB of GPU memory but ${item.share >= 1 ? `${item.share} GPUs have` : "a GPU has"} ${(item.share >= 1 ? item.share : 1) * gpuMemoryGi}`);
    }
  }

  // Whole-GPU items: first fit decreasing onto nodes, by free GPU count.
  const freeOnNode: number[] = [];
  const assignments: GpuAssignment[] = [];
  const whole = items.filter((i) => i.share >= 1).sort((a, b) => b.share - a.share || a.agent.localeCompare(b.agent) || a.replica - b.replica);
  for (const item of whole) {
    let node = freeOnNode.findIndex((free) => free >= item.share);
    if (node < 0) {
      freeOnNode.push(gpusPerNode);
      node = freeOnNode.length - 1;
    }
    const first = gpusPerNode - freeOnNode[node];
    assignments.push({ agent: item.agent, replica: item.replica, node, gpus: Array.from({ length: item.share }, (_, k) => first + k), share: item.share });
    freeOnNode[node] -= item.share;
  }

  // Fractional items: onto the fewest GPUs, then those GPUs onto free slots and new nodes.
  const sized = items.filter((i) => i.share < 1).map((item) => ({ item, units: unitsFor(item.share, unitsPerGpu), memory: memoryFor(item, shape) }));
  const { bins, heuristic } = packFractional(sized, shape, options.exact ?? true);
  let binIndex = 0;
  const placeBin = (node: number, gpu: number) => {
    for (const s of bins[binIndex].items) assignments.push({ agent: s.item.agent, replica: s.item.replica, node, gpus: [gpu], share: s.item.share });
    binIndex++;
  };
  for (let node = 0; node < freeOnNode.length && binIndex < bins.length; node++) {
    while (freeOnNode[node] > 0 && binIndex < bins.length) {
      placeBin(node, gpusPerNode - freeOnNode[node]);
      freeOnNode[node]--;
    }
  }
  while (binIndex < bins.length) {
    freeOnNode.push(gpusPerNode);
    const node = freeOnNode.length - 1;
    while (freeOnNode[node] > 0 && binIndex < bins.length) {
      placeBin(node, gpusPerNode - freeOnNode[node]);
      freeOnNode[node]--;
    }
  }

  const totalUnits = items.reduce((s, i) => s + (i.share >= 1 ? i.share * unitsPerGpu : unitsFor(i.share, unitsPerGpu)), 0);
  const totalMemory = items.reduce((s, i) => s + memoryFor(i, shape), 0);
  const shareBound = Math.ceil(totalUnits / (unitsPerGpu * gpusPerNode) - EPS);
  const memoryBound = Math.ceil(totalMemory / (gpuMemoryGi * gpusPerNode) - EPS);
  const boundNodes = Math.max(shareBound, memoryBound, 0);
  const nodes = freeOnNode.length;
  const gpusUsed = freeOnNode.reduce((s, free) => s + gpusPerNode - free, 0);
  return {
    nodes,
    gpusUsed,
    assignments,
    lowerBound: { share: shareBound, memory: memoryBound, nodes: boundNodes },
    efficiency: nodes === 0 ? 1 : boundNodes / nodes,
    heuristic,
  };
}
