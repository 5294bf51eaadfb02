import { createHash } from "node:crypto";
import * as apigateway from "@pulumi/aws/apigateway";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import * as wafv2 from "@pulumi/aws/wafv2";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import type { GatewaySettings } from "../../spec/types";
import type { GatewayOutputs, GatewayScope } from "../target";
import { policyJson, serviceTrust } from "./iam";
import { awsLandings, childOpts, queueOf, type AwsLanding } from "./landing";
import { logGroup } from "./logs";
import { awsName, NAME_LIMITS } from "./names";
import { ACCESS_LOG_FORMAT, ACCOUNT_LOGGING_ACTIONS, ACCOUNT_LOGGING_GROUPS, ASYNC_RESPONSES, authorizerSource, cognitoPool, GREEDY_PARAMETERS, MAX_INTEGRATION_TIMEOUT_MS, methodPath, methodThrottle, modelName, modelSchema, proxyResources, sendMessageTemplate, stageThrottle, WAF_MANAGED_RULE_GROUPS, wafRateLimit } from "./gateway-shape";
import { awsTags } from "./tags";
import { fleetQueueCondition, fleetQueuesArn } from "./fleet-grants";
import { behindEntry } from "../../plan/topology";
import { awsFailoverPair, HEALTH_PATH } from "./failover-shape";
import { awsGatewayHandles, healthRoute } from "./health";
import { fleetFunction } from "./lambda";
import { FRONT_DOOR_ID_HEADER, FRONT_DOOR_SOCKET_IP_HEADER, frontDoorEdgeOf, type FrontDoorEdgeHandle } from "../front-door-entry";

interface Authorization {
  readonly authorization: string;
  readonly authorizerId?: pulumi.Input<string>;
  readonly apiKeyRequired: boolean;
}

/**
 * The entry on AWS: an API Gateway REST API (regional when the gateway is public,
 * otherwise private behind an execute-api VPC endpoint that only the VPC can
 * reach), with a JWT authorizer (Cognito when the issuer is a Cognito pool, else a
 * Lambda that verifies tokens against the issuer's JWKS) or API keys on every
 * route unless `auth: none`; a request validator and a JSON-schema model per route
 * schema; SQS SendMessage straight into the agent's queue for async routes; a VPC
 * link to the internal NLB for sync routes; the legacy backend as HTTP proxy for
 * weight-0 routes and for every path no agent serves; stage and per-route
 * throttling, usage plans for API-key routes, a WAF web ACL with a rate-based rule
 * and AWS managed rules, access and execution logs (encrypted, retained), X-Ray
 * where the tier traces, and TLS 1.2 as the minimum.
 */
