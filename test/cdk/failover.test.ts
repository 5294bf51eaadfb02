import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { App, Stack, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { customerServiceFleet } from "../../agents";
import { AgentFleetStacks } from "../../lib/cdk";
import { healthAssetDir } from "../../lib/cdk/health-route";
import { estimateCost } from "../../lib/cost/estimate";
import { factsFromCloudAssembly } from "../../lib/facts/cloud-assembly";
import { isConfigError, MicroAgentsConfigError } from "../../lib/spec/errors";
import { HEALTH_ALARM, HEALTH_CHECK } from "../../lib/targets/aws/failover-shape";
import { MicroAgentsChecks } from "../../policies/cdk/microagents-checks";

const app = () => new App({ outdir: mkdtempSync(join(tmpdir(), "cdk-failover-")) });
const pairTargets = [
  { runtime: "ecs" as const, region: "us-east-1", role: "primary" as const },
  { runtime: "ecs" as const, region: "us-west-2", role: "backup" as const },
];
/** The customer-service fleet (medium, prod) on an ecs pair, public, with or without the entry's name and zone. */
function pairFleet(gateway: { public: boolean }) {
  const input = customerServiceFleet({ tier: "medium", environment: "prod", targets: pairTargets });
  return { ...input, spec: { ...input.spec, gateway: { ...input.spec.gateway, hostname: "agents.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", ...gateway } } };
}
const template = (stack: Stack | undefined): Template => {
  assert.ok(stack, "missing stack");
  return Template.fromStack(stack);
};
const SHARED_TAGS = [
  { Key: "agent", Value: "shared" },
  { Key: "environment", Value: "prod" },
  { Key: "fleet", Value: "acme-support" },
  { Key: "managed-by", Value: "microagents" },
  { Key: "team", Value: "support" },
  { Key: "tier", Value: "medium" },
];
const arn = (region: string, rest: string) => ({ "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, `:${rest.split(":")[0]}:${region}:`, { Ref: "AWS::AccountId" }, `:${rest.split(":").slice(1).join(":")}`]] });

describe("AgentFleetStacks with an ecs primary and backup (CDK, medium tier)", () => {
  const a = app();
  Validations.of(a).addPlugins(new MicroAgentsChecks({ tier: "medium", environment: "prod" }));
  const fleet = new AgentFleetStacks(a, "support", { fleet: pairFleet({ public: true }) });
  const [primary, backup] = fleet.regions;
  const primaryState = template(primary.state);
  const backupState = template(backup.state);
  const primaryGateway = template(primary.gateway);
  const backupGateway = template(backup.gateway);
  const entry = template(fleet.entry);
  a.synth();

  it("builds every stack of both regions in its own region, named with it; the budget once, in the primary's", () => {
    assert.deepEqual(
      fleet.regions.map((r) => [r.role, r.region, [r.platform, ...r.eventStacks, r.state, ...r.agentStacks, r.gateway].map((s) => [s?.stackName, s?.region])]),
      (["us-east-1", "us-west-2"] as const).map((region, i) => [
        i === 0 ? "primary" : "backup",
        region,
        ["platform", "events-1", "state", "agents-1", "gateway"].map((part) => [`acme-support-prod-${region}-${part}`, region]),
      ]),
    );
    assert.equal(fleet.platform, primary.platform);
    template(primary.platform).resourceCountIs("AWS::Budgets::Budget", 1);
    template(backup.platform).resourceCountIs("AWS::Budgets::Budget", 0);
    template(primary.platform).hasResourceProperties("AWS::EC2::VPC", { CidrBlock: "10.0.0.0/16" });
    template(backup.platform).hasResourceProperties("AWS::EC2::VPC", { CidrBlock: "10.1.0.0/16" });
    // The backup runs warm: every agent's service at the plan's minimum.
    for (const agent of backup.plan.agents) template(backup.agentStacks[0]).hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", { MinCapacity: agent.scaling.min, ResourceId: Match.anyValue() });
  });

  it("makes the primary's tables global tables with a replica in the backup region under that region's fleet key", () => {
    primaryState.resourceCountIs("AWS::DynamoDB::Table", 0);
    primaryState.resourceCountIs("AWS::DynamoDB::GlobalTable", 2);
    const replica = {
      Region: "us-west-2",
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { KMSMasterKeyId: arn("us-west-2", "kms:alias/microagents/acme-support-prod") },
      Tags: SHARED_TAGS,
    };
    const own = { Region: "us-east-1", DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, SSESpecification: { KMSMasterKeyId: { "Fn::ImportValue": Match.stringLikeRegexp("^acme-support-prod-us-east-1-platform:.*Key") } }, Tags: SHARED_TAGS };
    primaryState.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      TableName: "acme-support-prod-tasks",
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "taskId", KeyType: "HASH" }],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: "status-priority", KeySchema: [{ AttributeName: "status", KeyType: "HASH" }, { AttributeName: "priority", KeyType: "RANGE" }] })],
      SSESpecification: { SSEEnabled: true, SSEType: "KMS" },
      StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      Replicas: [{ ...replica, GlobalSecondaryIndexes: [{ IndexName: "status-priority" }] }, { ...own, GlobalSecondaryIndexes: [{ IndexName: "status-priority" }] }],
    });
    primaryState.hasResourceProperties("AWS::DynamoDB::GlobalTable", { TableName: "acme-support-prod-context", KeySchema: [{ AttributeName: "contextId", KeyType: "HASH" }, { AttributeName: "key", KeyType: "RANGE" }], Replicas: [replica, own] });
    for (const table of Object.values(primaryState.findResources("AWS::DynamoDB::GlobalTable"))) assert.equal(table.DeletionPolicy, "Retain");
    // The backup has no tables of its own: its agents use the replicas, by name, in its region.
    backupState.resourceCountIs("AWS::DynamoDB::Table", 0);
    backupState.resourceCountIs("AWS::DynamoDB::GlobalTable", 0);
    const parameter = JSON.stringify(backupState.findResources("AWS::SSM::Parameter"));
    assert.match(parameter, /\\"tasksTable\\":\\"acme-support-prod-tasks\\"/);
    const policies = JSON.stringify(template(backup.agentStacks[0]).findResources("AWS::IAM::Policy"));
    assert.match(policies, /:dynamodb:us-west-2:",\{"Ref":"AWS::AccountId"\},":table\/acme-support-prod-tasks"/);
  });

  it("makes the backup's Postgres a cross-region read replica of the primary's, encrypted with the backup's key, with no proxy", () => {
    primaryState.hasResourceProperties("AWS::RDS::DBInstance", { DBInstanceIdentifier: "acme-support-prod-shared", StorageEncrypted: true, DBName: "microagents", ManageMasterUserPassword: true, BackupRetentionPeriod: Match.anyValue() });
    backupState.resourceCountIs("AWS::RDS::DBInstance", 1);
    backupState.resourceCountIs("AWS::RDS::DBProxy", 0);
    const [db] = Object.values(backupState.findResources("AWS::RDS::DBInstance"));
    const p = db.Properties as Record<string, unknown>;
    assert.deepEqual(p.SourceDBInstanceIdentifier, arn("us-east-1", "rds:db:acme-support-prod-shared"));
    assert.equal(p.SourceRegion, "us-east-1");
    for (const key of [p.KmsKeyId, p.PerformanceInsightsKMSKeyId]) assert.match(JSON.stringify(key), /^\{"Fn::ImportValue":"acme-support-prod-us-west-2-platform:ExportsOutputFnGetAttKey[0-9A-F]+Arn/);
    assert.equal(p.DBInstanceIdentifier, "acme-support-prod-shared");
    for (const inherited of ["StorageEncrypted", "DBName", "MasterUsername", "ManageMasterUserPassword", "MasterUserSecret", "Engine", "EngineVersion"]) assert.equal(p[inherited], undefined, `${inherited} is set on the replica`);
    assert.equal(p.DeletionProtection, true);
    assert.equal(p.EnableIAMDatabaseAuthentication, true);
    assert.equal(p.PubliclyAccessible, false);
    assert.equal(db.DeletionPolicy, "Retain");
    assert.match(JSON.stringify(backupState.findResources("AWS::SSM::Parameter")), /\\"readReplica\\":true/);
    // The backup's state deploys after the primary's, which deploys after the backup's key.
    assert.ok(backup.state?.dependencies.includes(primary.state as Stack));
    assert.ok(primary.state?.dependencies.includes(backup.platform));
  });

  it("adds each region's health route, custom domain, HTTPS health check and failover record to its gateway stack", () => {
    for (const [t, region, role, stack] of [[primaryGateway, "us-east-1", "PRIMARY", primary], [backupGateway, "us-west-2", "SECONDARY", backup]] as const) {
      t.hasResourceProperties("AWS::ApiGateway::Authorizer", { Name: "health-probe", Type: "REQUEST", IdentitySource: "method.request.querystring.probe", AuthorizerResultTtlInSeconds: 300 });
      t.hasResourceProperties("AWS::ApiGateway::Method", { HttpMethod: "GET", AuthorizationType: "CUSTOM", RequestParameters: { "method.request.querystring.probe": true }, Integration: Match.objectLike({ Type: "AWS_PROXY", IntegrationHttpMethod: "POST", TimeoutInMillis: 5000 }) });
      t.hasResourceProperties("AWS::ApiGateway::Resource", { PathPart: "health" });
      t.hasResourceProperties("AWS::Lambda::Function", { Handler: "index.handler", Runtime: "nodejs22.x", Environment: { Variables: { PROBE_TOKEN: { "Fn::ImportValue": Match.stringLikeRegexp(`acme-support-prod-${region}-platform:.*Key`) } } }, KmsKeyArn: Match.anyValue() });
      const watched = stack.plan.agents.filter((x) => x.scaling.min >= 1);
      t.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", { Namespace: "ECS/ContainerInsights", MetricName: "RunningTaskCount", Threshold: 1, ComparisonOperator: "LessThanThreshold", TreatMissingData: "breaching", EvaluationPeriods: 3 }, watched.length);
      t.hasResourceProperties("AWS::CertificateManager::Certificate", { DomainName: "agents.example.com", ValidationMethod: "DNS", DomainValidationOptions: [{ DomainName: "agents.example.com", HostedZoneId: "Z0123456789ABCDEFGHIJ" }], KeyAlgorithm: "RSA_2048" });
      t.hasResourceProperties("AWS::ApiGateway::DomainName", { DomainName: "agents.example.com", EndpointConfiguration: { Types: ["REGIONAL"] }, SecurityPolicy: "TLS_1_2" });
      t.hasResourceProperties("AWS::ApiGateway::BasePathMapping", { Stage: "prod" });
      t.hasResourceProperties("AWS::Route53::HealthCheck", {
        HealthCheckConfig: {
          Type: HEALTH_CHECK.type,
          Port: 443,
          RequestInterval: 30,
          FailureThreshold: 3,
          EnableSNI: true,
          MeasureLatency: false,
          FullyQualifiedDomainName: { "Fn::Join": ["", [{ Ref: Match.stringLikeRegexp("^Api") }, `.execute-api.${region}.amazonaws.com`]] },
          ResourcePath: { "Fn::Join": ["", ["/prod/_microagents/health?probe=", { "Fn::ImportValue": Match.stringLikeRegexp(`acme-support-prod-${region}-platform:.*Key`) }]] },
        },
        HealthCheckTags: Match.arrayWith([{ Key: "Name", Value: `acme-support-prod-${region}-health` }]),
      });
      t.hasResourceProperties("AWS::Route53::HealthCheck", { HealthCheckTags: Match.arrayWith([{ Key: "fleet", Value: "acme-support" }]) });
      t.hasResourceProperties("AWS::Route53::RecordSet", {
        HostedZoneId: "Z0123456789ABCDEFGHIJ",
        Name: "agents.example.com",
        Type: "A",
        Failover: role,
        SetIdentifier: `${region}-${role.toLowerCase()}`,
        HealthCheckId: { "Fn::GetAtt": [Match.stringLikeRegexp("^EntryHealthCheck"), "HealthCheckId"] },
        AliasTarget: { DNSName: { "Fn::GetAtt": [Match.stringLikeRegexp("^EntryDomain"), "RegionalDomainName"] }, HostedZoneId: { "Fn::GetAtt": [Match.stringLikeRegexp("^EntryDomain"), "RegionalHostedZoneId"] }, EvaluateTargetHealth: false },
      });
    }
  });

  it("alarms on each health check in us-east-1, to the primary's alarm topic there", () => {
    assert.equal(fleet.entry?.region, "us-east-1");
    assert.equal(fleet.entry?.stackName, "acme-support-prod-entry");
    entry.resourceCountIs("AWS::SNS::Topic", 0);
    const topic = { "Fn::ImportValue": Match.stringLikeRegexp("^acme-support-prod-us-east-1-platform:.*Alarms") };
    const alarm = (region: string, healthCheckId: unknown) => ({ AlarmName: `acme-support-prod-${region}-health`, ...Object.fromEntries(Object.entries(HEALTH_ALARM).map(([k, v]) => [k[0].toUpperCase() + k.slice(1), v])), Dimensions: [{ Name: "HealthCheckId", Value: healthCheckId }], AlarmActions: [topic], OKActions: [topic] });
    entry.hasResourceProperties("AWS::CloudWatch::Alarm", alarm("us-east-1", { "Fn::ImportValue": Match.stringLikeRegexp("^acme-support-prod-us-east-1-gateway:.*EntryHealthCheck") }));
    // The backup's health check id crosses regions through CDK's SSM-backed references.
    entry.hasResourceProperties("AWS::CloudWatch::Alarm", alarm("us-west-2", { "Fn::GetAtt": [Match.stringLikeRegexp("^ExportsReader"), Match.stringLikeRegexp("EntryHealthCheck")] }));
    backupGateway.resourceCountIs("Custom::CrossRegionExportWriter", 1);
  });

  it("passes every mandatory rule, and reads the global tables and the replica as protected, encrypted stores in their regions", () => {
    // A mandatory violation fails the synth above; CDK reports a plugin only when it found something, and with every
    // resource priced the budget rule has no advisory left either (it warned about the unpriced entry pieces before).
    const report = JSON.parse(readFileSync(join(a.outdir, "validation-report.json"), "utf8")) as { pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; severity?: string }> }> };
    assert.deepEqual(report.pluginReports.filter((r) => r.pluginName === "microagents").flatMap((r) => r.violations.map((v) => [v.ruleName, v.severity])), []);
    const stores = factsFromCloudAssembly(a.outdir).filter((f) => f.kind === "store" && (f.storeKind === "dynamodb" || f.storeKind === "rds"));
    assert.deepEqual(
      stores.map((s) => s.kind === "store" && [s.storeKind, s.region, s.deletionProtection, s.encryption.atRest, s.backups.enabled]).sort(),
      [
        ["dynamodb", "us-east-1", true, "customer-key", true],
        ["dynamodb", "us-east-1", true, "customer-key", true],
        ["rds", "us-east-1", true, "customer-key", true],
        ["rds", "us-west-2", true, "customer-key", true],
      ],
    );
  });

  it("itemises both regions, each region's GPU services on its own region's capacity (the stacks share logical ids)", () => {
    const estimate = estimateCost(factsFromCloudAssembly(a.outdir));
    const compute = (region: string) =>
      estimate.items
        .filter((i) => i.region === region && (i.type === "AWS::ECS::Service" || i.type === "AWS::AutoScaling::AutoScalingGroup"))
        .map((i) => [i.resource, i.type, i.monthlyUsd])
        .sort();
    assert.ok(compute("us-east-1").length > 0);
    assert.deepEqual(compute("us-west-2"), compute("us-east-1"));
    assert.ok((estimate.byRegion["us-west-2"] ?? 0) > 0 && (estimate.byRegion["us-east-1"] ?? 0) > 0);
  });

  it("prices each region's entry health check and leaves nothing unpriced (records, certificates, mappings and egress rules cost nothing)", () => {
    const estimate = estimateCost(factsFromCloudAssembly(a.outdir));
    assert.deepEqual(estimate.unpriced, []);
    const checks = estimate.items.filter((i) => i.type === "AWS::Route53::HealthCheck").map((i) => [i.region, i.monthlyUsd]).sort();
    assert.deepEqual(checks, [["us-east-1", 1.5], ["us-west-2", 1.5]]);
  });
});

