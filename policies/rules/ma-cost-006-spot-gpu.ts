import { byEnvironment, finding, only, override, type Rule } from "./types";

const isBatch = (tags: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) => tags.criticality === "batch" || labels["microagents.io/criticality"] === "batch";

export const rule: Rule = {
  id: "MA-COST-006",
  title: "Spot or preemptible capacity for non-prod and batch GPU pools",
  severity: "low",
  kind: "cost",
  description:
    "GPU pools run on spot or preemptible capacity where interruptions are acceptable: every GPU pool in environments whose preset puts all GPU pools on spot (`spotForAllGpu`: dev), and pools marked for batch work (`criticality: batch` tag or `microagents.io/criticality: batch` label) everywhere. Spot is about 60% cheaper (lib/prices/prices.json).",
  remediation: "EKS: `capacityType: SPOT`; AKS: `scaleSetPriority: Spot`; GKE: `nodeConfig.spot: true`; Karpenter: `karpenter.sh/capacity-type In [spot]`; in a fleet file `gpuPools[].spot: true`.",
  anchors: {},
  // The small tier's budget ($1,000) has no room for on-demand GPUs outside prod.
  enforcement: override(byEnvironment({ dev: "mandatory", staging: "advisory", prod: "advisory" }), { small: { staging: "mandatory" } }),
  reads: ["node-pool"],
  check(facts, ctx) {
    return only(facts, "node-pool")
      .filter((p) => p.gpu !== undefined && !p.spot && p.service !== "aca-workload-profile")
      .filter((p) => ctx.environment.spotForAllGpu || isBatch(p.tags, p.labels))
      .map((p) => finding(p, ctx.environment.spotForAllGpu ? `GPU pool runs on-demand in ${ctx.environment.name}` : "batch GPU pool runs on-demand"));
  },
};
