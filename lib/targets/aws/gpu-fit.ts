import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan, GpuPoolPlan } from "../../plan/types";
import type { GpuNodeShape } from "../../spec/accelerators";

/**
 * Agents of a pool whose CPU or memory request is larger than one node of the
 * pool's shape: the plan picks shapes by GPU count, so such an agent could never be
 * placed. Reported as a warning (the plan owns the shape choice).
 */
export function agentsTooLargeForShape(plan: Pick<FleetPlan, "agents">, pool: Pick<GpuPoolPlan, "agents">, shape: GpuNodeShape): string[] {
  return plan.agents
    .filter((a) => pool.agents.includes(a.name) && (a.resources.cpu > shape.vcpu || a.resources.memoryMiB > shape.memoryGiB * 1024))
    .map((a) => `${a.name} requests ${a.resources.cpu} vCPU and ${a.resources.memoryMiB} MiB`);
}

export function warnIfTooLarge(plan: Pick<FleetPlan, "agents">, pool: GpuPoolPlan, shape: GpuNodeShape, resource: pulumi.Resource): void {
  const tooLarge = agentsTooLargeForShape(plan, pool, shape);
  if (tooLarge.length > 0) {
    void pulumi.log.warn(`GPU pool '${pool.name}' runs on ${shape.instanceType} (${shape.vcpu} vCPU, ${shape.memoryGiB} GiB), but ${tooLarge.join("; ")}: those replicas cannot be placed; set gpuPools[].instanceType to a larger shape`, resource);
  }
}
