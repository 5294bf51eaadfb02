import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { before, describe, it } from "node:test";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { estimateGraph } from "../../lib/cost";
import { runOffline, type CapturedResource, type ResourceGraph } from "../../lib/offline/engine";
import { isConfigError, parseFleet, type AgentInput, type FleetInput } from "../../lib/spec";
import { awsFailoverPair, failoverEntrySettings, HEALTH_PATH } from "../../lib/targets/aws/failover-shape";
import { healthProbeSource, sha256Hex } from "../../lib/targets/aws/health";
import { agent, JWT, json, type Statement } from "../helpers/aws";
import { cli } from "../helpers/cli";
import { underLambdaConsole } from "../helpers/lambda-console";
import { at, one, ofType } from "../helpers/offline";

const ZONE = "Z0ACMEZONE1234";
const HOST = "agents.acme.example";
const T = {
  cert: "aws:acm/certificate:Certificate",
  validation: "aws:acm/certificateValidation:CertificateValidation",
  domain: "aws:apigateway/domainName:DomainName",
  mapping: "aws:apigateway/basePathMapping:BasePathMapping",
  check: "aws:route53/healthCheck:HealthCheck",
  record: "aws:route53/record:Record",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  table: "aws:dynamodb/table:Table",
  db: "aws:rds/instance:Instance",
  proxy: "aws:rds/proxy:Proxy",
  key: "aws:kms/key:Key",
  topic: "aws:sns/topic:Topic",
  fn: "aws:lambda/function:Function",
  method: "aws:apigateway/method:Method",
  authorizer: "aws:apigateway/authorizer:Authorizer",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  parameter: "aws:ssm/parameter:Parameter",
  provider: "pulumi:providers:aws",
};

/** The customer-service shape: an async JWT route, an always-on agent, a batch agent that scales to zero. */
const AGENTS: AgentInput[] = [
  agent("support", { route: { path: "/support", auth: "jwt", invoke: "async" }, scaling: { mode: "horizontal", min: 1, max: 10 } }),
  agent("batch", { criticality: "batch", scaling: { mode: "horizontal", min: 0, max: 4 } }),
];

function failoverFleet(runtime: "ecs" | "eks", regions: readonly [string, string], gateway: Record<string, unknown> = { jwt: JWT, hostname: HOST, hostedZoneId: ZONE, public: true }, backupFirst = false): FleetInput {
  const targets = [
    { runtime, region: regions[0], role: "primary" as const },
    { runtime, region: regions[1], role: "backup" as const },
  ];
  return {
    apiVersion: "microagents/v1",
    kind: "Fleet",
    metadata: { name: "acme" },
    spec: {
      tier: "medium",
      environment: "prod",
      team: "platform",
      targets: backupFirst ? [targets[1], targets[0]] : targets,
      agents: AGENTS,
      gateway,
      observability: { alertEmails: ["oncall@acme.example"] },
    },
  };
}

/** The value behind a secret input, as the offline engine captures it. */
const plain = (v: unknown): unknown => (typeof v === "object" && v !== null && "value" in v ? (v as { value: unknown }).value : v);
/** The region of the provider a resource was registered with. */
function regionOf(g: ResourceGraph, r: CapturedResource): unknown {
  const provider = g.resources.find((p) => p.type === T.provider && p.urn === r.providerUrn);
  return provider?.inputs.region;
}
const keyArn = (g: ResourceGraph, name: string) => one(g, T.key, name).outputs.arn;

