import { everywhere, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-023",
  title: "Every queue has a dead-letter queue",
  severity: "high",
  kind: "security",
  description:
    "A message an agent cannot process goes to a dead-letter queue after its last retry instead of being lost or retried forever. SQS needs a redrive policy, Pub/Sub subscriptions a dead-letter policy, JetStream work queues a stream that keeps their max-deliveries advisories; Service Bus queues have one built in. Dead-letter queues themselves are exempt.",
  remediation: "SQS: `redrivePolicy: { deadLetterTargetArn, maxReceiveCount }`; Pub/Sub: `deadLetterPolicy`; NATS: a stream on `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer>`.",
  anchors: {},
  // The design's invariant (nothing is lost when an agent fails): mandatory in every environment.
  enforcement: everywhere("mandatory"),
  reads: ["queue"],
  check(facts) {
    return only(facts, "queue")
      .filter((q) => !q.isDeadLetter && !q.deadLetter.configured)
      .map((q) => finding(q, `queue${q.queueName ? ` '${q.queueName}'` : ""} has no dead-letter queue`));
  },
};
