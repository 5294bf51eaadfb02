import { ACCELERATOR_INFO, migProfileForShare, type Accelerator, type AcceleratorInfo, type Cloud, type GpuNodeShape } from "../spec/accelerators";
import { MicroAgentsConfigError, type SpecIssue } from "../spec/errors";
import type { Runtime } from "../spec/schema";
import type { EnvironmentPreset, TierPreset } from "../spec/tiers";
import type { Agent, Fleet, GpuPool } from "../spec/types";
import { packGpus, type GpuItem, type PackingResult } from "./gpu-packing";
import { cheapestShape, shapeItems, someShapeHolds } from "./gpu-shapes";
import { costTags } from "./tags";
import type { GpuPlacement, GpuPoolPlan } from "./types";

/**
 * Accelerators from cheapest to dearest per GPU-hour. A test holds this order to
 * the price catalog, so the plan can pick "the cheapest pool that fits" without
 * reading prices.
 */
export const ACCELERATOR_COST_ORDER: ReadonlyArray<Accelerator> = [
  "nvidia-t4",
  "nvidia-l4",
  "nvidia-a10g",
  "nvidia-a10",
  "nvidia-l40s",
  "nvidia-a100",
  "nvidia-a100-80gb",
  "nvidia-h100",
];

export const RUNTIME_CLOUD: Readonly<Record<Runtime, Cloud | undefined>> = {
  ecs: "aws",
  eks: "aws",
  aca: "azure",
  aks: "azure",
  run: "gcp",
  gke: "gcp",
  kubernetes: undefined,
};

export function fleetClouds(fleet: Fleet): Cloud[] {
  const clouds = fleet.targets.map((t) => RUNTIME_CLOUD[t.runtime]).filter((c): c is Cloud => c !== undefined);
  return [...new Set(clouds)];
}

type Sharing = GpuPool["sharing"];

function fits(info: AcceleratorInfo, sharing: Sharing, agent: Agent, clouds: ReadonlyArray<Cloud>): boolean {
  const gpu = agent.resources.gpu;
  if (!gpu) return false;
  // Every cloud of the fleet must sell a node that holds the agent: its GPUs, vCPU and memory.
  const sold = clouds.every((c) => someShapeHolds(info, c, agent, sharing));
  if (gpu.share >= 1) return info.memoryGi * gpu.share >= gpu.memoryGi && sold;
  if (sharing === "none") return false;
  if (sharing === "mig") return (migProfileForShare(info, gpu.share)?.memoryGi ?? 0) >= gpu.memoryGi && sold;
  return info.memoryGi >= gpu.memoryGi && sold;
}

const unitsPerGpu = (sharing: Sharing) => (sharing === "mig" ? 7 : 1);

function soldOn(info: AcceleratorInfo, clouds: ReadonlyArray<Cloud>): boolean {
  return clouds.every((c) => (info.shapes[c]?.length ?? 0) > 0);
}

interface PoolDraft {
  readonly name: string;
  readonly accelerator: Accelerator;
  readonly sharing: Sharing;
  readonly declared?: GpuPool;
  readonly agents: Agent[];
}

export interface GpuPlanResult {
  readonly pools: GpuPoolPlan[];
  readonly placements: Map<string, GpuPlacement>;
  readonly notes: string[];
}

/**
 * Places every GPU agent in a pool (its own, a declared pool that fits, or a pool
 * the plan makes with the cheapest allowed GPU), then sizes each pool by packing.
 */