export function awsGateway(scope: GatewayScope): GatewayOutputs {
  const landing = awsLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const settings = scope.settings;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const tags = plan.tags;
  const prefix = landing.prefix;
  const routed = scope.services.map((s) => s.agent).filter((a): a is AgentPlan & { route: NonNullable<AgentPlan["route"]> } => a.route !== undefined);
  const stageName = plan.fleet.environment;

  const endpoint = settings.public ? undefined : executeApiEndpoint(name, landing, tags, opts);
  const api = new apigateway.RestApi(
    name,
    {
      name: awsName([prefix, "agents"], NAME_LIMITS.apiName),
      description: `Agents of ${prefix}`,
      endpointConfiguration: endpoint ? { types: "PRIVATE", vpcEndpointIds: [endpoint.id] } : { types: "REGIONAL" },
      securityPolicy: "TLS_1_2",
      apiKeySource: "HEADER",
      ...(endpoint
        ? {
            policy: policyJson([
              { Sid: "InvokeFromFleetVpcEndpointOnly", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringEquals: { "aws:SourceVpce": endpoint.id } } },
            ]),
          }
        : {}),
      tags: awsTags(tags, awsName([prefix, "agents"], NAME_LIMITS.apiName)),
    },
    opts,
  );
  const validator = new apigateway.RequestValidator(name, { restApi: api.id, name: "body-and-parameters", validateRequestBody: true, validateRequestParameters: true }, opts);

  const jwtAuth = routed.some((a) => a.route.auth === "jwt") || (settings.legacyBackend && settings.jwt) ? jwtAuthorizer(name, landing, settings, api, plan.tier.tracing, tags, opts) : undefined;
  const authFor = (auth: "jwt" | "apiKey" | "none"): Authorization => {
    if (auth === "jwt") {
      if (!jwtAuth) throw new Error("unreachable: a jwt route without a JWT authorizer");
      return { authorization: jwtAuth.type, authorizerId: jwtAuth.id, apiKeyRequired: false };
    }
    return { authorization: "NONE", apiKeyRequired: auth === "apiKey" };
  };
  // Paths no agent serves fall back to the monolith, authenticated like the fleet's routes.
  const fallbackAuth: Authorization = jwtAuth ? authFor("jwt") : authFor("apiKey");

  const resources = new Map<string, apigateway.Resource>();
  const resourceFor = (path: string): pulumi.Output<string> => {
    if (path === "/" || path === "") return api.rootResourceId;
    const existing = resources.get(path);
    if (existing) return existing.id;
    const parentPath = path.slice(0, path.lastIndexOf("/")) || "/";
    const parentId = resourceFor(parentPath);
    const part = path.slice(path.lastIndexOf("/") + 1);
    const r = new apigateway.Resource(`${name}${path.replace(/[{}+]/g, "").replace(/\//g, "-")}`, { restApi: api.id, parentId, pathPart: part }, opts);
    resources.set(path, r);
    return r.id;
  };

  const methods: pulumi.Resource[] = [];
  // Behind a Front Door global entry: the web ACL admits that Front Door only and limits per client (front-door-entry.ts).
  const frontDoor = settings.public ? frontDoorEdgeOf(scope.platform) : undefined;
  // The gateways behind a failover or global entry serve its health route (health.ts).
  const health = settings.public && (awsFailoverPair(plan.fleet) || behindEntry(plan.fleet, scope.platform.target)) ? healthRoute(name, landing, scope, api, resourceFor, validator.id, opts) : undefined;
  if (health) methods.push(...health.resources);
  const throttles: Array<{ path: string; method: string; perMinute: number }> = [];
  const sqsRole = routed.some((a) => a.route.invoke === "async" && a.route.weight > 0) ? gatewayQueueRole(name, landing, scope, opts) : undefined;
  const vpcLink = routed.some((a) => a.route.invoke === "sync" && a.route.weight > 0) && landing.edge
    ? new apigateway.VpcLink(name, { name: awsName([prefix, "agents"], NAME_LIMITS.apiName), description: "API Gateway to the fleet's internal NLB", targetArn: landing.edge.loadBalancer.arn, tags: awsTags(tags) }, opts)
    : undefined;

  for (const agent of routed) {
    const route = agent.route;
    const auth = authFor(route.auth);
    const resourceId = resourceFor(route.path);
    const logical = `${name}-${agent.name}`;
    const timeout = Math.min(route.timeoutSeconds * 1000, MAX_INTEGRATION_TIMEOUT_MS);
    const schema = modelSchema(agent);
    const model = schema ? new apigateway.Model(logical, { restApi: api.id, name: modelName(agent.name), contentType: "application/json", description: `Request body of ${route.path}`, schema }, opts) : undefined;
    const validation = { requestValidatorId: validator.id, ...(model ? { requestModels: { "application/json": model.name } } : {}) };
    if (route.weight === 0) {
      const legacy = settings.legacyBackend?.url;
      if (!legacy) throw new Error(`unreachable: route ${route.path} has weight 0 and no legacy backend`);
      methods.push(...proxyMethods(logical, api, resourceId, route.path, auth, validation, { type: "HTTP_PROXY", connectionType: "INTERNET", base: `${legacy.replace(/\/$/, "")}${route.path}`, timeout }, opts, resourceFor));
      throttles.push({ path: route.path, method: "*", perMinute: route.rateLimitPerMinute });
    } else if (route.invoke === "async") {
      if (!sqsRole) throw new Error("unreachable: an async route without the gateway's queue role");
      methods.push(...asyncMethod(logical, landing, api, resourceId, agent, auth, validation, sqsRole, timeout, scope, opts));
      throttles.push({ path: route.path, method: "POST", perMinute: route.rateLimitPerMinute });
    } else {
      const port = landing.edge?.ports.get(agent.name);
      if (!vpcLink || !landing.edge || port === undefined) throw new Error(`unreachable: sync route ${route.path} without the platform's NLB`);
      const base = pulumi.interpolate`http://${landing.edge.loadBalancer.dnsName}:${port}${route.path}`;
      methods.push(...proxyMethods(logical, api, resourceId, route.path, auth, validation, { type: "HTTP_PROXY", connectionType: "VPC_LINK", connectionId: vpcLink.id, base, timeout }, opts, resourceFor));
      throttles.push({ path: route.path, method: "*", perMinute: route.rateLimitPerMinute });
    }
  }
  if (settings.legacyBackend) {
    const legacy = settings.legacyBackend.url.replace(/\/$/, "");
    methods.push(...proxyMethods(`${name}-legacy`, api, api.rootResourceId, "/", fallbackAuth, { requestValidatorId: validator.id }, { type: "HTTP_PROXY", connectionType: "INTERNET", base: legacy, timeout: MAX_INTEGRATION_TIMEOUT_MS }, opts, resourceFor));
  }

  const redeploy = createHash("sha256")
    .update(JSON.stringify({ routes: routed.map((a) => ({ name: a.name, route: a.route, fifo: a.queue.fifo })), legacy: settings.legacyBackend ?? null, jwt: settings.jwt ?? null, public: settings.public, ...(health ? { health: { path: HEALTH_PATH, alarms: health.alarmNames, ...(frontDoor ? { frontDoor: true } : {}) } } : {}) }))
    .digest("hex");
  const deployment = new apigateway.Deployment(name, { restApi: api.id, description: `routes ${redeploy.slice(0, 12)}`, triggers: { redeployment: redeploy } }, { ...opts, dependsOn: methods });

  const account = apiGatewayLogging(name, landing, tags, opts);
  const accessLogs = logGroup(`${name}-access`, { name: `/microagents/${prefix}/api-gateway/access`, key: landing.key, retentionDays: landing.logRetentionDays, tags }, opts);
  // API Gateway writes execution logs to this name; created first so it has retention and the fleet key.
  const executionLogs = logGroup(`${name}-execution`, { name: pulumi.interpolate`API-Gateway-Execution-Logs_${api.id}/${stageName}`, key: landing.key, retentionDays: landing.logRetentionDays, tags }, opts);
  const stage = new apigateway.Stage(
    name,
    {
      restApi: api.id,
      deployment: deployment.id,
      stageName,
      description: `${prefix} agents`,
      accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
      xrayTracingEnabled: plan.tier.tracing,
      tags: awsTags(tags),
    },
    { ...opts, dependsOn: [account, executionLogs] },
  );
  new apigateway.MethodSettings(
    `${name}-all`,
    {
      restApi: api.id,
      stageName: stage.stageName,
      methodPath: "*/*",
      settings: {
        metricsEnabled: true,
        loggingLevel: plan.fleet.environment === "prod" ? "ERROR" : "INFO",
        dataTraceEnabled: false,
        throttlingRateLimit: stageThrottle(routed.map((a) => a.route.rateLimitPerMinute)).rateLimit,
        throttlingBurstLimit: stageThrottle(routed.map((a) => a.route.rateLimitPerMinute)).burstLimit,
      },
    },
    opts,
  );
  for (const t of throttles) {
    new apigateway.MethodSettings(
      `${name}${t.path.replace(/[{}+]/g, "").replace(/\//g, "-")}-throttle`,
      {
        restApi: api.id,
        stageName: stage.stageName,
        methodPath: methodPath(t.path, t.method),
        settings: { metricsEnabled: true, throttlingRateLimit: methodThrottle(t.perMinute).rateLimit, throttlingBurstLimit: methodThrottle(t.perMinute).burstLimit },
      },
      opts,
    );
  }
  if (routed.some((a) => a.route.auth === "apiKey") || (!jwtAuth && settings.legacyBackend)) usagePlan(name, landing, api, stage, routed, tags, opts);
  webAcl(name, landing, stage, routed, tags, opts, frontDoor);
  awsGatewayHandles.set(scope, { api, stage, ...(health ? { health } : {}) });
  return { url: stage.invokeUrl };
}

