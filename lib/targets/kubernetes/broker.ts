import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { costLabels } from "../../plan/tags";
import type { AgentPlan, Subscription } from "../../plan/types";
import type { BrokerOutputs, BrokerScope, QueueOutputs } from "../target";
import { agentLabels, streamName, subjects } from "./labels";
import { brokerQueues, childOpts, landings, type KubernetesLanding, type KubernetesQueue } from "./landing";

const NACK_API = "jetstream.nats.io/v1beta2";

/** Go duration for NATS: whole seconds, or hours for long spans. */
const seconds = (s: number) => `${s}s`;

/**
 * Redelivery schedule of an agent's consumer. nats-server makes a consumer's ack wait its
 * first backoff value and waits `backoff[n-1]` (the last one past the list) after the n-th
 * delivery before it redelivers (server/consumer.go), so every value starts at the
 * visibility timeout: a message a worker still holds is never redelivered before it, and
 * the n-th retry comes the seed's n-th delay after the timeout. One value per redelivery
 * (`maxReceiveCount - 1`); none when the agent is delivered only once.
 */
export function consumerBackoffSeconds(agent: Pick<AgentPlan, "queue" | "retry">): number[] {
  const v = agent.queue.visibilityTimeoutSeconds;
  const delays = agent.retry.delaysMs;
  const redeliveries = Math.max(0, agent.queue.maxReceiveCount - 1);
  return Array.from({ length: redeliveries }, (_, i) => v + Math.ceil((delays.length > 0 ? delays[Math.min(i, delays.length - 1)] : 0) / 1000));
}

/**
 * The NACK Consumer of an agent: durable pull consumer, explicit acks, at most
 * `maxReceiveCount` deliveries on the schedule of consumerBackoffSeconds (ack wait is
 * its first value, as the server would set it anyway).
 */
export function consumerSpec(stream: string, agent: AgentPlan): Record<string, unknown> {
  const backoff = consumerBackoffSeconds(agent);
  return {
    streamName: stream,
    durableName: agent.name,
    description: `Workers of agent ${agent.name}`,
    ackPolicy: "explicit",
    ackWait: seconds(backoff.length > 0 ? backoff[0] : agent.queue.visibilityTimeoutSeconds),
    maxDeliver: agent.queue.maxReceiveCount,
    ...(backoff.length > 0 ? { backoff: backoff.map(seconds) } : {}),
    deliverPolicy: "all",
    replayPolicy: "instant",
    maxAckPending: Math.max(agent.queue.batchSize * Math.max(agent.scaling.max, 1) * 2, 100),
    maxRequestBatch: agent.queue.batchSize,
  };
}

/**
 * NATS JetStream, declared through NACK objects (reconciled by the NACK controller,
 * so `render` output works under GitOps too). Per agent: a work-queue stream with a
 * durable pull consumer (max deliveries = maxReceiveCount, redelivered no sooner
 * than the visibility timeout, then the seed's backoff), and a dead-letter stream that keeps the
 * max-deliveries advisories; the original message stays in the work stream until
 * its retention ends, so nothing is lost. One events stream per fleet; a
 * subscription sources the publisher's event subjects into the subscriber's stream.
 */
export function kubernetesBroker(scope: BrokerScope): BrokerOutputs {
  const landing = landings.get(scope.platform);
  const fleet = scope.platform.fleet;
  const replicas = fleet.environment === "prod" ? 3 : 1;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing, landing.crdsReady);
  const maxRetentionDays = Math.max(...scope.agents.map((a) => a.queue.retentionDays));
  const eventsStream = `${fleet.name}-events`;
  const events = new k8s.apiextensions.CustomResource(
    `${name}-events`,
    {
      apiVersion: NACK_API,
      kind: "Stream",
      metadata: { name: eventsStream, namespace: landing.namespace, labels: costLabels(scope.platform.tags) },
      spec: {
        name: eventsStream,
        subjects: [subjects.allEvents(fleet.name)],
        retention: "limits",
        storage: "file",
        replicas,
        maxAge: `${maxRetentionDays * 24}h`,
        discard: "old",
        duplicateWindow: "2m",
      },
    },
    opts,
  );

  const queues = new Map<string, KubernetesQueue>();
  const outputs: Record<string, QueueOutputs> = {};
  for (const agent of scope.agents) {
    const q = agentStreams(scope, landing, agent, eventsStream, scope.subscriptions.filter((s) => s.subscriber === agent.name), replicas, { ...opts, dependsOn: [...landing.crdsReady, events] });
    queues.set(agent.name, q);
    outputs[agent.name] = {
      queueName: pulumi.output(q.stream),
      deadLetterName: pulumi.output(q.deadLetterStream),
      queueId: pulumi.output(q.inputSubject),
      eventsTopic: pulumi.output(q.eventsSubject),
    };
  }
  brokerQueues.set(scope, queues);
  return { queues: outputs };
}

function agentStreams(
  scope: BrokerScope,
  landing: KubernetesLanding,
  agent: AgentPlan,
  eventsStream: string,
  subscriptions: ReadonlyArray<Subscription>,
  replicas: number,
  opts: pulumi.CustomResourceOptions,
): KubernetesQueue {
  const fleet = scope.platform.fleet.name;
  const stream = streamName(fleet, agent.name);
  const dlq = `${stream}-dlq`;
  const labels = agentLabels(fleet, agent.name, agent.tags);
  const prefix = `${scope.resourceName}-${agent.name}`;
  const sources = subscriptions.flatMap((s) =>
    (s.eventTypes ?? [">"]).map((type) => ({
      name: eventsStream,
      filterSubject: `${subjects.eventsOf(fleet, s.publisher)}.${s.pipeline ? `pipeline.${s.pipeline}.` : ""}${type}`,
    })),
  );
  new k8s.apiextensions.CustomResource(
    `${prefix}-stream`,
    {
      apiVersion: NACK_API,
      kind: "Stream",
      metadata: { name: stream, namespace: landing.namespace, labels },
      spec: {
        name: stream,
        description: `Input queue of agent ${agent.name}`,
        subjects: [subjects.input(fleet, agent.name)],
        retention: "workqueue",
        storage: "file",
        replicas,
        maxAge: `${agent.queue.retentionDays * 24}h`,
        discard: "new",
        duplicateWindow: "2m",
        ...(sources.length > 0 ? { sources } : {}),
      },
    },
    opts,
  );
  new k8s.apiextensions.CustomResource(
    `${prefix}-consumer`,
    { apiVersion: NACK_API, kind: "Consumer", metadata: { name: agent.name, namespace: landing.namespace, labels }, spec: consumerSpec(stream, agent) },
    opts,
  );
  new k8s.apiextensions.CustomResource(
    `${prefix}-dlq`,
    {
      apiVersion: NACK_API,
      kind: "Stream",
      metadata: { name: dlq, namespace: landing.namespace, labels },
      spec: {
        name: dlq,
        description: `Dead letters of agent ${agent.name}: max-deliveries and terminated advisories pointing at ${stream}`,
        subjects: [subjects.maxDeliveriesAdvisory(stream, agent.name), `$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.${stream}.${agent.name}`],
        retention: "limits",
        storage: "file",
        replicas,
        maxAge: "336h",
        discard: "old",
      },
    },
    opts,
  );
  return { stream, consumer: agent.name, deadLetterStream: dlq, inputSubject: subjects.input(fleet, agent.name), eventsSubject: subjects.eventsOf(fleet, agent.name) };
}