describe("the entry's alarms of a pair with no region in us-east-1 (CDK)", () => {
  const input = pairFleet({ public: true });
  const fleet = new AgentFleetStacks(app(), "support", {
    fleet: { ...input, spec: { ...input.spec, targets: [{ ...pairTargets[0], region: "us-west-2" }, { ...pairTargets[1], region: "eu-west-1" }], observability: { alertEmails: ["oncall@acme.example"] } } },
    stateStore: false,
  });
  const entry = template(fleet.entry);

  it("creates a key and an alarm topic of its own in us-east-1 that mails the fleet's alert e-mails, and alarms on both regions' checks there", () => {
    assert.equal(fleet.entry?.region, "us-east-1");
    entry.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true, RotationPeriodInDays: 365 });
    entry.hasResourceProperties("AWS::SNS::Topic", { TopicName: "acme-support-prod-entry-alarms", KmsMasterKeyId: Match.anyValue() });
    entry.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "email", Endpoint: "oncall@acme.example" });
    const topic = { Ref: Match.stringLikeRegexp("^Alarms") };
    for (const region of ["us-west-2", "eu-west-1"]) {
      entry.hasResourceProperties("AWS::CloudWatch::Alarm", { AlarmName: `acme-support-prod-${region}-health`, MetricName: "HealthCheckStatus", Namespace: "AWS/Route53", AlarmActions: [topic], OKActions: [topic], Dimensions: [{ Name: "HealthCheckId", Value: { "Fn::GetAtt": [Match.stringLikeRegexp("^ExportsReader"), Match.stringLikeRegexp(`${region.replace(/-/g, "")}gateway`)] } }] });
    }
    template(fleet.regions[0].gateway).resourceCountIs("Custom::CrossRegionExportWriter", 1);
    template(fleet.regions[1].gateway).resourceCountIs("Custom::CrossRegionExportWriter", 1);
  });
});

