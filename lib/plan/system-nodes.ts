import type { FleetPlan } from "./types";

/** A node shape the system pool of a managed cluster may take. */
export interface SystemNodeShape {
  readonly vcpu: number;
  readonly memoryGiB: number;
}

export interface SystemNodeOptions {
  /** Share of a node's CPU and memory left to agents once node daemons and add-ons run. */
  readonly usable: number;
  /** The index of the first shape the tier may take (bigger tiers start bigger). */
  readonly firstShape: number;
  /** The fewest nodes the pool keeps. */
  readonly minNodes: number;
}

/** The tier's first system shape: small from the smallest, medium one up, enterprise two up. */
export function tierShapeFloor(plan: Pick<FleetPlan, "tier">): number {
  return plan.tier.name === "small" ? 0 : plan.tier.name === "medium" ? 1 : 2;
}

/**
 * The general-purpose pool of a managed cluster (EKS, AKS, GKE): the smallest shape,
 * from `firstShape` up, that holds the largest CPU agent with room for node daemons
 * and keeps every CPU agent at its maximum within the tier's node cap (one node more
 * for the add-ons). When no shape is enough, the cap wins.
 */
export function sizeSystemNodes<S extends SystemNodeShape>(
  plan: Pick<FleetPlan, "agents" | "tier">,
  shapes: ReadonlyArray<S>,
  options: SystemNodeOptions,
): { shape: S; min: number; max: number } {
  const cpuAgents = plan.agents.filter((a) => !a.gpu);
  const widest = Math.max(0.5, ...cpuAgents.map((a) => a.resources.cpu));
  const largest = Math.max(512, ...cpuAgents.map((a) => a.resources.memoryMiB)) / 1024;
  const demand = cpuAgents.reduce((sum, a) => sum + a.resources.cpu * Math.max(a.scaling.max, 1), 0);
  const cap = plan.tier.caps.maxNodesPerPool;
  const { usable, firstShape, minNodes } = options;
  const nodesFor = (vcpu: number) => Math.max(minNodes, Math.ceil(demand / (vcpu * usable)) + 1);
  const fitting = shapes.filter((s, i) => i >= firstShape && s.vcpu * usable >= widest && s.memoryGiB * usable >= largest);
  const last = shapes[shapes.length - 1];
  if (last === undefined) throw new Error("sizeSystemNodes needs at least one shape");
  const shape = fitting.find((s) => nodesFor(s.vcpu) <= cap) ?? fitting[fitting.length - 1] ?? last;
  const max = Math.min(cap, nodesFor(shape.vcpu));
  return { shape, min: Math.min(minNodes, max), max };
}
