import { join } from "node:path";
import { customerServiceFleet, emailFleet } from "../agents";
import { estimateFleet, estimateGraph, type CostEstimate } from "../lib/cost";
import { runOffline } from "../lib/offline/engine";
import type { Environment, FleetInput } from "../lib/spec";
import { tiers } from "../lib/spec/tiers";
import { mdTable, type BenchSection } from "./report";

const money = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const saving = (planned: CostEstimate, naive: CostEstimate) => 1 - planned.totalMonthlyUsd / naive.totalMonthlyUsd;

/** The seed's fleets on the placements of the company stacks (stacks/*.ts defaults), planned as fleets. */
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
  ];
}

/** Config every stack program below needs offline: the GCP project and billing account, and the entry's host name. */
const STACK_CONFIG = { "gcp:project": "acme-agents", "microagents:billingAccount": "012345-6789AB-CDEF01", "microagents:hostname": "agents.acme.example" };

/**
 * The tier topologies as their programs build them: the medium stack on AWS with its
 * backup region (Route 53 failover entry, global tables, a read replica, a warm backup),
 * and the enterprise stack on EKS, AKS and GKE behind one Route 53 global entry.
 */
const TOPOLOGY_STACKS: ReadonlyArray<{ stack: string; program: string; fleet: string; config: Readonly<Record<string, string>> }> = [
  { stack: "medium, ECS primary + backup", program: "medium.ts", fleet: "acme-support", config: { "microagents:runtime": "ecs" } },
  { stack: "medium, AKS primary + backup", program: "medium.ts", fleet: "acme-support", config: { "microagents:runtime": "aks", "microagents:azureDnsZoneId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/acme.example" } },
  { stack: "medium, GKE primary + backup", program: "medium.ts", fleet: "acme-support", config: { "microagents:runtime": "gke" } },
  { stack: "enterprise, EKS + AKS + GKE", program: "enterprise.ts", fleet: "acme-research", config: {} },
];

/** "us-east-1 $1,234.00, us-west-2 $567.00": an estimate's figures per region, largest first. */
function perRegion(estimate: CostEstimate): string {
  return Object.entries(estimate.byRegion)
    .sort(([, a], [, b]) => b - a)
    .map(([region, usd]) => `${region} ${money(usd)}`)
    .join(", ");
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

  const topology: Array<Array<string | number>> = [["stack", "fleet", "environment", "planned", "naive", "below naive", "per region", "unpriced resources"]];
  for (const environment of ["dev", "prod"] as const) {
    for (const t of TOPOLOGY_STACKS) {
      const graph = await runOffline(join(__dirname, "..", "stacks", t.program), { config: { ...STACK_CONFIG, ...t.config, "microagents:environment": environment } });
      const planned = estimateGraph(graph);
      const naive = estimateGraph(graph, undefined, { naive: true });
      topology.push([t.stack, t.fleet, environment, money(planned.totalMonthlyUsd), money(naive.totalMonthlyUsd), `${(saving(planned, naive) * 100).toFixed(0)}%`, perRegion(planned), planned.unpriced.length]);
      log(`P3 ${t.stack} ${environment}: planned ${money(planned.totalMonthlyUsd)} (${perRegion(planned)}), naive ${money(naive.totalMonthlyUsd)}, ${planned.unpriced.length} unpriced`);
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
    "### The tier topologies, as their stacks build them",
    "",
    "`stacks/medium.ts` with its backup region on ECS, AKS and GKE (a failover entry, replicated state, a warm backup), and `stacks/enterprise.ts` on EKS, AKS and GKE behind one Route 53 global entry, priced from the programs' resources (`estimateGraph`), itemised per region (`global` for the entries and other resources without one).",
    "",
    mdTable(topology),
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
