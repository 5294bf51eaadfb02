import type { ResourceRef } from "../../lib/facts";
import { everywhere, only, type Rule } from "./types";

/** Share of the budget at which the estimate is reported as a warning. */
export const WARN_AT = 0.8;

export const rule: Rule = {
  id: "MA-COST-004",
  title: "Estimated monthly cost ≤ budget; advisory at 80%",
  severity: "high",
  kind: "cost",
  description:
    "The monthly estimate of the whole stack (lib/cost `estimateCost`, from the same facts) stays within the budget: the policy config's `budgetMonthlyUsd`, else a budget resource in the stack, else the tier's (small $1,000, medium $50,000, enterprise $500,000). Above 80% of the budget the rule warns (always advisory); above 100% it fails. Resources the estimator cannot price are named in the message, never counted as zero silently.",
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
    const unpriced = estimate.unpriced.length > 0 ? `; ${estimate.unpriced.length} resource${estimate.unpriced.length > 1 ? "s" : ""} not priced (${estimate.unpriced.slice(0, 5).map((u) => u.type).join(", ")}${estimate.unpriced.length > 5 ? ", ..." : ""})` : "";
    const usd = (n: number) => `$${n.toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
    if (total > budget) return [{ resource: anchor, message: `estimated ${usd(total)}/month exceeds the budget of ${usd(budget)}${unpriced}` }];
    if (total >= WARN_AT * budget) return [{ resource: anchor, message: `estimated ${usd(total)}/month is ${Math.round((total / budget) * 100)}% of the budget of ${usd(budget)}${unpriced}`, advisoryOnly: true }];
    return [];
  },
};
