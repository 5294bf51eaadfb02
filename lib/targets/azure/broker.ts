import * as servicebus from "@pulumi/azure-native/servicebus";
import type { AgentPlan, FleetPlan, Subscription } from "../../plan/types";
import type { BrokerOutputs, BrokerScope, QueueOutputs } from "../target";
import { azureBrokers, azureLandings, childOpts, type AzureLanding, type AzureQueue } from "./landing";
import { AZURE_NAME_LIMITS, globalName, isoDuration } from "./names";
import { privateEndpoint } from "./private-link";
import { assignRole } from "./roles";

/** Service Bus's shortest lock: PT5S. */
const MIN_LOCK_SECONDS = 5;
/** How long Service Bus remembers message ids for duplicate detection on ordered queues. */
export const DUPLICATE_WINDOW = "PT10M";

/** The queue's settings from the agent's plan: delivery count, lock, expiry to the dead-letter sub-queue, sessions. */
export function queueSettings(agent: AgentPlan) {
  const q = agent.queue;
  return {
    maxDeliveryCount: q.maxReceiveCount,
    lockDuration: isoDuration(Math.max(q.visibilityTimeoutSeconds, MIN_LOCK_SECONDS)),
    defaultMessageTimeToLive: isoDuration(q.retentionDays * 86400),
    deadLetteringOnMessageExpiration: true,
    enableBatchedOperations: true,
    enablePartitioning: false,
    maxSizeInMegabytes: 1024,
    requiresSession: q.fifo,
    requiresDuplicateDetection: q.fifo,
    ...(q.fifo ? { duplicateDetectionHistoryTimeWindow: DUPLICATE_WINDOW } : {}),
  };
}

/** `eventType IN ('a', 'b')` on the publisher's `eventType` application property; undefined accepts every event. */
export function eventFilter(sub: Pick<Subscription, "eventTypes">): string | undefined {
  if (!sub.eventTypes || sub.eventTypes.length === 0) return undefined;
  return `eventType IN (${sub.eventTypes.map((t) => `'${t.replace(/'/g, "''")}'`).join(", ")})`;
}

/**
 * How the namespace is reached. `private-endpoint`: Premium, public access off, a
 * private endpoint (prod of the medium and enterprise tiers). `ip-firewall`: the
 * small tier's prod, whose $1,000 budget cannot hold a Premium messaging unit
 * (~$677 a month); Standard cannot have a private endpoint, so its public endpoint
 * refuses every address but the fleet's NAT egress IP (agents, KEDA) and trusted
 * Microsoft services (API Management's managed identity), with SAS off and
 * per-queue Entra roles as before. `public`: Standard, open, outside prod.
 */
export type BrokerNetworking = "private-endpoint" | "ip-firewall" | "public";

export function brokerNetworking(plan: Pick<FleetPlan, "tier">, landing: Pick<AzureLanding, "privateNetworking">): BrokerNetworking {
  if (!landing.privateNetworking) return "public";
  return plan.tier.name === "small" ? "ip-firewall" : "private-endpoint";
}

/** The namespace's SKU: Premium (one messaging unit) behind a private endpoint, else Standard (topics need it). */
export function namespaceSku(networking: BrokerNetworking): { name: "Standard" | "Premium"; tier: "Standard" | "Premium"; capacity?: number } {
  return networking === "private-endpoint" ? { name: "Premium", tier: "Premium", capacity: 1 } : { name: "Standard", tier: "Standard" };
}

/**
 * A Service Bus namespace (SAS off, TLS 1.2; Premium and private in prod, or in the
 * small tier's prod Standard behind an IP firewall: brokerNetworking), a queue
 * per agent (dead-lettering on expiry and after maxReceiveCount deliveries, the
 * lock at the visibility timeout, sessions and duplicate detection when ordered),
 * an events topic per agent, and a subscription per subscriber that forwards the
 * publisher's events (filtered on `eventType`) into the subscriber's queue. KEDA's
 * identity may read each queue's counts, and nothing more.
 */
