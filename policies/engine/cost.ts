import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CostEstimator } from "../rules";

/**
 * The cost estimator from lib/cost (`estimateCost(facts, options?)`), when that module
 * exists; MA-COST-004 reports nothing without it. Loaded lazily so a check that
 * disables the rule never loads the price catalog.
 */
export function loadEstimator(): CostEstimator | undefined {
  const dir = join(__dirname, "..", "..", "lib", "cost");
  if (!existsSync(join(dir, "index.ts")) && !existsSync(join(dir, "index.js"))) return undefined;
  const mod: unknown = require(dir);
  const fn = typeof mod === "object" && mod !== null ? (mod as { estimateCost?: unknown }).estimateCost : undefined;
  // The contract (issue #6): estimateCost(facts, options?) => { totalMonthlyUsd, budgetMonthlyUsd?, items, unpriced }.
  return typeof fn === "function" ? (fn as CostEstimator) : undefined;
}
