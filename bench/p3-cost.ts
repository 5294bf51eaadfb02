import { join } from "node:path";
import { customerServiceFleet, emailFleet, researchFleet } from "../agents";
import { estimateFleet, estimateGraph, type CostEstimate } from "../lib/cost";
import { runOffline } from "../lib/offline/engine";
import type { Environment, FleetInput } from "../lib/spec";
import { tiers } from "../lib/spec/tiers";
import { mdTable, type BenchSection } from "./report";

const money = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const saving = (planned: CostEstimate, naive: CostEstimate) => 1 - planned.totalMonthlyUsd / naive.totalMonthlyUsd;

/** The seed's fleets on the placements of the company stacks (stacks/*.ts defaults). */
function companyFleets(environment: Environment): ReadonlyArray<{ stack: string; fleet: FleetInput }> {
  return [
    { stack: "small", fleet: emailFleet({ tier: "small", environment, targets: [{ runtime: "ecs", region: "us-east-1" }] }) },
    {
      stack: "medium",
      fleet: customerServiceFleet({
        tier: "medium",
        environment,
        targets: [
          { runtime: "kubernetes", region: "us-east-1", role: "primary", cluster: "primary" },
          { runtime: "kubernetes", region: "us-west-2", role: "backup", cluster: "backup" },
        ],
      }),
    },
    {
      stack: "enterprise",
      fleet: researchFleet({
        tier: "enterprise",
        environment,
        targets: [
          { runtime: "kubernetes", region: "us-east-1", cluster: "aws" },
          { runtime: "kubernetes", region: "westeurope", cluster: "azure" },
          { runtime: "kubernetes", region: "europe-west4", cluster: "gcp" },
        ],
      }),
    },
  ];
}

export async function p3Cost(log: (line: string) => void): Promise<BenchSection> {
  const rows: Array<Array<string | number>> = [["stack", "fleet", "environment", "planned", "naive", "below naive", "budget", "unpriced resources"]];
  for (const environment of ["dev", "prod"] as const) {
    for (const { stack, fleet } of companyFleets(environment)) {
      const planned = (await estimateFleet(fleet)).estimate;
      const naive = (await estimateFleet(fleet, { naive: true })).estimate;
      const band = tiers[fleet.spec.tier].costBandUsd;
      rows.push([stack, fleet.metadata.name, environment, money(planned.totalMonthlyUsd), money(naive.totalMonthlyUsd), `${(saving(planned, naive) * 100).toFixed(0)}%`, `${money(planned.budgetMonthlyUsd ?? 0)} (seed band ${money(band[0])}–${money(band[1])})`, planned.unpriced.length]);
      log(`P3 ${stack} ${fleet.metadata.name} ${environment}: planned ${money(planned.totalMonthlyUsd)}, naive ${money(naive.totalMonthlyUsd)}, ${(saving(planned, naive) * 100).toFixed(0)}% below naive, ${planned.unpriced.length} unpriced`);
    }
  }

  // The small-tier example itself, as its program: stacks/index.ts with its default config, facts only.
  const program = join(__dirname, "..", "stacks", "index.ts");
  const small: Record<string, { planned: CostEstimate; naive: CostEstimate }> = {};
  for (const environment of ["dev", "prod"] as const) {
    const graph = await runOffline(program, { config: { stack: "small", environment } });
    small[environment] = { planned: estimateGraph(graph), naive: estimateGraph(graph, undefined, { naive: true }) };
    const s = small[environment];
    log(`P3 stacks/small.ts (${environment}): planned ${money(s.planned.totalMonthlyUsd)}, naive ${money(s.naive.totalMonthlyUsd)}, ${(saving(s.planned, s.naive) * 100).toFixed(0)}% below naive, ${s.planned.unpriced.length} unpriced`);
  }
  const [lo, hi] = tiers.small.costBandUsd;
  const dev = small.dev;
  const top = [...dev.planned.items].sort((a, b) => b.monthlyUsd - a.monthlyUsd).slice(0, 8);
  const body = [
    "Planned: the estimate of what the fleet's plan deploys (spot where the tier allows, time-sliced GPU shares packed onto the fewest nodes, scale to zero where the tier and environment allow, agents at their maximum only for the busy hours of the usage preset). **Naive**: the same resources priced on-demand only, a whole GPU for every GPU replica, nothing scaled to zero (`estimateCost(facts, { naive: true })`). Usage: the tier presets (lib/cost/usage.ts). Kubernetes fleets are priced on the nodes their pods need (dominant share of a reference node; GPU pools from the plan); Helm releases and CloudNativePG clusters are listed as unpriced and are not in either figure.",
    "",
    mdTable(rows),
    "",
    `### The small-tier example (stacks/small.ts: the email fleet on ECS in us-east-1)`,
    "",
    mdTable([
      ["environment", "planned", "naive", "below naive", "unpriced"],
      ...(["dev", "prod"] as const).map((e) => [e, money(small[e].planned.totalMonthlyUsd), money(small[e].naive.totalMonthlyUsd), `${(saving(small[e].planned, small[e].naive) * 100).toFixed(0)}%`, small[e].planned.unpriced.length]),
    ]),
    "",
    "Largest items of the dev estimate (the stack's default environment):",
    "",
    mdTable([["resource", "type", "$/month", "basis"], ...top.map((i) => [i.resource, i.type, money(i.monthlyUsd), i.basis.replace(/\|/g, "/")])]),
    "",
    `The seed puts a small team's deployment at $${lo}–${hi} a month; that figure matches the naive deployment (an always-on, on-demand GPU node per GPU agent). The planned stack is below the band's floor because its two quarter-GPU agents share one spot T4 node and, in dev, every agent scales to zero outside the busy hours.`,
  ].join("\n");
  const goals = (["dev", "prod"] as const).flatMap((e) => [
    { goal: `stacks/small.ts (${e}) inside the seed's $${lo}–${hi.toLocaleString("en-US")} a month`, measured: money(small[e].planned.totalMonthlyUsd), met: small[e].planned.totalMonthlyUsd >= lo && small[e].planned.totalMonthlyUsd <= hi },
    { goal: `stacks/small.ts (${e}) at least 40% below naive`, measured: `${(saving(small[e].planned, small[e].naive) * 100).toFixed(0)}% (naive ${money(small[e].naive.totalMonthlyUsd)})`, met: saving(small[e].planned, small[e].naive) >= 0.4 },
  ]);
  return { title: "P3: cost against a naive deployment", body, goals };
}
