import { bySeverity, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-001",
  title: "No privileged containers",
  severity: "critical",
  kind: "security",
  description: "A privileged container has every capability and the host's devices: a break-out is one step away. Checked on every container, init containers included, of Kubernetes pod controllers and ECS task definitions.",
  remediation: "Remove `privileged: true` (Kubernetes securityContext, ECS container definition). GPU access needs the device plugin's resource (nvidia.com/gpu), never privileged mode.",
  anchors: { checkov: ["CKV_K8S_16"], kubeLinter: ["privileged-container"] },
  enforcement: bySeverity("critical"),
  reads: ["container-workload"],
  check(facts) {
    return only(facts, "container-workload").flatMap((w) =>
      w.containers.filter((c) => c.privileged === true).map((c) => finding(w, `container '${c.name}' runs privileged`)),
    );
  },
};
