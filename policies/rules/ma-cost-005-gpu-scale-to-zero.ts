import { byEnvironment, finding, only, type Finding, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-COST-005",
  title: "Non-prod GPU pools scale to zero",
  severity: "medium",
  kind: "cost",
  description: "Outside prod an idle GPU costs the same as a busy one: GPU node pools have a minimum of zero nodes and GPU workloads on serverless GPUs (Cloud Run, Container Apps) a minimum of zero replicas. Not applied in prod.",
  remediation: "Set the pool's minimum to 0 (`scalingConfig.minSize`, `minCount`, `autoscaling.minNodeCount`) and GPU agents' `scaling.min: 0`; the plan does this outside prod unless `gpuPools[].minNodes` says otherwise.",
  anchors: {},
  enforcement: byEnvironment({ dev: "mandatory", staging: "advisory", prod: "disabled" }),
  reads: ["node-pool", "container-workload"],
  check(facts, ctx) {
    if (ctx.environment.name === "prod") return [];
    const out: Finding[] = [];
    for (const p of only(facts, "node-pool").filter((x) => x.gpu !== undefined)) {
      const min = p.nodes.min ?? p.nodes.desired;
      if (min === undefined || min > 0) out.push(finding(p, `GPU pool keeps ${min ?? "an unstated number of"} node${min === 1 ? "" : "s"} when idle`));
    }
    for (const w of only(facts, "container-workload").filter((x) => x.perReplica.gpus > 0 && (x.platform === "cloud-run" || x.platform === "container-apps"))) {
      if (w.replicas.min > 0) out.push(finding(w, `GPU workload keeps ${w.replicas.min} replica${w.replicas.min === 1 ? "" : "s"} when idle`));
    }
    return out;
  },
};
