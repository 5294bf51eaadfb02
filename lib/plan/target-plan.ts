import type { Accelerator } from "../spec/accelerators";
import { invalidProp } from "../spec/errors";
import type { Runtime } from "../spec/schema";
import type { Fleet } from "../spec/types";
import { fleetClouds, planGpu, RUNTIME_CLOUD } from "./gpu-placement";
import { planAgent } from "./plan-fleet";
import type { AgentPlan, FleetPlan } from "./types";

/**
 * One target's view of the fleet's plan (placement, `spec.targets[].agents`): the
 * agents it runs, the GPU pools packed from those agents alone, and the event edges
 * between them. On a fleet across clouds, a cloud target packs GPU agents on its own
 * cloud's cheapest fitting GPU. `fleet` stays the whole fleet, so paths in errors keep
 * the file's indexes and names built from the fleet's targets stay the same. A target
 * that runs every agent and picks no GPU of its own gets the fleet's plan itself.
 */

const views = new WeakMap<FleetPlan, Map<number, FleetPlan>>();

export function targetPlan(plan: FleetPlan, index: number): FleetPlan {
  const target = plan.fleet.targets[index];
  if (!target) throw new Error(`unreachable: fleet '${plan.fleet.name}' has no target ${index}`);
  if (target.agents.length === plan.agents.length && !ownGpuChoice(plan, index)) return plan;
  const known = views.get(plan)?.get(index);
  if (known) return known;
  const made = placedPlan(plan, index);
  views.set(plan, (views.get(plan) ?? new Map<number, FleetPlan>()).set(index, made));
  return made;
}

/** The fleet's plan restricted to what one target runs. */
function placedPlan(plan: FleetPlan, index: number): FleetPlan {
  const target = plan.fleet.targets[index];
  const placed = new Set(target.agents);
  // The pools are packed from this target's agents only, from the GPUs its own cloud sells (on a
  // fleet across clouds, each cloud takes its cheapest fitting GPU rather than one every cloud sells).
  const own: Fleet = { ...plan.fleet, agents: plan.fleet.agents.filter((a) => placed.has(a.name)) };
  const offered = RUNTIME_ACCELERATORS[target.runtime];
  const tier = offered && ownGpuChoice(plan, index) ? { ...plan.tier, allowedAccelerators: plan.tier.allowedAccelerators.filter((a) => offered.includes(a)) } : plan.tier;
  const gpu = planGpu(ownGpuChoice(plan, index) ? { ...own, targets: [target] } : own, tier, plan.environment);
  const usedByFleet = new Set(plan.gpuPools.filter((p) => p.agents.length > 0).map((p) => p.name));
  const gpuPools = gpu.pools.filter((p) => p.agents.length > 0 || !usedByFleet.has(p.name));
  const agents = own.agents.map((a) => planAgent(plan.fleet, a, gpu.placements.get(a.name)));
  const byName = new Map(agents.map((a) => [a.name, a]));
  const where = `spec.targets[${index}] (${target.runtime} ${target.region})`;
  return {
    ...plan,
    agents,
    gpuPools,
    subscriptions: plan.subscriptions.filter((s) => placed.has(s.subscriber) && placed.has(s.publisher)),
    notes: gpu.notes,
    agent(name: string): AgentPlan {
      const found = byName.get(name);
      if (found) return found;
      if (plan.fleet.agents.some((a) => a.name === name)) invalidProp("agent", `agent '${name}' is not placed on ${where}`, `add it to spec.targets[${index}].agents (${target.agents.join(", ")}), or build it on another target`);
      return plan.agent(name);
    },
  };
}

/**
 * The GPUs a runtime offers where that is less than its cloud sells: Container Apps'
 * serverless GPU profiles and Cloud Run's L4 (the targets' own lists, azure-aca/sizing.ts
 * SERVERLESS_GPU_PROFILES and gcp/validate.ts CLOUD_RUN_ACCELERATOR; a test keeps them equal).
 */
export const RUNTIME_ACCELERATORS: Readonly<Partial<Record<Runtime, ReadonlyArray<Accelerator>>>> = { aca: ["nvidia-t4", "nvidia-a100", "nvidia-a100-80gb"], run: ["nvidia-l4"] };

/** Whether a target picks its GPUs from its own cloud's: a cloud target of a fleet on several clouds with GPU agents. */
function ownGpuChoice(plan: FleetPlan, index: number): boolean {
  const cloud = RUNTIME_CLOUD[plan.fleet.targets[index].runtime];
  return cloud !== undefined && fleetClouds(plan.fleet).length > 1 && plan.agents.some((a) => a.gpu);
}

/** Every target's view, in `spec.targets` order. */
export function targetPlans(plan: FleetPlan): FleetPlan[] {
  return plan.fleet.targets.map((_, i) => targetPlan(plan, i));
}