describe("medium tier on AWS: primary us-west-2 and backup eu-west-1 on ECS", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await runOffline(() => new AgentFleet("acme", { fleet: failoverFleet("ecs", ["us-west-2", "eu-west-1"]) }));
  });

  it("points one host name at both gateways with PRIMARY and SECONDARY alias records, each with its region's health check", () => {
    const records = ofType(g, T.record).filter((r) => r.inputs.type === "A");
    assert.deepEqual(records.map((r) => r.name).sort(), ["acme-entry-eu-west-1", "acme-entry-us-west-2"]);
    for (const [region, role] of [["us-west-2", "PRIMARY"], ["eu-west-1", "SECONDARY"]] as const) {
      const record = one(g, T.record, `acme-entry-${region}`);
      const domain = one(g, T.domain, `acme-entry-${region}`);
      assert.deepEqual(record.inputs, {
        zoneId: ZONE,
        name: HOST,
        type: "A",
        setIdentifier: `${region}-${role.toLowerCase()}`,
        failoverRoutingPolicies: [{ type: role }],
        healthCheckId: at(one(g, T.alarm, `acme-entry-${region}`), "dimensions", "HealthCheckId"),
        aliases: [{ name: domain.outputs.regionalDomainName, zoneId: domain.outputs.regionalZoneId, evaluateTargetHealth: false }],
      });
    }
  });

  it("health-checks each region's execute-api endpoint over HTTPS on the token-authenticated health route", () => {
    for (const region of ["us-west-2", "eu-west-1"]) {
      const check = one(g, T.check, `acme-entry-${region}`);
      const apiId = one(g, T.mapping, `acme-entry-${region}`).inputs.restApi;
      assert.match(String(apiId), /^[0-9a-f]{10}$/);
      const token = sha256Hex(`${String(keyArn(g, `acme-ecs-${region}-key`))}:microagents-health-probe`);
      assert.deepEqual({ ...check.inputs, resourcePath: plain(check.inputs.resourcePath) }, {
        type: "HTTPS",
        port: 443,
        requestInterval: 30,
        failureThreshold: 3,
        enableSni: true,
        measureLatency: false,
        fqdn: `${String(apiId)}.execute-api.${region}.amazonaws.com`,
        resourcePath: `/prod${HEALTH_PATH}?probe=${token}`,
        tags: { Name: `acme-prod-${region}-health`, fleet: "acme", agent: "shared", tier: "medium", environment: "prod", team: "platform", "managed-by": "microagents" },
      });
      // The health Lambda holds only the token's digest.
      const fn = one(g, T.fn, `acme-ecs-${region}-gateway-health`);
      assert.equal(at({ inputs: { environment: plain(fn.inputs.environment) } }, "environment", "variables", "PROBE_TOKEN_SHA256"), createHash("sha256").update(token).digest("hex"));
    }
  });

  it("alarms on each health check in us-east-1, where Route 53's metrics are, to a us-east-1 topic with the fleet's subscribers", () => {
    const topic = one(g, T.topic, "acme-entry-alarms");
    assert.equal(regionOf(g, topic), "us-east-1");
    assert.equal(at(topic, "kmsMasterKeyId"), keyArn(g, "acme-entry-key"));
    assert.equal(regionOf(g, one(g, T.key, "acme-entry-key")), "us-east-1");
    assert.equal(one(g, "aws:sns/topicSubscription:TopicSubscription", "acme-entry-alarms-0").inputs.endpoint, "oncall@acme.example");
    for (const region of ["us-west-2", "eu-west-1"]) {
      const alarm = one(g, T.alarm, `acme-entry-${region}`);
      assert.equal(regionOf(g, alarm), "us-east-1");
      const { alarmDescription: _d, tags: _t, ...inputs } = alarm.inputs;
      assert.deepEqual(inputs, {
        name: `acme-prod-${region}-health`,
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        dimensions: { HealthCheckId: one(g, T.record, `acme-entry-${region}`).inputs.healthCheckId },
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
        alarmActions: [topic.outputs.arn],
        okActions: [topic.outputs.arn],
      });
    }
  });

  it("serves the host name in each region: a DNS-validated certificate there, a TLS 1.2 regional custom domain mapped to the stage", () => {
    const validation = one(g, T.record, "acme-entry-validation");
    const option = (one(g, T.cert, "acme-entry-us-west-2").outputs.domainValidationOptions as Array<Record<string, string>>)[0];
    assert.deepEqual(validation.inputs, { zoneId: ZONE, name: option.resourceRecordName, type: "CNAME", records: [option.resourceRecordValue], ttl: 300, allowOverwrite: false });
    for (const region of ["us-west-2", "eu-west-1"]) {
      const cert = one(g, T.cert, `acme-entry-${region}`);
      assert.equal(regionOf(g, cert), region);
      assert.deepEqual([cert.inputs.domainName, cert.inputs.validationMethod, cert.inputs.keyAlgorithm], [HOST, "DNS", "RSA_2048"]);
      assert.deepEqual(one(g, T.validation, `acme-entry-${region}`).inputs, { certificateArn: cert.outputs.arn, validationRecordFqdns: [validation.outputs.fqdn] });
      const domain = one(g, T.domain, `acme-entry-${region}`);
      assert.equal(regionOf(g, domain), region);
      assert.deepEqual([domain.inputs.domainName, domain.inputs.regionalCertificateArn, domain.inputs.endpointConfiguration, domain.inputs.securityPolicy], [HOST, cert.outputs.arn, { types: "REGIONAL" }, "TLS_1_2"]);
      const method = one(g, T.method, `acme-ecs-${region}-gateway-health`);
      assert.deepEqual(one(g, T.mapping, `acme-entry-${region}`).inputs, { restApi: method.inputs.restApi, stageName: "prod", domainName: HOST });
    }
  });

  it("guards the health route with a REQUEST authorizer on the probe token, and watches only the agents that keep a replica", () => {
    const region = "us-west-2";
    const authorizer = one(g, T.authorizer, `acme-ecs-${region}-gateway-health`);
    const fn = one(g, T.fn, `acme-ecs-${region}-gateway-health`);
    assert.deepEqual(authorizer.inputs, { restApi: authorizer.inputs.restApi, name: "health-probe", type: "REQUEST", authorizerUri: fn.outputs.invokeArn, identitySource: "method.request.querystring.probe", authorizerResultTtlInSeconds: 300 });
    // The Lambda keeps WARN and above: the route's warnings must be written at WARN (the shipped source, below).
    assert.deepEqual([(fn.inputs.loggingConfig as { logFormat?: string }).logFormat, (fn.inputs.loggingConfig as { applicationLogLevel?: string }).applicationLogLevel], ["JSON", "WARN"]);
    const method = one(g, T.method, `acme-ecs-${region}-gateway-health`);
    assert.deepEqual([method.inputs.httpMethod, method.inputs.authorization, method.inputs.apiKeyRequired, method.inputs.requestParameters], ["GET", "CUSTOM", false, { "method.request.querystring.probe": true }]);
    assert.equal(method.inputs.restApi, authorizer.inputs.restApi);
    assert.notEqual(method.inputs.authorizerId, one(g, T.method, `acme-ecs-${region}-gateway-support`).inputs.authorizerId, "its own authorizer, not the JWT one");
    const running = ofType(g, T.alarm).filter((a) => String(a.name).endsWith("-running") && a.name.startsWith(`acme-ecs-${region}`));
    assert.deepEqual(running.map((a) => a.name), [`acme-ecs-${region}-gateway-support-running`], "the batch agent scales to zero: not watched");
    const { alarmDescription: _d, tags: _t, alarmActions, ...inputs } = running[0].inputs;
    assert.deepEqual(inputs, {
      name: "acme-prod-support-running",
      namespace: "ECS/ContainerInsights",
      metricName: "RunningTaskCount",
      dimensions: { ClusterName: one(g, "aws:ecs/cluster:Cluster", `acme-ecs-${region}`).outputs.name, ServiceName: one(g, "aws:ecs/service:Service", `acme-ecs-${region}-support`).outputs.name },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      okActions: alarmActions,
    });
    const policy = (json(one(g, T.rolePolicy, `acme-ecs-${region}-gateway-health`).inputs.policy) as { Statement: Statement[] }).Statement;
    assert.deepEqual(policy.find((s) => s.Sid === "ReadAgentRunningAlarms"), { Sid: "ReadAgentRunningAlarms", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: [`arn:aws:cloudwatch:${region}:123456789012:alarm:acme-prod-support-running`] });
  });

  it("makes the task table and context store global tables with a replica in the backup region under that region's key", () => {
    const tables = ofType(g, T.table);
    assert.deepEqual(tables.map((t) => [t.name, regionOf(g, t)]).sort(), [["acme-ecs-us-west-2-state-context", "us-west-2"], ["acme-ecs-us-west-2-state-tasks", "us-west-2"]], "the backup region builds no tables of its own");
    for (const t of tables) {
      assert.equal(t.inputs.streamEnabled, true);
      assert.equal(t.inputs.streamViewType, "NEW_AND_OLD_IMAGES");
      assert.deepEqual(t.inputs.replicas, [{ regionName: "eu-west-1", kmsKeyArn: keyArn(g, "acme-ecs-eu-west-1-key"), pointInTimeRecovery: true, deletionProtectionEnabled: true, propagateTags: true }]);
      assert.equal(at(t, "serverSideEncryption", "kmsKeyArn"), keyArn(g, "acme-ecs-us-west-2-key"));
    }
    // The backup's agents use the replicas in their own region.
    const statements = (json(one(g, T.rolePolicy, "acme-ecs-eu-west-1-state-support").inputs.policy) as { Statement: Statement[] }).Statement;
    assert.deepEqual(statements.find((s) => s.Sid === "UseSharedTables")?.Resource, [
      "arn:aws:dynamodb:eu-west-1:123456789012:table/acme-prod-tasks",
      "arn:aws:dynamodb:eu-west-1:123456789012:table/acme-prod-tasks/index/status-priority",
      "arn:aws:dynamodb:eu-west-1:123456789012:table/acme-prod-context",
    ]);
  });

  it("gives Postgres an encrypted read replica in the backup region that a person can promote", () => {
    const primary = one(g, T.db, "acme-ecs-us-west-2-state-database");
    const replica = one(g, T.db, "acme-ecs-eu-west-1-state-database");
    assert.equal(regionOf(g, replica), "eu-west-1");
    assert.equal(replica.inputs.replicateSourceDb, primary.outputs.arn);
    assert.deepEqual(
      [replica.inputs.storageEncrypted, replica.inputs.kmsKeyId, replica.inputs.performanceInsightsKmsKeyId, replica.inputs.deletionProtection, replica.inputs.skipFinalSnapshot, replica.inputs.publiclyAccessible, replica.inputs.iamDatabaseAuthenticationEnabled],
      [true, keyArn(g, "acme-ecs-eu-west-1-key"), keyArn(g, "acme-ecs-eu-west-1-key"), true, true, false, true],
    );
    for (const field of ["dbName", "username", "manageMasterUserPassword", "masterUserSecretKmsKeyId", "finalSnapshotIdentifier"]) assert.equal(replica.inputs[field], undefined, field);
    assert.deepEqual([primary.inputs.dbName, primary.inputs.skipFinalSnapshot, primary.inputs.finalSnapshotIdentifier], ["microagents", false, "acme-prod-shared-final"]);
    assert.ok(Number(replica.inputs.backupRetentionPeriod) > 0, "backups on the replica, so a promoted instance has them from the start");
    assert.deepEqual(ofType(g, T.proxy).map((p) => regionOf(g, p)), ["us-west-2"], "RDS Proxy fronts the primary only");
    const endpoints = JSON.parse(String(one(g, T.parameter, "acme-ecs-eu-west-1-state-endpoints").inputs.insecureValue)) as { tasksTable: string; database: { host: string; readReplica?: boolean } };
    assert.deepEqual([endpoints.tasksTable, endpoints.database.host, endpoints.database.readReplica], ["acme-prod-tasks", replica.outputs.address, true]);
  });

  it("keeps the backup region warm: every agent at the tier's minimum there too", () => {
    const services = ofType(g, "aws:ecs/service:Service");
    for (const [agentName, min, max] of [["support", 1, 10], ["batch", 0, 4]] as const) {
      for (const region of ["us-west-2", "eu-west-1"]) {
        assert.equal(one(g, "aws:ecs/service:Service", `acme-ecs-${region}-${agentName}`).inputs.desiredCount, min, `${agentName} in ${region}`);
        const scaling = ofType(g, "aws:appautoscaling/target:Target").find((t) => t.name.startsWith(`acme-ecs-${region}-${agentName}`));
        assert.deepEqual([scaling?.inputs.minCapacity, scaling?.inputs.maxCapacity], [min, max], `${agentName} scales in ${region}`);
      }
    }
    assert.equal(services.length, 4);
  });

  it("prices the warm backup region on its own line (microagents cost itemises per region) with the entry's health checks priced", () => {
    const e = estimateGraph(g);
    assert.deepEqual(Object.keys(e.byRegion), ["eu-west-1", "us-east-1", "us-west-2"], "us-east-1: the entry's key, topic and health alarms");
    const service = (region: string) => e.items.find((i) => i.resource === `acme-ecs-${region}-support` && i.type === "aws:ecs/service:Service");
    assert.equal(service("eu-west-1")?.monthlyUsd, service("us-west-2")?.monthlyUsd);
    assert.equal(service("eu-west-1")?.region, "eu-west-1");
    assert.ok(e.byRegion["eu-west-1"] > 0.5 * e.byRegion["us-west-2"], "the backup is a full copy, not a stub");
    const sum = Object.values(e.byRegion).reduce((t, v) => t + Math.round(v * 100), 0);
    assert.equal(sum, Math.round(e.totalMonthlyUsd * 100));
    assert.deepEqual(e.unpriced.filter((u) => u.type === T.check), [], "Route 53 health checks are priced");
    const checks = e.items.filter((i) => i.type === T.check);
    assert.deepEqual(checks.map((c) => c.resource).sort(), ["acme-entry-eu-west-1", "acme-entry-us-west-2"]);
    assert.ok(checks.every((c) => c.monthlyUsd > 0), "an HTTPS health check costs money");
  });
});

