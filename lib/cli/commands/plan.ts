import { againstBudget } from "../../cost/estimate";
import { estimateGraph } from "../../cost/fleet";
import { factsFromGraph } from "../../facts/core";
import { agentOf, componentOf } from "../../offline/attribution";
import { targetRows } from "../../plan/topology-view";
import type { ResourceGraph } from "../../offline/engine";
import { parse, sourceFrom, sourceOptions } from "../args";
import type { Command } from "../command";
import { EXIT } from "../io";
import { cloudRegionTable } from "../regions";
import { loadSource } from "../source";
import { countBy, table } from "../table";

/** The `--json` shape: every registered resource, in URN order. */
export function planJson(graph: ResourceGraph): { resources: Array<{ type: string; name: string; parent: string | null; inputs: Readonly<Record<string, unknown>> }> } {
  return { resources: graph.resources.map((r) => ({ type: r.type, name: r.name, parent: r.parent ?? null, inputs: r.inputs })) };
}

export function planText(graph: ResourceGraph, title: string): string {
  const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
  const custom = graph.resources.filter((r) => r.custom);
  const components = graph.resources.filter((r) => !r.custom);
  let out = `${title} (project ${graph.project}, stack ${graph.stack})\n`;
  const cfg = Object.entries(graph.config);
  if (cfg.length > 0) out += `config: ${cfg.map(([k, v]) => `${k}=${v}`).join(", ")}\n`;
  const perComponent = countBy(custom, (r) => componentOf(r, byUrn)?.urn ?? "(none)");
  out += "\nComponents\n";
  out += table([
    ["type", "name", "resources"],
    ...components.map((c) => [c.type, c.name, perComponent.get(c.urn) ?? 0]),
    ...(perComponent.has("(none)") ? [["(outside components)", "", perComponent.get("(none)") ?? 0]] : []),
  ]);
  out += "\nAgents\n";
  out += table([["agent", "resources"], ...[...countBy(custom, (r) => agentOf(r) ?? "(shared)").entries()]]);
  out += "\nTotals by type\n";
  out += table([["type", "count"], ...[...countBy(custom, (r) => r.type).entries()]]);
  out += `\nTotal: ${custom.length} resources in ${components.length} components\n`;
  return out;
}

export const planCommand: Command = {
  name: "plan",
  summary: "run a fleet or stack offline and list the resources it would create",
  usage: "microagents plan (--fleet FILE | --stack FILE) [--config key=value]... [--json]",
  help: [
    "  --fleet FILE         a fleet file (YAML or JSON): plans AgentFleet over it",
    "  --stack FILE         a Pulumi program (.ts or .js), e.g. stacks/index.ts",
    "  --config key=value   Pulumi config for --stack, repeatable (stack=medium, microagents:environment=prod),",
    "                       or for --fleet (microagents:hostname=agents.example.com, microagents:hostedZoneId=...)",
    "  --json               print {\"resources\":[{type,name,parent,inputs}]} in a stable order",
  ].join("\n"),
  async run(argv, io) {
    const { values } = parse(argv, { ...sourceOptions, json: { type: "boolean" } });
    const source = sourceFrom(values);
    const { graph, plan } = await loadSource(source, io);
    if (values.json) {
      io.out(`${JSON.stringify(planJson(graph), null, 2)}\n`);
      return EXIT.ok;
    }
    io.out(planText(graph, `Plan for ${source.path}`));
    // A stack: its resources by the cloud and region their facts name (a fleet file: its targets below).
    if (!plan) io.out(cloudRegionTable(factsFromGraph(graph)));
    if (plan && plan.fleet.targets.length > 1) {
      io.out("\nBy cloud and region\n");
      io.out(table([["cloud", "region", "runtime", "role", "entry", "budget", "agents", "GPU pools"], ...targetRows(plan).map((r) => [r.cloud, r.region, r.runtime, r.role, r.entry, `$${r.budgetMonthlyUsd.toFixed(2)}`, r.agents.join(", "), r.gpuPools.join(", ") || "-"])]));
    }
    const cost = estimateGraph(graph, plan);
    io.out(`Estimated cost: ${againstBudget(cost)}${cost.unpriced.length > 0 ? `, plus ${cost.unpriced.length} unpriced resources` : ""} (microagents cost for the breakdown)\n`);
    for (const note of plan?.notes ?? []) io.out(`note: ${note}\n`);
    return EXIT.ok;
  },
};
