import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { App, Validations, type Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks } from "cdk-nag";
import { customerServiceFleet, emailFleet, researchFleet } from "../../agents";
import { largeFleet } from "../../bench/fleets";
import { AgentFleetStacks, CFN_STACK_OUTPUT_LIMIT, CFN_STACK_RESOURCE_LIMIT } from "../../lib/cdk";
import { isConfigError } from "../../lib/spec/errors";
import { ECS_GPU_AMI_PARAMETER } from "../../lib/targets/aws-ecs/gpu-instance";
import { BACKLOG_PER_TASK_EXPRESSION } from "../../lib/targets/aws/metric-math";
import { MicroAgentsChecks } from "../../policies/cdk/microagents-checks";
import { minimalAgent, minimalFleet } from "../helpers/fleets";

const ecs = [{ runtime: "ecs" as const, region: "us-east-1" }];
const app = () => new App({ outdir: mkdtempSync(join(tmpdir(), "cdk-")) });
/** The email fleet with its intake route made sync, and a legacy monolith behind the gateway. */
function emailWithSyncAndLegacy(environment: "dev" | "prod") {
  const input = emailFleet({ tier: "small", environment, targets: ecs });
  const agents = input.spec.agents.map((x) => (x.name === "email-intake" && x.route ? { ...x, route: { ...x.route, invoke: "sync" as const } } : x));
  return { ...input, spec: { ...input.spec, agents, gateway: { ...input.spec.gateway, legacyBackend: { url: "https://monolith.acme.example" } } } };
}
const resourceCount = (stack: Stack) => Object.keys(Template.fromStack(stack).toJSON().Resources ?? {}).length;

