import { customerServiceFleet } from "../agents";
import { AgentFleet } from "../lib";
import { kubeContext, stackEnvironment } from "./config";

/**
 * The seed's medium-enterprise scenario: a primary and a backup region, autoscaling,
 * central metrics, logs, traces and alerts, a $50,000 budget.
 */
export default function medium() {
  const fleet = new AgentFleet("acme-support", {
    fleet: customerServiceFleet({
      tier: "medium",
      environment: stackEnvironment(),
      targets: [
        { runtime: "kubernetes", region: "us-east-1", role: "primary", cluster: kubeContext("primaryCluster") ?? "primary" },
        { runtime: "kubernetes", region: "us-west-2", role: "backup", cluster: kubeContext("backupCluster") ?? "backup" },
      ],
    }),
  });
  return { namespaces: fleet.deployments.map((d) => d.platform.environmentName) };
}
