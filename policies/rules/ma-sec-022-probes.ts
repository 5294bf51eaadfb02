import { bySeverity, finding, only, type Rule } from "./types";

/** Run-to-completion workloads have no liveness or readiness to probe. */
const BATCH = new Set(["Job", "CronJob", "Pod", "TaskDefinition"]);

export const rule: Rule = {
  id: "MA-SEC-022",
  title: "Liveness and readiness probes",
  severity: "medium",
  kind: "security",
  description:
    "Long-running agent containers have a liveness probe (a hung agent is restarted) and a readiness probe (traffic and queue work reach it only when it is ready). ECS container health checks count for both; Cloud Run's startup probe gates traffic. Jobs, bare Pods and task definitions no service runs are not checked.",
  remediation: "Kubernetes: `livenessProbe` and `readinessProbe` on the agent's health path; ECS: a container `healthCheck`; Container Apps: Liveness and Readiness probes; Cloud Run: a `livenessProbe`.",
  anchors: { checkov: ["CKV_K8S_8", "CKV_K8S_9"], kubeLinter: ["no-liveness-probe", "no-readiness-probe"] },
  enforcement: bySeverity("medium"),
  reads: ["container-workload"],
  check(facts) {
    return only(facts, "container-workload")
      .filter((w) => !BATCH.has(w.workloadKind))
      .flatMap((w) =>
        w.containers
          .filter((c) => !c.init && (!c.probes.liveness || !c.probes.readiness))
          .map((c) => finding(w, `container '${c.name}' has no ${[!c.probes.liveness ? "liveness" : "", !c.probes.readiness ? "readiness" : ""].filter(Boolean).join(" or ")} probe`)),
      );
  },
};
