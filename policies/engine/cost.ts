import type { CostEstimator } from "../rules";

/**
 * The cost estimator (lib/cost `estimateCost`) for MA-COST-004, loaded on first use
 * so checks that disable the rule never load the price catalog. It comes from the
 * estimator's own module: the policy packs bundle it without the constructs.
 */
export function loadEstimator(): CostEstimator {
  return (facts) => (require("../../lib/cost/estimate") as typeof import("../../lib/cost/estimate")).estimateCost(facts);
}
