import { bySeverity, only, type Finding, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-020",
  title: "Default-deny NetworkPolicy for every agent namespace",
  severity: "high",
  kind: "security",
  description:
    "Every Kubernetes namespace that runs agents has a NetworkPolicy selecting all pods that denies all ingress and egress; each agent's own policy then opens only what it needs. Without it, any pod in the cluster can call any agent and an agent can reach anything.",
  remediation: "Add `NetworkPolicy { podSelector: {}, policyTypes: [Ingress, Egress] }` (no rules) to the namespace; the Kubernetes AgentPlatform creates it as `default-deny`.",
  anchors: { kubeLinter: ["non-isolated-pod"] },
  enforcement: bySeverity("high"),
  reads: ["container-workload", "network-policy"],
  check(facts) {
    const policies = only(facts, "network-policy");
    const byNamespace = new Map<string, ReturnType<typeof only<"container-workload">>>();
    for (const w of only(facts, "container-workload").filter((x) => x.platform === "kubernetes" && x.agent !== undefined)) {
      const ns = w.namespace ?? "default";
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), w]);
    }
    const out: Finding[] = [];
    for (const [ns, workloads] of byNamespace) {
      const here = policies.filter((p) => (p.namespace ?? "default") === ns);
      const missing = [...(here.some((p) => p.denyAllIngress) ? [] : ["ingress"]), ...(here.some((p) => p.denyAllEgress) ? [] : ["egress"])];
      if (missing.length === 0) continue;
      const first = workloads[0];
      out.push({ resource: first.resource, message: `namespace '${ns}' has no default-deny NetworkPolicy for ${missing.join(" and ")} (agents: ${workloads.map((w) => w.agent).join(", ")})` });
    }
    return out;
  },
};
