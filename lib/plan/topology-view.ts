import { CLOUD_OF_RUNTIME, failoverPair, globalEntryTargets } from "./topology";
import { targetBudgetUsd } from "./budget-split";
import { targetPlan } from "./target-plan";
import type { FleetPlan } from "./types";

/**
 * The fleet across clouds and regions, for `plan` and `diagram`: per target its cloud,
 * region, runtime, role, agents and GPU pools, and which entry fronts it.
 */
export interface TargetRow {
  readonly cloud: string;
  readonly region: string;
  readonly runtime: string;
  readonly role: string;
  readonly agents: ReadonlyArray<string>;
  readonly gpuPools: ReadonlyArray<string>;
  readonly entry: "global" | "failover" | "none";
  /** The target's part of the fleet's monthly budget (lib/plan/budget-split.ts). */
  readonly budgetMonthlyUsd: number;
}

export function targetRows(plan: FleetPlan): TargetRow[] {
  const global = globalEntryTargets(plan.fleet);
  const pair = failoverPair(plan.fleet);
  const routed = plan.agents.some((a) => a.route);
  return plan.fleet.targets
    .map((t, i) => {
      const own = targetPlan(plan, i);
      const entry = !routed ? "none" : global.includes(i) ? "global" : pair && (pair.primary === i || pair.backup === i) ? "failover" : "none";
      return { cloud: CLOUD_OF_RUNTIME[t.runtime] ?? "kubernetes", region: t.region, runtime: t.runtime, role: t.role, agents: own.agents.map((a) => a.name), gpuPools: own.gpuPools.map((p) => p.name), entry, budgetMonthlyUsd: targetBudgetUsd(plan, i) } as const;
    })
    .sort((a, b) => a.cloud.localeCompare(b.cloud) || a.region.localeCompare(b.region));
}

const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, "_");

/** Mermaid lines: a subgraph per cloud with a node per region's target, and the entry in front of them. */
export function topologyLines(plan: FleetPlan): string[] {
  const rows = targetRows(plan);
  const lines: string[] = [];
  for (const cloud of [...new Set(rows.map((r) => r.cloud))]) {
    lines.push(`  subgraph cloud_${id(cloud)}["${cloud}"]`);
    for (const r of rows.filter((x) => x.cloud === cloud)) lines.push(`    target_${id(`${r.runtime}_${r.region}`)}["${r.runtime} ${r.region} (${r.role})<br/>${r.agents.join(", ")}${r.gpuPools.length > 0 ? `<br/>GPU pools: ${r.gpuPools.join(", ")}` : ""}"]`);
    lines.push("  end");
  }
  const fronted = rows.filter((r) => r.entry !== "none");
  if (fronted.length > 0) {
    const kind = fronted[0].entry === "global" ? `global entry (${plan.fleet.gateway.globalEntry})` : "failover entry";
    lines.push(`  entry(["${kind}${plan.fleet.gateway.hostname ? ` ${plan.fleet.gateway.hostname}` : ""}"])`);
    for (const r of fronted) lines.push(`  entry -->|"${r.entry === "failover" ? (r.role === "primary" ? "PRIMARY" : "SECONDARY") : "latency, health check"}"| target_${id(`${r.runtime}_${r.region}`)}`);
  }
  return lines;
}
