import { cloudOfRegion } from "../../cost/compute";
import { againstBudget, estimateCost } from "../../cost/estimate";
import { fleetEstimateOptions } from "../../cost/fleet";
import { usd } from "../../cost/money";
import type { CostEstimate, EstimateOptions } from "../../cost/types";
import type { Fact } from "../../facts/types";
import type { FleetPlan } from "../../plan/types";
import { factSourceFrom, factSourceOptions, parse } from "../args";
import type { Command } from "../command";
import { EXIT, UsageError } from "../io";
import { loadFacts } from "../source";
import { table } from "../table";

/**
 * One estimator for a run: the fleet plan's usage, budget and GPU pools when there is
 * a plan, the same estimate for the same facts (MA-COST-004 and `--cost-output` share it).
 */
export function fleetEstimator(plan: FleetPlan | undefined, extra: EstimateOptions = {}): (facts: ReadonlyArray<Fact>) => CostEstimate {
  const options: EstimateOptions = { ...(plan ? fleetEstimateOptions(plan) : {}), ...extra };
  let last: { facts: ReadonlyArray<Fact>; estimate: CostEstimate } | undefined;
  return (facts) => {
    if (last?.facts !== facts) last = { facts, estimate: estimateCost(facts, options) };
    return last.estimate;
  };
}

/** The `--json` shape: the estimate's figures, every item and every unpriced resource. */
export function costJson(e: CostEstimate): Record<string, unknown> {
  return {
    totalMonthlyUsd: e.totalMonthlyUsd,
    budgetMonthlyUsd: e.budgetMonthlyUsd ?? null,
    items: e.items.map((i) => ({ resource: i.resource, type: i.type, agent: i.agent ?? null, monthlyUsd: i.monthlyUsd, basis: i.basis })),
    unpriced: e.unpriced.map((u) => ({ resource: u.resource, type: u.type, agent: u.agent ?? null, reason: u.reason })),
    byAgent: e.byAgent,
    byRegion: e.byRegion,
    assumptions: e.assumptions,
  };
}

const money = (n: number) => `$${n.toFixed(2)}`;

export function costText(e: CostEstimate, title: string): string {
  let out = `${title}\n`;
  out += "\nBy agent\n";
  out += table([["agent", "$/month"], ...Object.entries(e.byAgent).sort((a, b) => b[1] - a[1]).map(([agent, v]) => [agent, money(v)])]);
  if (Object.keys(e.byRegion).length > 1) {
    // Grouped by cloud (from the region's name), then region, dearest first within each cloud.
    // Items with no region (global resources, and workloads whose cluster's region the facts do not carry) stay apart.
    const cloudOf = (region: string) => (region.toLowerCase() === "global" ? "(no region)" : (cloudOfRegion(region) ?? "other"));
    const cloudTotals = new Map<string, number>();
    for (const [region, v] of Object.entries(e.byRegion)) cloudTotals.set(cloudOf(region), (cloudTotals.get(cloudOf(region)) ?? 0) + v);
    const rows = Object.entries(e.byRegion).sort((a, b) => (cloudTotals.get(cloudOf(b[0])) ?? 0) - (cloudTotals.get(cloudOf(a[0])) ?? 0) || cloudOf(a[0]).localeCompare(cloudOf(b[0])) || b[1] - a[1]);
    out += "\nBy cloud and region\n";
    out += table([["cloud", "region", "$/month", "cloud $/month"], ...rows.map(([region, v]) => [cloudOf(region), region, money(v), money(cloudTotals.get(cloudOf(region)) ?? 0)])]);
  }
  const paid = [...e.items].filter((i) => i.monthlyUsd > 0).sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.resource.localeCompare(b.resource));
  out += "\nResources, most expensive first\n";
  out += table([["resource", "type", "agent", "region", "$/month"], ...paid.map((i) => [i.resource, i.type, i.agent ?? "(shared)", i.region ?? "-", money(i.monthlyUsd)])]);
  const free = e.items.length - paid.length;
  if (free > 0) out += `  … and ${free} resources at $0 (no charge, or nothing expected at this usage; --json has each basis)\n`;
  out += "\nHow the largest figures were reached\n";
  for (const i of paid.slice(0, 8)) out += `  ${i.resource} (${i.type}): ${i.basis}\n`;
  if (e.unpriced.length > 0) {
    out += `\nUnpriced: ${e.unpriced.length} resources, not counted in the total\n`;
    out += table([["resource", "type", "reason"], ...e.unpriced.map((u) => [u.resource, u.type, u.reason])]);
  }
  out += "\nAssumptions\n";
  for (const a of e.assumptions) out += `  - ${a}\n`;
  out += `\nTotal: ${againstBudget(e)}${e.unpriced.length > 0 ? `, plus ${e.unpriced.length} unpriced resources` : ""}\n`;
  return out;
}

function spotDiscountOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n >= 1) throw new UsageError(`--spot-discount expects a fraction in [0, 1), e.g. 0.6, got '${value}'`);
  return n;
}

export const costCommand: Command = {
  name: "cost",
  summary: "estimate the monthly cost of a fleet or stack, per resource and agent, against its budget",
  usage: "microagents cost (--fleet FILE | --stack FILE | --cdk-out DIR) [--config key=value]... [--json] [--naive] [--spot-discount N]",
  help: [
    "  --fleet FILE          a fleet file (YAML or JSON): plans AgentFleet over it; usage, budget and GPU pools come from its plan",
    "  --stack FILE          a Pulumi program (.ts or .js), e.g. stacks/index.ts; the budget comes from the budgets it declares",
    "  --cdk-out DIR         a synthesized CDK app (cdk.out): its CloudFormation templates; the budget from the budgets they declare",
    "  --config key=value    Pulumi config for --stack, repeatable (stack=medium, microagents:environment=prod),",
    "                        or for --fleet (microagents:hostname=agents.example.com, microagents:hostedZoneId=...)",
    "  --json                print {\"totalMonthlyUsd\",\"budgetMonthlyUsd\",\"items\":[{resource,type,agent,monthlyUsd,basis}],\"unpriced\":[...]}",
    "  --naive               price the naive deployment instead: on-demand only, a whole GPU per GPU replica, nothing scaled to zero",
    "  --spot-discount N     fraction off on-demand for spot capacity (default 0.6, from the price catalog)",
    "",
    "Prices: lib/prices/prices.json. Usage: the tier's preset unless the fleet file sets spec.usage.",
  ].join("\n"),
  async run(argv, io) {
    const { values } = parse(argv, { ...factSourceOptions, json: { type: "boolean" }, naive: { type: "boolean" }, "spot-discount": { type: "string" } });
    const source = factSourceFrom(values);
    const spotDiscount = spotDiscountOf(values["spot-discount"]);
    const { facts, plan, label } = await loadFacts(source, io);
    const estimate = fleetEstimator(plan, { ...(values.naive ? { naive: true } : {}), ...(spotDiscount !== undefined ? { spotDiscount } : {}) })(facts);
    if (values.json) {
      io.out(`${JSON.stringify(costJson(estimate), null, 2)}\n`);
      return EXIT.ok;
    }
    const title = `Cost estimate for ${source.path}${values.naive ? " (naive deployment)" : ""} (${label}): ${usd(estimate.totalMonthlyUsd)}/month`;
    io.out(costText(estimate, title));
    return EXIT.ok;
  },
};