/** The interface endpoint a private API is reached through, open to the VPC on 443 only. */
function executeApiEndpoint(name: string, landing: AwsLanding, tags: Readonly<Record<string, string>>, opts: pulumi.CustomResourceOptions): ec2.VpcEndpoint {
  const sg = new ec2.SecurityGroup(
    `${name}-endpoint`,
    {
      name: awsName([landing.prefix, "execute-api"], NAME_LIMITS.securityGroup),
      description: "Private API Gateway endpoint: HTTPS from the fleet VPC only",
      vpcId: landing.network.vpcId,
      ingress: [{ description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [landing.network.cidr] }],
      egress: [],
      tags: awsTags(tags, awsName([landing.prefix, "execute-api"], NAME_LIMITS.securityGroup)),
    },
    opts,
  );
  return new ec2.VpcEndpoint(
    `${name}-execute-api`,
    {
      vpcId: landing.network.vpcId,
      serviceName: `com.amazonaws.${landing.region}.execute-api`,
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: [...landing.network.privateSubnetIds],
      securityGroupIds: [sg.id],
      tags: awsTags(tags, `${landing.prefix}-execute-api`),
    },
    opts,
  );
}

/**
 * The account-level role API Gateway writes logs with. The setting is one per
 * account and region, so it is a resource the fleets share: each fleet sets it to a
 * role that serves every fleet's logs (ACCOUNT_LOGGING_GROUPS), and the role and
 * the setting are kept when the fleet is destroyed.
 */
