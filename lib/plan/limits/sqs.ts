import { overLimit, type LimitFinding } from "./check";
import { LIMITS } from "./sources";

/** One queue policy against SQS's policy quotas (a subscriber's policy names every topic it subscribes to). */
export function checkQueuePolicy(queue: string, policy: string): LimitFinding[] {
  const statements = (JSON.parse(policy) as { Statement?: unknown[] }).Statement?.length ?? 0;
  return [
    ...overLimit(LIMITS.sqsQueuePolicyBytes, queue, Buffer.byteLength(policy, "utf8"), "subscribe the agent to fewer publishers, or put the publishers behind one pipeline topic"),
    ...overLimit(LIMITS.sqsQueuePolicyStatements, queue, statements, "fewer statements in the queue policy"),
  ];
}
