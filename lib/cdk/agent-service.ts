import { Aws, Duration, RemovalPolicy, Stack, Tags, Validations } from "aws-cdk-lib";
import * as appscaling from "aws-cdk-lib/aws-applicationautoscaling";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { contractEnv } from "../plan/contract";
import type { AgentPlan, FleetPlan } from "../plan/types";
import type { GpuNodeShape } from "../spec/accelerators";
import { awsEnv } from "../targets/aws/contract";
import { filterPolicy } from "../targets/aws/filter-policy";
import { QUEUE_ROLE_TAG } from "../targets/aws/fleet-grants";
import { BACKLOG_PER_TASK_EXPRESSION, WAKE_EXPRESSION } from "../targets/aws/metric-math";
import { fargateStrategy } from "../targets/aws-ecs/fargate";
import { AGENT_UID, healthCommand, taskShape } from "../targets/aws-ecs/task";
import type { AgentPlatformStack } from "./platform-stack";
import type { AgentStateStack } from "./state-stack";
import { retentionFor } from "./retention";
import { tagAll } from "./tags";
import { cfnResourceCount } from "./stack-limits";

/** Dead letters are kept as long as SQS allows. */
const DLQ_RETENTION = Duration.days(14);

export interface AgentServiceProps {
  readonly platform: AgentPlatformStack;
  readonly agent: AgentPlan;
  /** Every agent's events topic, by agent name (from the events stacks). */
  readonly topics: ReadonlyMap<string, sns.ITopic>;
  /**
   * The shared state the agent may use.
   * @default none
   */
  readonly state?: AgentStateStack;
}

/**
 * CloudFormation resources an agent adds to its stack. The construct checks the
 * count after it builds, so sharding never works from a stale figure.
 */
export function agentResourceCount(plan: FleetPlan, agent: AgentPlan): number {
  const from = new Set(plan.subscriptions.filter((s) => s.subscriber === agent.name).map((s) => s.publisher));
  const publishers = from.size;
  // publishers of the other queue type: an events dead-letter queue of their type, its policy and its alarm
  const eventsDeadLetters = [...from].some((p) => plan.agent(p).queue.fifo !== agent.queue.fifo) ? 3 : 0;
  // queue, DLQ and their policies; log group; task definition, task and execution roles and their policies; security group; service; three alarms
  const base = 15;
  const t = agent.triggers;
  const scaling = t.queue ? 2 + (t.cpuTargetPercent !== undefined ? 1 : 0) + (t.scaleToZero ? 2 : 0) : 0;
  // a sync route: the NLB listener, its target group, and ingress from the NLB
  const sync = agent.route?.invoke === "sync" ? 3 : 0;
  return base + publishers + eventsDeadLetters + scaling + sync;
}

/**
 * One agent on ECS through CDK: its SQS queue (SSE-KMS, SSL-only, the spec's
 * visibility timeout) with a dead-letter queue after `maxReceiveCount`, filtered
 * subscriptions to the topics it listens to, a hardened task (non-root, read-only
 * root with a /tmp volume, capabilities dropped, secrets from Secrets Manager, logs
 * to a KMS-encrypted group with retention, a health check), separate least-privilege
 * task and execution roles, a private service with the deployment circuit breaker,
 * target tracking on backlog per task, and the seed's alarms to the alarm topic.
 */
export class AgentService extends Construct {
  readonly agent: AgentPlan;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** Dead letters from publishers of the other queue type (FIFO topics need FIFO dead-letter queues, standard topics standard ones). */
  eventsDeadLetterQueue?: sqs.Queue;
  readonly service: ecs.BaseService;
  readonly taskDefinition: ecs.TaskDefinition;
  private readonly platform: AgentPlatformStack;