function apiGatewayLogging(name: string, landing: AwsLanding, tags: Readonly<Record<string, string>>, opts: pulumi.CustomResourceOptions): apigateway.Account {
  const role = new iam.Role(
    `${name}-cloudwatch`,
    {
      name: awsName([landing.prefix, "apigw-logs", landing.region], NAME_LIMITS.iamRole),
      description: "API Gateway writes execution and access logs (account setting, shared by the region's fleets)",
      assumeRolePolicy: serviceTrust("apigateway.amazonaws.com", landing.accountId),
      tags: awsTags(tags),
    },
    { ...opts, retainOnDelete: true },
  );
  const groups = pulumi.interpolate`arn:${landing.partition}:logs:${landing.region}:${landing.accountId}:log-group`;
  new iam.RolePolicy(
    `${name}-cloudwatch`,
    {
      role: role.id,
      policy: policyJson([{ Sid: "WriteGatewayLogs", Effect: "Allow", Action: [...ACCOUNT_LOGGING_ACTIONS], Resource: ACCOUNT_LOGGING_GROUPS.map((g) => pulumi.interpolate`${groups}:${g}`) }]),
    },
    { ...opts, retainOnDelete: true },
  );
  // The API Gateway account setting is regional and account-wide: the last stack to set it wins, with a role that serves every fleet.
  return new apigateway.Account(name, { cloudwatchRoleArn: role.arn }, { ...opts, retainOnDelete: true });
}

/** The role API Gateway assumes to enqueue into the fleet's input queues (each integration names its agent's queue), and nothing else. */
function gatewayQueueRole(name: string, landing: AwsLanding, scope: GatewayScope, opts: pulumi.CustomResourceOptions): iam.Role {
  // The fleet's input queues by name and tags, not one ARN per routed agent: the policy stays one size at any fleet size.
  const queues = landing.accountId.apply((account) => fleetQueuesArn(landing.partition, landing.region, account, landing.prefix));
  const role = new iam.Role(
    `${name}-sqs`,
    {
      name: awsName([landing.prefix, "apigw-sqs", landing.region], NAME_LIMITS.iamRole),
      description: "API Gateway enqueues async requests into the agents' queues",
      assumeRolePolicy: serviceTrust("apigateway.amazonaws.com", landing.accountId, { sourceArnLike: pulumi.interpolate`arn:${landing.partition}:execute-api:${landing.region}:${landing.accountId}:*` }),
      tags: awsTags(scope.platform.plan.tags),
    },
    opts,
  );
  new iam.RolePolicy(
    `${name}-sqs`,
    {
      role: role.id,
      policy: policyJson([
        { Sid: "EnqueueToFleetInputQueues", Effect: "Allow", Action: "sqs:SendMessage", Resource: queues, Condition: fleetQueueCondition(scope.platform.plan.tags, "input") },
        { Sid: "EncryptMessages", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: landing.key.arn, Condition: { StringEquals: { "kms:ViaService": `sqs.${landing.region}.amazonaws.com` } } },
      ]),
    },
    opts,
  );
  return role;
}

