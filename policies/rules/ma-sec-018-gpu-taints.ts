import { bySeverity, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-018",
  title: "GPU pools tainted `nvidia.com/gpu:NoSchedule`",
  severity: "medium",
  kind: "security",
  description:
    "GPU nodes carry the `nvidia.com/gpu` taint with effect NoSchedule, so only workloads that tolerate it (GPU agents) land there: other pods neither take expensive capacity nor share a node with models and their data. GKE adds the taint to GPU pools itself; Container Apps GPU profiles only run apps that ask for them.",
  remediation: "EKS: `taints: [{ key: \"nvidia.com/gpu\", value: \"true\", effect: \"NO_SCHEDULE\" }]`; AKS: `nodeTaints: [\"nvidia.com/gpu=true:NoSchedule\"]`; Karpenter: `spec.template.spec.taints`.",
  anchors: {},
  enforcement: bySeverity("medium"),
  reads: ["node-pool"],
  check(facts) {
    return only(facts, "node-pool")
      .filter((p) => p.gpu !== undefined)
      .filter((p) => !p.taints.some((t) => t.key === "nvidia.com/gpu" && t.effect === "NoSchedule"))
      .map((p) => finding(p, "GPU pool has no nvidia.com/gpu:NoSchedule taint"));
  },
};
