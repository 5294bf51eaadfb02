/**
 * The cost estimator: monthly cost per resource, per agent and per fleet from facts,
 * against the tier's budget. `estimateCost(facts)` works on any stack's facts;
 * `estimateFleet(fleet)` plans and runs a fleet offline first.
 */
export { estimateCost, budgetFromFacts, againstBudget } from "./estimate";
export { estimateFleet, estimateGraph, fleetEstimateOptions } from "./fleet";
export { priceCatalog, buildCatalog, priceProblems, HOURS_PER_MONTH, type Price, type PriceCatalog, type Confidence } from "../prices/catalog";
export { usagePresets, resolveUsage, type Usage, type ResolvedUsage } from "./usage";
export { instanceHourly, fargateHourly, type HourlyRate } from "../prices/rates";
export { nodeFraction, nodeShape, cloudOfRegion, REFERENCE_NODES, type NodeShape } from "./compute";
export type { CostEstimate, CostItem, UnpricedResource, EstimateOptions, GpuPoolPricing } from "./types";