function asyncMethod(
  logical: string,
  landing: AwsLanding,
  api: apigateway.RestApi,
  resourceId: pulumi.Input<string>,
  agent: AgentPlan,
  auth: Authorization,
  validation: { requestValidatorId: pulumi.Input<string>; requestModels?: Record<string, pulumi.Input<string>> },
  role: iam.Role,
  timeout: number,
  scope: GatewayScope,
  opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
  const queue = queueOf(scope.broker, agent.name);
  const method = new apigateway.Method(logical, { restApi: api.id, resourceId, httpMethod: "POST", ...auth, ...validation }, opts);
  const integration = new apigateway.Integration(
    logical,
    {
      restApi: api.id,
      resourceId,
      httpMethod: method.httpMethod,
      type: "AWS",
      integrationHttpMethod: "POST",
      uri: pulumi.interpolate`arn:${landing.partition}:apigateway:${landing.region}:sqs:path/${landing.accountId}/${queue.queue.name}`,
      credentials: role.arn,
      passthroughBehavior: "NEVER",
      requestParameters: { "integration.request.header.Content-Type": "'application/x-www-form-urlencoded'" },
      requestTemplates: { "application/json": sendMessageTemplate(queue.fifo) },
      timeoutMilliseconds: timeout,
    },
    opts,
  );
  for (const [suffix, r] of [["", ASYNC_RESPONSES.accepted], ["-502", ASYNC_RESPONSES.rejected]] as const) {
    const response = new apigateway.MethodResponse(`${logical}${suffix}`, { restApi: api.id, resourceId, httpMethod: method.httpMethod, statusCode: r.statusCode, responseModels: { "application/json": r.model } }, opts);
    new apigateway.IntegrationResponse(
      `${logical}${suffix}`,
      { restApi: api.id, resourceId, httpMethod: method.httpMethod, statusCode: response.statusCode, selectionPattern: r.selectionPattern, responseTemplates: { "application/json": r.template } },
      { ...opts, dependsOn: [integration] },
    );
  }
  return [method, integration];
}

interface ProxyTarget {
  readonly type: "HTTP_PROXY";
  readonly connectionType: "INTERNET" | "VPC_LINK";
  readonly connectionId?: pulumi.Input<string>;
  readonly base: pulumi.Input<string>;
  readonly timeout: number;
}

/** ANY on a path and on its `{proxy+}` children, proxied over HTTP to the sync agent (through the VPC link) or to the legacy backend. */
function proxyMethods(
  logical: string,
  api: apigateway.RestApi,
  resourceId: pulumi.Input<string>,
  path: string,
  auth: Authorization,
  validation: { requestValidatorId: pulumi.Input<string>; requestModels?: Record<string, pulumi.Input<string>> },
  target: ProxyTarget,
  opts: pulumi.CustomResourceOptions,
  resourceFor: (path: string) => pulumi.Output<string>,
): pulumi.Resource[] {
  const out: pulumi.Resource[] = [];
  const entries = proxyResources(path).map((r) => ({ ...r, id: r.greedy ? resourceFor(r.path) : resourceId, uri: r.greedy ? pulumi.interpolate`${target.base}/{proxy}` : target.base }));
  for (const e of entries) {
    const method = new apigateway.Method(
      `${logical}${e.suffix}`,
      {
        restApi: api.id,
        resourceId: e.id,
        httpMethod: "ANY",
        ...auth,
        requestValidatorId: validation.requestValidatorId,
        ...(!e.greedy && validation.requestModels ? { requestModels: validation.requestModels } : {}),
        ...(e.greedy ? { requestParameters: { ...GREEDY_PARAMETERS.method } } : {}),
      },
      opts,
    );
    const integration = new apigateway.Integration(
      `${logical}${e.suffix}`,
      {
        restApi: api.id,
        resourceId: e.id,
        httpMethod: method.httpMethod,
        type: target.type,
        integrationHttpMethod: "ANY",
        uri: e.uri,
        connectionType: target.connectionType,
        ...(target.connectionId ? { connectionId: target.connectionId } : {}),
        ...(e.greedy ? { requestParameters: { ...GREEDY_PARAMETERS.integration } } : {}),
        timeoutMilliseconds: target.timeout,
      },
      opts,
    );
    out.push(method, integration);
  }
  return out;
}