export function azureBroker(scope: BrokerScope): BrokerOutputs {
  const landing = azureLandings.get(scope.platform);
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const rg = landing.resourceGroupName;
  const networking = brokerNetworking(scope.platform.plan, landing);
  const sku = namespaceSku(networking);
  const namespace = new servicebus.Namespace(
    `${name}-sb`,
    {
      resourceGroupName: rg,
      location: landing.location,
      namespaceName: globalName("sb", `${landing.prefix}-${name}`, landing.location, AZURE_NAME_LIMITS.serviceBusNamespace),
      sku,
      disableLocalAuth: true,
      minimumTlsVersion: "1.2",
      publicNetworkAccess: networking === "private-endpoint" ? "Disabled" : "Enabled",
      ...(sku.name === "Premium" ? { premiumMessagingPartitions: 1, zoneRedundant: true } : {}),
      tags: { ...landing.tags },
    },
    opts,
  );
  if (networking === "private-endpoint") privateEndpoint(scope.platform, `${name}-sb`, landing, { id: namespace.id, group: "namespace" }, opts);
  if (networking === "ip-firewall") {
    new servicebus.NamespaceNetworkRuleSet(
      `${name}-sb-firewall`,
      {
        resourceGroupName: rg,
        namespaceName: namespace.name,
        publicNetworkAccess: "Enabled",
        defaultAction: "Deny",
        ipRules: [{ ipMask: landing.network.egressIp, action: "Allow" }],
        trustedServiceAccessEnabled: true,
      },
      opts,
    );
  }
  const entity = { resourceGroupName: rg, namespaceName: namespace.name };
  const queues = new Map<string, AzureQueue>();
  for (const agent of scope.agents) {
    const queue = new servicebus.Queue(`${name}-${agent.name}`, { ...entity, queueName: agent.name, ...queueSettings(agent) }, opts);
    const topic = new servicebus.Topic(
      `${name}-${agent.name}-events`,
      { ...entity, topicName: `${agent.name}-events`, defaultMessageTimeToLive: isoDuration(agent.queue.retentionDays * 86400), enableBatchedOperations: true, maxSizeInMegabytes: 1024, supportOrdering: agent.queue.fifo },
      opts,
    );
    assignRole(
      `${name}-${agent.name}-keda`,
      { subscriptionId: landing.subscriptionId, principalId: landing.scalerIdentity.principalId, role: "serviceBusDataOwner", scope: queue.id, description: `KEDA reads the message count of ${agent.name}'s queue` },
      opts,
    );
    queues.set(agent.name, { agent: agent.name, namespace, queue, topic, sessions: agent.queue.fifo });
  }
  for (const sub of scope.subscriptions) {
    const publisher = queues.get(sub.publisher);
    const subscriber = queues.get(sub.subscriber);
    const agent = scope.agents.find((a) => a.name === sub.subscriber);
    if (!publisher || !subscriber || !agent) continue;
    const subName = `${name}-${sub.publisher}-to-${sub.subscriber}`;
    const subscription = new servicebus.Subscription(
      subName,
      {
        ...entity,
        topicName: publisher.topic.name,
        subscriptionName: sub.subscriber,
        forwardTo: subscriber.queue.name,
        maxDeliveryCount: agent.queue.maxReceiveCount,
        deadLetteringOnMessageExpiration: true,
        deadLetteringOnFilterEvaluationExceptions: true,
        enableBatchedOperations: true,
      },
      opts,
    );
    const filter = eventFilter(sub);
    if (filter) {
      // ARM gives every new subscription a `$Default` rule that accepts everything: this rule replaces it.
      new servicebus.Rule(
        subName,
        { ...entity, topicName: publisher.topic.name, subscriptionName: subscription.name, ruleName: "$Default", filterType: "SqlFilter", sqlFilter: { sqlExpression: filter } },
        opts,
      );
    }
  }
  azureBrokers.set(scope, { namespace, namespaceName: namespace.name, queues });
  const out: Record<string, QueueOutputs> = {};
  for (const [agent, q] of queues) {
    out[agent] = { queueName: q.queue.name, deadLetterName: q.queue.name.apply((n) => `${n}/$DeadLetterQueue`), queueId: q.queue.id, eventsTopic: q.topic.name };
  }
  return { queues: out };
}
