import { bySeverity, finding, only, type Rule } from "./types";

/** Platforms where the user, escalation and capabilities of a container can be set. */
const SETTABLE = new Set(["kubernetes", "ecs"]);

export const rule: Rule = {
  id: "MA-SEC-002",
  title: "Non-root, no privilege escalation, capabilities dropped",
  severity: "high",
  kind: "security",
  description:
    "Containers run as a non-root user, cannot gain privileges (Kubernetes `allowPrivilegeEscalation: false`) and drop every Linux capability (`drop: [ALL]`, nothing added back but NET_BIND_SERVICE). Checked where the platform lets a stack set these: Kubernetes and ECS (ECS has no no-new-privileges switch on Fargate, so escalation is checked on Kubernetes only). Container Apps and Cloud Run run containers in a platform sandbox and are not checked.",
  remediation:
    "Kubernetes: `securityContext: { runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }`. ECS: `user: \"65532\"` and `linuxParameters.capabilities.drop: [\"ALL\"]`.",
  anchors: { checkov: ["CKV_K8S_20", "CKV_K8S_23", "CKV_K8S_28", "CKV_K8S_37"], kubeLinter: ["run-as-non-root", "privilege-escalation-container", "drop-net-raw-capability"] },
  enforcement: bySeverity("high"),
  reads: ["container-workload"],
  check(facts) {
    return only(facts, "container-workload")
      .filter((w) => SETTABLE.has(w.platform))
      .flatMap((w) =>
        w.containers.flatMap((c) => {
          const problems: string[] = [];
          const nonRoot = c.runAsUser !== undefined ? c.runAsUser !== 0 : c.runAsNonRoot === true;
          if (!nonRoot || c.runAsUser === 0) problems.push(c.runAsUser === 0 ? "runs as root (UID 0)" : "does not set a non-root user");
          if (w.platform === "kubernetes" && c.allowPrivilegeEscalation !== false) problems.push("allows privilege escalation");
          if (c.allowPrivilegeEscalation === true && w.platform !== "kubernetes") problems.push("allows privilege escalation");
          if (!c.capabilities.drop.some((d) => d.toUpperCase() === "ALL")) problems.push("does not drop ALL capabilities");
          const added = c.capabilities.add.filter((a) => a.toUpperCase() !== "NET_BIND_SERVICE");
          if (added.length > 0) problems.push(`adds capabilities ${added.join(", ")}`);
          return problems.length > 0 ? [finding(w, `container '${c.name}' ${problems.join("; ")}`)] : [];
        }),
      );
  },
};