export function planGpu(fleet: Fleet, tier: TierPreset, environment: EnvironmentPreset): GpuPlanResult {
  const clouds = fleetClouds(fleet);
  const issues: SpecIssue[] = [];
  const notes: string[] = [];
  const drafts = new Map<string, PoolDraft>();
  fleet.gpuPools.forEach((p, i) => {
    const info = ACCELERATOR_INFO[p.accelerator];
    const missing = clouds.filter((c) => !(info.shapes[c]?.length));
    if (missing.length > 0) {
      issues.push({ path: `spec.gpuPools[${i}].accelerator`, message: `${p.accelerator} is not sold on ${missing.join(", ")}, a target of this fleet`, hint: `pick one of ${ACCELERATOR_COST_ORDER.filter((a) => soldOn(ACCELERATOR_INFO[a], clouds)).join(", ")}` });
    }
    drafts.set(p.name, { name: p.name, accelerator: p.accelerator, sharing: p.sharing, declared: p, agents: [] });
  });

  fleet.agents.forEach((agent, i) => {
    const gpu = agent.resources.gpu;
    if (!gpu) return;
    if (gpu.pool) {
      const draft = drafts.get(gpu.pool);
      if (!draft) return; // reported by the spec's reference checks
      if (!fits(ACCELERATOR_INFO[draft.accelerator], draft.sharing, agent, clouds)) {
        issues.push({
          path: `spec.agents[${i}].resources`,
          message: `a ${gpu.share} GPU share with ${gpu.memoryGi} GiB, ${agent.resources.cpu} vCPU and ${agent.resources.memoryMiB} MiB does not fit pool '${draft.name}' (${draft.accelerator}, ${draft.sharing})`,
          hint: "pick a larger share, fewer vCPU or less memory, or another pool",
        });
        return;
      }
      draft.agents.push(agent);
      return;
    }
    const declared = [...drafts.values()]
      .filter((d) => d.declared && fits(ACCELERATOR_INFO[d.accelerator], d.sharing, agent, clouds) && (gpu.share >= 1) === (d.sharing === "none"))
      .sort((a, b) => ACCELERATOR_COST_ORDER.indexOf(a.accelerator) - ACCELERATOR_COST_ORDER.indexOf(b.accelerator));
    if (declared.length > 0) {
      declared[0].agents.push(agent);
      return;
    }
    const wanted: Sharing = gpu.share >= 1 ? "none" : tier.gpuSharing === "none" ? "time-slicing" : tier.gpuSharing;
    const choice = ACCELERATOR_COST_ORDER.map((acc) => ACCELERATOR_INFO[acc])
      .filter((info) => tier.allowedAccelerators.includes(info.name) && soldOn(info, clouds))
      .map((info) => ({ info, sharing: wanted === "mig" && info.migProfiles.length === 0 ? ("time-slicing" as const) : wanted }))
      .find(({ info, sharing }) => fits(info, sharing, agent, clouds));
    if (!choice) {
      issues.push({
        path: `spec.agents[${i}].resources`,
        message: `no GPU node allowed in the ${tier.name} tier on ${clouds.join(", ") || "this cluster"} fits ${gpu.memoryGi} GiB of GPU memory at a ${gpu.share} share with ${agent.resources.cpu} vCPU and ${agent.resources.memoryMiB} MiB`,
        hint: "lower memoryGi, cpu or memory, raise the share, or declare a gpuPool",
      });
      return;
    }
    const name = `${choice.info.name.replace(/^nvidia-/, "")}-${choice.sharing === "none" ? "dedicated" : choice.sharing === "mig" ? "mig" : "shared"}`;
    const draft = drafts.get(name) ?? { name, accelerator: choice.info.name, sharing: choice.sharing, agents: [] };
    draft.agents.push(agent);
    drafts.set(name, draft);
  });
  if (issues.length > 0) throw new MicroAgentsConfigError(issues);

  const pools: GpuPoolPlan[] = [];
  const placements = new Map<string, GpuPlacement>();
  for (const draft of drafts.values()) {
    const pool = sizePool(draft, fleet, tier, environment, clouds, notes);
    pools.push(pool);
    for (const agent of draft.agents) placements.set(agent.name, placementFor(agent, pool));
  }
  return { pools, placements, notes };
}

