import type * as compute from "@pulumi/gcp/compute";
import type * as kms from "@pulumi/gcp/kms";
import type * as pubsub from "@pulumi/gcp/pubsub";
import type * as serviceaccount from "@pulumi/gcp/serviceaccount";
import type * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import { Registry } from "../target";
import type { BrokerScope, PlatformScope, ServiceScope } from "../target";

export interface GcpNetwork {
  readonly network: compute.Network;
  readonly subnet: compute.Subnetwork;
  /** The subnet's primary range (nodes, serverless egress). */
  readonly cidr: string;
  /** GKE secondary ranges on the subnet. */
  readonly podRange: string;
  readonly serviceRange: string;
  /** The range reserved for private services access (Cloud SQL, Memorystore). */
  readonly servicesRange: compute.GlobalAddress;
  readonly privateServicesCidr: string;
  /** Resources that must exist before a private-IP service (the peering). */
  readonly privateServices: ReadonlyArray<pulumi.Resource>;
}

/** What the Cloud Run and GKE platforms hand to the other components. */
export interface GcpLanding {
  readonly runtime: "run" | "gke";
  /** The caller's `gcp` provider, or the target's own (project, region, quota project). */
  readonly provider: pulumi.ProviderResource;
  readonly project: string;
  readonly region: string;
  /** `<fleet>-<environment>`: the head of every physical name. */
  readonly prefix: string;
  readonly keyRing: kms.KeyRing;
  /** The fleet key of this region: CMEK wherever a service takes one. */
  readonly key: kms.CryptoKey;
  readonly network: GcpNetwork;
  readonly logBucket: pulumi.Output<string>;
  readonly logRetentionDays: number;
  /** The Pub/Sub service agent (`service-<number>@gcp-sa-pubsub...`), as an IAM member. */
  readonly pubsubAgent: pulumi.Output<string>;
  /** The key grant the Pub/Sub service agent needs before a CMEK topic is created. */
  readonly pubsubKeyGrant: pulumi.Resource;
  readonly projectNumber: pulumi.Output<string>;
  /** E-mail notification channels for alerts (ids). */
  readonly alertChannels: ReadonlyArray<pulumi.Output<string>>;
  /** Whether stateful resources are protected from deletion (prod and staging). */
  readonly deletionProtection: boolean;
  /** Labels every taggable resource carries. */
  readonly labels: Readonly<Record<string, string>>;
}

/** One agent's topics and subscriptions. */
export interface GcpQueue {
  readonly agent: string;
  readonly topic: pubsub.Topic;
  /** The input subscription (push on Cloud Run, pull on GKE). */
  readonly subscription: pubsub.Subscription;
  readonly deadLetterTopic: pubsub.Topic;
  readonly deadLetterSubscription: pubsub.Subscription;
  readonly eventsTopic: pubsub.Topic;
  /** Subscriptions on publishers' events topics that deliver to this agent. */
  readonly eventSubscriptions: ReadonlyArray<pubsub.Subscription>;
  readonly ordered: boolean;
}

/** What the shared constructs (state, gateway, observability) need of one agent. */
export interface GcpServiceHandle {
  readonly agent: AgentPlan;
  readonly serviceAccount: serviceaccount.Account;
  /** `serviceAccount:<email>`. */
  readonly member: pulumi.Output<string>;
  /** Cloud Run service name, or the GKE Deployment's name. */
  readonly workloadName: pulumi.Output<string>;
  /** Monitoring resource filter that selects the agent's containers. */
  readonly resourceFilter: string;
  /** The memory-utilization metric filter of the runtime. */
  readonly memoryMetric: string;
  /** The value the fleet's log-based metrics carry in their `agent` label for this agent. */
  readonly logKey: string;
}

export const gcpLandings = new Registry<PlatformScope, GcpLanding>("PlatformScope");
export const gcpQueues = new Registry<BrokerScope, ReadonlyMap<string, GcpQueue>>("BrokerScope");
export const gcpServices = new Registry<ServiceScope, GcpServiceHandle>("ServiceScope");

/** Options for a child resource: parented to its component, on the platform's provider. */
export function childOpts(scope: pulumi.Resource, landing: Pick<GcpLanding, "provider">, more: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  return { ...more, parent: scope, provider: landing.provider };
}

/** The broker queue of one agent, with a clear error when the broker was built elsewhere. */
export function gcpQueueOf(broker: BrokerScope, agent: string): GcpQueue {
  const q = gcpQueues.get(broker).get(agent);
  if (!q) throw new Error(`broker '${broker.resourceName}' has no queue for '${agent}'`);
  return q;
}