describe("AgentFleetStacks (CDK, ECS)", () => {
  const a = app();
  const fleet = new AgentFleetStacks(a, "email", { fleet: emailFleet({ tier: "small", environment: "dev", targets: ecs }) });
  const platform = Template.fromStack(fleet.platform);
  const agents = Template.fromStack(fleet.agentStacks[0]);
  const intake = fleet.plan.agent("email-intake");

  it("splits the fleet into a platform stack, event topics and agent stacks in the target's region", () => {
    assert.deepEqual(
      [fleet.platform, ...fleet.eventStacks, fleet.state, ...fleet.agentStacks].map((s) => [s?.stackName, s?.region]),
      [
        ["acme-email-dev-platform", "us-east-1"],
        ["acme-email-dev-events-1", "us-east-1"],
        ["acme-email-dev-state", "us-east-1"],
        ["acme-email-dev-agents-1", "us-east-1"],
      ],
    );
  });

  it("keeps the shared state protected: tables with PITR, the fleet key and deletion protection; cache and database encrypted, IAM-authenticated, private", () => {
    assert.ok(fleet.state, "no state stack");
    const state = Template.fromStack(fleet.state);
    state.resourcePropertiesCountIs(
      "AWS::DynamoDB::Table",
      { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, SSESpecification: { SSEEnabled: true, SSEType: "KMS" }, DeletionProtectionEnabled: true, TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true } },
      2,
    );
    state.hasResourceProperties("AWS::DynamoDB::Table", { GlobalSecondaryIndexes: [Match.objectLike({ IndexName: "status-priority", KeySchema: [{ AttributeName: "status", KeyType: "HASH" }, { AttributeName: "priority", KeyType: "RANGE" }] })] });
    state.hasResourceProperties("AWS::ElastiCache::ServerlessCache", { Engine: "valkey", KmsKeyId: Match.anyValue(), SnapshotRetentionLimit: 1 });
    state.resourcePropertiesCountIs("AWS::ElastiCache::User", { AuthenticationMode: { Type: "iam" } }, fleet.plan.agents.length);
    for (const a of fleet.plan.agents) {
      state.hasResourceProperties("AWS::ElastiCache::User", { AuthenticationMode: { Type: "iam" }, AccessString: `on ~${a.name}:* &${a.name}:* -@all +@read +@write +@connection -@dangerous -scan -randomkey` });
    }
    state.hasResourceProperties("AWS::RDS::DBInstance", { StorageEncrypted: true, DeletionProtection: true, EnableIAMDatabaseAuthentication: true, PubliclyAccessible: false, ManageMasterUserPassword: true, BackupRetentionPeriod: 7 });
    state.resourceCountIs("AWS::RDS::DBProxy", 0);
    for (const rule of Object.values(state.findResources("AWS::EC2::SecurityGroupIngress"))) {
      assert.ok(rule.Properties.SourceSecurityGroupId, "a store admits something other than a security group");
      assert.equal(rule.Properties.CidrIp, undefined);
    }
    const policies = Object.values(agents.findResources("AWS::IAM::Policy")).map((p) => JSON.stringify(p.Properties.PolicyDocument));
    assert.equal(policies.filter((p) => p.includes("UseSharedTables") && p.includes("ConnectToResultsCache") && p.includes("ConnectToSharedDatabase")).length, 4);
  });

  it("encrypts every queue with the fleet key, dead-letters after maxReceiveCount and keeps the spec's visibility timeout", () => {
    agents.resourcePropertiesCountIs("AWS::SQS::Queue", { KmsMasterKeyId: Match.anyValue() }, 8);
    agents.hasResourceProperties("AWS::SQS::Queue", {
      VisibilityTimeout: intake.queue.visibilityTimeoutSeconds,
      RedrivePolicy: { maxReceiveCount: intake.queue.maxReceiveCount, deadLetterTargetArn: Match.anyValue() },
      KmsMasterKeyId: { "Fn::ImportValue": Match.stringLikeRegexp("Key") },
    });
    agents.resourcePropertiesCountIs(
      "AWS::SQS::QueuePolicy",
      { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } })]) } },
      8,
    );
  });

  it("subscribes each agent to the topics its pipeline feeds it from, filtered and dead-lettered", () => {
    const subscriptions = agents.findResources("AWS::SNS::Subscription");
    const edges = new Set(fleet.plan.subscriptions.map((s) => `${s.publisher}->${s.subscriber}`));
    assert.equal(Object.keys(subscriptions).length, edges.size);
    for (const s of Object.values(subscriptions)) {
      assert.equal(s.Properties.Protocol, "sqs");
      assert.equal(s.Properties.RawMessageDelivery, true);
      assert.ok(s.Properties.RedrivePolicy.deadLetterTargetArn, "subscription without a dead-letter target");
    }
  });

  it("runs agents as non-root on a read-only root filesystem with every capability dropped and a health check", () => {
    const tasks = Object.values(agents.findResources("AWS::ECS::TaskDefinition"));
    assert.equal(tasks.length, 4);
    for (const t of tasks) {
      const [c] = t.Properties.ContainerDefinitions;
      assert.equal(c.User, "65532");
      assert.equal(c.ReadonlyRootFilesystem, true);
      assert.equal(c.Privileged, false);
      assert.deepEqual(c.LinuxParameters.Capabilities.Drop, ["ALL"]);
      assert.deepEqual(c.MountPoints, [{ ContainerPath: "/tmp", ReadOnly: false, SourceVolume: "tmp" }]);
      const env = new Map<string, unknown>(c.Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
      assert.equal(env.get("MICROAGENTS_RESULTS_CACHE_PREFIX"), `${env.get("MICROAGENTS_AGENT")}:`, "the agent's own results-cache key prefix");
      assert.match(c.HealthCheck.Command[1], /curl -fsS/);
      assert.equal(c.LogConfiguration.LogDriver, "awslogs");
      assert.notEqual(t.Properties.TaskRoleArn["Fn::GetAtt"][0], t.Properties.ExecutionRoleArn["Fn::GetAtt"][0], "task role equals execution role");
    }
  });

  it("keeps services private with the deployment circuit breaker, and GPU agents on the pool's capacity provider", () => {
    agents.resourcePropertiesCountIs("AWS::ECS::Service", { DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true } } }, 4);
    agents.resourcePropertiesCountIs("AWS::ECS::Service", { NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: "DISABLED" } } }, 4);
    const pool = fleet.platform.gpuCapacity.get(fleet.plan.gpuPools[0].name);
    agents.resourcePropertiesCountIs("AWS::ECS::Service", { CapacityProviderStrategy: [{ CapacityProvider: pool?.providerName, Weight: 1 }] }, 2);
    platform.hasResourceProperties("AWS::ECS::CapacityProvider", { Name: pool?.providerName });
    platform.hasResourceProperties("AWS::AutoScaling::AutoScalingGroup", { AutoScalingGroupName: pool?.providerName });
  });

  it("scales on backlog per task with metric math, and alarms at the seed's thresholds", () => {
    agents.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", {
      PolicyType: "TargetTrackingScaling",
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: intake.triggers.backlogPerReplica,
        CustomizedMetricSpecification: { Metrics: Match.arrayWith([Match.objectLike({ Id: "backlog", Expression: BACKLOG_PER_TASK_EXPRESSION, ReturnData: true })]) },
      },
    });
    for (const [threshold, metric] of [
      [0, "ApproximateNumberOfMessagesVisible"],
      [100, "ApproximateNumberOfMessagesVisible"],
      [90, "MemoryUtilization"],
    ] as const) {
      agents.hasResourceProperties("AWS::CloudWatch::Alarm", { Threshold: threshold, MetricName: metric, ComparisonOperator: "GreaterThanThreshold", AlarmActions: [{ "Fn::ImportValue": Match.anyValue() }] });
    }
  });

  it("builds GPU capacity on the ECS GPU AMI with IMDSv2 and the plan's node bounds, and the budget at 80% and 100%", () => {
    const pool = fleet.plan.gpuPools[0];
    platform.hasResourceProperties("AWS::EC2::LaunchTemplate", {
      LaunchTemplateData: { InstanceType: pool.shapes.aws?.instanceType, MetadataOptions: { HttpTokens: "required", HttpPutResponseHopLimit: 1 } },
    });
    const ami = Object.values(Template.fromStack(fleet.platform).toJSON().Parameters ?? {}).map((p) => (p as { Default?: string }).Default);
    assert.ok(ami.includes(ECS_GPU_AMI_PARAMETER), `no parameter for ${ECS_GPU_AMI_PARAMETER}`);
    platform.hasResourceProperties("AWS::AutoScaling::AutoScalingGroup", { MinSize: String(pool.minNodes), MaxSize: String(pool.maxNodes) });
    platform.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    platform.resourceCountIs("AWS::EC2::NatGateway", 1);
    platform.hasResourceProperties("AWS::Budgets::Budget", {
      Budget: { BudgetLimit: { Amount: 1000, Unit: "USD" } },
      NotificationsWithSubscribers: [
        Match.objectLike({ Notification: Match.objectLike({ NotificationType: "ACTUAL", Threshold: 80 }) }),
        Match.objectLike({ Notification: Match.objectLike({ NotificationType: "ACTUAL", Threshold: 100 }) }),
        Match.objectLike({ Notification: Match.objectLike({ NotificationType: "FORECASTED", Threshold: 100 }) }),
      ],
    });
  });

  it("tags every taggable resource with the cost-allocation tags", () => {
    for (const stack of [fleet.platform, fleet.agentStacks[0]]) {
      for (const [id, r] of Object.entries(Template.fromStack(stack).findResources("AWS::SQS::Queue"))) {
        const keys = (r.Properties.Tags as Array<{ Key: string }>).map((t) => t.Key);
        for (const k of ["fleet", "agent", "tier", "environment", "team"]) assert.ok(keys.includes(k), `${id} lacks tag ${k}`);
      }
    }
  });

  it("exposes the async route through a private API Gateway: JWT Lambda authorizer, validator, SQS integration, WAF, access logs, TLS 1.2", () => {
    assert.ok(fleet.gateway, "no gateway stack");
    const gateway = Template.fromStack(fleet.gateway);
    const route = intake.route;
    assert.ok(route);
    gateway.hasResourceProperties("AWS::ApiGateway::RestApi", { EndpointConfiguration: { Types: ["PRIVATE"] }, SecurityPolicy: "TLS_1_2" });
    gateway.hasResourceProperties("AWS::ApiGateway::Authorizer", { Type: "TOKEN", IdentitySource: "method.request.header.Authorization" });
    gateway.hasResourceProperties("AWS::Lambda::Function", { Handler: "jwt.handler", Environment: { Variables: Match.objectLike({ JWT_ISSUER: "https://auth.acme.example/" }) } });
    gateway.hasResourceProperties("AWS::ApiGateway::Method", {
      HttpMethod: "POST",
      AuthorizationType: "CUSTOM",
      RequestValidatorId: Match.anyValue(),
      Integration: Match.objectLike({ Type: "AWS", PassthroughBehavior: "NEVER", Credentials: Match.anyValue() }),
    });
    gateway.hasResourceProperties("AWS::ApiGateway::Stage", {
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: Match.arrayWith([Match.objectLike({ ResourcePath: `/${route.path.replace(/\//g, "~1")}`, HttpMethod: "POST", ThrottlingRateLimit: route.rateLimitPerMinute / 60 })]),
    });
    gateway.hasResourceProperties("AWS::WAFv2::WebACL", { Rules: Match.arrayWith([Match.objectLike({ Name: "rate-limit-per-ip" })]) });
    gateway.resourceCountIs("AWS::WAFv2::WebACLAssociation", 1);
    const enqueue = Object.values(gateway.findResources("AWS::IAM::Policy")).map((p) => JSON.stringify(p.Properties.PolicyDocument)).find((d) => d.includes("EnqueueToFleetInputQueues"));
    assert.ok(enqueue, "no enqueue policy");
    assert.ok(!enqueue.includes('"Resource":"*"'), "the enqueue role may use any queue");
    // Held to the fleet's input queues by tags (CloudFormation names the queues), the same size at any fleet size.
    assert.ok(enqueue.includes('"aws:ResourceTag/microagents.io/queue-role":"input"') && enqueue.includes('"aws:ResourceTag/fleet":"acme-email"'), enqueue);
  });

  it("sends a sync route through a VPC link to the agent's NLB listener, and unserved paths to the legacy backend", () => {
    const synced = new AgentFleetStacks(app(), "sync", { fleet: emailWithSyncAndLegacy("dev") });
    assert.ok(synced.gateway && synced.platform.edge, "no gateway or NLB");
    const port = synced.platform.edge.ports.get("email-intake");
    const gateway = Template.fromStack(synced.gateway);
    gateway.resourceCountIs("AWS::ApiGateway::VpcLink", 1);
    gateway.hasResourceProperties("AWS::ApiGateway::Method", { HttpMethod: "ANY", AuthorizationType: "CUSTOM", Integration: Match.objectLike({ Type: "HTTP_PROXY", ConnectionType: "VPC_LINK" }) });
    gateway.hasResourceProperties("AWS::ApiGateway::Method", { HttpMethod: "ANY", Integration: Match.objectLike({ Type: "HTTP_PROXY", ConnectionType: "INTERNET", Uri: "https://monolith.acme.example/{proxy}" }) });
    const agentStack = Template.fromStack(synced.agentStacks[0]);
    agentStack.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", { Port: port, Protocol: "TCP" });
    agentStack.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", { TargetType: "ip", Protocol: "TCP", HealthCheckProtocol: "HTTP", HealthCheckPath: "/healthz" });
    agentStack.hasResourceProperties("AWS::ECS::Service", { LoadBalancers: [Match.objectLike({ ContainerName: "email-intake" })] });
    Template.fromStack(synced.platform).hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", { Scheme: "internal", Type: "network" });
  });

});

