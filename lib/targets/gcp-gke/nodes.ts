import type { FleetPlan } from "../../plan/types";

const SYSTEM_SHAPES = [
  { machineType: "n2-standard-2", vcpu: 2, memoryGiB: 8 },
  { machineType: "n2-standard-4", vcpu: 4, memoryGiB: 16 },
  { machineType: "n2-standard-8", vcpu: 8, memoryGiB: 32 },
  { machineType: "n2-standard-16", vcpu: 16, memoryGiB: 64 },
] as const;

/**
 * The general-purpose node pool: the smallest N2 shape (from the tier's floor up)
 * that holds the largest CPU agent with room for node daemons, sized so every CPU
 * agent fits at its maximum within the tier's node cap; per zone on a regional
 * cluster (three zones), so bounds are per zone.
 */
export function gkeSystemNodes(plan: Pick<FleetPlan, "agents" | "tier" | "fleet">): { machineType: string; minPerZone: number; maxPerZone: number } {
  const cpuAgents = plan.agents.filter((a) => !a.gpu);
  const widest = Math.max(0.5, ...cpuAgents.map((a) => a.resources.cpu));
  const largest = Math.max(512, ...cpuAgents.map((a) => a.resources.memoryMiB)) / 1024;
  const floor = plan.tier.name === "small" ? 0 : plan.tier.name === "medium" ? 1 : 2;
  const demand = cpuAgents.reduce((sum, a) => sum + a.resources.cpu * Math.max(a.scaling.max, 1), 0);
  const cap = plan.tier.caps.maxNodesPerPool;
  const fitting = SYSTEM_SHAPES.filter((s, i) => i >= floor && s.vcpu * 0.85 >= widest && s.memoryGiB * 0.85 >= largest);
  const nodesFor = (vcpu: number) => Math.max(3, Math.ceil(demand / (vcpu * 0.85)) + 1);
  const shape = fitting.find((s) => nodesFor(s.vcpu) <= cap) ?? fitting[fitting.length - 1] ?? SYSTEM_SHAPES[SYSTEM_SHAPES.length - 1];
  const max = Math.max(1, Math.ceil(Math.min(cap, nodesFor(shape.vcpu)) / 3));
  return { machineType: shape.machineType, minPerZone: 1, maxPerZone: max };
}

