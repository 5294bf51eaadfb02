import type { Cloud } from "../spec/accelerators";
import type { SpecIssue } from "../spec/errors";
import type { Fleet } from "../spec/types";
import { CLOUD_OF_RUNTIME } from "./topology";

/**
 * The fleet's monthly budget split across its targets, so each cloud's budget alerts on
 * its own part and the parts add up to the fleet's budget (a fleet on three clouds with
 * the whole budget on each could spend three times it before any cloud alerted).
 *
 * A target's part is `spec.targets[i].budgetPercent` when the fleet gives it (every
 * target or none, adding up to 100), else its share of the fleet's planned peak
 * capacity: the vCPU of the agents it runs at their maximum replicas (a backup that
 * runs the primary's agents gets as much as the primary, since it takes the primary's
 * load on failover). Parts are whole cents, rounded so they add up exactly (largest
 * remainder). A fleet with one target keeps the whole budget.
 *
 * Each cloud builds one budget for all of its targets (AWS Budgets on tags, an Azure
 * consumption budget on the fleet's resource groups, a GCP billing budget on the fleet
 * label), so a cloud reads the sum of its targets' parts ({@link cloudBudgetUsd}); a
 * plain-Kubernetes target carries its own part on its namespace ({@link targetBudgetUsd}).
 */

export interface TargetBudget {
  /** The target's part of the fleet's monthly budget, in USD (whole cents). */
  readonly monthlyUsd: number;
  /** Its percentage of the fleet's budget. */
  readonly percent: number;
  /** `spec`: `spec.targets[i].budgetPercent`; `capacity`: its share of the planned peak vCPU; `whole`: the only target. */
  readonly basis: "spec" | "capacity" | "whole";
}

/** A target's planned peak capacity: the vCPU of its agents at their maximum replicas. */
export function peakVcpu(fleet: Pick<Fleet, "agents">, placed: ReadonlyArray<string>): number {
  const on = new Set(placed);
  return fleet.agents.filter((a) => on.has(a.name)).reduce((sum, a) => sum + a.resources.cpu * Math.max(a.scaling.max, 1), 0);
}

/** Problems with `spec.targets[].budgetPercent`: given on some targets only, or not adding up to 100. */
export function budgetSplitIssues(fleet: Pick<Fleet, "targets">): SpecIssue[] {
  const given = fleet.targets.map((t, i) => ({ i, percent: t.budgetPercent })).filter((t): t is { i: number; percent: number } => t.percent !== undefined);
  if (given.length === 0) return [];
  if (given.length < fleet.targets.length) {
    const on = given.map((t) => `spec.targets[${t.i}]`).join(", ");
    return fleet.targets.flatMap((t, i) =>
      t.budgetPercent === undefined ? [{ path: `spec.targets[${i}].budgetPercent`, message: `${on} ${given.length > 1 ? "give" : "gives"} a budgetPercent and this target does not`, hint: "give every target a budgetPercent adding up to 100, or none (the budget is then split by each target's planned peak vCPU)" }] : [],
    );
  }
  const sum = given.reduce((s, t) => s + t.percent, 0);
  if (Math.abs(sum - 100) > 1e-6) {
    return [{ path: "spec.targets", message: `the targets' budgetPercent add up to ${Number(sum.toFixed(6))} (${given.map((t) => t.percent).join(" + ")}), not 100`, hint: "make them add up to 100: each is that target's part of spec.budget.monthlyUsd" }];
  }
  return [];
}

/** Splits `total` cents by weight into whole cents that add up to `total` (largest remainder; ties to the earlier target). */
function apportion(totalCents: number, weights: ReadonlyArray<number>): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (sum > 0 ? (totalCents * w) / sum : totalCents / weights.length));
  const parts = exact.map(Math.floor);
  let left = totalCents - parts.reduce((s, p) => s + p, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts;
}

/** Each target's part of the fleet's budget, indexed like `spec.targets` (check {@link budgetSplitIssues} first). */
export function splitBudget(fleet: Pick<Fleet, "targets" | "agents" | "budget">): TargetBudget[] {
  const total = Math.round(fleet.budget.monthlyUsd * 100);
  if (fleet.targets.length === 1) return [{ monthlyUsd: total / 100, percent: 100, basis: "whole" }];
  const explicit = fleet.targets.every((t) => t.budgetPercent !== undefined);
  const weights = fleet.targets.map((t) => (explicit ? (t.budgetPercent ?? 0) : peakVcpu(fleet, t.agents)));
  const sum = weights.reduce((s, w) => s + w, 0);
  return apportion(total, weights).map((cents, i) => ({
    monthlyUsd: cents / 100,
    percent: sum > 0 ? Number(((weights[i] / sum) * 100).toFixed(2)) : Number((100 / weights.length).toFixed(2)),
    basis: explicit ? "spec" : "capacity",
  }));
}

/** One target's part of the budget (a plain-Kubernetes namespace's annotation). */
export function targetBudgetUsd(plan: { readonly targetBudgets: ReadonlyArray<TargetBudget> }, index: number): number {
  const part = plan.targetBudgets[index];
  if (!part) throw new Error(`unreachable: no budget part for target ${index}`);
  return part.monthlyUsd;
}

/** The budget of a cloud's one budget resource: the parts of the fleet's targets on that cloud, added in cents. */
export function cloudBudgetUsd(plan: { readonly fleet: Pick<Fleet, "targets">; readonly targetBudgets: ReadonlyArray<TargetBudget> }, cloud: Cloud): number {
  const cents = plan.fleet.targets.reduce((s, t, i) => (CLOUD_OF_RUNTIME[t.runtime] === cloud ? s + Math.round(targetBudgetUsd(plan, i) * 100) : s), 0);
  return cents / 100;
}
