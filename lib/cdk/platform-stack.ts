import { Aws, CfnResource, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as budgets from "aws-cdk-lib/aws-budgets";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sns from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";
import { cloudBudgetUsd } from "../plan/budget-split";
import type { FleetPlan } from "../plan/types";
import { policyDocument } from "../targets/aws/iam";
import { fleetKeyPolicy } from "../targets/aws/key-policy";
import { FleetEdge } from "./edge";
import { GpuCapacity } from "./gpu-capacity";
import { retentionFor } from "./retention";
import { tagAll } from "./tags";

/** The fleet key's alias in each of the fleet's regions (a pair's regions share the prefix; aliases are regional). */
export const FLEET_KEY_ALIAS = (prefix: string): string => `alias/microagents/${prefix}`;

export interface AgentPlatformStackProps extends StackProps {
  /** The fleet's plan; the stack builds what it shares. */
  readonly plan: FleetPlan;
  /** The fleet's AWS region (its `ecs` target's); `env.region`, when given, must match. */
  readonly region: string;
  /** Name prefix: `<fleet>-<environment>`. */
  readonly prefix: string;
  /**
   * The VPC's address range; a pair's regions get distinct ranges, as on Pulumi (10.<target index>.0.0/16).
   * @default 10.0.0.0/16
   */
  readonly vpcCidr?: string;
  /**
   * Build the fleet's AWS Budget here (it counts the fleet's tagged costs in every region; a pair builds it once, in the primary's region).
   * @default true
   */
  readonly budget?: boolean;
}

/**
 * The fleet's landing zone on AWS through CDK: a customer-managed key with yearly
 * rotation, a VPC with private subnets (one NAT gateway in the small tier or outside
 * prod, one per zone otherwise) and flow logs, an ECS cluster with Container
 * Insights and Fargate (Spot) capacity, GPU capacity providers from the plan's
 * pools, the encrypted SSL-only alarm topic, and an AWS Budget at 80% and 100%.
 */
export class AgentPlatformStack extends Stack {
  readonly plan: FleetPlan;
  readonly prefix: string;
  readonly key: kms.Key;
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  readonly alarmTopic: sns.Topic;
  /** Every agent task is in this group; the shared stores admit it and nothing else. */
  readonly agentsSecurityGroup: ec2.SecurityGroup;
  /** The internal NLB for sync routes, when some agent has one. */
  readonly edge?: FleetEdge;
  /** GPU capacity per pool name. */
  readonly gpuCapacity: ReadonlyMap<string, GpuCapacity>;

  constructor(scope: Construct, id: string, props: AgentPlatformStackProps) {
    super(scope, id, props);
    const { plan, prefix } = props;
    this.plan = plan;
    this.prefix = prefix;
    const prod = plan.fleet.environment === "prod";
    tagAll(this, plan.tags);

    this.key = new kms.Key(this, "Key", {
      description: `microagents fleet key for ${prefix} in ${props.region}`,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      pendingWindow: Duration.days(prod ? 30 : 7),
      alias: FLEET_KEY_ALIAS(prefix),
      // GPU pools launch volumes encrypted with this key and notify the encrypted alarm topic through Auto Scaling's service-linked role.
      policy: iam.PolicyDocument.fromJson(policyDocument(fleetKeyPolicy(props.region, Aws.ACCOUNT_ID, Aws.PARTITION, { autoScaling: plan.gpuPools.length > 0 }))),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const zones = plan.tier.name === "small" || !prod ? 2 : 3;
    const flowLogs = new logs.LogGroup(this, "FlowLogs", { encryptionKey: this.key, retention: retentionFor(plan.logRetentionDays), removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY });
    this.vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr(props.vpcCidr ?? "10.0.0.0/16"),
      maxAzs: zones,
      natGateways: plan.tier.name === "small" || plan.fleet.environment !== "prod" ? 1 : zones,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: "private", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      restrictDefaultSecurityGroup: true,
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: ec2.FlowLogTrafficType.ALL } },
      gatewayEndpoints: { s3: { service: ec2.GatewayVpcEndpointAwsService.S3 }, dynamodb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
    });

    tagCustomResourceProviders(this, plan.tags);
    this.agentsSecurityGroup = new ec2.SecurityGroup(this, "Agents", { vpc: this.vpc, description: `${prefix} agents: membership the shared stores admit; no inbound`, allowAllOutbound: true });
    this.cluster = new ecs.Cluster(this, "Cluster", { vpc: this.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED, enableFargateCapacityProviders: true });

    this.alarmTopic = new sns.Topic(this, "Alarms", { displayName: `${prefix} alarms`, masterKey: this.key, enforceSSL: true });
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "AlarmsAndBudgetsPublish",
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com"), new iam.ServicePrincipal("budgets.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [this.alarmTopic.topicArn],
        conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
      }),
    );
    plan.fleet.budget.alertEmails.forEach((email, i) => new sns.Subscription(this, `AlarmEmail${i}`, { topic: this.alarmTopic, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: email }));

    const subscribers = [{ subscriptionType: "SNS", address: this.alarmTopic.topicArn }];
    const notify = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
      notification: { comparisonOperator: "GREATER_THAN", notificationType, threshold, thresholdType: "PERCENTAGE" },
      subscribers,
    });
    if (props.budget ?? true) new budgets.CfnBudget(this, "Budget", {
      budget: {
        budgetName: `${prefix}-monthly`,
        budgetType: "COST",
        timeUnit: "MONTHLY",
        // The fleet's AWS targets' part of its budget (lib/plan/budget-split.ts): the whole budget on an AWS-only fleet.
        budgetLimit: { amount: cloudBudgetUsd(plan, "aws"), unit: "USD" },
        filterExpression: { and: [{ tags: { key: "fleet", values: [plan.fleet.name] } }, { tags: { key: "environment", values: [plan.fleet.environment] } }] },
      },
      notificationsWithSubscribers: [...plan.fleet.budget.alertPercents.map((p) => notify("ACTUAL", p)), notify("FORECASTED", 100)],
      resourceTags: Object.entries(plan.tags).map(([key, value]) => ({ key, value })),
    });

    if (plan.agents.some((a) => a.route?.invoke === "sync")) this.edge = new FleetEdge(this, "Edge", { plan, vpc: this.vpc });
    this.gpuCapacity = new Map(plan.gpuPools.map((pool) => [pool.name, new GpuCapacity(this, `Gpu-${pool.name}`, { plan, pool, cluster: this.cluster, vpc: this.vpc, key: this.key, alarmTopic: this.alarmTopic, prefix })]));
  }
}

/**
 * CDK's custom resource providers (the one that empties the VPC's default security
 * group) are raw CloudFormation resources the tag aspect does not reach; their role
 * and function get the cost-allocation tags here.
 */
export function tagCustomResourceProviders(stack: Stack, tags: Readonly<Record<string, string>>): void {
  const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  for (const provider of stack.node.children.filter((c) => c.node.id.startsWith("Custom::"))) {
    for (const child of provider.node.children) {
      if (child instanceof CfnResource && ["AWS::IAM::Role", "AWS::Lambda::Function"].includes(child.cfnResourceType)) child.addPropertyOverride("Tags", tagList);
    }
  }
}