describe("medium tier on AWS: EKS with the primary in us-east-1, the backup listed first", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await runOffline(() => new AgentFleet("acme", { fleet: failoverFleet("eks", ["us-east-1", "us-west-2"], undefined, true) }));
  });

  it("plans into one failover entry and replicated state, the health alarms going to the us-east-1 region's own topic", () => {
    assert.deepEqual(ofType(g, T.record).filter((r) => r.inputs.type === "A").map((r) => at(r, "failoverRoutingPolicies", 0, "type")), ["PRIMARY", "SECONDARY"]);
    assert.equal(ofType(g, T.check).length, 2);
    assert.deepEqual(ofType(g, T.provider).map((p) => p.inputs.region).filter((r) => r !== undefined).sort(), ["us-east-1", "us-west-2"], "no provider of the entry's own");
    assert.equal(ofType(g, T.topic).filter((t) => t.name === "acme-entry-alarms").length, 0);
    const topic = one(g, T.topic, "acme-eks-us-east-1-alarms");
    for (const region of ["us-east-1", "us-west-2"]) assert.deepEqual(one(g, T.alarm, `acme-entry-${region}`).inputs.alarmActions, [topic.outputs.arn]);
    assert.deepEqual(ofType(g, T.table).map((t) => at(t, "replicas", 0, "regionName")), ["us-west-2", "us-west-2"]);
    assert.equal(one(g, T.db, "acme-eks-us-west-2-state-database").inputs.replicateSourceDb, one(g, T.db, "acme-eks-us-east-1-state-database").outputs.arn);
    // On EKS the health route reads the Container Insights pod count of the agent's Service.
    assert.equal(one(g, T.alarm, "acme-eks-us-east-1-gateway-support-running").inputs.metricName, "service_number_of_running_pods");
  });
});

