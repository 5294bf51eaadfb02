import { bySeverity, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-004",
  title: "Read-only root filesystem",
  severity: "medium",
  kind: "security",
  description: "A container's root filesystem is read-only, so an intruder cannot drop tools or change the image's binaries. Checked on Kubernetes and ECS containers, where the setting exists.",
  remediation: "Kubernetes: `securityContext.readOnlyRootFilesystem: true` with an emptyDir at /tmp; ECS: `readonlyRootFilesystem: true` with a scratch volume.",
  anchors: { checkov: ["CKV_K8S_22", "CKV_AWS_336"], kubeLinter: ["no-read-only-root-fs"] },
  enforcement: bySeverity("medium"),
  reads: ["container-workload"],
  check(facts) {
    return only(facts, "container-workload")
      .filter((w) => w.platform === "kubernetes" || w.platform === "ecs")
      .flatMap((w) => w.containers.filter((c) => c.readOnlyRootFilesystem !== true).map((c) => finding(w, `container '${c.name}' has a writable root filesystem`)));
  },
};
