import type { ContainerWorkloadFact, NetworkExposureFact } from "../../lib/facts";
import { bySeverity, finding, only, type Finding, type Rule } from "./types";

function selects(e: NetworkExposureFact, w: ContainerWorkloadFact): boolean {
  if (e.target !== undefined) return e.target === w.workloadName || e.target.endsWith(`/${w.workloadName}`);
  const sel = Object.entries(e.selector ?? {});
  return sel.length > 0 && (e.namespace === undefined || e.namespace === w.namespace) && sel.every(([k, v]) => w.podLabels[k] === v);
}

export const rule: Rule = {
  id: "MA-SEC-019",
  title: "Agent services not publicly reachable except through the gateway",
  severity: "critical",
  kind: "security",
  description:
    "Clients reach agents only through the gateway, which authenticates, rate-limits and logs. An agent is publicly reachable when a LoadBalancer or NodePort Service, an Ingress or an external IP selects its pods, when its ECS service assigns public IPs, its Container App has external ingress, its Cloud Run service takes traffic from the internet, or `allUsers` may invoke it. The gateway's own exposure is allowed.",
  remediation: "Keep agent Services ClusterIP, ECS `assignPublicIp: false`, Container Apps `ingress.external: false`, Cloud Run `ingress: INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER` (or INTERNAL_ONLY); route clients through the AgentGateway.",
  anchors: { checkov: ["CKV_AWS_333"], kubeLinter: ["exposed-services"] },
  enforcement: bySeverity("critical"),
  reads: ["network-exposure", "container-workload"],
  check(facts) {
    const workloads = only(facts, "container-workload");
    const out: Finding[] = [];
    for (const e of only(facts, "network-exposure").filter((x) => x.public && !x.gateway)) {
      const agents = workloads.filter((w) => w.agent !== undefined && selects(e, w));
      if (e.agent !== undefined || agents.length > 0) {
        const names = [...new Set([e.agent, ...agents.map((w) => w.agent)].filter((a): a is string => a !== undefined))];
        out.push(finding(e, `exposes agent ${names.join(", ")} to the internet (${e.via})`));
      }
    }
    for (const w of workloads.filter((x) => x.agent !== undefined && x.ingress === "public")) out.push(finding(w, `agent ${w.agent} takes traffic from the internet directly`));
    return out;
  },
};