describe("after a person promoted the backup's database", () => {
  it("drops the replica's source (the provider promotes a replica that is still one) and tells the agents it takes writes", async () => {
    const g = await runOffline(() => new AgentFleet("acme", { fleet: failoverFleet("ecs", ["us-east-1", "us-west-2"]) }), { config: { backupDatabasePromoted: "true" } });
    const promoted = one(g, T.db, "acme-ecs-us-west-2-state-database");
    assert.deepEqual([promoted.inputs.replicateSourceDb, promoted.inputs.username, promoted.inputs.dbName, promoted.inputs.skipFinalSnapshot, promoted.inputs.deletionProtection], [undefined, undefined, undefined, true, true]);
    const endpoints = JSON.parse(String(one(g, T.parameter, "acme-ecs-us-west-2-state-endpoints").inputs.insecureValue)) as { database: { readReplica: boolean } };
    assert.equal(endpoints.database.readReplica, false);
  });
});

describe("failover entry settings", () => {
  const fleet = (gateway: Record<string, unknown>, agents = AGENTS) => parseFleet({ ...failoverFleet("ecs", ["us-east-1", "us-west-2"], gateway), spec: { ...failoverFleet("ecs", ["us-east-1", "us-west-2"], gateway).spec, agents } });

  it("pairs one AWS primary with one AWS backup, and nothing else", () => {
    assert.deepEqual(awsFailoverPair(fleet({ jwt: JWT })), { primary: 0, backup: 1 });
    const single = parseFleet({ ...failoverFleet("ecs", ["us-east-1", "us-west-2"]), spec: { ...failoverFleet("ecs", ["us-east-1", "us-west-2"]).spec, targets: [{ runtime: "ecs", region: "us-east-1" }] } });
    assert.equal(awsFailoverPair(single), undefined);
    const k8s = parseFleet({ ...failoverFleet("ecs", ["us-east-1", "us-west-2"]), spec: { ...failoverFleet("ecs", ["us-east-1", "us-west-2"]).spec, targets: [{ runtime: "kubernetes", region: "a", role: "primary" }, { runtime: "kubernetes", region: "b", role: "backup" }] } });
    assert.equal(awsFailoverPair(k8s), undefined);
  });

  it("refuses a backup in the primary's region", () => {
    const same = parseFleet({ ...failoverFleet("ecs", ["us-east-1", "us-west-2"]), spec: { ...failoverFleet("ecs", ["us-east-1", "us-west-2"]).spec, targets: [{ runtime: "ecs", region: "us-east-1", role: "primary" }, { runtime: "eks", region: "us-east-1", role: "backup" }] } });
    assert.throws(() => awsFailoverPair(same), (e: unknown) => isConfigError(e) && e.issues[0].path === "spec.targets[1].region" && /would not survive the region/.test(e.issues[0].message));
  });

  it("takes the host name and zone from the fleet, else from config", () => {
    assert.deepEqual(failoverEntrySettings(fleet({ jwt: JWT, hostname: HOST, hostedZoneId: ZONE, public: true })), { hostname: HOST, hostedZoneId: ZONE });
    assert.deepEqual(failoverEntrySettings(fleet({ jwt: JWT, public: true }), { hostname: "api.acme.example", hostedZoneId: "Z99" }), { hostname: "api.acme.example", hostedZoneId: "Z99" });
  });

  it("reports every missing or wrong setting with its path and a fix", () => {
    const issues = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        if (isConfigError(e)) return e.issues.map((i) => `${i.path}: ${i.message} (${i.hint})`);
        throw e;
      }
      assert.fail("no error");
    };
    assert.deepEqual(issues(() => failoverEntrySettings(fleet({ jwt: JWT }))), [
      "spec.gateway.hostname: a primary and backup fleet on AWS needs the host name its failover entry answers on (set spec.gateway.hostname (agents.example.com) or `pulumi config set microagents:hostname agents.example.com`)",
      "spec.gateway.hostedZoneId: a primary and backup fleet on AWS needs the Route 53 public hosted zone that holds its host name (set spec.gateway.hostedZoneId (Z0123456789ABCDEFGHIJ) or `pulumi config set microagents:hostedZoneId Z0123456789ABCDEFGHIJ`)",
      "spec.gateway.public: the failover entry's health checks reach each region's gateway from the internet, and a private gateway cannot be reached (set spec.gateway.public: true (each gateway keeps its authentication, WAF and rate limits))",
    ]);
    assert.deepEqual(issues(() => failoverEntrySettings(fleet({ jwt: JWT, hostname: "Agents_Acme", public: true }), { hostedZoneId: "zone-1" })), [
      "spec.gateway.hostname: 'Agents_Acme' is not a fully qualified lower-case DNS name (write it like agents.example.com)",
      "config microagents:hostedZoneId: 'zone-1' is not a Route 53 hosted zone id (it looks like Z0123456789ABCDEFGHIJ (aws route53 list-hosted-zones))",
    ]);
    // A malformed host name is reported where it came from: the fleet above, Pulumi config or CDK context here.
    assert.deepEqual(issues(() => failoverEntrySettings(fleet({ jwt: JWT, public: true }), { hostname: "Agents_Acme", hostedZoneId: ZONE })), ["config microagents:hostname: 'Agents_Acme' is not a fully qualified lower-case DNS name (write it like agents.example.com)"]);
    assert.deepEqual(issues(() => failoverEntrySettings(fleet({ jwt: JWT, public: true }), { hostname: "Agents_Acme", hostedZoneId: ZONE, from: "cdk" })), ["context hostname: 'Agents_Acme' is not a fully qualified lower-case DNS name (write it like agents.example.com)"]);
    const clash = [agent("support", { route: { path: HEALTH_PATH, auth: "jwt" } })];
    assert.deepEqual(issues(() => failoverEntrySettings(fleet({ jwt: JWT, hostname: HOST, hostedZoneId: ZONE, public: true }, clash))), [`spec.agents[0].route.path: '${HEALTH_PATH}' is the failover entry's health route (choose another path)`]);
  });

  it("fails AgentFleet before any resource when the zone is missing (outside any Pulumi run: nothing is registered)", () => {
    assert.throws(
      () => new AgentFleet("acme", { fleet: failoverFleet("ecs", ["us-east-1", "us-west-2"], { jwt: JWT, hostname: HOST, public: true }) }),
      (e: unknown) => isConfigError(e) && e.issues.length === 1 && e.issues[0].path === "spec.gateway.hostedZoneId",
    );
  });
});

