import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { AgentBroker } from "../../lib/components/agent-broker";
import { AgentPlatform } from "../../lib/components/agent-platform";
import { AgentStateStore } from "../../lib/components/agent-state-store";
import { MicroAgentService } from "../../lib/components/micro-agent-service";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import { ACCESS_LOG_FORMAT, authorizerSource } from "../../lib/targets/aws/gateway-shape";
import { ERROR_RATE_EXPRESSION } from "../../lib/targets/aws/observability";
import { TABLE_ACTIONS, TASKS_BY_STATUS_INDEX } from "../../lib/targets/aws/state-store";
import { agent, awsFleet, json, JWT, list, planAws, type Statement } from "../helpers/aws";
import { at, one, ofType } from "../helpers/offline";

/** The constructs ECS and EKS share (lib/targets/aws), exercised on ECS. */
const fleet = awsFleet(
  "ecs",
  [
    agent("intake", { route: { path: "/in", auth: "apiKey", rateLimitPerMinute: 120 }, queue: { fifo: true } }),
    agent("sync", { route: { path: "/sync/{id}", invoke: "sync", auth: "jwt", timeoutSeconds: 60, schema: { type: "object", required: ["q"] } }, latencyTargetMs: 800 }),
    agent("old", { route: { path: "/old", weight: 0 } }),
  ],
  { gateway: { jwt: JWT, legacyBackend: { url: "https://monolith.acme.example/" } } },
);
const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const A = {
  method: "aws:apigateway/method:Method",
  integration: "aws:apigateway/integration:Integration",
  settings: "aws:apigateway/methodSettings:MethodSettings",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};
const statements = (g: ResourceGraph, type: string, name: string, field = "policy") => (json(one(g, type, name).inputs[field]) as { Statement: Statement[] }).Statement;

