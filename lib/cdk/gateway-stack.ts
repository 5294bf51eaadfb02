import { createHash } from "node:crypto";
import { join } from "node:path";
import { Aws, CfnResource, Duration, RemovalPolicy, Stack, Validations, type StackProps } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import type { Construct } from "constructs";
import type { AgentPlan } from "../plan/types";
import { fleetQueueCondition } from "../targets/aws/fleet-grants";
import { ACCESS_LOG_FORMAT, ACCOUNT_LOGGING_ACTIONS, ACCOUNT_LOGGING_GROUPS, ASYNC_RESPONSES, cognitoPool, GREEDY_PARAMETERS, MAX_INTEGRATION_TIMEOUT_MS, methodThrottle, modelName, modelSchema, proxyResources, sendMessageTemplate, stageThrottle, WAF_MANAGED_RULE_GROUPS, wafRateLimit } from "../targets/aws/gateway-shape";
import type { AgentService } from "./agent-service";
import type { AgentPlatformStack } from "./platform-stack";
import { retentionFor } from "./retention";
import { tagAll } from "./tags";
import { assertFitsOneStack } from "./stack-limits";
import { failoverRegion, type FailoverRegionParts, type FailoverSide } from "./failover-entry";
import { healthRoute } from "./health-route";

type Routed = AgentPlan & { readonly route: NonNullable<AgentPlan["route"]> };

interface Authorization {
  readonly authorizationType: string;
  readonly authorizerId?: string;
  readonly apiKeyRequired?: boolean;
}

export interface AgentGatewayStackProps extends StackProps {
  readonly platform: AgentPlatformStack;
  /** The agents' services; those with async routes get one. */
  readonly services: ReadonlyArray<AgentService>;
  /**
   * This region's side of a primary-backup fleet's failover entry: the health route, the
   * host name's custom domain, the health check and the failover record (failover-entry.ts).
   * @default none
   */
  readonly failover?: FailoverSide;
}

/**
 * The entry through CDK, as the Pulumi target builds it: an API Gateway REST API (private behind
 * an execute-api VPC endpoint unless the gateway is public), TLS 1.2, a JWT
 * authorizer (Cognito's for a Cognito issuer, else the Lambda that checks tokens
 * against the issuer's JWKS) or API keys on every route unless `auth: none`, a
 * request validator and JSON-schema model per route, SQS SendMessage straight into
 * the agent's queue for async routes, throttling per route, usage plans for API-key routes, a WAF
 * web ACL with a rate rule and AWS managed rules, and encrypted access and execution
 * logs. Sync routes go through a VPC link to the fleet's internal NLB; weight-0
 * routes and every path no agent serves go to the legacy backend as HTTP proxy.
 */
export class AgentGatewayStack extends Stack {
  readonly api: apigw.CfnRestApi;
  readonly stage: apigw.CfnStage;
  /** This region's side of the failover entry, when the fleet has one. */
  readonly failover?: FailoverRegionParts;

  constructor(scope: Construct, id: string, props: AgentGatewayStackProps) {
    super(scope, id, props);
    const { platform } = props;
    const plan = platform.plan;
    const settings = plan.fleet.gateway;
    const prefix = platform.prefix;
    tagAll(this, plan.tags);
    const routed = plan.agents.filter((a): a is Routed => a.route !== undefined);
    const served = routed.filter((a) => a.route.invoke === "async" && a.route.weight > 0);
    const queues = new Map(props.services.map((s) => [s.agent.name, s.queue]));
    const stageName = plan.fleet.environment;

    const endpoint = settings.public ? undefined : this.executeApiEndpoint(platform);
    this.api = new apigw.CfnRestApi(this, "Api", {
      name: `${prefix}-agents`,
      description: `Agents of ${prefix}`,
      endpointConfiguration: endpoint ? { types: ["PRIVATE"], vpcEndpointIds: [endpoint.ref] } : { types: ["REGIONAL"] },
      securityPolicy: "TLS_1_2",
      apiKeySourceType: "HEADER",
      ...(endpoint
        ? { policy: { Version: "2012-10-17", Statement: [{ Sid: "InvokeFromFleetVpcEndpointOnly", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringEquals: { "aws:SourceVpce": endpoint.ref } } }] } }
        : {}),
    });
    const validator = new apigw.CfnRequestValidator(this, "Validator", { restApiId: this.api.ref, name: "body-and-parameters", validateRequestBody: true, validateRequestParameters: true });
    const jwt = routed.some((a) => a.route.auth === "jwt") || (settings.legacyBackend && settings.jwt) ? this.jwtAuthorizer(platform) : undefined;
    const authFor = (auth: "jwt" | "apiKey" | "none"): Authorization => {
      if (auth !== "jwt") return { authorizationType: "NONE", apiKeyRequired: auth === "apiKey" };
      if (!jwt) throw new Error("internal: a jwt route without a JWT authorizer");
      return { authorizationType: jwt.type, authorizerId: jwt.id };
    };

