import * as sns from "@pulumi/aws/sns";
import * as sqs from "@pulumi/aws/sqs";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan, Subscription } from "../../plan/types";
import type { BrokerOutputs, BrokerScope, QueueOutputs } from "../target";
import { denyInsecureTransport, policyJson, type PolicyStatement } from "./iam";
import { filterPolicy } from "./filter-policy";
import { QUEUE_ROLE_TAG } from "./fleet-grants";
import { awsLandings, awsQueues, childOpts, type AwsLanding, type AwsQueue } from "./landing";
import { awsName, NAME_LIMITS } from "./names";
import { awsTags } from "./tags";

/** Dead letters are kept as long as SQS allows: a standard queue ages them from their first enqueue. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

/** Queue names: `<fleet>-<env>-<agent>` with `-dlq` and `.fifo` suffixes where they apply. */
export function queueNames(prefix: string, agent: string, fifo: boolean): { queue: string; deadLetter: string; topic: string } {
  const base = awsName([prefix, agent], NAME_LIMITS.sqs - "-dlq.fifo".length);
  const suffix = fifo ? ".fifo" : "";
  return { queue: `${base}${suffix}`, deadLetter: `${base}-dlq${suffix}`, topic: `${awsName([prefix, agent, "events"], NAME_LIMITS.sns - 5)}${suffix}` };
}

/**
 * The dead-letter queue for events an agent cannot take from publishers of the
 * other queue type: SNS requires a FIFO topic's subscriptions to dead-letter into a
 * FIFO queue and a standard topic's into a standard one
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html), so a
 * standard agent subscribed to a FIFO agent's events (or the reverse) gets one.
 */
export function eventsDeadLetterName(prefix: string, agent: string, fifo: boolean): string {
  return `${awsName([prefix, agent], NAME_LIMITS.sqs - "-events-dlq.fifo".length)}-events-dlq${fifo ? ".fifo" : ""}`;
}

/**
 * Per agent: an SQS queue (SSE-KMS with the fleet key, long polling, the spec's
 * visibility timeout and retention, FIFO where asked) with a dead-letter queue after
 * `maxReceiveCount` receives; SSL-only queue policies that let only the topics it
 * subscribes to deliver; and an SNS events topic, encrypted and SSL-only. Each
 * subscription filters on event type and pipeline and dead-letters undeliverable
 * events into the subscriber's DLQ.
 */
export function awsBroker(scope: BrokerScope): BrokerOutputs {
  const landing = awsLandings.get(scope.platform);
  const opts = childOpts(scope, landing);
  const topics = new Map<string, sns.Topic>();
  for (const agent of scope.agents) topics.set(agent.name, eventsTopic(scope, landing, agent, opts));

  const queues = new Map<string, AwsQueue>();
  const outputs: Record<string, QueueOutputs> = {};
  for (const agent of scope.agents) {
    const edges = scope.subscriptions.filter((s) => s.subscriber === agent.name);
    const q = agentQueues(scope, landing, agent, topics, edges, opts);
    queues.set(agent.name, q);
    outputs[agent.name] = { queueName: q.queue.name, deadLetterName: q.deadLetter.name, queueId: q.queue.arn, eventsTopic: q.topic.arn };
  }
  awsQueues.set(scope, queues);
  return { queues: outputs };
}

function eventsTopic(scope: BrokerScope, landing: AwsLanding, agent: AgentPlan, opts: pulumi.CustomResourceOptions): sns.Topic {
  const fifo = agent.queue.fifo;
  const name = `${scope.resourceName}-${agent.name}-events`;
  const topic = new sns.Topic(
    name,
    {
      name: queueNames(landing.prefix, agent.name, fifo).topic,
      kmsMasterKeyId: landing.key.arn,
      ...(fifo ? { fifoTopic: true, contentBasedDeduplication: true } : {}),
      tags: awsTags(agent.tags),
    },
    opts,
  );
  new sns.TopicPolicy(name, { arn: topic.arn, policy: policyJson([denyInsecureTransport("sns", topic.arn)]) }, opts);
  return topic;
}

