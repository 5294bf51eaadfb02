import { topologyLines } from "./topology-view";
import type { FleetPlan } from "./types";

/** Mermaid node ids: letters, digits and '_' only. */
const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_");

function agentNode(plan: FleetPlan, name: string): string {
  const a = plan.agent(name);
  const scale = a.scaling.min === a.scaling.max ? `${a.scaling.min}` : `${a.scaling.min}–${a.scaling.max}`;
  const gpu = a.gpu ? `, ${a.gpu.share} GPU` : "";
  return `${id(name)}["${name}<br/>${a.scaling.mode} ${scale}${gpu}"]`;
}

/**
 * The fleet as a Mermaid flowchart: the gateway and its routes (with canary
 * weights and the legacy fallback), each agent with its scaling, GPU pools as
 * subgraphs, and the event wiring from subscriptions and pipelines.
 */
export function fleetDiagram(plan: FleetPlan): string {
  const lines = ["flowchart LR"];
  const inPool = new Set(plan.gpuPools.flatMap((p) => p.agents));
  for (const pool of plan.gpuPools) {
    lines.push(`  subgraph pool_${id(pool.name)}["GPU pool ${pool.name}: ${pool.accelerator}, ${pool.sharing}, ${pool.minNodes}–${pool.maxNodes} nodes${pool.spot ? ", spot" : ""}"]`);
    for (const a of pool.agents) lines.push(`    ${agentNode(plan, a)}`);
    lines.push("  end");
  }
  for (const a of plan.agents) if (!inPool.has(a.name)) lines.push(`  ${agentNode(plan, a.name)}`);
  const routed = plan.agents.filter((a) => a.route);
  if (routed.length > 0) {
    lines.push(`  gateway{{"gateway"}}`);
    for (const a of routed) {
      const r = a.route;
      if (!r) continue;
      lines.push(`  gateway -->|"${r.path} ${r.auth} ${r.invoke}${r.weight < 100 ? ` ${r.weight}%` : ""}"| ${id(a.name)}`);
    }
    if (plan.fleet.gateway.legacyBackend) {
      lines.push(`  legacy[("legacy backend")]`);
      lines.push(`  gateway -.->|fallback| legacy`);
    }
  }
  for (const s of plan.subscriptions) {
    const label = [s.pipeline, ...(s.eventTypes ?? [])].filter(Boolean).join(" ");
    lines.push(`  ${id(s.publisher)} -->${label ? `|"${label}"|` : ""} ${id(s.subscriber)}`);
  }
  // A fleet on several targets: its clouds, regions and the entry in front of them.
  if (plan.fleet.targets.length > 1) lines.push(...topologyLines(plan));
  return `${lines.join("\n")}\n`;
}
