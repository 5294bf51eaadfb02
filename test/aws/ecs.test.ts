import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import type { ResourceGraph } from "../../lib/offline/engine";
import { BACKLOG_PER_TASK_EXPRESSION, WAKE_EXPRESSION } from "../../lib/targets/aws/metric-math";
import { ECS_GPU_AMI_PARAMETER } from "../../lib/targets/aws-ecs/gpu-instance";
import { ADOT_IMAGE } from "../../lib/targets/aws-ecs/task";
import { agent, awsFleet, json, JWT, list, planAws, type Statement } from "../helpers/aws";
import { at, one, ofType } from "../helpers/offline";

/** A fleet that touches every ECS construct: a FIFO API-key route with a secret, a sync JWT route, a legacy route with an active-passive agent, a time-sliced GPU agent. */
const fleet = awsFleet(
  "ecs",
  [
    agent("intake", { route: { path: "/in", auth: "apiKey" }, queue: { fifo: true }, secrets: { TOKEN: { ref: "intake-token" } } }),
    agent("sync", { route: { path: "/sync/{id}", invoke: "sync", auth: "jwt", schema: { type: "object", required: ["q"] } }, scaling: { mode: "horizontal", min: 1, max: 4, cpuTargetPercent: 60, scaleInProtection: true } }),
    agent("old", { route: { path: "/old", weight: 0 }, scaling: { mode: "fixed", replicas: 2, activePassive: true } }),
    agent("vision", { resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.25, memoryGi: 4 } }, criticality: "batch" }),
  ],
  { gateway: { jwt: JWT, legacyBackend: { url: "https://monolith.acme.example" } }, pipelines: [{ name: "p", steps: ["intake", "old"] }], observability: { alertEmails: ["oncall@acme.example"] } },
);
const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const T = {
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  task: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  target: "aws:appautoscaling/target:Target",
  policy: "aws:appautoscaling/policy:Policy",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};
const statements = (g: ResourceGraph, type: string, name: string, field = "policy") => (json(one(g, type, name).inputs[field]) as { Statement: Statement[] }).Statement;
const sid = (s: Statement[], id: string) => {
  const found = s.find((x) => x.Sid === id);
  assert.ok(found, `statement ${id} in ${s.map((x) => x.Sid).join(", ")}`);
  return found;
};
const containers = (g: ResourceGraph, name: string) => json(one(g, T.task, name).inputs.containerDefinitions) as Array<Record<string, unknown>>;

