import { AgentFleet } from "../components/agent-fleet";
import { factsFromGraph } from "../facts/core";
import { runOffline, type ResourceGraph } from "../offline/engine";
import { planFleet } from "../plan/plan-fleet";
import type { FleetPlan } from "../plan/types";
import type { FleetInput } from "../spec/schema";
import type { Fleet } from "../spec/types";
import { cloudOfRegion } from "./compute";
import { estimateCost } from "./estimate";
import type { CostEstimate, EstimateOptions, GpuPoolPricing } from "./types";
import { resolveUsage } from "./usage";

/** What the fleet's plan knows that the resources do not say: usage, budget, GPU pools. */
export function fleetEstimateOptions(plan: FleetPlan): EstimateOptions {
  const gpuPools: GpuPoolPricing[] = plan.gpuPools.map((p) => ({
    name: p.name,
    accelerator: p.accelerator,
    sharing: p.sharing,
    slicesPerGpu: p.slicesPerGpu,
    spot: p.spot,
    nodesAtMin: p.packing.atMin.nodes,
    nodesAtMax: p.packing.atMax.nodes,
    minNodes: p.minNodes,
    maxNodes: p.maxNodes,
    instanceTypes: Object.fromEntries(Object.entries(p.shapes).map(([cloud, shape]) => [cloud, shape.instanceType])),
  }));
  // Each Kubernetes cluster's cloud comes from its resources' region, as for a stack; when
  // the resources do not say (one target), from the fleet's Kubernetes targets' regions.
  const clouds = new Set(plan.fleet.targets.filter((t) => t.runtime === "kubernetes").map((t) => cloudOfRegion(t.region)));
  const [only] = [...clouds];
  return {
    usage: resolveUsage(plan.fleet.tier, plan.fleet.usage),
    budgetMonthlyUsd: plan.budgetMonthlyUsd,
    gpuPools,
    ...(clouds.size === 1 && only ? { kubernetesCloudFallback: only } : {}),
  };
}

/** Estimates a resource graph of a fleet's program, with what the fleet's plan knows. */
export function estimateGraph(graph: Pick<ResourceGraph, "resources" | "config">, plan?: FleetPlan, options: EstimateOptions = {}): CostEstimate {
  return estimateCost(factsFromGraph(graph), { ...(plan ? fleetEstimateOptions(plan) : {}), ...options });
}

/** Plans a fleet, runs AgentFleet over it offline and estimates the result. */
export async function estimateFleet(input: Fleet | FleetInput, options: EstimateOptions = {}): Promise<{ estimate: CostEstimate; plan: FleetPlan; graph: ResourceGraph }> {
  const plan = planFleet(input);
  const graph = await runOffline(() => new AgentFleet(plan.fleet.name, { fleet: plan.fleet }));
  return { estimate: estimateGraph(graph, plan, options), plan, graph };
}
