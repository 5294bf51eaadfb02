import type { AgentPlan } from "../../plan/types";
import type { WorkloadParams } from "./workload";

/** Node label that marks a node as part of a GPU pool. */
export const GPU_POOL_LABEL = "microagents.io/gpu-pool";
export const GPU_TAINT = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" } as const;

/**
 * GPU agents tolerate the `nvidia.com/gpu:NoSchedule` taint and require their pool's
 * nodes; other agents get neither, so they never land on GPU nodes.
 */
export function gpuScheduling(agent: AgentPlan): WorkloadParams["scheduling"] {
  if (!agent.gpu) return undefined;
  return { tolerations: [{ ...GPU_TAINT }], requiredNodeLabels: { [GPU_POOL_LABEL]: [agent.gpu.pool] } };
}