describe("AgentGateway on AWS", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await planAws(fleet);
  });

  it("is a private REST API behind an execute-api endpoint only the VPC reaches, TLS 1.2 at least", () => {
    const api = one(g, "aws:apigateway/restApi:RestApi", "acme-gateway");
    const vpce = one(g, "aws:ec2/vpcEndpoint:VpcEndpoint", "acme-gateway-execute-api");
    const vpceId = at(api, "endpointConfiguration", "vpcEndpointIds", 0);
    assert.match(String(vpceId), /^vpce-/);
    assert.deepEqual(api.inputs.endpointConfiguration, { types: "PRIVATE", vpcEndpointIds: [vpceId] });
    assert.equal(api.inputs.securityPolicy, "TLS_1_2");
    assert.deepEqual(statements(g, "aws:apigateway/restApi:RestApi", "acme-gateway")[0].Condition, { StringEquals: { "aws:SourceVpce": vpceId } });
    assert.equal(vpce.inputs.privateDnsEnabled, true);
    assert.deepEqual(one(g, "aws:ec2/securityGroup:SecurityGroup", "acme-gateway-endpoint").inputs.ingress, [{ description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }]);
  });

  it("authenticates every route: API keys, the JWT authorizer, and the legacy fallback with the JWT authorizer too", () => {
    const auth = (name: string) => {
      const m = one(g, A.method, name);
      return [m.inputs.httpMethod, m.inputs.authorization, m.inputs.apiKeyRequired, m.inputs.authorizerId];
    };
    assert.deepEqual(auth("acme-gateway-intake"), ["POST", "NONE", true, undefined]);
    assert.deepEqual(auth("acme-gateway-sync"), ["ANY", "CUSTOM", false, "jwt"]);
    assert.deepEqual(auth("acme-gateway-old"), ["ANY", "CUSTOM", false, "jwt"], "a route sent to the monolith keeps its own auth");
    assert.deepEqual(auth("acme-gateway-legacy"), ["ANY", "CUSTOM", false, "jwt"]);
    assert.deepEqual(auth("acme-gateway-legacy-proxy"), ["ANY", "CUSTOM", false, "jwt"]);
    for (const m of ofType(g, A.method)) assert.ok(m.inputs.authorization !== "NONE" || m.inputs.apiKeyRequired === true, `${m.name} is authenticated`);
  });

  it("verifies JWTs in a Lambda authorizer that knows the issuer, JWKS and audiences", () => {
    const fn = one(g, "aws:lambda/function:Function", "acme-gateway-authorizer");
    assert.deepEqual(at(fn, "environment", "variables"), { JWT_ISSUER: JWT.issuer, JWT_JWKS_URI: JWT.jwksUri, JWT_AUDIENCES: "agents" });
    assert.deepEqual([fn.inputs.runtime, fn.inputs.handler, fn.inputs.timeout], ["nodejs22.x", "index.handler", 5]);
    assert.equal(fn.inputs.kmsKeyArn, ofType(g, "aws:kms/key:Key")[0].outputs.arn);
    assert.ok(authorizerSource().includes("export async function handler"));
    const authorizer = one(g, "aws:apigateway/authorizer:Authorizer", "acme-gateway-jwt");
    assert.deepEqual([authorizer.inputs.type, authorizer.inputs.identitySource, authorizer.inputs.authorizerResultTtlInSeconds], ["TOKEN", "method.request.header.Authorization", 300]);
    assert.equal(authorizer.inputs.authorizerUri, fn.outputs.invokeArn);
    assert.match(String(one(g, "aws:lambda/permission:Permission", "acme-gateway-authorizer").inputs.sourceArn), /^arn:aws:execute-api:eu-west-1:123456789012:[0-9a-f]{10}\/authorizers\/jwt$/);
  });

  it("enqueues async requests straight into the agent's queue with a role that may only send there", () => {
    const i = one(g, A.integration, "acme-gateway-intake");
    assert.equal(i.inputs.type, "AWS");
    assert.equal(i.inputs.uri, `arn:aws:apigateway:${REGION}:sqs:path/${ACCOUNT}/acme-prod-intake.fifo`);
    assert.deepEqual(i.inputs.requestParameters, { "integration.request.header.Content-Type": "'application/x-www-form-urlencoded'" });
    assert.match(String(at(i, "requestTemplates", "application/json")), /MessageDeduplicationId=\$context\.requestId/);
    const role = statements(g, A.rolePolicy, "acme-gateway-sqs");
    // The fleet's input queues by name and tags, one statement at any fleet size; the integration names the agent's queue.
    const inputTags = { "aws:ResourceTag/fleet": "acme", "aws:ResourceTag/environment": "prod", "aws:ResourceTag/microagents.io/queue-role": "input" };
    assert.deepEqual(role[0], { Sid: "EnqueueToFleetInputQueues", Effect: "Allow", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:acme-prod-*`, Condition: { StringEquals: inputTags } });
    assert.equal(at(one(g, "aws:sqs/queue:Queue", "acme-intake-queue"), "tags", "microagents.io/queue-role"), "input");
    assert.equal(i.inputs.credentials, one(g, "aws:iam/role:Role", "acme-gateway-sqs").outputs.arn);
  });

  it("proxies sync routes through a VPC link to the internal NLB, and weight-0 routes and unknown paths to the monolith", () => {
    const link = one(g, "aws:apigateway/vpcLink:VpcLink", "acme-gateway");
    assert.equal(link.inputs.targetArn, one(g, "aws:lb/loadBalancer:LoadBalancer", "acme-edge").outputs.arn);
    const nlbDns = one(g, "aws:lb/loadBalancer:LoadBalancer", "acme-edge").outputs.dnsName;
    const sync = one(g, A.integration, "acme-gateway-sync");
    assert.deepEqual([sync.inputs.type, sync.inputs.connectionType, sync.inputs.uri, sync.inputs.timeoutMilliseconds], ["HTTP_PROXY", "VPC_LINK", `http://${nlbDns}:10001/sync/{id}`, 29000]);
    assert.equal(one(g, A.integration, "acme-gateway-sync-proxy").inputs.uri, `http://${nlbDns}:10001/sync/{id}/{proxy}`);
    const old = one(g, A.integration, "acme-gateway-old");
    assert.deepEqual([old.inputs.type, old.inputs.connectionType, old.inputs.uri], ["HTTP_PROXY", "INTERNET", "https://monolith.acme.example/old"]);
    assert.equal(one(g, A.integration, "acme-gateway-legacy-proxy").inputs.uri, "https://monolith.acme.example/{proxy}");
    assert.equal(one(g, "aws:lb/loadBalancer:LoadBalancer", "acme-edge").inputs.internal, true);
  });

  it("validates request bodies against the route's JSON schema", () => {
    const model = one(g, "aws:apigateway/model:Model", "acme-gateway-sync");
    assert.deepEqual(json(model.inputs.schema), { type: "object", required: ["q"], $schema: "http://json-schema.org/draft-04/schema#", title: "SyncRequest" });
    const method = one(g, A.method, "acme-gateway-sync");
    assert.deepEqual(method.inputs.requestModels, { "application/json": "SyncRequest" });
    assert.equal(method.inputs.requestValidatorId, "body-and-parameters");
    const v = one(g, "aws:apigateway/requestValidator:RequestValidator", "acme-gateway");
    assert.deepEqual([v.inputs.validateRequestBody, v.inputs.validateRequestParameters], [true, true]);
  });

  it("throttles per route, holds API-key callers to a usage plan, and puts WAF with a per-IP rate rule in front", () => {
    assert.deepEqual(one(g, A.settings, "acme-gateway-in-throttle").inputs.settings, { metricsEnabled: true, throttlingRateLimit: 2, throttlingBurstLimit: 4 });
    assert.equal(one(g, A.settings, "acme-gateway-in-throttle").inputs.methodPath, "in/POST");
    assert.equal(at(one(g, A.settings, "acme-gateway-all"), "settings", "loggingLevel"), "ERROR");
    const plan = one(g, "aws:apigateway/usagePlan:UsagePlan", "acme-gateway");
    assert.deepEqual(at(plan, "apiStages", 0, "throttles"), [{ path: "/in/POST", rateLimit: 2, burstLimit: 4 }]);
    assert.equal(one(g, "aws:apigateway/usagePlanKey:UsagePlanKey", "acme-gateway").inputs.keyType, "API_KEY");
    const acl = one(g, "aws:wafv2/webAcl:WebAcl", "acme-gateway");
    assert.deepEqual(at(acl, "rules", 0, "statement"), { rateBasedStatement: { limit: (120 + 600 + 600) * 5, aggregateKeyType: "IP", evaluationWindowSec: 300 } });
    assert.deepEqual((acl.inputs.rules as Array<{ name: string }>).map((r) => r.name), ["rate-limit-per-ip", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"]);
    assert.equal(one(g, "aws:wafv2/webAclAssociation:WebAclAssociation", "acme-gateway").inputs.resourceArn, one(g, "aws:apigateway/stage:Stage", "acme-gateway").outputs.arn);
  });

  it("logs every request to an encrypted access log, and creates the execution log group before API Gateway does", () => {
    const stage = one(g, "aws:apigateway/stage:Stage", "acme-gateway");
    assert.deepEqual(stage.inputs.accessLogSettings, { destinationArn: one(g, "aws:cloudwatch/logGroup:LogGroup", "acme-gateway-access").outputs.arn, format: ACCESS_LOG_FORMAT });
    assert.equal(stage.inputs.stageName, "prod");
    assert.match(String(one(g, "aws:cloudwatch/logGroup:LogGroup", "acme-gateway-execution").inputs.name), /^API-Gateway-Execution-Logs_[0-9a-f]{10}\/prod$/);
    assert.equal(one(g, "aws:apigateway/account:Account", "acme-gateway").inputs.cloudwatchRoleArn, one(g, "aws:iam/role:Role", "acme-gateway-cloudwatch").outputs.arn);
    // The account setting is shared by the region's fleets: the role serves any fleet's gateway logs and API Gateway's test write.
    const logging = statements(g, A.rolePolicy, "acme-gateway-cloudwatch");
    const groups = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group`;
    assert.deepEqual(logging[0].Resource, [`${groups}:API-Gateway-Execution-Logs_*`, `${groups}:/aws/apigateway/welcome`, `${groups}:/microagents/*/api-gateway/*`]);
  });
});

describe("AgentStateStore on AWS", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await planAws(fleet);
  });

  it("keeps tasks in a table indexed by status and priority, with TTL, PITR, the fleet key and deletion protection", () => {
    const t = one(g, "aws:dynamodb/table:Table", "acme-state-tasks");
    const keyArn = ofType(g, "aws:kms/key:Key")[0].outputs.arn;
    assert.deepEqual(
      { ...t.inputs, tags: undefined },
      {
        name: "acme-prod-tasks",
        hashKey: "taskId",
        attributes: [
          { name: "taskId", type: "S" },
          { name: "status", type: "S" },
          { name: "priority", type: "N" },
        ],
        globalSecondaryIndexes: [{ name: TASKS_BY_STATUS_INDEX, hashKey: "status", rangeKey: "priority", projectionType: "ALL" }],
        billingMode: "PAY_PER_REQUEST",
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: keyArn },
        deletionProtectionEnabled: true,
        ttl: { attributeName: "expiresAt", enabled: true },
        tags: undefined,
      },
    );
    assert.deepEqual([one(g, "aws:dynamodb/table:Table", "acme-state-context").inputs.hashKey, one(g, "aws:dynamodb/table:Table", "acme-state-context").inputs.rangeKey], ["contextId", "key"]);
  });

  it("caches results in Valkey Serverless with IAM users per agent, snapshots, and ingress only from the agents", () => {
    const cache = one(g, "aws:elasticache/serverlessCache:ServerlessCache", "acme-state-results");
    assert.deepEqual([cache.inputs.engine, cache.inputs.majorEngineVersion, cache.inputs.snapshotRetentionLimit, cache.inputs.name], ["valkey", "8", 7, "acme-prod-results"]);
    const users = ofType(g, "aws:elasticache/user:User");
    assert.deepEqual(users.map((u) => [u.inputs.userName, at(u, "authenticationMode", "type"), u.inputs.accessString]).sort(), [
      ["acme-prod-intake", "iam", "on ~intake:* &intake:* -@all +@read +@write +@connection -@dangerous -scan -randomkey"],
      ["acme-prod-old", "iam", "on ~old:* &old:* -@all +@read +@write +@connection -@dangerous -scan -randomkey"],
      ["acme-prod-sync", "iam", "on ~sync:* &sync:* -@all +@read +@write +@connection -@dangerous -scan -randomkey"],
      ["default", "no-password-required", "off -@all"],
    ]);
    const sg = one(g, "aws:ec2/securityGroup:SecurityGroup", "acme-state-cache");
    const agentSgs = ["acme-intake", "acme-sync", "acme-old"].map((n) => at(one(g, "aws:ecs/service:Service", n), "networkConfiguration", "securityGroups", 0));
    assert.deepEqual(sg.inputs.ingress, [{ description: "fleet agents", protocol: "tcp", fromPort: 6379, toPort: 6380, securityGroups: agentSgs }]);
    assert.deepEqual(sg.inputs.egress, []);
  });

  it("gives the small tier a Postgres database: encrypted, backed up, deletion-protected, TLS forced, IAM auth, logs kept", () => {
    const db = one(g, "aws:rds/instance:Instance", "acme-state-database");
    const i = db.inputs;
    assert.deepEqual(
      [i.engine, i.engineVersion, i.instanceClass, i.storageEncrypted, i.backupRetentionPeriod, i.deletionProtection, i.publiclyAccessible, i.iamDatabaseAuthenticationEnabled, i.manageMasterUserPassword, i.multiAz],
      ["postgres", "17", "db.t4g.small", true, 14, true, false, true, true, false],
    );
    assert.deepEqual(one(g, "aws:rds/parameterGroup:ParameterGroup", "acme-state-database").inputs.parameters, [
      { name: "rds.force_ssl", value: "1" },
      { name: "log_min_duration_statement", value: "1000" },
    ]);
    assert.deepEqual(ofType(g, "aws:cloudwatch/logGroup:LogGroup").filter((l) => String(l.inputs.name).startsWith("/aws/rds/")).map((l) => l.inputs.name).sort(), ["/aws/rds/instance/acme-prod-shared/postgresql", "/aws/rds/instance/acme-prod-shared/upgrade"]);
    assert.equal(ofType(g, "aws:rds/proxy:Proxy").length, 0, "the small tier does not pool connections");
  });

  it("lets each agent use exactly the shared tables, its own cache user and its own database user", () => {
    const s = statements(g, A.rolePolicy, "acme-state-sync");
    const tasks = one(g, "aws:dynamodb/table:Table", "acme-state-tasks").outputs.arn;
    assert.deepEqual(s[0], { Sid: "UseSharedTables", Effect: "Allow", Action: [...TABLE_ACTIONS], Resource: [tasks, `${tasks}/index/${TASKS_BY_STATUS_INDEX}`, one(g, "aws:dynamodb/table:Table", "acme-state-context").outputs.arn] });
    assert.deepEqual(list(s[1].Resource), [one(g, "aws:elasticache/serverlessCache:ServerlessCache", "acme-state-results").outputs.arn, one(g, "aws:elasticache/user:User", "acme-state-cache-sync").outputs.arn]);
    const dbResource = one(g, "aws:rds/instance:Instance", "acme-state-database").outputs.resourceId;
    assert.equal(s[2].Resource, `arn:aws:rds-db:${REGION}:${ACCOUNT}:dbuser:${dbResource}/agent_sync`);
    assert.equal(one(g, A.rolePolicy, "acme-state-sync").inputs.role, one(g, "aws:iam/role:Role", "acme-sync-task").outputs.name);
  });

  it("publishes the endpoints in one SSM parameter the agents may read", () => {
    const p = one(g, "aws:ssm/parameter:Parameter", "acme-state-endpoints");
    assert.equal(p.inputs.name, "/microagents/acme-prod/state");
    const value = json(p.inputs.insecureValue) as Record<string, unknown>;
    assert.equal(value.tasksTable, "acme-prod-tasks");
    assert.deepEqual(at({ inputs: value }, "resultsCache", "users"), { intake: "acme-prod-intake", sync: "acme-prod-sync", old: "acme-prod-old" });
    assert.equal(at({ inputs: value }, "database", "auth"), "iam");
  });

  it("puts RDS Proxy in front of Postgres when pooling is on, with IAM auth end to end", async () => {
    const pooled = await runOffline(() => {
      const platform = new AgentPlatform("acme", { fleet: awsFleet("ecs", [agent("w")], { tier: "medium" }) });
      const broker = new AgentBroker("acme", { platform });
      const service = new MicroAgentService("acme-w", { platform, broker, agent: "w" });
      new AgentStateStore("acme-state", { platform, services: [service], database: true });
    });
    const proxy = one(pooled, "aws:rds/proxy:Proxy", "acme-state-proxy");
    assert.deepEqual([proxy.inputs.engineFamily, proxy.inputs.defaultAuthScheme, proxy.inputs.requireTls], ["POSTGRESQL", "IAM_AUTH", true]);
    assert.equal(one(pooled, "aws:rds/proxyTarget:ProxyTarget", "acme-state-proxy").inputs.dbInstanceIdentifier, "acme-prod-shared");
    const dbSg = one(pooled, "aws:ec2/securityGroup:SecurityGroup", "acme-state-database");
    assert.deepEqual(at(dbSg, "ingress", 0, "securityGroups"), [at(proxy, "vpcSecurityGroupIds", 0)], "only the proxy reaches the database");
    const s = (json(one(pooled, A.rolePolicy, "acme-state-w").inputs.policy) as { Statement: Statement[] }).Statement;
    assert.match(String(s[2].Resource), /^arn:aws:rds-db:eu-west-1:123456789012:dbuser:prx-[0-9a-f]{17}\/agent_w$/);
    // The proxy signs in as every agent's user by the naming convention: one ARN however many agents there are.
    const proxyRole = (json(one(pooled, A.rolePolicy, "acme-state-proxy").inputs.policy) as { Statement: Statement[] }).Statement;
    assert.deepEqual(proxyRole.map((p) => [p.Sid, p.Action, p.Resource]), [["ConnectAsAgentUsers", "rds-db:connect", `arn:aws:rds-db:eu-west-1:123456789012:dbuser:${db0(pooled)}/agent_*`]]);
    const db = one(pooled, "aws:rds/instance:Instance", "acme-state-database");
    assert.deepEqual([db.inputs.instanceClass, db.inputs.multiAz], ["db.m7g.large", true]);
  });
});

function db0(g: ResourceGraph): string {
  return String(one(g, "aws:rds/instance:Instance", "acme-state-database").outputs.resourceId);
}

describe("ObservabilityStack on AWS", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await planAws(fleet);
  });

  it("alarms at the seed's thresholds and the agent's latency target, to the alarm topic", () => {
    const topic = one(g, "aws:sns/topic:Topic", "acme-alarms").outputs.arn;
    const alarms = ofType(g, A.alarm).filter((a) => a.name.startsWith("acme-observability-sync-"));
    assert.deepEqual(alarms.map((a) => [a.name.replace("acme-observability-sync-", ""), a.inputs.threshold, a.inputs.comparisonOperator]).sort(), [
      ["dead-letters", 0, "GreaterThanThreshold"],
      ["error-rate", 10, "GreaterThanThreshold"],
      ["memory", 90, "GreaterThanThreshold"],
      ["p95-latency", 800, "GreaterThanThreshold"],
      ["queue-depth", 100, "GreaterThanThreshold"],
    ]);
    for (const a of alarms) assert.deepEqual([a.inputs.alarmActions, a.inputs.okActions], [[topic], [topic]]);
    const latency = one(g, A.alarm, "acme-observability-sync-p95-latency");
    assert.deepEqual([latency.inputs.namespace, latency.inputs.metricName, latency.inputs.extendedStatistic], ["MicroAgents/acme-prod/sync", "LatencyMs", "p95"]);
    assert.deepEqual(one(g, A.alarm, "acme-observability-sync-dead-letters").inputs.dimensions, { QueueName: "acme-prod-sync-dlq" });
    assert.deepEqual(one(g, A.alarm, "acme-observability-sync-memory").inputs.dimensions, { ClusterName: "acme-prod", ServiceName: "sync" });
    const rate = one(g, A.alarm, "acme-observability-sync-error-rate");
    assert.equal((rate.inputs.metricQueries as Array<{ expression?: string }>)[2].expression, ERROR_RATE_EXPRESSION);
  });

  it("counts errors, processed messages and latency from the agents' logs", () => {
    const f = one(g, "aws:cloudwatch/logMetricFilter:LogMetricFilter", "acme-observability-sync-errors");
    assert.deepEqual([f.inputs.logGroupName, f.inputs.pattern], ["/microagents/acme-prod/sync", '{ $.level = "error" || $.level = "ERROR" }']);
    assert.equal(at(one(g, "aws:cloudwatch/logMetricFilter:LogMetricFilter", "acme-observability-sync-latency"), "metricTransformation", "value"), "$.latencyMs");
  });

  it("draws one dashboard with a row of eight widgets per agent", () => {
    const d = one(g, "aws:cloudwatch/dashboard:Dashboard", "acme-observability");
    const body = json(d.inputs.dashboardBody) as { widgets: Array<{ properties: { title?: string } }> };
    assert.equal(body.widgets.length, 1 + 3 * 8);
    const titles = body.widgets.map((w) => w.properties.title).filter((t) => t?.startsWith("sync:"));
    assert.deepEqual(titles, ["sync: queue depth", "sync: oldest message (s)", "sync: replicas", "sync: CPU %", "sync: memory %", "sync: errors", "sync: p95 latency (ms)", "sync: dead letters"]);
  });
});
