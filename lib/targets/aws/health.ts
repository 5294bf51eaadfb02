import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as apigateway from "@pulumi/aws/apigateway";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as lambda from "@pulumi/aws/lambda";
import * as pulumi from "@pulumi/pulumi";
import { frontDoorEdgeOf } from "../front-door-entry";
import { Registry } from "../target";
import { HEALTH_PATH, HEALTH_TOKEN_PARAMETER, healthAgents, RUNNING_ALARM } from "./failover-shape";
import { awsServices, type AwsLanding } from "./landing";
import { fleetFunction } from "./lambda";
import { awsName, NAME_LIMITS } from "./names";
import { awsTags } from "./tags";
import type { GatewayScope } from "../target";

/** What the failover entry needs of one region's gateway. */
export interface AwsGatewayHandle {
  readonly api: apigateway.RestApi;
  readonly stage: apigateway.Stage;
  /** Present when the gateway serves the failover health route. */
  readonly health?: HealthRoute;
}

export const awsGatewayHandles = new Registry<GatewayScope, AwsGatewayHandle>("GatewayScope");

export interface HealthRoute {
  /** The route's method and integration, for the gateway's deployment to wait on. */
  readonly resources: ReadonlyArray<pulumi.Resource>;
  /** The probe token the health checks send (secret). */
  readonly token: pulumi.Output<string>;
  /** The "no running replica" alarms the route reads, by agent. */
  readonly alarmNames: Readonly<Record<string, string>>;
}

/** The health Lambda's shipped source. */
export function healthProbeSource(): string {
  return readFileSync(join(__dirname, "health", "probe.mjs"), "utf8");
}

/** SHA-256 of a string, hex. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The probe token of a region: derived from its fleet key's ARN (unknown outside
 * the account, stable across deployments), kept secret in the state. The health
 * Lambda holds only its digest.
 */
export function probeToken(keyArn: pulumi.Output<string>): pulumi.Output<string> {
  return pulumi.secret(keyArn.apply((arn) => sha256Hex(`${arn}:microagents-health-probe`)));
}

/**
 * The failover health route on one region's REST API: `GET /_microagents/health`,
 * admitted by a REQUEST authorizer that checks the probe token, served by a Lambda
 * that answers 503 while any of the region's always-on agents has run no replica
 * for three minutes (a CloudWatch alarm per agent, to the fleet's alarm topic too).
 * Behind a Front Door global entry (front-door-entry.ts) the authorizer also admits
 * a request whose `X-Azure-FDID` is that profile's id: one origin group probes every
 * origin on one path, so Front Door cannot send a per-region token. The authorizer
 * then has no identity source and no result cache (API Gateway requires an identity
 * source only when it caches), so it sees the header and the query alike.
 */
export function healthRoute(
  name: string,
  landing: AwsLanding,
  scope: GatewayScope,
  api: apigateway.RestApi,
  resourceFor: (path: string) => pulumi.Output<string>,
  validatorId: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): HealthRoute {
  const plan = scope.platform.plan;
  const tags = plan.tags;
  const watched = healthAgents(scope.services.map((s) => s.agent));
  const alarmNames: Record<string, string> = {};
  for (const agent of watched) {
    const service = scope.services.find((s) => s.agent.name === agent.name);
    if (!service) continue;
    const replicas = awsServices.get(service).replicas;
    const alarmName = awsName([landing.prefix, agent.name, "running"], NAME_LIMITS.alarm);
    alarmNames[agent.name] = alarmName;
    new cloudwatch.MetricAlarm(
      `${name}-${agent.name}-running`,
      {
        name: alarmName,
        alarmDescription: `${agent.name}: no running replica in ${landing.region} for ${RUNNING_ALARM.evaluationPeriods} minutes (the failover health route reads this)`,
        namespace: replicas.namespace,
        metricName: replicas.metricName,
        dimensions: replicas.dimensions,
        ...RUNNING_ALARM,
        alarmActions: [landing.alarmTopic.arn],
        okActions: [landing.alarmTopic.arn],
        tags: awsTags(agent.tags),
      },
      opts,
    );
  }

  const frontDoor = frontDoorEdgeOf(scope.platform);
  const alarmArns = Object.values(alarmNames).map((n) => pulumi.interpolate`arn:${landing.partition}:cloudwatch:${landing.region}:${landing.accountId}:alarm:${n}`);
  const token = probeToken(landing.key.arn);
  const fn = fleetFunction(
    `${name}-health`,
    landing,
    {
      id: "health",
      description: `Failover health of ${landing.prefix} in ${landing.region}: 503 while an always-on agent runs no replica`,
      roleDescription: "Failover health route: reads the agents' running alarms, writes its logs",
      files: { "index.mjs": healthProbeSource(), "alarms.json": JSON.stringify(Object.values(alarmNames)) },
      environment: { PROBE_TOKEN_SHA256: token.apply(sha256Hex), ...(frontDoor ? { FRONT_DOOR_ID: frontDoor.frontDoorId } : {}) },
      memoryMb: 128,
      tracing: false,
      statements: alarmArns.length > 0 ? [{ Sid: "ReadAgentRunningAlarms", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: alarmArns }] : [],
      tags,
    },
    opts,
  );
  new lambda.Permission(`${name}-health`, { action: "lambda:InvokeFunction", function: fn.name, principal: "apigateway.amazonaws.com", sourceArn: pulumi.interpolate`${api.executionArn}/*` }, opts);

  const authorizer = new apigateway.Authorizer(
    `${name}-health`,
    {
      restApi: api.id,
      name: "health-probe",
      type: "REQUEST",
      authorizerUri: fn.invokeArn,
      // Behind Front Door the probe carries no token, so the identity source must be one every request has:
      // the provider sends `method.request.header.Authorization` when none is given, and API Gateway answers
      // 401 without calling the authorizer when an identity source is missing. With no result cache it is not a key.
      ...(frontDoor
        ? { identitySource: "context.identity.sourceIp", authorizerResultTtlInSeconds: 0 }
        : { identitySource: `method.request.querystring.${HEALTH_TOKEN_PARAMETER}`, authorizerResultTtlInSeconds: 300 }),
    },
    opts,
  );
  const resourceId = resourceFor(HEALTH_PATH);
  const method = new apigateway.Method(
    `${name}-health`,
    {
      restApi: api.id,
      resourceId,
      httpMethod: "GET",
      authorization: "CUSTOM",
      authorizerId: authorizer.id,
      apiKeyRequired: false,
      requestValidatorId: validatorId,
      // Front Door's probes carry no token: the request validator must not require it then.
      requestParameters: { [`method.request.querystring.${HEALTH_TOKEN_PARAMETER}`]: !frontDoor },
    },
    opts,
  );
  const integration = new apigateway.Integration(
    `${name}-health`,
    { restApi: api.id, resourceId, httpMethod: method.httpMethod, type: "AWS_PROXY", integrationHttpMethod: "POST", uri: fn.invokeArn, timeoutMilliseconds: 5000 },
    opts,
  );
  return { resources: [method, integration], token, alarmNames };
}