function agentQueues(
  scope: BrokerScope,
  landing: AwsLanding,
  agent: AgentPlan,
  topics: ReadonlyMap<string, sns.Topic>,
  edges: ReadonlyArray<Subscription>,
  opts: pulumi.CustomResourceOptions,
): AwsQueue {
  const fifo = agent.queue.fifo;
  const names = queueNames(landing.prefix, agent.name, fifo);
  const prefix = `${scope.resourceName}-${agent.name}`;
  const encryption = { kmsMasterKeyId: landing.key.arn, kmsDataKeyReusePeriodSeconds: 300 };
  const ordering = fifo ? { fifoQueue: true, contentBasedDeduplication: true, deduplicationScope: "messageGroup", fifoThroughputLimit: "perMessageGroupId" } : {};
  // The input queue's ARN is known from its name, so the DLQ can name its only source without a cycle.
  const queueArn = pulumi.interpolate`arn:${landing.partition}:sqs:${landing.region}:${landing.accountId}:${names.queue}`;
  const deadLetter = new sqs.Queue(
    `${prefix}-dlq`,
    {
      name: names.deadLetter,
      messageRetentionSeconds: DLQ_RETENTION_SECONDS,
      redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: "byQueue", sourceQueueArns: [queueArn] }),
      ...encryption,
      ...(fifo ? { fifoQueue: true } : {}),
      tags: awsTags(agent.tags, undefined, { [QUEUE_ROLE_TAG]: "dead-letter" }),
    },
    opts,
  );
  const queue = new sqs.Queue(
    `${prefix}-queue`,
    {
      name: names.queue,
      visibilityTimeoutSeconds: agent.queue.visibilityTimeoutSeconds,
      messageRetentionSeconds: agent.queue.retentionDays * 24 * 3600,
      receiveWaitTimeSeconds: 20,
      redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: agent.queue.maxReceiveCount }),
      ...encryption,
      ...ordering,
      tags: awsTags(agent.tags, undefined, { [QUEUE_ROLE_TAG]: "input" }),
    },
    opts,
  );
  const publishers = [...new Set(edges.map((e) => e.publisher))];
  const fromTopics = (resource: pulumi.Output<string>, from: ReadonlyArray<string>): PolicyStatement[] =>
    from.length === 0
      ? []
      : [{ Sid: "SubscribedTopicsDeliver", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: resource, Condition: { ArnEquals: { "aws:SourceArn": from.map((p) => topicOf(topics, p).arn) } } }];
  // Publishers whose topic is of the other type dead-letter into a queue of their type (eventsDeadLetterName).
  const otherType = publishers.filter((p) => scope.agents.find((a) => a.name === p)?.queue.fifo !== fifo);
  const sameType = publishers.filter((p) => !otherType.includes(p));
  new sqs.QueuePolicy(`${prefix}-queue`, { queueUrl: queue.url, policy: policyJson([...fromTopics(queue.arn, publishers), denyInsecureTransport("sqs", queue.arn)]) }, opts);
  new sqs.QueuePolicy(`${prefix}-dlq`, { queueUrl: deadLetter.url, policy: policyJson([...fromTopics(deadLetter.arn, sameType), denyInsecureTransport("sqs", deadLetter.arn)]) }, opts);
  const eventsDeadLetter = otherType.length === 0 ? undefined : new sqs.Queue(
    `${prefix}-events-dlq`,
    {
      name: eventsDeadLetterName(landing.prefix, agent.name, !fifo),
      messageRetentionSeconds: DLQ_RETENTION_SECONDS,
      // Only SNS writes here: no queue may redrive into it.
      redriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }),
      ...encryption,
      ...(!fifo ? { fifoQueue: true } : {}),
      tags: awsTags(agent.tags, undefined, { [QUEUE_ROLE_TAG]: "dead-letter" }),
    },
    opts,
  );
  if (eventsDeadLetter) {
    new sqs.QueuePolicy(`${prefix}-events-dlq`, { queueUrl: eventsDeadLetter.url, policy: policyJson([...fromTopics(eventsDeadLetter.arn, otherType), denyInsecureTransport("sqs", eventsDeadLetter.arn)]) }, opts);
  }

  for (const publisher of publishers) {
    const filter = filterPolicy(edges.filter((e) => e.publisher === publisher));
    new sns.TopicSubscription(
      `${prefix}-from-${publisher}`,
      {
        topic: topicOf(topics, publisher).arn,
        protocol: "sqs",
        endpoint: queue.arn,
        rawMessageDelivery: true,
        ...(filter ? { filterPolicy: JSON.stringify(filter), filterPolicyScope: "MessageAttributes" } : {}),
        redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: (otherType.includes(publisher) && eventsDeadLetter ? eventsDeadLetter : deadLetter).arn }),
      },
      opts,
    );
  }
  return { agent: agent.name, queue, deadLetter, ...(eventsDeadLetter ? { eventsDeadLetter } : {}), topic: topicOf(topics, agent.name), fifo };
}

function topicOf(topics: ReadonlyMap<string, sns.Topic>, agent: string): sns.Topic {
  const t = topics.get(agent);
  if (!t) throw new Error(`no events topic for agent '${agent}' in this broker`);
  return t;
}