type Probe = (event: unknown) => Promise<{ statusCode?: number; body?: string; principalId?: string; policyDocument?: { Statement: Array<{ Resource: string; Effect: string }> } }>;
interface ProbeModule {
  createHandler(describe: (input: { AlarmNames: string[]; StateValue: string; NextToken?: string }) => Promise<{ MetricAlarms?: Array<{ AlarmName: string }>; NextToken?: string }>, names: string[], expectedHex: string, now?: () => number): Probe;
}

describe("the health route's Lambda, as shipped", () => {
  let mod: ProbeModule;
  const TOKEN = "f".repeat(64);
  const DIGEST = createHash("sha256").update(TOKEN).digest("hex");
  const METHOD = "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/_microagents/health";
  before(async () => {
    mod = (await import(`data:text/javascript;base64,${Buffer.from(healthProbeSource()).toString("base64")}`)) as ProbeModule;
  });

  it("admits the probe token as a REQUEST authorizer for this method only, and rejects any other", async () => {
    const handler = mod.createHandler(async () => ({}), [], DIGEST);
    const out = await handler({ type: "REQUEST", methodArn: METHOD, queryStringParameters: { probe: TOKEN } });
    assert.deepEqual([out.principalId, out.policyDocument?.Statement], ["route53-health-check", [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: METHOD }]]);
    for (const probe of [undefined, "", "e".repeat(64), TOKEN.slice(1)]) {
      await assert.rejects(handler({ type: "REQUEST", methodArn: METHOD, queryStringParameters: probe === undefined ? null : { probe } }), /Unauthorized/);
    }
  });

  it("answers 200 while no watched alarm fires and 503 when one does, asking at most every 30 seconds, 100 names a call", async () => {
    const names = Array.from({ length: 150 }, (_, i) => `acme-prod-a${i}-running`);
    let firing: string[] = [];
    const calls: number[] = [];
    let clock = 0;
    const handler = mod.createHandler(async (input) => {
      assert.equal(input.StateValue, "ALARM");
      calls.push(input.AlarmNames.length);
      return { MetricAlarms: input.AlarmNames.filter((n) => firing.includes(n)).map((AlarmName) => ({ AlarmName })) };
    }, names, DIGEST, () => clock);
    const ok = await handler({ httpMethod: "GET" });
    assert.deepEqual([ok.statusCode, JSON.parse(String(ok.body))], [200, { status: "ok", watched: 150, down: 0 }]);
    assert.deepEqual(calls, [100, 50]);
    firing = ["acme-prod-a120-running"];
    clock = 29_999;
    assert.equal((await handler({})).statusCode, 200, "cached");
    clock = 30_000;
    const down = await handler({});
    assert.deepEqual([down.statusCode, JSON.parse(String(down.body))], [503, { status: "degraded", watched: 150, down: 1 }]);
    assert.equal(calls.length, 4);
  });

  it("writes its warnings (a rejected probe, an unhealthy region) at WARN, which the function's application log level keeps", async () => {
    const handler = mod.createHandler(async (input) => ({ MetricAlarms: input.AlarmNames.map((AlarmName) => ({ AlarmName })) }), ["acme-prod-support-running"], DIGEST);
    const kept = await underLambdaConsole("WARN", async () => {
      await assert.rejects(handler({ type: "REQUEST", methodArn: METHOD, queryStringParameters: { probe: "e".repeat(64) } }), /Unauthorized/);
      assert.equal((await handler({})).statusCode, 503);
    });
    assert.deepEqual(kept, [
      { level: "WARN", message: { msg: "health probe rejected" } },
      { level: "WARN", message: { msg: "region unhealthy", alarms: ["acme-prod-support-running"] } },
    ]);
  });
});

describe("microagents check on stacks/medium.ts (AWS runtimes)", () => {
  for (const runtime of ["ecs", "eks"]) {
    for (const environment of ["dev", "prod"]) {
      it(`${runtime} ${environment}: zero mandatory violations`, async () => {
        const config = ["stack=medium", `runtime=${runtime}`, `environment=${environment}`].flatMap((c) => ["--config", c]);
        const r = await cli("check", "--stack", "stacks/index.ts", ...config, "--policy-config", `policies/${environment}.json`, "--format", "json");
        const report = JSON.parse(r.stdout) as { violations: Array<{ enforcement: string; ruleId: string; resource: string; message: string }> };
        assert.deepEqual(report.violations.filter((v) => v.enforcement === "mandatory").map((v) => `${v.ruleId} ${v.resource}: ${v.message}`), []);
        assert.equal(r.code, 0, r.stderr);
      });
    }
  }
});
