import { sizeSystemNodes, tierShapeFloor } from "../../plan/system-nodes";
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
  const { shape, max } = sizeSystemNodes(plan, SYSTEM_SHAPES, { usable: 0.85, firstShape: tierShapeFloor(plan), minNodes: 3 });
  return { machineType: shape.machineType, minPerZone: 1, maxPerZone: Math.max(1, Math.ceil(max / 3)) };
}

