import { customerServiceFleet } from "../agents";
import { AgentFleet } from "../lib";
import { kubeContext, stackEnvironment, stackRegion, stackRuntime } from "./config";

/**
 * The seed's medium-enterprise scenario: a primary and a backup region, autoscaling,
 * central metrics, logs, traces and alerts, a $50,000 budget. On existing
 * Kubernetes clusters by default; `microagents:runtime` = ecs or eks deploys both
 * regions on AWS (`microagents:primaryRegion`, `microagents:backupRegion`).
 */
export default function medium() {
  const runtime = stackRuntime(["kubernetes", "ecs", "eks"] as const, "kubernetes");
  const primary = stackRegion("primaryRegion", "us-east-1");
  const backup = stackRegion("backupRegion", "us-west-2");
  const targets =
    runtime === "kubernetes"
      ? [
          { runtime, region: primary, role: "primary" as const, cluster: kubeContext("primaryCluster") ?? "primary" },
          { runtime, region: backup, role: "backup" as const, cluster: kubeContext("backupCluster") ?? "backup" },
        ]
      : [
          { runtime, region: primary, role: "primary" as const },
          { runtime, region: backup, role: "backup" as const },
        ];
  const fleet = new AgentFleet("acme-support", { fleet: customerServiceFleet({ tier: "medium", environment: stackEnvironment(), targets }) });
  return { namespaces: fleet.deployments.map((d) => d.platform.environmentName) };
}
