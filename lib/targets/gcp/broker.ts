import * as pubsub from "@pulumi/gcp/pubsub";
import type * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import type { BrokerOutputs, BrokerScope, QueueOutputs } from "../target";
import { childOpts, gcpLandings, gcpQueues, type GcpLanding, type GcpQueue } from "./landing";
import { gcpName, GCP_NAME_LIMITS } from "./names";
import { eventFilter, MAX_SUBSCRIPTION_RETENTION_SECONDS, subscriptionShape } from "./pubsub-shape";

/** Dead letters are kept 7 days (a subscription's longest) in the dead-letter subscription; the topic keeps 31 days for replay. */
export const DEAD_LETTER_TOPIC_RETENTION = `${31 * 86400}s`;

/** How a subscription delivers: pulled by the agent (GKE), or pushed to it with an OIDC token (Cloud Run). */
export type Delivery = (agent: AgentPlan) => pubsub.SubscriptionArgs["pushConfig"] | undefined;

/** Physical names of one agent's topics and subscriptions. */
export function pubsubNames(prefix: string, agent: string): { topic: string; subscription: string; deadLetter: string; deadLetterSubscription: string; events: string } {
  const n = (...more: string[]) => gcpName([prefix, agent, ...more], GCP_NAME_LIMITS.pubsub);
  return { topic: n("in"), subscription: n("in"), deadLetter: n("dlq"), deadLetterSubscription: n("dlq"), events: n("events") };
}

/**
 * Pub/Sub for the fleet, per agent: an input topic and its subscription (ack
 * deadline, backoff, dead-lettering and ordering from the plan; never expiring),
 * a dead-letter topic with a pull subscription of its own, and an events topic;
 * every topic encrypted with the fleet key and stored in the target's region.
 * A subscriber gets a filtered subscription (attribute `eventType`, and
 * `pipeline` inside a pipeline) on each publisher's events topic, dead-lettering
 * into its own dead-letter topic. The Pub/Sub service agent may publish to each
 * dead-letter topic and subscribe to each subscription that feeds it: no more.
 */
export function gcpBroker(scope: BrokerScope, delivery: Delivery, dependsOn: ReadonlyArray<pulumi.Resource> = []): BrokerOutputs {
  const landing = gcpLandings.get(scope.platform);
  const deps = [landing.pubsubKeyGrant, ...dependsOn];
  const opts = childOpts(scope, landing, { dependsOn: deps });
  const events = new Map<string, pubsub.Topic>();
  for (const agent of scope.agents) events.set(agent.name, topic(`${scope.resourceName}-${agent.name}-events`, pubsubNames(landing.prefix, agent.name).events, landing, agent, opts));

  const queues = new Map<string, GcpQueue>();
  const outputs: Record<string, QueueOutputs> = {};
  for (const agent of scope.agents) {
    const q = agentQueue(scope, landing, agent, events, delivery, opts, deps);
    queues.set(agent.name, q);
    outputs[agent.name] = { queueName: q.subscription.name, deadLetterName: q.deadLetterSubscription.name, queueId: q.subscription.id, eventsTopic: q.eventsTopic.id };
  }
  gcpQueues.set(scope, queues);
  return { queues: outputs };
}

function topic(name: string, physical: string, landing: GcpLanding, agent: AgentPlan, opts: pulumi.CustomResourceOptions, retention?: string): pubsub.Topic {
  return new pubsub.Topic(
    name,
    {
      name: physical,
      kmsKeyName: landing.key.id,
      messageStoragePolicy: { allowedPersistenceRegions: [landing.region] },
      ...(retention ? { messageRetentionDuration: retention } : {}),
      labels: { ...agent.tags },
    },
    opts,
  );
}

function agentQueue(scope: BrokerScope, landing: GcpLanding, agent: AgentPlan, events: ReadonlyMap<string, pubsub.Topic>, delivery: Delivery, opts: pulumi.CustomResourceOptions, deps: ReadonlyArray<pulumi.Resource>): GcpQueue {
  const names = pubsubNames(landing.prefix, agent.name);
  const prefix = `${scope.resourceName}-${agent.name}`;
  const shape = subscriptionShape(agent);
  const labels = { ...agent.tags };
  const input = topic(`${prefix}-in`, names.topic, landing, agent, opts, `${agent.queue.retentionDays * 86400}s`);
  const deadLetter = topic(`${prefix}-dlq`, names.deadLetter, landing, agent, opts, DEAD_LETTER_TOPIC_RETENTION);
  const deadLetterSubscription = new pubsub.Subscription(
    `${prefix}-dlq`,
    {
      name: names.deadLetterSubscription,
      topic: deadLetter.id,
      ackDeadlineSeconds: 60,
      messageRetentionDuration: `${MAX_SUBSCRIPTION_RETENTION_SECONDS}s`,
      retainAckedMessages: false,
      expirationPolicy: { ttl: "" },
      labels: { ...labels, "queue-role": "dead-letter" },
    },
    opts,
  );
  const publishGrant = new pubsub.TopicIAMMember(`${prefix}-dlq-publisher`, { topic: deadLetter.name, role: "roles/pubsub.publisher", member: landing.pubsubAgent }, opts);
  const push = delivery(agent);
  const common = (role: string) => ({
    ackDeadlineSeconds: shape.ackDeadlineSeconds,
    retryPolicy: shape.retryPolicy,
    deadLetterPolicy: { deadLetterTopic: deadLetter.id, maxDeliveryAttempts: shape.maxDeliveryAttempts },
    messageRetentionDuration: shape.messageRetentionDuration,
    enableMessageOrdering: shape.enableMessageOrdering,
    // Exactly-once applies to pull subscriptions only.
    ...(shape.enableMessageOrdering && !push ? { enableExactlyOnceDelivery: true } : {}),
    expirationPolicy: { ttl: "" },
    ...(push ? { pushConfig: push } : {}),
    labels: { ...labels, "queue-role": role },
  });
  const subscription = new pubsub.Subscription(`${prefix}-in`, { name: names.subscription, topic: input.id, ...common("input") }, { ...opts, dependsOn: [...deps, publishGrant] });
  new pubsub.SubscriptionIAMMember(`${prefix}-in-dead-letter`, { subscription: subscription.name, role: "roles/pubsub.subscriber", member: landing.pubsubAgent }, opts);

  const edges = scope.subscriptions.filter((s) => s.subscriber === agent.name);
  const publishers = [...new Set(edges.map((e) => e.publisher))];
  const eventSubscriptions = publishers.map((publisher) => {
    const filter = eventFilter(edges.filter((e) => e.publisher === publisher));
    const from = events.get(publisher);
    if (!from) throw new Error(`no events topic for agent '${publisher}' in this broker`);
    const sub = new pubsub.Subscription(
      `${prefix}-from-${publisher}`,
      { name: gcpName([landing.prefix, agent.name, "from", publisher], GCP_NAME_LIMITS.pubsub), topic: from.id, ...(filter ? { filter } : {}), ...common("events") },
      { ...opts, dependsOn: [...deps, publishGrant] },
    );
    new pubsub.SubscriptionIAMMember(`${prefix}-from-${publisher}-dead-letter`, { subscription: sub.name, role: "roles/pubsub.subscriber", member: landing.pubsubAgent }, opts);
    return sub;
  });
  const eventsTopic = events.get(agent.name);
  if (!eventsTopic) throw new Error(`no events topic for agent '${agent.name}'`);
  return { agent: agent.name, topic: input, subscription, deadLetterTopic: deadLetter, deadLetterSubscription, eventsTopic, eventSubscriptions, ordered: agent.queue.fifo };
}
