import { emailFleet } from "../agents";
import { AgentFleet } from "../lib";
import { kubeContext, stackEnvironment } from "./config";

/**
 * The seed's small-team scenario: one region, managed containers, one instance per
 * agent, a shared time-sliced GPU, basic monitoring, a $1,000 budget.
 */
export default function small() {
  const cluster = kubeContext("cluster");
  const fleet = new AgentFleet("acme-email", {
    fleet: emailFleet({ tier: "small", environment: stackEnvironment(), targets: [{ runtime: "kubernetes", region: "local", ...(cluster ? { cluster } : {}) }] }),
  });
  return { namespace: fleet.deployments[0].platform.environmentName };
}