  constructor(scope: Construct, id: string, props: AgentServiceProps) {
    super(scope, id);
    const { platform, agent } = props;
    const plan = platform.plan;
    this.agent = agent;
    this.platform = platform;
    tagAll(this, agent.tags);
    const region = Stack.of(this).region;
    const topic = props.topics.get(agent.name);
    if (!topic) throw new Error(`internal: no events topic for agent ${agent.name}`);
    const fifo = agent.queue.fifo ? { fifo: true, contentBasedDeduplication: false } : {};

    this.deadLetterQueue = new sqs.Queue(this, "DeadLetters", { ...fifo, encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: platform.key, enforceSSL: true, retentionPeriod: DLQ_RETENTION });
    this.queue = new sqs.Queue(this, "Queue", {
      ...fifo,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: platform.key,
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(agent.queue.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(agent.queue.retentionDays),
      receiveMessageWaitTime: Duration.seconds(20),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: agent.queue.maxReceiveCount },
    });
    // The queue's role, as on the Pulumi target: shared roles (the gateway's) are granted by these tags.
    Tags.of(this.queue).add(QUEUE_ROLE_TAG, "input");
    Tags.of(this.deadLetterQueue).add(QUEUE_ROLE_TAG, "dead-letter");
    this.subscribe(plan, props.topics);

    const group = new logs.LogGroup(this, "Logs", {
      encryptionKey: platform.key,
      retention: retentionFor(plan.logRetentionDays),
      removalPolicy: plan.fleet.environment === "prod" ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const capacity = agent.gpu ? platform.gpuCapacity.get(agent.gpu.pool) : undefined;
    if (agent.gpu && !capacity) throw new Error(`internal: no GPU capacity for pool ${agent.gpu.pool}`);
    this.taskDefinition = this.task(plan, group, region, topic, capacity?.shape);
    for (const statement of props.state?.agentStatements(agent.name) ?? []) this.taskDefinition.taskRole.addToPrincipalPolicy(statement);

    const securityGroup = new ec2.SecurityGroup(this, "Tasks", { vpc: platform.vpc, description: `${agent.name} tasks: inbound only from the fleet NLB, for a sync route`, allowAllOutbound: true });
    const common = {
      cluster: platform.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: agent.scaling.mode === "fixed" ? agent.scaling.max : agent.scaling.min,
      securityGroups: [securityGroup, platform.agentsSecurityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      enableECSManagedTags: true,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    };
    if (capacity) {
      this.service = new ecs.Ec2Service(this, "Service", { ...common, capacityProviderStrategies: [{ capacityProvider: capacity.providerName, weight: 1 }] });
    } else {
      this.service = new ecs.FargateService(this, "Service", { ...common, assignPublicIp: false, capacityProviderStrategies: fargateStrategy(agent) });
    }
    this.autoscale(platform);
    this.alarms(platform);
    this.syncTarget(platform, securityGroup);

    const expected = agentResourceCount(plan, agent);
    const built = cfnResourceCount(this);
    if (built !== expected) throw new Error(`internal: agent ${agent.name} built ${built} CloudFormation resources, agentResourceCount says ${expected}`);
  }

  /** For a sync route: the agent's listener on the fleet's NLB, a target group of its tasks (HTTP health checks), and ingress from the NLB on its port. */
  private syncTarget(platform: AgentPlatformStack, tasks: ec2.SecurityGroup): void {
    const agent = this.agent;
    if (agent.route?.invoke !== "sync") return;
    const edge = platform.edge;
    const port = edge?.ports.get(agent.name);
    if (!edge || port === undefined) throw new Error(`internal: sync agent ${agent.name} without the platform's NLB`);
    const targets = new elbv2.NetworkTargetGroup(this, "SyncTargets", {
      vpc: platform.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.Protocol.TCP,
      port: agent.port,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: { enabled: true, protocol: elbv2.Protocol.HTTP, path: agent.healthPath, healthyThresholdCount: 3, unhealthyThresholdCount: 3, interval: Duration.seconds(10), timeout: Duration.seconds(5) },
    });
    new elbv2.CfnListener(this, "SyncListener", { loadBalancerArn: edge.loadBalancer.loadBalancerArn, port, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: targets.targetGroupArn }] });
    this.service.attachToNetworkTargetGroup(targets);
    tasks.addIngressRule(edge.securityGroup, ec2.Port.tcp(agent.port), "the fleet's NLB (API Gateway sync route)");
  }

  /** SNS deliveries from the topics the agent listens to, filtered on event type and pipeline, dead-lettered into its DLQ. */
  private subscribe(plan: FleetPlan, topics: ReadonlyMap<string, sns.ITopic>): void {
    const edges = plan.subscriptions.filter((s) => s.subscriber === this.agent.name);
    const publishers = [...new Set(edges.map((e) => e.publisher))];
    const publisherArns = publishers.map((p) => {
      const t = topics.get(p);
      if (!t) throw new Error(`internal: no events topic for publisher ${p}`);
      return t.topicArn;
    });
    if (publisherArns.length === 0) return;
    // SNS dead-letters a FIFO topic's deliveries into a FIFO queue and a standard topic's into a standard one:
    // publishers of the other queue type get a dead-letter queue of their type (as broker.ts on Pulumi).
    const fifo = this.agent.queue.fifo;
    const otherType = publishers.filter((p) => plan.agent(p).queue.fifo !== fifo);
    if (otherType.length > 0) {
      this.eventsDeadLetterQueue = new sqs.Queue(this, "EventDeadLetters", {
        ...(!fifo ? { fifo: true, contentBasedDeduplication: false } : {}),
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.platform.key,
        enforceSSL: true,
        retentionPeriod: DLQ_RETENTION,
        redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.DENY_ALL },
      });
      Tags.of(this.eventsDeadLetterQueue).add(QUEUE_ROLE_TAG, "dead-letter");
    }
    const arnsOf = (from: ReadonlyArray<string>) => from.map((p) => publisherArns[publishers.indexOf(p)]);
    const deliveries: Array<[sqs.Queue, ReadonlyArray<string>]> = [
      [this.queue, publishers],
      [this.deadLetterQueue, publishers.filter((p) => !otherType.includes(p))],
      ...(this.eventsDeadLetterQueue ? [[this.eventsDeadLetterQueue, otherType] as [sqs.Queue, ReadonlyArray<string>]] : []),
    ];
    for (const [q, from] of deliveries) {
      if (from.length === 0) continue;
      q.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: "SubscribedTopicsDeliver",
          principals: [new iam.ServicePrincipal("sns.amazonaws.com")],
          actions: ["sqs:SendMessage"],
          resources: [q.queueArn],
          conditions: { ArnEquals: { "aws:SourceArn": arnsOf(from) } },
        }),
      );
    }
    publishers.forEach((publisher, i) => {
      const filter = filterPolicy(edges.filter((e) => e.publisher === publisher));
      new sns.CfnSubscription(this, `From-${publisher}`, {
        topicArn: publisherArns[i],
        protocol: "sqs",
        endpoint: this.queue.queueArn,
        rawMessageDelivery: true,
        ...(filter ? { filterPolicy: filter, filterPolicyScope: "MessageAttributes" } : {}),
        redrivePolicy: { deadLetterTargetArn: (otherType.includes(publisher) && this.eventsDeadLetterQueue ? this.eventsDeadLetterQueue : this.deadLetterQueue).queueArn },
      });
    });
  }

  private task(plan: FleetPlan, group: logs.ILogGroup, region: string, topic: sns.ITopic, gpuShape?: GpuNodeShape): ecs.TaskDefinition {
    const agent = this.agent;
    // The task's size and the agent container's reservation, as the Pulumi ECS target computes them (no collector sidecar here).
    const shape = taskShape(plan, agent, false, gpuShape ? { shape: gpuShape } : undefined);
    const task =
      shape.launch === "FARGATE"
        ? new ecs.FargateTaskDefinition(this, "Task", { cpu: shape.cpu, memoryLimitMiB: shape.memory, runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX } })
        : new ecs.Ec2TaskDefinition(this, "Task", { networkMode: ecs.NetworkMode.AWS_VPC });
    task.addVolume({ name: "tmp" });
    const linux = new ecs.LinuxParameters(this, "Linux", { initProcessEnabled: true });
    linux.dropCapabilities(ecs.Capability.ALL);
    const secrets = Object.fromEntries(
      Object.entries(agent.secrets).map(([envName, s]) => [envName, ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(this, `Secret-${envName}`, s.ref), s.key)]),
    );
    const env = {
      ...contractEnv(plan, agent),
      ...awsEnv(agent, { region, prefix: this.platform.prefix, queueUrl: this.queue.queueUrl, deadLetterUrl: this.deadLetterQueue.queueUrl, eventsTopicArn: topic.topicArn }),
    };
    const container = task.addContainer("agent", {
      containerName: agent.name,
      image: ecs.ContainerImage.fromRegistry(agent.image),
      user: String(AGENT_UID),
      readonlyRootFilesystem: true,
      privileged: false,
      linuxParameters: linux,
      cpu: shape.agentCpu,
      memoryLimitMiB: shape.agentMemory,
      ...(shape.gpus > 0 ? { gpuCount: shape.gpus } : {}),
      portMappings: [{ containerPort: agent.port, protocol: ecs.Protocol.TCP }],
      environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
      secrets,
      healthCheck: { command: healthCommand(agent), interval: Duration.seconds(30), timeout: Duration.seconds(5), retries: 3, startPeriod: Duration.seconds(60) },
      logging: ecs.LogDrivers.awsLogs({ logGroup: group, streamPrefix: agent.name, mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
    });
    container.addMountPoints({ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false });
    Validations.of(task).acknowledge({
      id: "AwsSolutions::AwsSolutions-ECS2",
      reason: "Plain environment variables carry only the agent contract's non-secret settings (queue URLs, batching, retries); secrets come from Secrets Manager, and MA-SEC-006 rejects secret-like plain values.",
    });
    task.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "ConsumeOwnQueue",
        actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
        resources: [this.queue.queueArn],
      }),
    );
    task.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: "PublishOwnEvents", actions: ["sns:Publish"], resources: [topic.topicArn] }));
    task.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "UseFleetKeyThroughServices",
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: [this.platform.key.keyArn],
        conditions: { StringEquals: { "kms:ViaService": [`sqs.${region}.amazonaws.com`, `sns.${region}.amazonaws.com`] } },
      }),
    );
    return task;
  }

  /** Target tracking on backlog per task, optional CPU tracking, and a wake alarm to leave zero tasks. */
  private autoscale(platform: AgentPlatformStack): void {
    const agent = this.agent;
    const t = agent.triggers;
    if (!t.queue) return;
    const target = new appscaling.ScalableTarget(this, "Scaling", {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${platform.cluster.clusterName}/${this.service.serviceName}`,
      minCapacity: agent.scaling.min,
      maxCapacity: agent.scaling.max,
      // Application Auto Scaling's service-linked role for ECS, as ECS's own autoScaleTaskCount uses: no role to create.
      role: iam.Role.fromRoleArn(this, "ScalingRole", `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`),
    });
    const dims = (metric: cloudwatch.Metric) => metric.dimensions ?? {};
    const visible = this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: "Average" });
    const inflight = this.queue.metricApproximateNumberOfMessagesNotVisible({ period: Duration.minutes(1), statistic: "Average" });
    const running = new cloudwatch.Metric({ namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", dimensionsMap: { ClusterName: platform.cluster.clusterName, ServiceName: this.service.serviceName }, period: Duration.minutes(1), statistic: "Average" });
    const series = [
      { id: "visible", m: visible },
      { id: "inflight", m: inflight },
      { id: "running", m: running },
    ];
    new appscaling.CfnScalingPolicy(this, "Backlog", {
      policyName: `${agent.name}-backlog-per-task`,
      policyType: "TargetTrackingScaling",
      scalingTargetId: target.scalableTargetId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: t.backlogPerReplica,
        scaleOutCooldown: 60,
        scaleInCooldown: t.cooldownSeconds,
        customizedMetricSpecification: {
          metrics: [
            ...series.map(({ id, m }) => ({
              id,
              returnData: false,
              metricStat: { metric: { namespace: m.namespace, metricName: m.metricName, dimensions: Object.entries(dims(m)).map(([name, value]) => ({ name, value: String(value) })) }, stat: "Average" },
            })),
            { id: "backlog", expression: BACKLOG_PER_TASK_EXPRESSION, label: "Backlog per task", returnData: true },
          ],
        },
      },
    });
    if (t.cpuTargetPercent !== undefined) {
      target.scaleToTrackMetric("Cpu", { targetValue: t.cpuTargetPercent, predefinedMetric: appscaling.PredefinedMetric.ECS_SERVICE_AVERAGE_CPU_UTILIZATION, scaleOutCooldown: Duration.seconds(60), scaleInCooldown: Duration.seconds(t.cooldownSeconds) });
    }
    if (t.scaleToZero) {
      const wake = new appscaling.CfnScalingPolicy(this, "Wake", {
        policyName: `${agent.name}-wake-from-zero`,
        policyType: "StepScaling",
        scalingTargetId: target.scalableTargetId,
        stepScalingPolicyConfiguration: { adjustmentType: "ExactCapacity", cooldown: 60, metricAggregationType: "Maximum", stepAdjustments: [{ metricIntervalLowerBound: 0, scalingAdjustment: 1 }] },
      });
      new cloudwatch.Alarm(this, "WakeAlarm", {
        alarmDescription: `Starts one ${agent.name} task when messages wait and none runs`,
        metric: new cloudwatch.MathExpression({ expression: WAKE_EXPRESSION, usingMetrics: Object.fromEntries(series.map(({ id, m }) => [id, m.with({ statistic: "Maximum" })])), label: "Messages waiting with no task", period: Duration.minutes(1) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction({ bind: () => ({ alarmActionArn: wake.ref }) });
    }
  }

  /** The seed's thresholds: a message in the dead-letter queue, a queue over its limit, memory over 90%. */
  private alarms(platform: AgentPlatformStack): void {
    const a = this.agent.alarms;
    const notify = new actions.SnsAction(platform.alarmTopic);
    const alarm = (id: string, description: string, metric: cloudwatch.IMetric, threshold: number) =>
      new cloudwatch.Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(notify);
    alarm("DeadLetterAlarm", `${this.agent.name}: a message reached the dead-letter queue`, this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: "Maximum" }), a.dlqDepth);
    if (this.eventsDeadLetterQueue) alarm("EventDeadLetterAlarm", `${this.agent.name}: an event could not be delivered to the agent's queue`, this.eventsDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: "Maximum" }), a.dlqDepth);
    alarm("QueueAlarm", `${this.agent.name}: more than ${a.queueDepth} messages wait`, this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: "Maximum" }), a.queueDepth);
    alarm("MemoryAlarm", `${this.agent.name}: memory over ${a.memoryPercent}%`, this.service.metricMemoryUtilization({ period: Duration.minutes(5), statistic: "Average" }), a.memoryPercent);
  }
}