/** The JWT authorizer: Cognito's when the issuer is a Cognito user pool, otherwise a Lambda TOKEN authorizer. */
function jwtAuthorizer(
  name: string,
  landing: AwsLanding,
  settings: GatewaySettings,
  api: apigateway.RestApi,
  tracing: boolean,
  tags: Readonly<Record<string, string>>,
  opts: pulumi.CustomResourceOptions,
): { id: pulumi.Output<string>; type: "CUSTOM" | "COGNITO_USER_POOLS" } {
  const jwt = settings.jwt;
  if (!jwt) throw new Error("unreachable: jwt routes without spec.gateway.jwt (the spec rejects them)");
  const pool = cognitoPool(jwt.issuer);
  if (pool) {
    const authorizer = new apigateway.Authorizer(
      `${name}-jwt`,
      {
        restApi: api.id,
        name: "cognito",
        type: "COGNITO_USER_POOLS",
        providerArns: [pulumi.interpolate`arn:${landing.partition}:cognito-idp:${pool.region}:${landing.accountId}:userpool/${pool.poolId}`],
        identitySource: "method.request.header.Authorization",
        authorizerResultTtlInSeconds: 300,
      },
      opts,
    );
    return { id: authorizer.id, type: "COGNITO_USER_POOLS" };
  }
  const fn = fleetFunction(
    `${name}-authorizer`,
    landing,
    {
      id: "jwt-authorizer",
      description: `Verifies ${jwt.issuer} tokens for ${landing.prefix}`,
      roleDescription: "JWT authorizer Lambda: writes its logs, reads its encrypted settings",
      files: { "index.mjs": authorizerSource() },
      environment: { JWT_ISSUER: jwt.issuer, JWT_JWKS_URI: jwt.jwksUri, JWT_AUDIENCES: jwt.audiences.join(",") },
      memoryMb: 256,
      tracing,
      tags,
    },
    opts,
  );
  const authorizer = new apigateway.Authorizer(
    `${name}-jwt`,
    {
      restApi: api.id,
      name: "jwt",
      type: "TOKEN",
      authorizerUri: fn.invokeArn,
      identitySource: "method.request.header.Authorization",
      identityValidationExpression: "^Bearer [-0-9A-Za-z_.~+/]+=*$",
      authorizerResultTtlInSeconds: 300,
    },
    opts,
  );
  new lambda.Permission(
    `${name}-authorizer`,
    { action: "lambda:InvokeFunction", function: fn.name, principal: "apigateway.amazonaws.com", sourceArn: pulumi.interpolate`${api.executionArn}/authorizers/${authorizer.id}` },
    opts,
  );
  return { id: authorizer.id, type: "CUSTOM" };
}

