import type { Fact, ResourceRef } from "../../lib/facts";
import { everywhere, only, type Rule } from "./types";

/** Share of the budget at which the estimate is reported as a warning. */
export const WARN_AT = 0.8;

/**
 * The least a GPU costs a month when the estimator cannot price it: $0.35/h (an NVIDIA
 * T4 on demand, the cheapest GPU the three clouds rent) for 730 hours. A floor, never an estimate.
 */
export const GPU_FLOOR_MONTHLY_USD = 0.35 * 730;

/** GPUs on unpriced resources (workloads' minimum replicas, pools' minimum nodes) at the floor price. */
function unpricedGpuFloor(facts: ReadonlyArray<Fact>, unpriced: ReadonlySet<string>): { gpus: number; usd: number } {
  let gpus = 0;
  for (const f of facts) {
    if (!unpriced.has(f.resource.name)) continue;
    if (f.kind === "container-workload") gpus += f.perReplica.gpus * f.replicas.min;
    if (f.kind === "node-pool" && f.gpu) gpus += (f.gpu.count ?? 1) * Math.max(0, f.nodes.min ?? f.nodes.desired ?? 0);
  }
  return { gpus, usd: gpus * GPU_FLOOR_MONTHLY_USD };
}

export const rule: Rule = {
  id: "MA-COST-004",
  title: "Estimated monthly cost ≤ budget; advisory at 80%",
  severity: "high",
  kind: "cost",
  description:
    "The monthly estimate of the whole stack (lib/cost `estimateCost`, from the same facts) stays within the budget: the policy config's `budgetMonthlyUsd`, else a budget resource in the stack, else the tier's (small $1,000, medium $50,000, enterprise $500,000). Above 80% of the budget the rule warns (always advisory); above 100% it fails. Resources the estimator cannot price are never counted as zero silently: they are named in the message; GPUs on them count at least a floor price ($0.35/h each, a T4), and when that floor takes the total past the budget the rule fails; otherwise it warns (advisory) that they could.",
  remediation: "Lower the estimate (smaller or fewer GPUs, spot for non-critical pools, scale to zero outside prod, fewer replicas) or raise the fleet's `spec.budget.monthlyUsd` deliberately.",
  anchors: {},
  enforcement: everywhere("mandatory"),
  reads: ["resource", "budget"],
  check(facts, ctx) {
    if (!ctx.estimateCost) return [];
    const estimate = ctx.estimateCost(facts);
    const budgets = only(facts, "budget").filter((b) => b.amountUsd !== undefined);
    const budget = ctx.budgetMonthlyUsd ?? estimate.budgetMonthlyUsd ?? budgets[0]?.amountUsd ?? ctx.tier.budgetMonthlyUsd;
    const total = estimate.totalMonthlyUsd;
    const anchor: ResourceRef = budgets[0]?.resource ?? { urn: "stack", name: "(stack)", type: "pulumi:pulumi:Stack" };
    const named = estimate.unpriced.slice(0, 5).map((u) => `${u.resource} (${u.type})`).join(", ");
    const unpriced = estimate.unpriced.length > 0 ? `; ${estimate.unpriced.length} resource${estimate.unpriced.length > 1 ? "s" : ""} not priced: ${named}${estimate.unpriced.length > 5 ? ", ..." : ""}` : "";
    const usd = (n: number) => `$${n.toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
    if (total > budget) return [{ resource: anchor, message: `estimated ${usd(total)}/month exceeds the budget of ${usd(budget)}${unpriced}` }];
    // What cannot be priced is never $0: GPUs alone put a floor under it, and anything else may still take the total past the budget.
    const floor = unpricedGpuFloor(facts, new Set(estimate.unpriced.map((u) => u.resource)));
    if (floor.usd > 0 && total + floor.usd > budget) {
      return [{ resource: anchor, message: `estimated ${usd(total)}/month of a ${usd(budget)} budget leaves out ${floor.gpus} GPU${floor.gpus > 1 ? "s" : ""} it cannot price, at least ${usd(floor.usd)}/month, which takes it past the budget${unpriced}` }];
    }
    if (total >= WARN_AT * budget) return [{ resource: anchor, message: `estimated ${usd(total)}/month is ${Math.round((total / budget) * 100)}% of the budget of ${usd(budget)}${unpriced}`, advisoryOnly: true }];
    if (estimate.unpriced.length > 0) {
      return [{ resource: anchor, message: `estimated ${usd(total)}/month leaves ${usd(budget - total)} of the ${usd(budget)} budget, and resources it cannot price could take it past the budget${unpriced}`, advisoryOnly: true }];
    }
    return [];
  },
};
