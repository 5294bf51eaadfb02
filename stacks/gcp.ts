import type { FleetInput } from "../lib/spec";

/**
 * A fleet as the company stacks put it on Cloud Run: Cloud Run gives an instance
 * one whole GPU, so agents that share a GPU elsewhere get a whole NVIDIA L4 (and
 * at least 4 vCPU and 16 GiB, which the target rounds up to). An explicit stack
 * choice, priced as such; GKE keeps the fractional shares.
 */
export function onCloudRun(fleet: FleetInput): FleetInput {
  return {
    ...fleet,
    spec: {
      ...fleet.spec,
      agents: fleet.spec.agents.map((a) => (a.resources?.gpu && a.resources.gpu.share < 1 ? { ...a, resources: { ...a.resources, gpu: { ...a.resources.gpu, share: 1 } } } : a)),
    },
  };
}