/** Per-key limits for API-key routes: a usage plan on the stage, per method, and one key for the platform team to hand out. */
function usagePlan(name: string, landing: AwsLanding, api: apigateway.RestApi, stage: apigateway.Stage, routed: ReadonlyArray<AgentPlan>, tags: Readonly<Record<string, string>>, opts: pulumi.CustomResourceOptions): void {
  const keyed = routed.filter((a) => a.route?.auth === "apiKey");
  const plan = new apigateway.UsagePlan(
    name,
    {
      name: awsName([landing.prefix, "agents"], NAME_LIMITS.apiName),
      description: "Rate limits for API-key callers",
      apiStages: [
        {
          apiId: api.id,
          stage: stage.stageName,
          throttles: keyed.map((a) => ({ path: `${a.route?.path ?? "/"}/${a.route?.invoke === "async" ? "POST" : "ANY"}`, rateLimit: Math.max(1, (a.route?.rateLimitPerMinute ?? 60) / 60), burstLimit: Math.max(1, Math.ceil((a.route?.rateLimitPerMinute ?? 60) / 30)) })),
        },
      ],
      throttleSettings: { rateLimit: Math.max(1, Math.max(...keyed.map((a) => a.route?.rateLimitPerMinute ?? 60), 60) / 60), burstLimit: 20 },
      tags: awsTags(tags),
    },
    opts,
  );
  const key = new apigateway.ApiKey(name, { name: awsName([landing.prefix, "default"], NAME_LIMITS.apiName), description: "First API key of the fleet; add more per caller", enabled: true, tags: awsTags(tags) }, opts);
  new apigateway.UsagePlanKey(name, { keyId: key.id, keyType: "API_KEY", usagePlanId: plan.id }, opts);
}

/**
 * WAF in front of the stage: a per-IP rate-based rule from the routes' limits, and AWS's common and known-bad-inputs rule groups. Behind a
 * Front Door global entry every request arrives from Front Door's addresses, so the
 * ACL first blocks any request whose `X-Azure-FDID` is not that profile's id (the
 * execute-api endpoint and the custom domain alike; Front Door's health probes carry
 * it), and the rate limit counts per client by `X-Azure-SocketIP`, the address Front
 * Door took the connection from (a client cannot set it; Front Door's WAF limits per
 * client too).
 */
function webAcl(name: string, landing: AwsLanding, stage: apigateway.Stage, routed: ReadonlyArray<AgentPlan>, tags: Readonly<Record<string, string>>, opts: pulumi.CustomResourceOptions, frontDoor?: FrontDoorEdgeHandle): void {
  const metric = (id: string) => ({ cloudwatchMetricsEnabled: true, metricName: `${landing.prefix}-${id}`.replace(/[^A-Za-z0-9_-]/g, "-"), sampledRequestsEnabled: true });
  const managed = (priority: number, groupName: string) => ({
    name: groupName,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name: groupName } },
    visibilityConfig: metric(groupName),
  });
  const acl = new wafv2.WebAcl(
    name,
    {
      name: awsName([landing.prefix, "agents"], NAME_LIMITS.wafAcl),
      description: `Rate limit and managed rules for ${landing.prefix}'s gateway`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rules: [
        ...(frontDoor
          ? [
              {
                name: "front-door-only",
                priority: 0,
                action: { block: {} },
                statement: {
                  notStatement: {
                    statement: {
                      byteMatchStatement: {
                        fieldToMatch: { singleHeader: { name: FRONT_DOOR_ID_HEADER.toLowerCase() } },
                        positionalConstraint: "EXACTLY",
                        searchString: frontDoor.frontDoorId.apply((id) => id.toLowerCase()),
                        textTransformations: [{ priority: 0, type: "LOWERCASE" }],
                      },
                    },
                  },
                },
                visibilityConfig: metric("front-door-only"),
              },
            ]
          : []),
        {
          name: "rate-limit-per-ip",
          priority: frontDoor ? 1 : 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: wafRateLimit(routed),
              evaluationWindowSec: 300,
              ...(frontDoor ? { aggregateKeyType: "FORWARDED_IP", forwardedIpConfig: { headerName: FRONT_DOOR_SOCKET_IP_HEADER, fallbackBehavior: "MATCH" } } : { aggregateKeyType: "IP" }),
            },
          },
          visibilityConfig: metric("rate-limit"),
        },
        ...WAF_MANAGED_RULE_GROUPS.map((group, i) => managed(i + (frontDoor ? 2 : 1), group)),
      ],
      visibilityConfig: metric("acl"),
      tags: awsTags(tags),
    },
    opts,
  );
  new wafv2.WebAclAssociation(name, { resourceArn: stage.arn, webAclArn: acl.arn }, opts);
}