describe("the CDK health Lambda's asset (the shared health/probe.mjs)", () => {
  it("admits the probe token handed over as PROBE_TOKEN (CloudFormation cannot hash it) and refuses another", async () => {
    const dir = healthAssetDir(["acme-support-prod-intent-running"]);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "alarms.json"), "utf8")), ["acme-support-prod-intent-running"]);
    process.env.PROBE_TOKEN = "1234abcd-12ab-34cd-56ef-1234567890ab";
    delete process.env.PROBE_TOKEN_SHA256;
    const probe = (await import(pathToFileURL(join(dir, "index.mjs")).href)) as { handler: (event: unknown) => Promise<{ principalId?: string }> };
    const event = (token: string) => ({ type: "REQUEST", methodArn: "arn:aws:execute-api:us-west-2:123456789012:api/prod/GET/_microagents/health", queryStringParameters: { probe: token } });
    assert.equal((await probe.handler(event("1234abcd-12ab-34cd-56ef-1234567890ab"))).principalId, "route53-health-check");
    await assert.rejects(probe.handler(event("another")), /Unauthorized/);
  });
});

describe("AgentFleetStacks refuses a pair it cannot build", () => {
  const issuesOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (isConfigError(e)) return (e as MicroAgentsConfigError).issues.map((i) => [i.path, i.hint ?? ""]);
      throw e;
    }
    assert.fail("no config error");
  };

  it("names the host name, the zone and the public gateway a pair with routes needs, with CDK context hints, before any stack", () => {
    const a = app();
    const input = pairFleet({ public: false });
    const { hostname, hostedZoneId, ...gateway } = input.spec.gateway;
    assert.equal(typeof hostname, "string");
    assert.equal(hostedZoneId, "Z0123456789ABCDEFGHIJ");
    const issues = issuesOf(() => new AgentFleetStacks(a, "support", { fleet: { ...input, spec: { ...input.spec, gateway } } }));
    assert.deepEqual(issues.map(([path]) => path), ["spec.gateway.hostname", "spec.gateway.hostedZoneId", "spec.gateway.public"]);
    assert.match(issues[0][1], /cdk synth -c hostname=agents\.example\.com/);
    assert.match(issues[1][1], /cdk synth -c hostedZoneId=/);
    assert.equal(a.node.findAll().filter((c) => Stack.isStack(c)).length, 0);
  });

  it("takes the host name and zone from CDK context", () => {
    const a = new App({ outdir: mkdtempSync(join(tmpdir(), "cdk-failover-")), context: { hostname: "agents.example.com", hostedZoneId: "zone-1" } });
    const input = pairFleet({ public: true });
    const { hostname, hostedZoneId, ...gateway } = input.spec.gateway;
    assert.equal(typeof hostname, "string");
    assert.equal(typeof hostedZoneId, "string");
    const issues = issuesOf(() => new AgentFleetStacks(a, "support", { fleet: { ...input, spec: { ...input.spec, gateway } } }));
    assert.deepEqual(issues.map(([path]) => path), ["context hostedZoneId"]);
  });

  it("refuses a pair whose backup is not ecs, and a third ecs target", () => {
    const input = customerServiceFleet({ tier: "medium", environment: "prod", targets: [pairTargets[0], { runtime: "eks", region: "us-west-2", role: "backup" }] });
    assert.deepEqual(issuesOf(() => new AgentFleetStacks(app(), "s", { fleet: input })).map(([path]) => path), ["spec.targets[1].runtime"]);
    const three = customerServiceFleet({ tier: "medium", environment: "prod", targets: [...pairTargets, { runtime: "ecs", region: "eu-west-1" }] });
    assert.deepEqual(issuesOf(() => new AgentFleetStacks(app(), "s", { fleet: three })).map(([path]) => path), ["spec.targets[2]"]);
  });

  it("keeps a one-target fleet's stacks as they were: no region in the names, plain tables, no entry", () => {
    const fleet = new AgentFleetStacks(app(), "support", { fleet: customerServiceFleet({ tier: "medium", environment: "prod", targets: [{ runtime: "ecs", region: "us-east-1" }] }) });
    assert.deepEqual(fleet.regions.map((r) => [r.role, r.platform.stackName, r.gateway?.stackName]), [[undefined, "acme-support-prod-platform", "acme-support-prod-gateway"]]);
    assert.equal(fleet.entry, undefined);
    template(fleet.state).resourceCountIs("AWS::DynamoDB::Table", 2);
    template(fleet.state).resourceCountIs("AWS::DynamoDB::GlobalTable", 0);
    template(fleet.gateway).resourceCountIs("AWS::Route53::HealthCheck", 0);
    assert.equal(JSON.stringify(template(fleet.gateway).toJSON()).includes("_microagents"), false);
  });
});
