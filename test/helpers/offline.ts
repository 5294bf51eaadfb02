import { AgentFleet } from "../../lib/components/agent-fleet";
import { runOffline, type CapturedResource, type ResourceGraph } from "../../lib/offline/engine";
import type { FleetInput } from "../../lib/spec";

/** Runs AgentFleet over a fleet under the offline engine. */
export function planFleetOffline(fleet: FleetInput, name = fleet.metadata.name): Promise<ResourceGraph> {
  return runOffline(() => new AgentFleet(name, { fleet }));
}

export function ofType(graph: ResourceGraph, type: string): CapturedResource[] {
  return graph.resources.filter((r) => r.type === type);
}

/** The one resource of a type and logical name; fails loudly when missing or ambiguous. */
export function one(graph: ResourceGraph, type: string, name: string): CapturedResource {
  const found = graph.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}: ${ofType(graph, type).map((r) => r.name).join(", ")}`);
  return found[0];
}

/** Reads a nested input by path, e.g. at(r, "spec", "template", "spec"). */
export function at(r: Pick<CapturedResource, "inputs">, ...path: Array<string | number>): unknown {
  let v: unknown = r.inputs;
  for (const k of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** Kubernetes objects (everything under the kubernetes provider except Helm releases and providers). */
export function kubernetesObjects(graph: ResourceGraph): CapturedResource[] {
  return graph.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/"));
}
