import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as apigateway from "@pulumi/aws/apigateway";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import * as pulumi from "@pulumi/pulumi";
import type { AgentGateway } from "../../components/agent-gateway";
import { Registry } from "../target";
import { HEALTH_PATH, HEALTH_TOKEN_PARAMETER, healthAgents, RUNNING_ALARM } from "./failover-shape";
import { policyJson, serviceTrust } from "./iam";
import { awsServices, type AwsLanding } from "./landing";
import { logGroup } from "./logs";
import { awsName, NAME_LIMITS } from "./names";
import { awsTags } from "./tags";

/** What the failover entry needs of one region's gateway. */
export interface AwsGatewayHandle {
  readonly api: apigateway.RestApi;
  readonly stage: apigateway.Stage;
  /** Present when the gateway serves the failover health route. */
  readonly health?: HealthRoute;
}

export const awsGatewayHandles = new Registry<AgentGateway, AwsGatewayHandle>("AgentGateway");

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
 */
export function healthRoute(
  name: string,
  landing: AwsLanding,
  scope: AgentGateway,
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
        statistic: RUNNING_ALARM.statistic,
        period: RUNNING_ALARM.period,
        evaluationPeriods: RUNNING_ALARM.evaluationPeriods,
        datapointsToAlarm: RUNNING_ALARM.datapointsToAlarm,
        threshold: RUNNING_ALARM.threshold,
        comparisonOperator: RUNNING_ALARM.comparisonOperator,
        treatMissingData: RUNNING_ALARM.treatMissingData,
        alarmActions: [landing.alarmTopic.arn],
        okActions: [landing.alarmTopic.arn],
        tags: awsTags(agent.tags),
      },
      opts,
    );
  }

  const fnName = awsName([landing.prefix, "health"], NAME_LIMITS.lambda);
  const logs = logGroup(`${name}-health`, { name: `/aws/lambda/${fnName}`, key: landing.key, retentionDays: landing.logRetentionDays, tags }, opts);
  const role = new iam.Role(
    `${name}-health`,
    {
      name: awsName([landing.prefix, "health", landing.region], NAME_LIMITS.iamRole),
      description: "Failover health route: reads the agents' running alarms, writes its logs",
      assumeRolePolicy: serviceTrust("lambda.amazonaws.com", landing.accountId),
      tags: awsTags(tags),
    },
    opts,
  );
  const alarmArns = Object.values(alarmNames).map((n) => pulumi.interpolate`arn:${landing.partition}:cloudwatch:${landing.region}:${landing.accountId}:alarm:${n}`);
  new iam.RolePolicy(
    `${name}-health`,
    {
      role: role.id,
      policy: policyJson([
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logs.arn}:log-stream:*` },
        { Sid: "DecryptOwnSettings", Effect: "Allow", Action: "kms:Decrypt", Resource: landing.key.arn, Condition: { StringEquals: { "kms:ViaService": `lambda.${landing.region}.amazonaws.com` } } },
        ...(alarmArns.length > 0 ? [{ Sid: "ReadAgentRunningAlarms", Effect: "Allow" as const, Action: "cloudwatch:DescribeAlarms", Resource: alarmArns }] : []),
      ]),
    },
    opts,
  );
  const token = probeToken(landing.key.arn);
  const fn = new lambda.Function(
    `${name}-health`,
    {
      name: fnName,
      description: `Failover health of ${landing.prefix} in ${landing.region}: 503 while an always-on agent runs no replica`,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      code: new pulumi.asset.AssetArchive({
        "index.mjs": new pulumi.asset.StringAsset(healthProbeSource()),
        "alarms.json": new pulumi.asset.StringAsset(JSON.stringify(Object.values(alarmNames))),
      }),
      role: role.arn,
      timeout: 5,
      memorySize: 128,
      kmsKeyArn: landing.key.arn,
      environment: { variables: { PROBE_TOKEN_SHA256: token.apply(sha256Hex) } },
      loggingConfig: { logFormat: "JSON", logGroup: logs.name, applicationLogLevel: "WARN", systemLogLevel: "WARN" },
      tracingConfig: { mode: "PassThrough" },
      tags: awsTags(tags),
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
      identitySource: `method.request.querystring.${HEALTH_TOKEN_PARAMETER}`,
      authorizerResultTtlInSeconds: 300,
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
      requestParameters: { [`method.request.querystring.${HEALTH_TOKEN_PARAMETER}`]: true },
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
