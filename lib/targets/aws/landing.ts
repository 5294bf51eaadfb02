import type * as pulumi from "@pulumi/pulumi";
import type * as dynamodb from "@pulumi/aws/dynamodb";
import type * as ec2 from "@pulumi/aws/ec2";
import type * as iam from "@pulumi/aws/iam";
import type * as kms from "@pulumi/aws/kms";
import type * as lb from "@pulumi/aws/lb";
import type { Provider } from "@pulumi/aws/provider";
import type * as sns from "@pulumi/aws/sns";
import type * as sqs from "@pulumi/aws/sqs";
import type { AgentPlan } from "../../plan/types";
import { Registry } from "../target";
import type { BrokerScope, PlatformScope, ServiceScope } from "../target";

export interface AwsNetwork {
  readonly vpc: ec2.Vpc;
  readonly vpcId: pulumi.Output<string>;
  readonly cidr: string;
  readonly privateSubnetIds: ReadonlyArray<pulumi.Output<string>>;
  readonly publicSubnetIds: ReadonlyArray<pulumi.Output<string>>;
  readonly privateRouteTableIds: ReadonlyArray<pulumi.Output<string>>;
  readonly natGateways: number;
}

/** The internal network load balancer that API Gateway's VPC link reaches sync agents through. */
export interface AwsEdge {
  readonly loadBalancer: lb.LoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  /** NLB listener port per sync agent, stable while the fleet's agent order is. */
  readonly ports: ReadonlyMap<string, number>;
}

/** What the AWS platform (ECS or EKS) hands to the other components. */
export interface AwsLanding {
  readonly runtime: "ecs" | "eks";
  readonly provider: Provider;
  readonly region: string;
  readonly partition: string;
  readonly accountId: pulumi.Output<string>;
  /** `<fleet>-<environment>`: the head of every physical name. */
  readonly prefix: string;
  readonly key: kms.Key;
  readonly network: AwsNetwork;
  readonly alarmTopic: sns.Topic;
  readonly logRetentionDays: number;
  /** Present when an agent has a sync route. */
  readonly edge?: AwsEdge;
  /** Leader leases of active-passive agents (present when the fleet has one). */
  readonly leaseTable?: dynamodb.Table;
}

/** One agent's queues and events topic. */
export interface AwsQueue {
  readonly agent: string;
  readonly queue: sqs.Queue;
  readonly deadLetter: sqs.Queue;
  /** Dead letters from publishers of the other queue type (broker.ts eventsDeadLetterName), when it has such publishers. */
  readonly eventsDeadLetter?: sqs.Queue;
  readonly topic: sns.Topic;
  readonly fifo: boolean;
}

/** A CloudWatch metric as dashboards and alarms name it. */
export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, pulumi.Input<string>>>;
  readonly stat: string;
}

/** What the shared constructs (state, gateway, observability) need of one agent, whatever runs it. */
export interface AwsServiceHandle {
  readonly agent: AgentPlan;
  /** The agent's own IAM role (ECS task role or EKS Pod Identity role). */
  readonly role: iam.Role;
  /** The security group the agent's traffic leaves from (task SG on ECS, node SG on EKS). */
  readonly sourceSecurityGroupId: pulumi.Output<string>;
  /** Where its logs land, and the filter-pattern prefix that selects its lines there. */
  readonly logGroupName: pulumi.Output<string>;
  readonly logSelector?: string;
  readonly cpu: MetricRef;
  readonly memory: MetricRef;
  readonly replicas: MetricRef;
}

export const awsLandings = new Registry<PlatformScope, AwsLanding>("PlatformScope");
export const awsQueues = new Registry<BrokerScope, ReadonlyMap<string, AwsQueue>>("BrokerScope");
export const awsServices = new Registry<ServiceScope, AwsServiceHandle>("ServiceScope");

/** Options for a child resource: parented to its component, on the platform's regional provider. */
export function childOpts(scope: pulumi.Resource, landing: Pick<AwsLanding, "provider">, more: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  return { ...more, parent: scope, provider: landing.provider };
}

/** The broker queue of one agent, with a clear error when the broker was built elsewhere. */
export function queueOf(broker: BrokerScope, agent: string): AwsQueue {
  const q = awsQueues.get(broker).get(agent);
  if (!q) throw new Error(`broker '${broker.resourceName}' has no queue for '${agent}'`);
  return q;
}
