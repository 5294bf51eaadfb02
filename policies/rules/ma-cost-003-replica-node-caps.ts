import { everywhere, finding, only, type Finding, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-COST-003",
  title: "Max replicas and max nodes under the tier's caps",
  severity: "medium",
  kind: "cost",
  description:
    "No agent can scale past the tier's replica cap and no node pool past its node cap (`caps.maxReplicasPerAgent` and `caps.maxNodesPerPool`: small 20 and 4, medium 100 and 20, enterprise 500 and 100). Autoscalers count with their maximum (KEDA defaults to 100, Cloud Run to 100, Container Apps to 10 when unset). A GPU node pool with no maximum is reported.",
  remediation: "Set the autoscaler's maximum (`maxReplicaCount`, `maxReplicas`, `maxCapacity`, `maxInstanceCount`) and the pool's `maxSize`/`maxCount`/`maxNodeCount` within the caps.",
  anchors: {},
  enforcement: everywhere("mandatory"),
  reads: ["container-workload", "node-pool"],
  check(facts, ctx) {
    const caps = ctx.tier.caps;
    const out: Finding[] = [];
    for (const w of only(facts, "container-workload")) {
      if (w.replicas.source !== "per-node" && w.replicas.max > caps.maxReplicasPerAgent) out.push(finding(w, `may run ${w.replicas.max} replicas; the ${ctx.tier.name} tier allows ${caps.maxReplicasPerAgent}`));
    }
    for (const p of only(facts, "node-pool").filter((x) => x.service !== "karpenter")) {
      const max = p.nodes.max ?? p.nodes.desired;
      if (max === undefined && p.gpu) out.push(finding(p, "GPU node pool states no maximum node count"));
      else if (max !== undefined && max > caps.maxNodesPerPool) out.push(finding(p, `may grow to ${max} nodes; the ${ctx.tier.name} tier allows ${caps.maxNodesPerPool} per pool`));
    }
    return out;
  },
};