    const sqsRole = served.length === 0 ? undefined : new iam.Role(this, "EnqueueRole", {
      assumedBy: new iam.ServicePrincipal("apigateway.amazonaws.com", { conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } } }),
      description: "API Gateway enqueues async requests into the agents' queues",
    });
    // The fleet's input queues by tags, not one ARN per routed agent: the policy stays one size at any fleet size
    // (CloudFormation names the queues, so the tags, not the names, tell them apart).
    const fleetQueues = `arn:${Aws.PARTITION}:sqs:${this.region}:${Aws.ACCOUNT_ID}:*`;
    sqsRole?.addToPrincipalPolicy(new iam.PolicyStatement({ sid: "EnqueueToFleetInputQueues", actions: ["sqs:SendMessage"], resources: [fleetQueues], conditions: fleetQueueCondition(platform.plan.tags, "input") }));
    if (sqsRole) {
      Validations.of(sqsRole).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sqs:${this.region}:<AWS::AccountId>:*]`,
        reason: "SendMessage is held by aws:ResourceTag conditions to this fleet's and environment's input queues (microagents.io/queue-role = input); each API Gateway integration names its own agent's queue. One ARN per agent would outgrow IAM's role policy limit.",
      });
    }
    sqsRole?.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: "EncryptMessages", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [platform.key.keyArn], conditions: { StringEquals: { "kms:ViaService": `sqs.${this.region}.amazonaws.com` } } }),
    );

    const resources = new Map<string, apigw.CfnResource>();
    const resourceFor = (path: string): string => {
      if (path === "/" || path === "") return this.api.attrRootResourceId;
      const known = resources.get(path);
      if (known) return known.ref;
      const parent = resourceFor(path.slice(0, path.lastIndexOf("/")) || "/");
      const r = new apigw.CfnResource(this, `Path${path.replace(/[^A-Za-z0-9]/g, "-")}`, { restApiId: this.api.ref, parentId: parent, pathPart: path.slice(path.lastIndexOf("/") + 1) });
      resources.set(path, r);
      return r.ref;
    };
    const methods: apigw.CfnMethod[] = [];
    for (const agent of served) {
      const route = agent.route;
      const queue = this.queueOf(queues, agent.name);
      const schema = modelSchema(agent);
      const model = schema ? new apigw.CfnModel(this, `Model-${agent.name}`, { restApiId: this.api.ref, name: modelName(agent.name), contentType: "application/json", description: `Request body of ${route.path}`, schema: JSON.parse(schema) as unknown }) : undefined;
      const auth = authFor(route.auth);
      if (!sqsRole) throw new Error("internal: an async route without the enqueue role");
      const method = new apigw.CfnMethod(this, `Post-${agent.name}`, {
        restApiId: this.api.ref,
        resourceId: resourceFor(route.path),
        httpMethod: "POST",
        ...auth,
        requestValidatorId: validator.ref,
        ...(model ? { requestModels: { "application/json": model.ref } } : {}),
        integration: {
          type: "AWS",
          integrationHttpMethod: "POST",
          uri: `arn:${Aws.PARTITION}:apigateway:${this.region}:sqs:path/${Aws.ACCOUNT_ID}/${queue.queueName}`,
          credentials: sqsRole.roleArn,
          passthroughBehavior: "NEVER",
          requestParameters: { "integration.request.header.Content-Type": "'application/x-www-form-urlencoded'" },
          requestTemplates: { "application/json": sendMessageTemplate(agent.queue.fifo) },
          timeoutInMillis: Math.min(route.timeoutSeconds * 1000, MAX_INTEGRATION_TIMEOUT_MS),
          integrationResponses: [ASYNC_RESPONSES.accepted, ASYNC_RESPONSES.rejected].map((r) => ({ statusCode: r.statusCode, selectionPattern: r.selectionPattern, responseTemplates: { "application/json": r.template } })),
        },
        methodResponses: [ASYNC_RESPONSES.accepted, ASYNC_RESPONSES.rejected].map((r) => ({ statusCode: r.statusCode, responseModels: { "application/json": r.model } })),
      });
      methods.push(method);
    }
    const throttles: Array<{ path: string; method: string; perMinute: number }> = served.map((a) => ({ path: a.route.path, method: "POST", perMinute: a.route.rateLimitPerMinute }));
    const proxies = new GatewayProxies(this, this.api.ref, validator.ref, resourceFor);
    const syncRoutes = routed.filter((a) => a.route.invoke === "sync" && a.route.weight > 0);
    const edge = platform.edge;
    const vpcLink = syncRoutes.length > 0 && edge ? new apigw.CfnVpcLink(this, "VpcLink", { name: `${prefix}-agents`, description: "API Gateway to the fleet's internal NLB", targetArns: [edge.loadBalancer.loadBalancerArn] }) : undefined;
    for (const agent of routed.filter((a) => !served.includes(a))) {
      const route = agent.route;
      const timeout = Math.min(route.timeoutSeconds * 1000, MAX_INTEGRATION_TIMEOUT_MS);
      const schema = modelSchema(agent);
      const model = schema ? new apigw.CfnModel(this, `Model-${agent.name}`, { restApiId: this.api.ref, name: modelName(agent.name), contentType: "application/json", description: `Request body of ${route.path}`, schema: JSON.parse(schema) as unknown }) : undefined;
      if (route.weight === 0) {
        const legacy = settings.legacyBackend?.url;
        if (!legacy) throw new Error(`internal: route ${route.path} has weight 0 and no legacy backend`);
        methods.push(...proxies.add(agent.name, route.path, authFor(route.auth), model, { connectionType: "INTERNET", base: `${legacy.replace(/\/$/, "")}${route.path}`, timeout }));
      } else {
        const port = edge?.ports.get(agent.name);
        if (!edge || !vpcLink || port === undefined) throw new Error(`internal: sync route ${route.path} without the platform's NLB`);
        methods.push(...proxies.add(agent.name, route.path, authFor(route.auth), model, { connectionType: "VPC_LINK", connectionId: vpcLink.ref, base: `http://${edge.loadBalancer.loadBalancerDnsName}:${port}${route.path}`, timeout }));
      }
      throttles.push({ path: route.path, method: "*", perMinute: route.rateLimitPerMinute });
    }
    if (settings.legacyBackend) {
      // Paths no agent serves fall back to the monolith, authenticated like the fleet's routes.
      methods.push(...proxies.add("legacy", "/", jwt ? authFor("jwt") : authFor("apiKey"), undefined, { connectionType: "INTERNET", base: settings.legacyBackend.url.replace(/\/$/, ""), timeout: MAX_INTEGRATION_TIMEOUT_MS }));
    }

    const health = props.failover ? healthRoute(this, { platform, apiId: this.api.ref, validatorId: validator.ref, resourceFor, services: props.services }) : undefined;
    if (health) methods.push(...health.methods);
    // A new deployment (a new logical id) whenever the routes change; CloudFormation never redeploys one in place.
    const routesHash = createHash("sha256").update(JSON.stringify({ routes: routed.map((a) => ({ name: a.name, route: a.route, fifo: a.queue.fifo })), legacy: settings.legacyBackend ?? null, jwt: settings.jwt ?? null, public: settings.public, ...(health ? { health: Object.values(health.alarmNames) } : {}) })).digest("hex").slice(0, 12);
    const deployment = new apigw.CfnDeployment(this, `Deployment${routesHash}`, { restApiId: this.api.ref, description: `routes ${routesHash}` });
    deployment.node.addDependency(...methods);

    const account = this.gatewayLogging();
    const logGroup = (lid: string, logGroupName: string) =>
      new logs.LogGroup(this, lid, { logGroupName, encryptionKey: platform.key, retention: retentionFor(plan.logRetentionDays), removalPolicy: plan.fleet.environment === "prod" ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY });
    const accessLogs = logGroup("AccessLogs", `/microagents/${prefix}/api-gateway/access`);
    // API Gateway writes execution logs to this name; created first so it has retention and the fleet key.
    const executionLogs = logGroup("ExecutionLogs", `API-Gateway-Execution-Logs_${this.api.ref}/${stageName}`);
    const stageLimits = stageThrottle([60, ...routed.map((a) => a.route.rateLimitPerMinute)]);
    this.stage = new apigw.CfnStage(this, "Stage", {
      restApiId: this.api.ref,
      deploymentId: deployment.ref,
      stageName,
      description: `${prefix} agents`,
      accessLogSetting: { destinationArn: accessLogs.logGroupArn, format: ACCESS_LOG_FORMAT },
      tracingEnabled: plan.tier.tracing,
      methodSettings: [
        { resourcePath: "/*", httpMethod: "*", metricsEnabled: true, loggingLevel: plan.fleet.environment === "prod" ? "ERROR" : "INFO", dataTraceEnabled: false, throttlingRateLimit: stageLimits.rateLimit, throttlingBurstLimit: stageLimits.burstLimit },
        // Per-route limits: `/` then the resource path with its slashes escaped as `~1`.
        ...throttles.map((t) => ({ resourcePath: `/${t.path.replace(/\//g, "~1")}`, httpMethod: t.method, metricsEnabled: true, throttlingRateLimit: methodThrottle(t.perMinute).rateLimit, throttlingBurstLimit: methodThrottle(t.perMinute).burstLimit })),
      ],
    });
    this.stage.node.addDependency(account, executionLogs);
    if (routed.some((a) => a.route.auth === "apiKey") || (!jwt && settings.legacyBackend)) this.usagePlan(prefix, stageName, routed);
    this.webAcl(prefix, stageName, routed);
    if (props.failover && health) this.failover = failoverRegion(this, { plan, side: props.failover, apiId: this.api.ref, stage: this.stage, stageName, token: health.token });
    assertFitsOneStack(this, `the gateway for ${routed.length} routes`, "route fewer agents through one fleet's gateway, or split the fleet");
  }

  private cfnOf(group: logs.LogGroup): logs.CfnLogGroup {
    const cfn = group.node.defaultChild;
    if (!(cfn instanceof logs.CfnLogGroup)) throw new Error("internal: a log group without its CfnLogGroup");
    return cfn;
  }

  private queueOf(queues: ReadonlyMap<string, AgentService["queue"]>, agent: string): AgentService["queue"] {
    const queue = queues.get(agent);
    if (!queue) throw new Error(`internal: no queue for routed agent ${agent}`);
    return queue;
  }

  /** The interface endpoint a private API is reached through, open to the VPC on 443 only. */
  private executeApiEndpoint(platform: AgentPlatformStack): ec2.CfnVPCEndpoint {
    const group = new ec2.SecurityGroup(this, "EndpointAccess", { vpc: platform.vpc, description: "Private API Gateway endpoint: HTTPS from the fleet VPC only", allowAllOutbound: false });
    group.addIngressRule(ec2.Peer.ipv4(platform.vpc.vpcCidrBlock), ec2.Port.tcp(443), "HTTPS from the VPC");
    Validations.of(group).acknowledge({ id: "AwsSolutions::AwsSolutions-EC23", reason: "Ingress is HTTPS from the fleet VPC's CIDR only; the rule cannot resolve the CIDR reference and errors." });
    return new ec2.CfnVPCEndpoint(this, "ExecuteApi", {
      vpcId: platform.vpc.vpcId,
      serviceName: `com.amazonaws.${this.region}.execute-api`,
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: platform.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
      securityGroupIds: [group.securityGroupId],
    });
  }

  /** Cognito's authorizer for a Cognito issuer; otherwise the Lambda TOKEN authorizer that verifies tokens against the issuer's JWKS. */
  private jwtAuthorizer(platform: AgentPlatformStack): { id: string; type: "COGNITO_USER_POOLS" | "CUSTOM" } {
    const jwt = platform.plan.fleet.gateway.jwt;
    if (!jwt) throw new Error("internal: jwt routes without spec.gateway.jwt (the spec rejects them)");
    const pool = cognitoPool(jwt.issuer);
    if (pool) {
      const authorizer = new apigw.CfnAuthorizer(this, "Cognito", {
        restApiId: this.api.ref,
        name: "cognito",
        type: "COGNITO_USER_POOLS",
        providerArns: [`arn:${Aws.PARTITION}:cognito-idp:${pool.region}:${Aws.ACCOUNT_ID}:userpool/${pool.poolId}`],
        identitySource: "method.request.header.Authorization",
        authorizerResultTtlInSeconds: 300,
      });
      return { id: authorizer.ref, type: "COGNITO_USER_POOLS" };
    }
    const tracing = platform.plan.tier.tracing;
    const logGroup = new logs.LogGroup(this, "AuthorizerLogs", { encryptionKey: platform.key, retention: retentionFor(platform.plan.logRetentionDays), removalPolicy: RemovalPolicy.DESTROY });
    const role = new iam.Role(this, "AuthorizerRole", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"), description: "JWT authorizer Lambda: writes its logs, reads its encrypted settings" });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: "WriteOwnLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${logGroup.logGroupArn}:log-stream:*`] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: "DecryptOwnSettings", actions: ["kms:Decrypt"], resources: [platform.key.keyArn], conditions: { StringEquals: { "kms:ViaService": `lambda.${this.region}.amazonaws.com` } } }));
    const fn = new lambda.Function(this, "Authorizer", {
      description: `Verifies ${jwt.issuer} tokens for ${platform.prefix}`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: "jwt.handler",
      code: lambda.Code.fromAsset(join(__dirname, "..", "targets", "aws", "authorizer")),
      role,
      timeout: Duration.seconds(5),
      memorySize: 256,
      environmentEncryption: platform.key,
      environment: { JWT_ISSUER: jwt.issuer, JWT_JWKS_URI: jwt.jwksUri, JWT_AUDIENCES: jwt.audiences.join(",") },
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.WARN,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.PASS_THROUGH,
    });
    const authorizer = new apigw.CfnAuthorizer(this, "Jwt", {
      restApiId: this.api.ref,
      name: "jwt",
      type: "TOKEN",
      authorizerUri: `arn:${Aws.PARTITION}:apigateway:${this.region}:lambda:path/2015-03-31/functions/${fn.functionArn}/invocations`,
      identitySource: "method.request.header.Authorization",
      identityValidationExpression: "^Bearer [-0-9A-Za-z_.~+/]+=*$",
      authorizerResultTtlInSeconds: 300,
    });
    new lambda.CfnPermission(this, "AuthorizerInvoke", {
      action: "lambda:InvokeFunction",
      functionName: fn.functionName,
      principal: "apigateway.amazonaws.com",
      sourceArn: `arn:${Aws.PARTITION}:execute-api:${this.region}:${Aws.ACCOUNT_ID}:${this.api.ref}/authorizers/${authorizer.ref}`,
    });
    Validations.of(this).acknowledge({
      id: "AwsSolutions::AwsSolutions-COG4",
      reason: "The issuer is not a Cognito user pool: a Lambda TOKEN authorizer verifies its JWTs against the issuer's JWKS (signature, issuer, audience, expiry).",
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.resolve(this.getLogicalId(this.cfnOf(logGroup)))}.Arn>:log-stream:*]`,
      reason: "Lambda names its log streams at run time; the role may write only to streams of its own log group.",
    });
    Validations.of(role).acknowledge({ id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]", reason: "X-Ray trace writes (added with active tracing) name no resource." });
    return { id: authorizer.ref, type: "CUSTOM" };
  }

  /**
   * The account-level role API Gateway writes logs with: one setting per account and
   * region, shared by the fleets (the last stack to set it wins), so the role serves
   * every fleet's gateway logs and API Gateway's test write (ACCOUNT_LOGGING_GROUPS),
   * and is kept, like the setting, when the stack is deleted.
   */
  private gatewayLogging(): apigw.CfnAccount {
    const role = new iam.Role(this, "LoggingRole", { assumedBy: new iam.ServicePrincipal("apigateway.amazonaws.com"), description: "API Gateway writes execution and access logs (account setting, shared by the region's fleets)" });
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const groups = `arn:${Aws.PARTITION}:logs:${this.region}:${Aws.ACCOUNT_ID}:log-group`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: "WriteGatewayLogs", actions: [...ACCOUNT_LOGGING_ACTIONS], resources: ACCOUNT_LOGGING_GROUPS.map((g) => `${groups}:${g}`) }));
    const policy = role.node.tryFindChild("DefaultPolicy");
    if (policy) policy.node.findAll().forEach((c) => { if (c instanceof CfnResource) c.applyRemovalPolicy(RemovalPolicy.RETAIN); });
    for (const groupsPattern of ACCOUNT_LOGGING_GROUPS.filter((g) => g.includes("*"))) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${this.region}:<AWS::AccountId>:log-group:${groupsPattern}]`,
        reason: "API Gateway names the execution log groups by API id and stage and writes streams it names itself; the account-level role serves every fleet's gateway in the region (the setting is one per account), so it covers their execution and access log groups, and nothing else.",
      });
    }
    const account = new apigw.CfnAccount(this, "Account", { cloudWatchRoleArn: role.roleArn });
    account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    return account;
  }

  /** Per-key limits for API-key routes: a usage plan on the stage and one key for the platform team to hand out. */
  private usagePlan(prefix: string, stageName: string, served: ReadonlyArray<Routed>): void {
    const keyed = served.filter((a) => a.route.auth === "apiKey");
    const plan = new apigw.CfnUsagePlan(this, "UsagePlan", {
      usagePlanName: `${prefix}-agents`,
      description: "Rate limits for API-key callers",
      apiStages: [{ apiId: this.api.ref, stage: stageName, throttle: Object.fromEntries(keyed.map((a) => [`${a.route.path}/${a.route.invoke === "async" && a.route.weight > 0 ? "POST" : "ANY"}`, { rateLimit: Math.max(1, a.route.rateLimitPerMinute / 60), burstLimit: Math.max(1, Math.ceil(a.route.rateLimitPerMinute / 30)) }])) }],
      throttle: { rateLimit: Math.max(1, Math.max(60, ...keyed.map((a) => a.route.rateLimitPerMinute)) / 60), burstLimit: 20 },
    });
    plan.node.addDependency(this.stage);
    const key = new apigw.CfnApiKey(this, "ApiKey", { name: `${prefix}-default`, description: "First API key of the fleet; add more per caller", enabled: true });
    new apigw.CfnUsagePlanKey(this, "UsagePlanKey", { keyId: key.ref, keyType: "API_KEY", usagePlanId: plan.ref });
  }

  /** WAF in front of the stage: a per-IP rate rule from the routes' limits, and AWS's common and known-bad-inputs rule groups. */
  private webAcl(prefix: string, stageName: string, served: ReadonlyArray<Routed>): void {
    const metric = (id: string) => ({ cloudWatchMetricsEnabled: true, metricName: `${prefix}-${id}`.replace(/[^A-Za-z0-9_-]/g, "-"), sampledRequestsEnabled: true });
    const managed = (priority: number, name: string) => ({ name, priority, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name } }, visibilityConfig: metric(name) });
    const acl = new wafv2.CfnWebACL(this, "Waf", {
      name: `${prefix}-agents`,
      description: `Rate limit and managed rules for the gateway of ${prefix}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rules: [
        { name: "rate-limit-per-ip", priority: 0, action: { block: {} }, statement: { rateBasedStatement: { limit: wafRateLimit(served), aggregateKeyType: "IP", evaluationWindowSec: 300 } }, visibilityConfig: metric("rate-limit") },
        ...WAF_MANAGED_RULE_GROUPS.map((group, i) => managed(i + 1, group)),
      ],
      visibilityConfig: metric("acl"),
    });
    // The stage by its name, as its ARN has it (a Ref to a stage is its name too).
    const association = new wafv2.CfnWebACLAssociation(this, "WafOnStage", { resourceArn: `arn:${Aws.PARTITION}:apigateway:${this.region}::/restapis/${this.api.ref}/stages/${stageName}`, webAclArn: acl.attrArn });
    association.node.addDependency(this.stage);
  }
}