function sizePool(draft: PoolDraft, fleet: Fleet, tier: TierPreset, environment: EnvironmentPreset, clouds: ReadonlyArray<Cloud>, notes: string[]): GpuPoolPlan {
  const info = ACCELERATOR_INFO[draft.accelerator];
  const declared = draft.declared;
  const units = unitsPerGpu(draft.sharing);
  // Shapes per cloud; the pool is packed on the first target's cloud (on plain
  // Kubernetes the pool is a label over existing nodes: GPUs only, a node per GPU group).
  const shapes: Partial<Record<Cloud, GpuNodeShape>> = {};
  let primaryAtMax: PackingResult | undefined;
  for (const cloud of clouds) {
    const choice = cheapestShape(info, cloud, draft.agents, draft.sharing, units, declared?.instanceType);
    if (!choice) {
      const where = declared ? `spec.gpuPools[${fleet.gpuPools.indexOf(declared)}]` : `spec.agents[${fleet.agents.indexOf(draft.agents[0])}].resources`;
      throw new MicroAgentsConfigError([
        { path: where, message: `no ${info.name} node${declared?.instanceType ? ` of type ${declared.instanceType}` : ""} on ${cloud} holds every agent of pool '${draft.name}' (their GPUs, vCPU and memory)`, hint: "split the agents into pools, or lower their cpu or memory" },
      ]);
    }
    shapes[cloud] = choice.shape;
    primaryAtMax ??= choice.atMax;
  }
  const primary = clouds.length > 0 ? shapes[clouds[0]] : undefined;
  const widest = Math.max(1, ...draft.agents.map((a) => (a.resources.gpu && a.resources.gpu.share >= 1 ? a.resources.gpu.share : 1)));
  const gpusPerNode = primary?.gpus ?? widest;
  const fractional = draft.agents.map((a) => a.resources.gpu?.share ?? 1).filter((s) => s < 1);
  const slicesPerGpu = draft.sharing === "time-slicing" && fractional.length > 0 ? Math.round(1 / Math.min(...fractional)) : 1;
  const shape = { gpusPerNode, gpuMemoryGi: info.memoryGi, unitsPerGpu: units };
  const rawItems = (replicas: (a: Agent) => number): GpuItem[] =>
    draft.agents.flatMap((a) => Array.from({ length: replicas(a) }, (_, r) => ({ agent: a.name, replica: r, share: a.resources.gpu?.share ?? 1, memoryGi: a.resources.gpu?.memoryGi ?? 0 })));
  const items = (replicas: (a: Agent) => number): GpuItem[] => (primary ? shapeItems(draft.agents, primary, draft.sharing, replicas) : undefined) ?? rawItems(replicas);
  const atMax = primaryAtMax ?? packGpus(items((a) => a.scaling.max), shape);
  const atMin = packGpus(items((a) => a.scaling.min), shape);
  const needed = Math.max(1, atMax.nodes);
  const cap = tier.caps.maxNodesPerPool;
  const maxNodes = declared?.maxNodes ?? Math.min(needed, cap);
  if (declared?.maxNodes !== undefined && declared.maxNodes < atMax.nodes) {
    notes.push(`GPU pool '${draft.name}' is capped at ${declared.maxNodes} nodes but its agents need ${atMax.nodes} at maximum scale; they will not all reach max replicas`);
  } else if (declared?.maxNodes === undefined && needed > cap) {
    notes.push(`GPU pool '${draft.name}' needs ${needed} nodes at maximum scale; the ${tier.name} tier caps a pool at ${cap}, so its agents will not all reach max replicas (declare the pool's maxNodes to go beyond, and the cost policy will say so)`);
  }
  const minNodes = declared?.minNodes ?? (environment.name === "prod" ? Math.min(atMin.nodes, maxNodes) : 0);
  const allBatch = draft.agents.every((a) => a.criticality === "batch");
  const noneCritical = draft.agents.every((a) => a.criticality !== "critical");
  const spot = declared?.spot ?? (environment.spotForAllGpu || allBatch || (tier.spotFor === "non-critical" && noneCritical));
  const migProfiles: Record<string, string> = {};
  if (draft.sharing === "mig") {
    for (const a of draft.agents) {
      const profile = a.resources.gpu && a.resources.gpu.share < 1 ? migProfileForShare(info, a.resources.gpu.share) : undefined;
      if (profile) migProfiles[a.name] = profile.name;
    }
  }
  return {
    name: draft.name,
    accelerator: draft.accelerator,
    sharing: draft.sharing,
    slicesPerGpu,
    spot,
    shapes,
    gpusPerNode,
    gpuMemoryGi: info.memoryGi,
    minNodes,
    maxNodes,
    agents: draft.agents.map((a) => a.name),
    packing: { atMax, atMin },
    assignments: atMax.assignments,
    migProfiles,
    source: declared ? "spec" : "plan",
    tags: { ...costTags(fleet), "gpu-pool": draft.name },
  };
}

function placementFor(agent: Agent, pool: GpuPoolPlan): GpuPlacement {
  const gpu = agent.resources.gpu;
  if (!gpu) throw new Error(`unreachable: ${agent.name} has no GPU request`);
  const base = { pool: pool.name, share: gpu.share, memoryGi: gpu.memoryGi };
  if (gpu.share >= 1) return { ...base, resourceName: "nvidia.com/gpu", resourceCount: gpu.share * pool.slicesPerGpu };
  if (pool.sharing === "mig") return { ...base, resourceName: `nvidia.com/mig-${pool.migProfiles[agent.name]}`, resourceCount: 1 };
  return { ...base, resourceName: "nvidia.com/gpu", resourceCount: Math.round(gpu.share * pool.slicesPerGpu) };
}
