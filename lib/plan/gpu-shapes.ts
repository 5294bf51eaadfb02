import { instanceHourly } from "../prices/rates";
import type { AcceleratorInfo, Cloud, GpuNodeShape } from "../spec/accelerators";
import type { Agent } from "../spec/types";
import { packGpus, type GpuItem, type PackingResult } from "./gpu-packing";

/**
 * Share of a node's vCPU and memory that pods may request; the rest goes to the
 * kubelet, the system daemons (device plugin, DCGM exporter, CNI) or the ECS agent.
 */
export const NODE_ALLOCATABLE = 0.9;

const FRACTIONS = [0.125, 0.25, 0.5] as const;
const EPS = 1e-9;

/**
 * What one replica takes of a GPU for packing: its GPU share, raised until the
 * node's vCPU and memory that come with that much GPU cover its requests. Filling
 * a GPU then never asks its node for more vCPU or memory than it can give. MIG
 * slices are discrete, so MIG shares round up to the next profile. Undefined when
 * the agent cannot fit this shape at all.
 */
export function effectiveShare(agent: Agent, shape: GpuNodeShape, sharing: "time-slicing" | "mig" | "none"): number | undefined {
  const gpu = agent.resources.gpu;
  if (!gpu) return undefined;
  const cpuPerGpu = (shape.vcpu * NODE_ALLOCATABLE) / shape.gpus;
  const memPerGpu = (shape.memoryGiB * NODE_ALLOCATABLE) / shape.gpus;
  const need = Math.max(gpu.share, agent.resources.cpu / cpuPerGpu, agent.resources.memoryMiB / 1024 / memPerGpu);
  if (gpu.share >= 1) {
    const gpus = Math.ceil(need - EPS);
    return gpus <= shape.gpus ? gpus : undefined;
  }
  if (need > 1 + EPS) return undefined;
  if (sharing === "mig") return FRACTIONS.find((f) => f + EPS >= need) ?? 1;
  return need;
}

/** Every replica of every agent as a packing item on a shape; undefined when an agent does not fit it. */
export function shapeItems(agents: ReadonlyArray<Agent>, shape: GpuNodeShape, sharing: "time-slicing" | "mig" | "none", replicas: (a: Agent) => number): GpuItem[] | undefined {
  const items: GpuItem[] = [];
  for (const a of agents) {
    const share = effectiveShare(a, shape, sharing);
    if (share === undefined) return undefined;
    for (let r = 0; r < replicas(a); r++) items.push({ agent: a.name, replica: r, share, memoryGi: a.resources.gpu?.memoryGi ?? 0 });
  }
  return items;
}

/** Whether some node shape of the accelerator on the cloud holds the agent at all (its GPUs, vCPU and memory). */
export function someShapeHolds(info: AcceleratorInfo, cloud: Cloud, agent: Agent, sharing: "time-slicing" | "mig" | "none"): boolean {
  return (info.shapes[cloud] ?? []).some((shape) => effectiveShare(agent, shape, sharing) !== undefined);
}

export interface ShapeChoice {
  readonly shape: GpuNodeShape;
  /** Nodes the agents need at maximum replicas on this shape. */
  readonly nodes: number;
  /** The packing at maximum replicas on this shape. */
  readonly atMax: PackingResult;
  /** On-demand USD an hour for those nodes; undefined when the catalog has no price. */
  readonly hourlyUsd?: number;
}

/**
 * The cheapest node shape of an accelerator on a cloud for a pool's agents at
 * maximum scale: every shape with enough GPUs for the widest agent is packed, and
 * the one with the lowest nodes × on-demand price wins (fewer nodes on a tie, or
 * when no price is known). A named instance type is the only candidate.
 */
export function cheapestShape(
  info: AcceleratorInfo,
  cloud: Cloud,
  agents: ReadonlyArray<Agent>,
  sharing: "time-slicing" | "mig" | "none",
  unitsPerGpu: number,
  instanceType?: string,
): ShapeChoice | undefined {
  const widest = Math.max(1, ...agents.map((a) => (a.resources.gpu && a.resources.gpu.share >= 1 ? a.resources.gpu.share : 1)));
  const candidates = (info.shapes[cloud] ?? []).filter((s) => (instanceType ? s.instanceType === instanceType : s.gpus >= widest));
  // Shapes are compared on the packing heuristics; the winner then gets the exact search too.
  let best: { choice: ShapeChoice; items: GpuItem[] } | undefined;
  for (const shape of candidates) {
    const items = shapeItems(agents, shape, sharing, (a) => Math.max(a.scaling.max, 1));
    if (!items) continue;
    const atMax = packGpus(items, { gpusPerNode: shape.gpus, gpuMemoryGi: info.memoryGi, unitsPerGpu }, { exact: false });
    const price = instanceHourly(cloud, shape.instanceType)?.usd;
    const choice: ShapeChoice = { shape, nodes: atMax.nodes, atMax, ...(price !== undefined ? { hourlyUsd: price * atMax.nodes } : {}) };
    if (!best || better(choice, best.choice)) best = { choice, items };
  }
  if (!best) return undefined;
  const { shape } = best.choice;
  const atMax = packGpus(best.items, { gpusPerNode: shape.gpus, gpuMemoryGi: info.memoryGi, unitsPerGpu });
  const price = instanceHourly(cloud, shape.instanceType)?.usd;
  return { shape, nodes: atMax.nodes, atMax, ...(price !== undefined ? { hourlyUsd: price * atMax.nodes } : {}) };
}

function better(a: ShapeChoice, b: ShapeChoice): boolean {
  const ca = a.hourlyUsd ?? Infinity;
  const cb = b.hourlyUsd ?? Infinity;
  if (ca !== cb) return ca < cb;
  return a.nodes < b.nodes;
}