interface ProxyTarget {
  readonly connectionType: "INTERNET" | "VPC_LINK";
  readonly connectionId?: string;
  readonly base: string;
  readonly timeout: number;
}

/** ANY on a path and on its `{proxy+}` children, proxied over HTTP to a sync agent (through the VPC link) or to the legacy backend. */
class GatewayProxies {
  constructor(
    private readonly scope: Construct,
    private readonly apiId: string,
    private readonly validatorId: string,
    private readonly resourceFor: (path: string) => string,
  ) {}

  add(id: string, path: string, auth: Authorization, model: apigw.CfnModel | undefined, target: ProxyTarget): apigw.CfnMethod[] {
    return proxyResources(path).map(
      (e) =>
        new apigw.CfnMethod(this.scope, `Any-${id}${e.suffix}`, {
          restApiId: this.apiId,
          resourceId: this.resourceFor(e.path),
          httpMethod: "ANY",
          ...auth,
          requestValidatorId: this.validatorId,
          ...(!e.greedy && model ? { requestModels: { "application/json": model.ref } } : {}),
          ...(e.greedy ? { requestParameters: { ...GREEDY_PARAMETERS.method } } : {}),
          integration: {
            type: "HTTP_PROXY",
            integrationHttpMethod: "ANY",
            uri: e.greedy ? `${target.base}/{proxy}` : target.base,
            connectionType: target.connectionType,
            ...(target.connectionId ? { connectionId: target.connectionId } : {}),
            ...(e.greedy ? { requestParameters: { ...GREEDY_PARAMETERS.integration } } : {}),
            timeoutInMillis: target.timeout,
          },
        }),
    );
  }
}
