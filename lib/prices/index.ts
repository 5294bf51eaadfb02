/**
 * Price data below the plan: the catalog (prices.json, one entry per price with its
 * source and date) and the hourly rates read from it. The plan (cheapest GPU shape)
 * and the cost estimator both import it; it imports neither.
 */
export { priceCatalog, buildCatalog, priceProblems, HOURS_PER_MONTH, type Price, type PriceCatalog, type Confidence } from "./catalog";
export { instanceHourly, instanceKey, fargateHourly, gpusOfInstanceType, type HourlyRate } from "./rates";
