import { emailFleet } from "../agents";
import { AgentFleet } from "../lib";
import { kubeContext, stackEnvironment, stackRegion, stackRuntime } from "./config";
import { onContainerApps } from "./azure";
import { onCloudRun } from "./gcp";

/**
 * The seed's small-team scenario: one region, managed containers, one instance per
 * agent, a shared time-sliced GPU, basic monitoring, a $1,000 budget. On AWS ECS
 * (Fargate, the GPU agents on an EC2 capacity provider) in us-east-1 by default;
 * `microagents:runtime` picks eks, kubernetes or run (Cloud Run in europe-west4 by
 * default, project from `gcp:project`, budget on `microagents:billingAccount`; the
 * GPU agents get a whole L4 each, see stacks/gcp.ts), aca (Container Apps in
 * swedencentral, a region with serverless GPUs; the GPU agents get a whole T4 each,
 * see stacks/azure.ts) or aks (swedencentral), `microagents:region` the region.
 */
export default function small() {
  const runtime = stackRuntime(["ecs", "eks", "kubernetes", "run", "aca", "aks"] as const, "ecs");
  const cluster = kubeContext("cluster");
  const target =
    runtime === "kubernetes"
      ? { runtime, region: "local", ...(cluster ? { cluster } : {}) }
      : { runtime, region: stackRegion("region", runtime === "aca" || runtime === "aks" ? "swedencentral" : "us-east-1") };
  if (runtime === "aca") {
    const input = emailFleet({ tier: "small", environment: stackEnvironment(), targets: [target] });
    const fleet = new AgentFleet("acme-email", { fleet: onContainerApps(input) });
    return { environment: fleet.deployments[0].platform.environmentName };
  }
  if (runtime === "run") {
    const input = emailFleet({ tier: "small", environment: stackEnvironment(), targets: [{ runtime, region: stackRegion("region", "europe-west4") }] });
    const fleet = new AgentFleet("acme-email", { fleet: onCloudRun(input) });
    return { environment: fleet.deployments[0].platform.environmentName };
  }
  const fleet = new AgentFleet("acme-email", { fleet: emailFleet({ tier: "small", environment: stackEnvironment(), targets: [target] }) });
  return { environment: fleet.deployments[0].platform.environmentName };
}
