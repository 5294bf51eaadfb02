import type { FleetInput } from "../lib/spec";

/**
 * A fleet as the company stacks put it on Container Apps: a serverless GPU replica
 * has one whole GPU, so agents that share a GPU elsewhere get a whole one (the
 * plan picks the T4 profile for the seed's small models). An explicit stack choice,
 * priced as such; the fleet file itself keeps its fractional shares, and aks serves
 * them with time-slicing or MIG.
 */
export function onContainerApps(fleet: FleetInput): FleetInput {
  return {
    ...fleet,
    spec: {
      ...fleet.spec,
      agents: fleet.spec.agents.map((a) => (a.resources?.gpu && a.resources.gpu.share < 1 ? { ...a, resources: { ...a.resources, gpu: { ...a.resources.gpu, share: 1 } } } : a)),
    },
  };
}