describe("ECS target", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await planAws(fleet);
  });

  describe("AgentPlatform", () => {
    it("pins a provider to the target's region", () => {
      const providers = ofType(g, "pulumi:providers:aws");
      assert.deepEqual(providers.map((p) => p.inputs.region), [REGION]);
    });
    it("builds a VPC across two zones with one NAT gateway in the small tier, flow logs, and a rule-less default security group", () => {
      assert.equal(one(g, "aws:ec2/vpc:Vpc", "acme").inputs.cidrBlock, "10.0.0.0/16");
      const subnets = ofType(g, "aws:ec2/subnet:Subnet");
      assert.deepEqual(subnets.map((s) => [s.name, s.inputs.cidrBlock, s.inputs.availabilityZone, s.inputs.mapPublicIpOnLaunch]).sort(), [
        ["acme-private-0", "10.0.0.0/20", "eu-west-1a", false],
        ["acme-private-1", "10.0.16.0/20", "eu-west-1b", false],
        ["acme-public-0", "10.0.240.0/24", "eu-west-1a", false],
        ["acme-public-1", "10.0.241.0/24", "eu-west-1b", false],
      ]);
      assert.equal(ofType(g, "aws:ec2/natGateway:NatGateway").length, 1);
      const natIds = ["acme-private-0", "acme-private-1"].map((rt) => at(one(g, "aws:ec2/routeTable:RouteTable", rt), "routes", 0, "natGatewayId"));
      assert.match(String(natIds[0]), /^nat-/);
      assert.equal(natIds[0], natIds[1], "both private subnets route through the one NAT gateway");
      assert.deepEqual(at(one(g, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "acme-default"), "ingress"), []);
      const flow = one(g, "aws:ec2/flowLog:FlowLog", "acme");
      assert.equal(flow.inputs.trafficType, "ALL");
      assert.equal(flow.inputs.logDestinationType, "cloud-watch-logs");
      assert.deepEqual(ofType(g, "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => e.inputs.serviceName).sort(), ["com.amazonaws.eu-west-1.dynamodb", "com.amazonaws.eu-west-1.execute-api", "com.amazonaws.eu-west-1.s3"]);
    });
    it("creates the fleet key with yearly rotation and a key policy that names each service and the account", () => {
      const key = one(g, "aws:kms/key:Key", "acme-key");
      assert.equal(key.inputs.enableKeyRotation, true);
      assert.equal(key.inputs.rotationPeriodInDays, 365);
      assert.equal(key.inputs.deletionWindowInDays, 30);
      const s = statements(g, "aws:kms/key:Key", "acme-key");
      assert.deepEqual(s.map((x) => x.Sid), ["AccountAdministersKeyThroughIam", "CloudWatchLogsEncryptsFleetLogGroups", "SnsDeliversToEncryptedQueues", "CloudWatchAlarmsPublishToAlarmTopic", "BudgetsPublishToAlarmTopic"]);
      assert.deepEqual(sid(s, "AccountAdministersKeyThroughIam").Principal, { AWS: `arn:aws:iam::${ACCOUNT}:root` });
      assert.ok(list(sid(s, "AccountAdministersKeyThroughIam").Action).includes("kms:PutKeyPolicy"), "the account can always fix the key policy");
      assert.deepEqual(sid(s, "SnsDeliversToEncryptedQueues").Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
      assert.equal(one(g, "aws:kms/alias:Alias", "acme-key").inputs.name, "alias/microagents/acme-prod");
    });
    it("makes the Fargate cluster with Container Insights, Fargate and Fargate Spot, and a Cloud Map namespace", () => {
      assert.deepEqual(one(g, "aws:ecs/cluster:Cluster", "acme").inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
      assert.deepEqual(one(g, "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "acme").inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
      assert.equal(one(g, "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "acme").inputs.name, "acme-prod.microagents.internal");
    });
    it("sends alarms and budgets to one encrypted SNS topic the alert emails subscribe to", () => {
      const topic = one(g, "aws:sns/topic:Topic", "acme-alarms");
      assert.equal(topic.inputs.name, "acme-prod-alarms");
      assert.equal(one(g, "aws:sns/topicSubscription:TopicSubscription", "acme-alarms-0").inputs.endpoint, "oncall@acme.example");
      const publish = sid(statements(g, "aws:sns/topicPolicy:TopicPolicy", "acme-alarms"), "AlarmsAndBudgetsPublish");
      assert.deepEqual(publish.Principal, { Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] });
    });
    it("creates the AWS budget at the tier's amount, alerting at 80% and 100% actual and 100% forecast", () => {
      const budget = one(g, "aws:budgets/budget:Budget", "acme-budget");
      assert.equal(budget.inputs.limitAmount, "1000.00");
      assert.equal(budget.inputs.timeUnit, "MONTHLY");
      assert.deepEqual((budget.inputs.notifications as Array<Record<string, unknown>>).map((n) => [n.notificationType, n.threshold, n.thresholdType]), [
        ["ACTUAL", 80, "PERCENTAGE"],
        ["ACTUAL", 100, "PERCENTAGE"],
        ["FORECASTED", 100, "PERCENTAGE"],
      ]);
      assert.deepEqual(budget.inputs.filterExpression, { ands: [{ tags: { key: "fleet", values: ["acme"] } }, { tags: { key: "environment", values: ["prod"] } }] });
    });
  });

  describe("AgentBroker", () => {
    it("gives each agent an encrypted queue with the spec's visibility timeout, retention and receive count, FIFO where asked", () => {
      const q = one(g, T.queue, "acme-intake-queue");
      const keyArn = ofType(g, "aws:kms/key:Key")[0].outputs.arn;
      assert.deepEqual(
        { ...q.inputs, redrivePolicy: json(q.inputs.redrivePolicy) },
        {
          name: "acme-prod-intake.fifo",
          visibilityTimeoutSeconds: 300,
          messageRetentionSeconds: 4 * 86400,
          receiveWaitTimeSeconds: 20,
          redrivePolicy: { deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:acme-prod-intake-dlq.fifo`, maxReceiveCount: 4 },
          kmsMasterKeyId: keyArn,
          kmsDataKeyReusePeriodSeconds: 300,
          fifoQueue: true,
          contentBasedDeduplication: true,
          deduplicationScope: "messageGroup",
          fifoThroughputLimit: "perMessageGroupId",
          tags: { fleet: "acme", agent: "intake", tier: "small", environment: "prod", team: "platform", "managed-by": "microagents", "microagents.io/queue-role": "input" },
        },
      );
      assert.equal(one(g, "aws:sns/topic:Topic", "acme-intake-events").inputs.fifoTopic, true);
      assert.equal(one(g, T.queue, "acme-old-queue").inputs.fifoQueue, undefined);
    });
    it("lets only subscribed topics deliver, over TLS only, and filters and dead-letters each subscription", () => {
      const topicArn = String(one(g, "aws:sns/topic:Topic", "acme-intake-events").outputs.arn);
      const s = statements(g, T.queuePolicy, "acme-old-queue");
      assert.deepEqual(sid(s, "SubscribedTopicsDeliver").Condition, { ArnEquals: { "aws:SourceArn": [topicArn] } });
      assert.equal(sid(s, "DenyInsecureTransport").Effect, "Deny");
      assert.deepEqual(statements(g, T.queuePolicy, "acme-intake-queue").map((x) => x.Sid), ["DenyInsecureTransport"], "nobody publishes to intake");
      const sub = one(g, T.subscription, "acme-old-from-intake");
      assert.deepEqual(
        { ...sub.inputs, redrivePolicy: json(sub.inputs.redrivePolicy) },
        {
          topic: topicArn,
          protocol: "sqs",
          endpoint: one(g, T.queue, "acme-old-queue").outputs.arn,
          rawMessageDelivery: true,
          filterPolicy: JSON.stringify({ pipeline: ["p"] }),
          filterPolicyScope: "MessageAttributes",
          // A FIFO topic's subscription dead-letters into a FIFO queue (SNS's rule): old's queue is standard, so events from intake get their own.
          redrivePolicy: { deadLetterTargetArn: one(g, T.queue, "acme-old-events-dlq").outputs.arn },
        },
      );
      assert.equal(one(g, T.queue, "acme-old-events-dlq").inputs.name, "acme-prod-old-events-dlq.fifo");
      assert.deepEqual(sid(statements(g, T.queuePolicy, "acme-old-events-dlq"), "SubscribedTopicsDeliver").Condition, { ArnEquals: { "aws:SourceArn": [topicArn] } });
      assert.deepEqual(statements(g, T.queuePolicy, "acme-old-dlq").map((x) => x.Sid), ["DenyInsecureTransport"], "the standard DLQ takes no FIFO topic's dead letters");
    });
  });

  describe("MicroAgentService", () => {
    it("runs the agent non-root on a read-only root filesystem, capabilities dropped, secrets only from Secrets Manager", () => {
      const [c] = containers(g, "acme-intake");
      assert.equal(c.user, "65532:65532");
      assert.equal(c.readonlyRootFilesystem, true);
      assert.equal(c.privileged, false);
      assert.deepEqual(c.linuxParameters, { initProcessEnabled: true, capabilities: { drop: ["ALL"], add: [] } });
      assert.deepEqual(c.secrets, [{ name: "TOKEN", valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:intake-token-AbCdEf:TOKEN::` }]);
      const env = c.environment as Array<{ name: string; value: string }>;
      assert.ok(!env.some((e) => e.name === "TOKEN"), "the secret is not in the plain environment");
      assert.equal(env.find((e) => e.name === "MICROAGENTS_QUEUE_URL")?.value, `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/acme-prod-intake.fifo`);
      assert.deepEqual(c.mountPoints, [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
      assert.deepEqual(c.logConfiguration, { logDriver: "awslogs", options: { "awslogs-group": "/microagents/acme-prod/intake", "awslogs-region": REGION, "awslogs-stream-prefix": "intake", mode: "non-blocking", "max-buffer-size": "25m" } });
      assert.deepEqual(c.healthCheck, { command: ["CMD-SHELL", "curl -fsS -o /dev/null http://127.0.0.1:8080/healthz || exit 1"], interval: 30, timeout: 5, retries: 3, startPeriod: 60 });
      const td = one(g, T.task, "acme-intake");
      assert.deepEqual([td.inputs.requiresCompatibilities, td.inputs.cpu, td.inputs.memory, td.inputs.networkMode], [["FARGATE"], "512", "1024", "awsvpc"]);
      assert.equal(containers(g, "acme-intake").length, 1, "no collector sidecar in the small tier");
    });
    it("separates the execution role (logs, secrets) from the task role (queue, topic, state)", () => {
      const execution = statements(g, T.rolePolicy, "acme-intake-execution");
      assert.deepEqual(execution.map((s) => s.Sid), ["WriteOwnLogs", "ReadOwnSecrets"]);
      assert.deepEqual(sid(execution, "ReadOwnSecrets").Resource, [`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:intake-token-AbCdEf`]);
      const task = statements(g, T.rolePolicy, "acme-intake-task");
      assert.deepEqual(task.map((s) => s.Sid), ["ConsumeOwnQueue", "PublishOwnEvents", "UseFleetKeyThroughServices", "ReadStateEndpoints"]);
      assert.equal(sid(task, "ConsumeOwnQueue").Resource, one(g, T.queue, "acme-intake-queue").outputs.arn);
      assert.equal(sid(task, "ReadStateEndpoints").Resource, `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/microagents/acme-prod/state`);
      const trust = statements(g, T.role, "acme-intake-task", "assumeRolePolicy");
      assert.deepEqual(trust[0].Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": `arn:aws:ecs:${REGION}:${ACCOUNT}:*` } });
      assert.deepEqual(sid(statements(g, T.rolePolicy, "acme-old-task"), "HoldOwnLeaderLease").Condition, { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["old"] } });
      assert.ok(sid(statements(g, T.rolePolicy, "acme-sync-task"), "ProtectOwnTasksFromScaleIn"));
    });
    it("opens an agent's security group only to the gateway's NLB, and only for sync routes", () => {
      const edgeSg = at(one(g, "aws:lb/loadBalancer:LoadBalancer", "acme-edge"), "securityGroups", 0);
      assert.match(String(edgeSg), /^sg-/);
      assert.deepEqual(one(g, T.sg, "acme-sync").inputs.ingress, [{ description: "gateway NLB", protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: [edgeSg] }]);
      assert.deepEqual(one(g, T.sg, "acme-edge").inputs.ingress, [{ description: "API Gateway VPC link", protocol: "tcp", fromPort: 10001, toPort: 10001, cidrBlocks: ["10.0.0.0/16"] }]);
      assert.deepEqual(one(g, T.sg, "acme-intake").inputs.ingress, []);
    });
    it("runs services in private subnets without public IPs, with the circuit breaker and rollback", () => {
      const s = one(g, T.service, "acme-intake");
      assert.equal(at(s, "networkConfiguration", "assignPublicIp"), false);
      assert.equal((at(s, "networkConfiguration", "subnets") as string[]).length, 2);
      assert.deepEqual(s.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
      assert.equal(s.inputs.enableExecuteCommand, false);
      const sync = one(g, T.service, "acme-sync");
      assert.deepEqual(sync.inputs.capacityProviderStrategies, [{ capacityProvider: "FARGATE", weight: 1, base: 0 }], "sync routes stay off spot");
      assert.deepEqual(sync.inputs.loadBalancers, [{ targetGroupArn: one(g, "aws:lb/targetGroup:TargetGroup", "acme-sync-sync").outputs.arn, containerName: "agent", containerPort: 8080 }]);
      assert.deepEqual([one(g, "aws:lb/listener:Listener", "acme-sync-sync").inputs.port, one(g, "aws:lb/targetGroup:TargetGroup", "acme-sync-sync").inputs.targetType], [10001, "ip"]);
      assert.equal(one(g, T.service, "acme-old").inputs.desiredCount, 2);
    });
    it("scales on backlog per task with metric math, on CPU when asked, and wakes from zero where the plan idles the agent", () => {
      const target = one(g, T.target, "acme-sync");
      assert.deepEqual([target.inputs.minCapacity, target.inputs.maxCapacity, target.inputs.resourceId, target.inputs.scalableDimension], [1, 4, "service/acme-prod/sync", "ecs:service:DesiredCount"]);
      const backlog = at(one(g, T.policy, "acme-sync-backlog"), "targetTrackingScalingPolicyConfiguration") as Record<string, unknown>;
      assert.equal(backlog.targetValue, 10);
      assert.equal(backlog.scaleInCooldown, 300);
      const metrics = at({ inputs: backlog }, "customizedMetricSpecification", "metrics") as Array<Record<string, unknown>>;
      assert.deepEqual(metrics.map((m) => [m.id, at({ inputs: m }, "metricStat", "metric", "metricName") ?? m.expression, m.returnData]), [
        ["visible", "ApproximateNumberOfMessagesVisible", false],
        ["inflight", "ApproximateNumberOfMessagesNotVisible", false],
        ["running", "RunningTaskCount", false],
        ["backlog", BACKLOG_PER_TASK_EXPRESSION, true],
      ]);
      assert.equal(at(one(g, T.policy, "acme-sync-cpu"), "targetTrackingScalingPolicyConfiguration", "targetValue"), 60);
      assert.equal(ofType(g, T.policy).filter((p) => p.name === "acme-sync-wake").length, 0, "min 1: no wake-up");
      assert.equal(ofType(g, T.target).filter((t) => t.name === "acme-old").length, 0, "fixed agents do not autoscale");
      const wake = one(g, T.alarm, "acme-vision-wake");
      assert.deepEqual((wake.inputs.metricQueries as Array<Record<string, unknown>>).map((q) => q.expression ?? q.id), ["visible", "inflight", "running", WAKE_EXPRESSION]);
      assert.deepEqual(wake.inputs.alarmActions, [one(g, T.policy, "acme-vision-wake").outputs.arn]);
      assert.equal(at(one(g, T.policy, "acme-vision-wake"), "stepScalingPolicyConfiguration", "adjustmentType"), "ExactCapacity");
    });
  });

  describe("GpuAgentPool", () => {
    it("runs GPU agents on their pool's EC2 capacity provider, in the pool's own cluster", () => {
      const s = one(g, T.service, "acme-vision");
      const cp = one(g, "aws:ecs/capacityProvider:CapacityProvider", "acme-t4-shared");
      assert.deepEqual(s.inputs.capacityProviderStrategies, [{ capacityProvider: cp.inputs.name, weight: 1, base: 0 }]);
      assert.equal(s.inputs.cluster, one(g, "aws:ecs/cluster:Cluster", "acme-t4-shared").outputs.arn);
      const td = one(g, T.task, "acme-vision");
      assert.deepEqual(td.inputs.requiresCompatibilities, ["EC2"]);
      const env = containers(g, "acme-vision")[0].environment as Array<{ name: string; value: string }>;
      assert.equal(env.find((e) => e.name === "NVIDIA_VISIBLE_DEVICES")?.value, "all");
      assert.equal(containers(g, "acme-vision")[0].resourceRequirements, undefined, "a quarter GPU is time-sliced, not reserved");
      assert.deepEqual(containers(g, "acme-vision")[0].dockerSecurityOptions, ["no-new-privileges"]);
    });
    it("launches the pool's instance type on the ECS GPU AMI, IMDSv2 with hop limit 1, no public IP, spot per the plan", () => {
      const lt = one(g, "aws:ec2/launchTemplate:LaunchTemplate", "acme-t4-shared");
      assert.equal(lt.inputs.imageId, "ami-0ecsgpu2023offline0");
      assert.equal(lt.inputs.instanceType, "g4dn.xlarge");
      assert.deepEqual(lt.inputs.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
      assert.equal(at(lt, "networkInterfaces", 0, "associatePublicIpAddress"), "false");
      assert.equal(at(lt, "blockDeviceMappings", 0, "ebs", "encrypted"), "true");
      const userData = Buffer.from(String(lt.inputs.userData), "base64").toString("utf8");
      assert.ok(userData.includes("ECS_CLUSTER=acme-prod-t4-shared"));
      const asg = one(g, "aws:autoscaling/group:Group", "acme-t4-shared");
      assert.deepEqual([asg.inputs.minSize, asg.inputs.maxSize, asg.inputs.protectFromScaleIn], [0, 1, true]);
      assert.deepEqual(at(asg, "mixedInstancesPolicy", "instancesDistribution"), { onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 0, spotAllocationStrategy: "price-capacity-optimized" });
      const cp = one(g, "aws:ecs/capacityProvider:CapacityProvider", "acme-t4-shared");
      assert.deepEqual(at(cp, "autoScalingGroupProvider", "managedScaling"), { status: "ENABLED", targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 1, instanceWarmupPeriod: 300 });
      assert.equal(at(cp, "autoScalingGroupProvider", "managedTerminationProtection"), "ENABLED");
      assert.deepEqual(one(g, T.sg, "acme-t4-shared-instances").inputs.ingress, []);
      const instance = statements(g, T.rolePolicy, "acme-t4-shared-instance");
      assert.deepEqual(sid(instance, "EcsAgentInPoolCluster").Resource, [one(g, "aws:ecs/cluster:Cluster", "acme-t4-shared").outputs.arn, `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/acme-prod-t4-shared/*`]);
    });
    it("looks the AMI up through the one SSM parameter the offline engine answers", () => {
      assert.equal(ECS_GPU_AMI_PARAMETER, "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id");
    });
  });
});

describe("ECS in the medium tier", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await planAws(awsFleet("ecs", [agent("w", { resources: { cpu: 1, memory: "2Gi" } })], { tier: "medium", targets: [{ runtime: "ecs", region: "us-east-1", role: "primary" }, { runtime: "ecs", region: "us-west-2", role: "backup" }] }));
  });
  it("spreads each region over three zones with a NAT gateway per zone, in its own VPC range", () => {
    assert.deepEqual(ofType(g, "pulumi:providers:aws").map((p) => p.inputs.region).sort(), ["us-east-1", "us-west-2"]);
    assert.equal(ofType(g, "aws:ec2/natGateway:NatGateway").length, 6);
    assert.deepEqual(ofType(g, "aws:ec2/vpc:Vpc").map((v) => v.inputs.cidrBlock).sort(), ["10.0.0.0/16", "10.1.0.0/16"]);
    assert.equal(ofType(g, "aws:budgets/budget:Budget").length, 1, "one budget per fleet, on its first AWS target");
    const roles = ofType(g, T.role).map((r) => String(r.inputs.name));
    assert.equal(new Set(roles).size, roles.length, "IAM role names are global: each region's carry the region");
  });
  it("turns on enhanced Container Insights and traces through an ADOT sidecar to X-Ray", () => {
    assert.deepEqual(one(g, "aws:ecs/cluster:Cluster", "acme-ecs-us-east-1").inputs.settings, [{ name: "containerInsights", value: "enhanced" }]);
    const [agentContainer, collector] = containers(g, "acme-ecs-us-east-1-w");
    assert.deepEqual([collector.name, collector.image, collector.command, collector.essential], ["otel-collector", ADOT_IMAGE, ["--config=/etc/ecs/ecs-xray.yaml"], false]);
    assert.match(String(collector.image), /:v0\.48\.0@sha256:[0-9a-f]{64}$/);
    assert.deepEqual(collector.healthCheck, { command: ["/healthcheck"], interval: 10, timeout: 5, retries: 5, startPeriod: 10 });
    assert.deepEqual(agentContainer.dependsOn, [{ containerName: "otel-collector", condition: "START" }]);
    assert.equal((agentContainer.environment as Array<{ name: string; value: string }>).find((e) => e.name === "OTEL_EXPORTER_OTLP_ENDPOINT")?.value, "http://localhost:4317");
    assert.ok(sid(statements(g, T.rolePolicy, "acme-ecs-us-east-1-w-task"), "WriteTraces"));
    const td = one(g, T.task, "acme-ecs-us-east-1-w");
    assert.deepEqual([td.inputs.cpu, td.inputs.memory], ["2048", "4096"], "the sidecar's share rounds the task up a Fargate size");
  });
});
