import type { AgentPlan, Subscription } from "../../plan/types";
import { invalidProp } from "../../spec/errors";
import { MAX_ACK_DEADLINE_SECONDS, MIN_ACK_DEADLINE_SECONDS, MIN_DELIVERY_ATTEMPTS } from "./validate";

/** Pub/Sub keeps unacknowledged messages in a subscription at most 7 days. */
export const MAX_SUBSCRIPTION_RETENTION_SECONDS = 7 * 24 * 3600;
/** A subscription filter holds at most 256 bytes. */
export const MAX_FILTER_BYTES = 256;

const seconds = (s: number) => `${s}s`;
const msToDuration = (ms: number) => `${Math.round(ms / 100) / 10}s`;

/**
 * What one agent's input subscription takes from its plan: the ack deadline from
 * the visibility timeout (10 to 600 s; below 10 is raised to 10), the seed's
 * backoff (first retry after `baseDelayMs`, at most `maxDelayMs`), dead-lettering
 * after `maxReceiveCount` deliveries (Pub/Sub's minimum is 5, so 1 to 4 become
 * 5: one to four more deliveries than asked), the retention (at most 7 days in a
 * subscription) and ordering for agents that ask for it.
 */
export function subscriptionShape(agent: AgentPlan): {
  ackDeadlineSeconds: number;
  retryPolicy: { minimumBackoff: string; maximumBackoff: string };
  maxDeliveryAttempts: number;
  messageRetentionDuration: string;
  enableMessageOrdering: boolean;
} {
  const q = agent.queue;
  if (q.visibilityTimeoutSeconds > MAX_ACK_DEADLINE_SECONDS) invalidProp(`agent.queue.visibilityTimeoutSeconds`, `${q.visibilityTimeoutSeconds} s is longer than Pub/Sub's longest ack deadline (${MAX_ACK_DEADLINE_SECONDS} s)`, `use at most ${MAX_ACK_DEADLINE_SECONDS}`);
  return {
    ackDeadlineSeconds: Math.max(MIN_ACK_DEADLINE_SECONDS, q.visibilityTimeoutSeconds),
    retryPolicy: { minimumBackoff: msToDuration(agent.retry.baseDelayMs), maximumBackoff: msToDuration(Math.min(Math.max(agent.retry.maxDelayMs, agent.retry.baseDelayMs), 600_000)) },
    maxDeliveryAttempts: Math.min(100, Math.max(MIN_DELIVERY_ATTEMPTS, q.maxReceiveCount)),
    messageRetentionDuration: seconds(Math.min(q.retentionDays * 86400, MAX_SUBSCRIPTION_RETENTION_SECONDS)),
    enableMessageOrdering: q.fifo,
  };
}

/**
 * The Pub/Sub filter for one subscriber's edges from one publisher: publishers
 * set the `eventType` and, inside a pipeline, `pipeline` attributes. None when
 * some edge takes everything; one parenthesised condition per edge otherwise.
 */
export function eventFilter(edges: ReadonlyArray<Subscription>): string | undefined {
  const conditions = edges.map((e) => {
    const parts: string[] = [];
    if (e.pipeline) parts.push(`attributes.pipeline = ${JSON.stringify(e.pipeline)}`);
    if (e.eventTypes) parts.push(e.eventTypes.length === 1 ? `attributes.eventType = ${JSON.stringify(e.eventTypes[0])}` : `(${e.eventTypes.map((t) => `attributes.eventType = ${JSON.stringify(t)}`).join(" OR ")})`);
    return parts.join(" AND ");
  });
  if (conditions.some((c) => c === "")) return undefined;
  const unique = [...new Set(conditions)];
  const filter = unique.length === 1 ? unique[0] : unique.map((c) => `(${c})`).join(" OR ");
  if (Buffer.byteLength(filter) > MAX_FILTER_BYTES) {
    invalidProp(`spec.agents[${edges[0].subscriber}].subscribes`, `the Pub/Sub filter for events from '${edges[0].publisher}' is ${Buffer.byteLength(filter)} bytes, over Pub/Sub's ${MAX_FILTER_BYTES}`, "subscribe to fewer event types from that publisher, or to all of them");
  }
  return filter;
}
