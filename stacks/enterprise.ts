import { researchFleet } from "../agents";
import { AgentFleet } from "../lib";
import { kubeContext, stackEnvironment } from "./config";

/**
 * The seed's large-enterprise scenario: Kubernetes on AWS, Azure and GCP under one
 * control plane (this program), a global load balancer, a $500,000 budget.
 */
export default function enterprise() {
  const fleet = new AgentFleet("acme-research", {
    fleet: researchFleet({
      tier: "enterprise",
      environment: stackEnvironment(),
      targets: [
        { runtime: "kubernetes", region: "us-east-1", cluster: kubeContext("awsCluster") ?? "aws" },
        { runtime: "kubernetes", region: "westeurope", cluster: kubeContext("azureCluster") ?? "azure" },
        { runtime: "kubernetes", region: "europe-west4", cluster: kubeContext("gcpCluster") ?? "gcp" },
      ],
    }),
  });
  return { namespaces: fleet.deployments.map((d) => d.platform.environmentName) };
}
