import { invalidProp } from "../spec/errors";
import type { Fleet } from "../spec/types";
import { planGpu } from "./gpu-placement";
import { planAgent } from "./plan-fleet";
import type { AgentPlan, FleetPlan } from "./types";

/**
 * One target's view of the fleet's plan (placement, `spec.targets[].agents`): the
 * agents it runs, the GPU pools packed from those agents alone, and the event edges
 * between them. `fleet` stays the whole fleet, so paths in errors keep the file's
 * indexes and names built from the fleet's targets stay the same. A target that runs
 * every agent gets the fleet's plan itself.
 */

const views = new WeakMap<FleetPlan, Map<number, FleetPlan>>();

export function targetPlan(plan: FleetPlan, index: number): FleetPlan {
  const target = plan.fleet.targets[index];
  if (!target) throw new Error(`unreachable: fleet '${plan.fleet.name}' has no target ${index}`);
  if (target.agents.length === plan.agents.length) return plan;
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
  // The pools are packed from this target's agents only; the clouds an accelerator must be sold on stay the fleet's.
  const own: Fleet = { ...plan.fleet, agents: plan.fleet.agents.filter((a) => placed.has(a.name)) };
  const gpu = planGpu(own, plan.tier, plan.environment);
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

/** Every target's view, in `spec.targets` order. */
export function targetPlans(plan: FleetPlan): FleetPlan[] {
  return plan.fleet.targets.map((_, i) => targetPlan(plan, i));
}
