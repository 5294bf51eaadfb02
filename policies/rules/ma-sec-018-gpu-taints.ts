import type { NodePoolFact } from "../../lib/facts";
import { bySeverity, finding, only, type Rule } from "./types";

/**
 * Pools that Kubernetes schedules pods on. ECS capacity (an Auto Scaling group ECS
 * manages) has no taints: only services whose capacity provider strategy names it
 * land there. A self-managed Auto Scaling group counts when tagged for a cluster.
 */
function schedulesPods(p: NodePoolFact): boolean {
  if (p.service === "autoscaling-group") return Object.keys(p.tags).some((k) => k.startsWith("kubernetes.io/cluster/")) && p.tags.AmazonECSManaged === undefined;
  return p.service !== "ecs-capacity" && p.service !== "aca-workload-profile";
}

export const rule: Rule = {
  id: "MA-SEC-018",
  title: "GPU pools tainted `nvidia.com/gpu:NoSchedule`",
  severity: "medium",
  kind: "security",
  description:
    "GPU nodes carry the `nvidia.com/gpu` taint with effect NoSchedule, so only workloads that tolerate it (GPU agents) land there: other pods neither take expensive capacity nor share a node with models and their data. GKE adds the taint to GPU pools itself. ECS capacity and Container Apps GPU profiles are not Kubernetes node pools: only services that name them run there.",
  remediation: "EKS: `taints: [{ key: \"nvidia.com/gpu\", value: \"true\", effect: \"NO_SCHEDULE\" }]`; AKS: `nodeTaints: [\"nvidia.com/gpu=true:NoSchedule\"]`; Karpenter: `spec.template.spec.taints`.",
  anchors: {},
  enforcement: bySeverity("medium"),
  reads: ["node-pool"],
  check(facts) {
    return only(facts, "node-pool")
      .filter((p) => p.gpu !== undefined && schedulesPods(p))
      .filter((p) => !p.taints.some((t) => t.key === "nvidia.com/gpu" && t.effect === "NoSchedule"))
      .map((p) => finding(p, "GPU pool has no nvidia.com/gpu:NoSchedule taint"));
  },
};