describe("AgentFleetStacks under cdk-nag and the microagents rules", () => {
  for (const [name, input] of [
    ["email, small, dev", emailFleet({ tier: "small", environment: "dev", targets: ecs })],
    ["support, medium, prod", customerServiceFleet({ tier: "medium", environment: "prod", targets: ecs })],
    ["research, enterprise, prod", researchFleet({ tier: "enterprise", environment: "prod", targets: ecs })],
    ["email with a sync route and a legacy backend, small, prod", emailWithSyncAndLegacy("prod")],
  ] as const) {
    it(`synthesizes the seed's ${name} fleet with no AwsSolutions finding left and no mandatory microagents violation`, () => {
      const a = app();
      const fleet = new AgentFleetStacks(a, "fleet", { fleet: input });
      const checks = new MicroAgentsChecks({ tier: fleet.plan.fleet.tier, environment: fleet.plan.fleet.environment });
      Validations.of(a).addPlugins(checks, new AwsSolutionsChecks(a));
      a.synth();
      assert.equal(checks.lastResult?.summary.mandatory, 0);
      assert.ok((checks.lastResult?.facts ?? 0) > 50, "the plugin read too few facts");
    });
  }

  it("fails the synth on a hand-written queue with no dead-letter queue, naming the rule", () => {
    const a = app();
    const fleet = new AgentFleetStacks(a, "fleet", { fleet: emailFleet({ tier: "small", environment: "prod", targets: ecs }) });
    new sqs.CfnQueue(fleet.agentStacks[0], "HandWritten", { queueName: "hand-written" });
    Validations.of(a).addPlugins(new MicroAgentsChecks({ tier: "small", environment: "prod" }));
    assert.throws(() => a.synth(), /Validation failed/);
    const report = JSON.parse(readFileSync(join(a.outdir, "validation-report.json"), "utf8")) as {
      pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
    };
    const ours = report.pluginReports.find((r) => r.pluginName === "microagents");
    const deadLetter = ours?.violations.find((v) => v.ruleName === "MA-SEC-023");
    assert.deepEqual(deadLetter?.violatingConstructs.map((c) => c.constructPath), ["acme-email-prod-agents-1/HandWritten"]);
  });
});

