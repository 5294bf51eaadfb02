import type { ContainerWorkloadFact, NetworkExposureFact } from "../../lib/facts";
import { bySeverity, finding, only, type Finding, type Rule } from "./types";

/** The name Pulumi gives a resource without an explicit name: its logical name and a random suffix. */
const autoNamed = (target: string, logical: string): boolean => target.startsWith(`${logical}-`) && /^[0-9a-f]{7,8}$/.test(target.slice(logical.length + 1));

function selects(e: NetworkExposureFact, w: ContainerWorkloadFact): boolean {
  if (e.target !== undefined) {
    const last = e.target.split("/").pop() ?? e.target;
    return w.workloadName !== undefined ? last === w.workloadName : autoNamed(last, w.resource.name) || last === w.resource.name;
  }
  const sel = Object.entries(e.selector ?? {});
  return sel.length > 0 && (e.namespace === undefined || e.namespace === w.namespace) && sel.every(([k, v]) => w.podLabels[k] === v);
}

export const rule: Rule = {
  id: "MA-SEC-019",
  title: "Agent services not publicly reachable except through the gateway",
  severity: "critical",
  kind: "security",
  description:
    "Clients reach agents only through the gateway, which authenticates, rate-limits and logs. Every workload is judged, whether or not it carries an agent tag (tags only name the agent in the finding). A workload is publicly reachable when a LoadBalancer or NodePort Service, an Ingress or an external IP selects its pods, when its ECS service assigns public IPs, its Container App has external ingress, its Cloud Run service takes traffic from the internet, or `allUsers` may invoke it. The gateway's own exposure is allowed.",
  remediation: "Keep agent Services ClusterIP, ECS `assignPublicIp: false`, Container Apps `ingress.external: false`, Cloud Run `ingress: INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER` (or INTERNAL_ONLY); route clients through the AgentGateway.",
  anchors: { checkov: ["CKV_AWS_333"], kubeLinter: ["exposed-services"] },
  enforcement: bySeverity("critical"),
  reads: ["network-exposure", "container-workload"],
  check(facts) {
    const workloads = only(facts, "container-workload");
    const out: Finding[] = [];
    // Every workload is judged, tagged with an agent or not: tags only attribute the finding.
    for (const e of only(facts, "network-exposure").filter((x) => x.public && !x.gateway)) {
      const selected = workloads.filter((w) => selects(e, w));
      const names = [...new Set([e.agent, ...selected.map((w) => w.agent)].filter((a): a is string => a !== undefined))];
      const what = names.length > 0 ? `agent ${names.join(", ")}` : selected.length > 0 ? `workload ${selected.map((w) => w.workloadName ?? w.resource.name).join(", ")}` : e.target ? `'${e.target}'` : "a workload";
      out.push(finding(e, `exposes ${what} to the internet (${e.via})`));
    }
    for (const w of workloads.filter((x) => x.ingress === "public")) out.push(finding(w, `${w.agent ? `agent ${w.agent}` : `workload ${w.workloadName ?? w.resource.name}`} takes traffic from the internet directly`));
    return out;
  },
};
