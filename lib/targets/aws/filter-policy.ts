import type { Subscription } from "../../plan/types";

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