describe("AgentFleetStacks shared state where the tier pools connections", () => {
  it("puts RDS Proxy (IAM auth, TLS) between the agents and a Multi-AZ database in medium prod", () => {
    const fleet = new AgentFleetStacks(app(), "support", { fleet: customerServiceFleet({ tier: "medium", environment: "prod", targets: ecs }) });
    assert.ok(fleet.state, "no state stack");
    const state = Template.fromStack(fleet.state);
    state.hasResourceProperties("AWS::RDS::DBProxy", { DefaultAuthScheme: "IAM_AUTH", RequireTLS: true, EngineFamily: "POSTGRESQL" });
    state.hasResourceProperties("AWS::RDS::DBInstance", { MultiAZ: true, BackupRetentionPeriod: 14 });
    state.hasResourceProperties("AWS::RDS::DBProxyTargetGroup", { ConnectionPoolConfigurationInfo: { MaxConnectionsPercent: 90 } });
  });

  it("builds no state stack when asked not to", () => {
    const fleet = new AgentFleetStacks(app(), "email", { fleet: emailFleet({ tier: "small", environment: "dev", targets: ecs }), stateStore: false });
    assert.equal(fleet.state, undefined);
  });
});

describe("AgentFleetStacks sharding and input", () => {
  it("shards a 120-agent fleet so no stack reaches CloudFormation's limit and every agent is in exactly one stack", () => {
    const input = largeFleet(120, "ecs");
    const a = app();
    const fleet = new AgentFleetStacks(a, "big", { fleet: input });
    assert.ok(fleet.agentStacks.length >= 5, `${fleet.agentStacks.length} agent stacks`);
    for (const stack of [fleet.platform, ...fleet.eventStacks, ...(fleet.state ? [fleet.state] : []), ...fleet.agentStacks]) {
      const n = resourceCount(stack);
      assert.ok(n <= fleet.maxResourcesPerStack && n < CFN_STACK_RESOURCE_LIMIT, `${stack.stackName} has ${n} resources`);
      const outputs = Object.keys(Template.fromStack(stack).toJSON().Outputs ?? {}).length;
      assert.ok(outputs <= CFN_STACK_OUTPUT_LIMIT, `${stack.stackName} has ${outputs} outputs`);
    }
    assert.ok(fleet.state, "no state stack");
    // 120 agents do not fit one ElastiCache user group: one shared user beside the default one.
    Template.fromStack(fleet.state).resourcePropertiesCountIs("AWS::ElastiCache::User", { AuthenticationMode: { Type: "iam" } }, 1);
    // No fleet-wide key prefix: the shared user reaches every key, still without @dangerous commands or key listing.
    Template.fromStack(fleet.state).hasResourceProperties("AWS::ElastiCache::User", { AuthenticationMode: { Type: "iam" }, AccessString: "on ~* &* -@all +@read +@write +@connection -@dangerous -scan -randomkey" });
    const placed = fleet.agentStacks.flatMap((s) => s.services.map((x) => x.agent.name));
    assert.deepEqual(placed, fleet.plan.agents.map((x) => x.name));
  });

  it("names the field when the fleet has no ecs target or is invalid", () => {
    const issuePaths = (f: () => void) => {
      try {
        f();
      } catch (e) {
        if (isConfigError(e)) return e.issues.map((i) => i.path);
        throw e;
      }
      return [];
    };
    assert.deepEqual(issuePaths(() => new AgentFleetStacks(app(), "k8s", { fleet: minimalFleet() })), ["spec.targets"]);
    assert.deepEqual(
      issuePaths(() => new AgentFleetStacks(app(), "bad", { fleet: minimalFleet({ targets: ecs }, [minimalAgent({ scaling: { mode: "horizontal", min: 5, max: 2 } })]) })),
      ["spec.agents[0].scaling.max"],
    );
  });
});

describe("stacks/cdk-app.ts", () => {
  it("synthesizes the example CDK app offline, with cdk-nag and the rule catalog, into CDK_OUTDIR", () => {
    const out = mkdtempSync(join(tmpdir(), "cdk-app-"));
    const run = spawnSync(process.execPath, ["--import", "tsx", "stacks/cdk-app.ts"], { env: { ...process.env, CDK_OUTDIR: out }, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const templates = readdirSync(out).filter((f) => f.endsWith(".template.json")).sort();
    assert.deepEqual(templates, ["acme-email-dev-agents-1.template.json", "acme-email-dev-events-1.template.json", "acme-email-dev-gateway.template.json", "acme-email-dev-platform.template.json", "acme-email-dev-state.template.json"]);
  });
});
