import type { Fleet, Pipeline } from "../spec/types";
import type { Subscription } from "./types";

/**
 * Wiring between agents: each edge makes the subscriber's queue receive the
 * publisher's events. Edges come from `subscribes` and from pipelines: a sequence
 * links each step to the next, a parallel step fans out and the next step fans in,
 * a loop links its agents in a ring (the back edge carries `retry` events).
 */
export function pipelineEdges(pipeline: Pipeline): Subscription[] {
  const edges: Subscription[] = [];
  let previous: string[] = [];
  const link = (from: ReadonlyArray<string>, to: string, eventTypes?: string[]) => {
    for (const publisher of from) {
      if (publisher !== to) edges.push({ subscriber: to, publisher, pipeline: pipeline.name, ...(eventTypes ? { eventTypes } : {}) });
    }
  };
  for (const step of pipeline.steps) {
    if (typeof step === "string") {
      link(previous, step);
      previous = [step];
    } else if ("parallel" in step) {
      for (const agent of step.parallel) link(previous, agent);
      previous = [...step.parallel];
    } else {
      const ring = step.loop;
      link(previous, ring[0]);
      for (let k = 1; k < ring.length; k++) link([ring[k - 1]], ring[k]);
      if (ring.length > 1) link([ring[ring.length - 1]], ring[0], ["retry"]);
      previous = [ring[ring.length - 1]];
    }
  }
  return edges;
}

export function fleetSubscriptions(fleet: Fleet): Subscription[] {
  const edges: Subscription[] = [];
  for (const agent of fleet.agents) {
    for (const s of agent.subscribes) edges.push({ subscriber: agent.name, publisher: s.from, ...(s.eventTypes ? { eventTypes: s.eventTypes } : {}) });
  }
  for (const p of fleet.pipelines) edges.push(...pipelineEdges(p));
  const seen = new Set<string>();
  return edges.filter((e) => {
    const key = `${e.subscriber}<${e.publisher}|${e.pipeline ?? ""}|${(e.eventTypes ?? []).join(",")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The SNS filter policy for one subscriber's edges from one publisher: publishers
 * set the `eventType` and, inside a pipeline, `pipeline` message attributes. No
 * filter when some edge takes everything; one condition per edge otherwise.
 */
export function filterPolicy(edges: ReadonlyArray<Subscription>): Record<string, unknown> | undefined {
  const conditions = edges.map((e) => ({ ...(e.pipeline ? { pipeline: [e.pipeline] } : {}), ...(e.eventTypes ? { eventType: [...e.eventTypes] } : {}) }));
  if (conditions.some((c) => Object.keys(c).length === 0)) return undefined;
  const unique = [...new Map(conditions.map((c) => [JSON.stringify(c), c])).values()];
  return unique.length === 1 ? unique[0] : { $or: unique };
}
