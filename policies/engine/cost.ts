import type { CostEstimator } from "../rules";

/**
 * The cost estimator (lib/cost `estimateCost`) for MA-COST-004, loaded on first use
 * so checks that disable the rule never load the price catalog.
 */
export function loadEstimator(): CostEstimator {
  return (facts) => (require("../../lib/cost") as typeof import("../../lib/cost")).estimateCost(facts);
}
