import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Aws, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { HEALTH_PATH, HEALTH_TOKEN_PARAMETER, healthAgents, RUNNING_ALARM } from "../targets/aws/failover-shape";
import { awsName, NAME_LIMITS } from "../targets/aws/names";
import type { AgentService } from "./agent-service";
import type { AgentPlatformStack } from "./platform-stack";
import { retentionFor } from "./retention";
import { tagAll } from "./tags";

export interface HealthRouteProps {
  readonly platform: AgentPlatformStack;
  readonly apiId: string;
  readonly validatorId: string;
  readonly resourceFor: (path: string) => string;
  readonly services: ReadonlyArray<AgentService>;
}

/** The route's methods (for the deployment to wait on) and the token the health checks send. */
export interface HealthRoute {
  readonly methods: ReadonlyArray<apigw.CfnMethod>;
  /** The region's probe token: its fleet key's id (unknown outside the account, stable across deployments). */
  readonly token: string;
  /** The "no running replica" alarms the route reads, by agent. */
  readonly alarmNames: Readonly<Record<string, string>>;
}

/**
 * The failover health route on one region's REST API through CDK, as the Pulumi gateway
 * builds it (lib/targets/aws/health.ts, the same Lambda source health/probe.mjs):
 * `GET /_microagents/health?probe=<token>`, admitted by a REQUEST authorizer that checks
 * the probe token, answering 503 while an always-on agent of the region has run no
 * replica for three minutes (an alarm per agent, RUNNING_ALARM, also to the alarm topic).
 * CloudFormation cannot hash, so the token is the region's fleet key id (a UUID unknown
 * outside the account), handed to the Lambda in its key-encrypted environment.
 */
export function healthRoute(stack: Stack, props: HealthRouteProps): HealthRoute {
  const { platform } = props;
  const plan = platform.plan;
  const prefix = platform.prefix;
  const region = stack.region;
  const alarmNames: Record<string, string> = {};
  for (const agent of healthAgents(props.services.map((s) => s.agent))) {
    const service = props.services.find((s) => s.agent.name === agent.name);
    if (!service) continue;
    const alarmName = awsName([prefix, agent.name, "running"], NAME_LIMITS.alarm);
    alarmNames[agent.name] = alarmName;
    const alarm = new cloudwatch.CfnAlarm(stack, `Running-${agent.name}`, {
      alarmName,
      alarmDescription: `${agent.name}: no running replica in ${region} for ${RUNNING_ALARM.evaluationPeriods} minutes (the failover health route reads this)`,
      namespace: "ECS/ContainerInsights",
      metricName: "RunningTaskCount",
      dimensions: [
        { name: "ClusterName", value: platform.cluster.clusterName },
        { name: "ServiceName", value: service.service.serviceName },
      ],
      ...RUNNING_ALARM,
      alarmActions: [platform.alarmTopic.topicArn],
      okActions: [platform.alarmTopic.topicArn],
    });
    tagAll(alarm, agent.tags);
  }

  const token = platform.key.keyId;
  const logGroup = new logs.LogGroup(stack, "HealthLogs", { encryptionKey: platform.key, retention: retentionFor(plan.logRetentionDays), removalPolicy: RemovalPolicy.DESTROY });
  const role = new iam.Role(stack, "HealthRole", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"), description: "Failover health route: reads the agents' running alarms, writes its logs" });
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: "WriteOwnLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${logGroup.logGroupArn}:log-stream:*`] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: "DecryptOwnSettings", actions: ["kms:Decrypt"], resources: [platform.key.keyArn], conditions: { StringEquals: { "kms:ViaService": `lambda.${region}.amazonaws.com` } } }));
  const names = Object.values(alarmNames);
  if (names.length > 0) {
    // The fleet's running alarms by their name prefix, not one ARN per agent: the policy stays one size at any fleet size.
    const alarms = `arn:${Aws.PARTITION}:cloudwatch:${region}:${Aws.ACCOUNT_ID}:alarm:${prefix}-*`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: "ReadAgentRunningAlarms", actions: ["cloudwatch:DescribeAlarms"], resources: [alarms] }));
    Validations.of(role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:${region}:<AWS::AccountId>:alarm:${prefix}-*]`,
      reason: `DescribeAlarms on this fleet's alarms only (named ${prefix}-<agent>-running); one ARN per agent would outgrow IAM's role policy limit.`,
    });
  }
  const cfnLogs = logGroup.node.defaultChild;
  if (!(cfnLogs instanceof logs.CfnLogGroup)) throw new Error("internal: a log group without its CfnLogGroup");
  Validations.of(role).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${String(stack.resolve(stack.getLogicalId(cfnLogs)))}.Arn>:log-stream:*]`,
    reason: "Lambda names its log streams at run time; the role may write only to streams of its own log group.",
  });
  const fn = new lambda.Function(stack, "Health", {
    description: `Failover health of ${prefix} in ${region}: 503 while an always-on agent runs no replica`,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    handler: "index.handler",
    code: lambda.Code.fromAsset(healthAssetDir(names)),
    role,
    timeout: Duration.seconds(5),
    memorySize: 128,
    environmentEncryption: platform.key,
    environment: { PROBE_TOKEN: token },
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    applicationLogLevelV2: lambda.ApplicationLogLevel.WARN,
    systemLogLevelV2: lambda.SystemLogLevel.WARN,
  });
  Validations.of(fn).acknowledge({ id: "AwsSolutions::AwsSolutions-L1", reason: "Node.js 22, the runtime the shared health source (health/probe.mjs) is written and tested for, as on the Pulumi gateway." });
  new lambda.CfnPermission(stack, "HealthInvoke", { action: "lambda:InvokeFunction", functionName: fn.functionName, principal: "apigateway.amazonaws.com", sourceArn: `arn:${Aws.PARTITION}:execute-api:${region}:${Aws.ACCOUNT_ID}:${props.apiId}/*` });
  const authorizer = new apigw.CfnAuthorizer(stack, "HealthProbe", {
    restApiId: props.apiId,
    name: "health-probe",
    type: "REQUEST",
    authorizerUri: `arn:${Aws.PARTITION}:apigateway:${region}:lambda:path/2015-03-31/functions/${fn.functionArn}/invocations`,
    identitySource: `method.request.querystring.${HEALTH_TOKEN_PARAMETER}`,
    authorizerResultTtlInSeconds: 300,
  });
  const method = new apigw.CfnMethod(stack, "Get-health", {
    restApiId: props.apiId,
    resourceId: props.resourceFor(HEALTH_PATH),
    httpMethod: "GET",
    authorizationType: "CUSTOM",
    authorizerId: authorizer.ref,
    apiKeyRequired: false,
    requestValidatorId: props.validatorId,
    requestParameters: { [`method.request.querystring.${HEALTH_TOKEN_PARAMETER}`]: true },
    integration: { type: "AWS_PROXY", integrationHttpMethod: "POST", uri: `arn:${Aws.PARTITION}:apigateway:${region}:lambda:path/2015-03-31/functions/${fn.functionArn}/invocations`, timeoutInMillis: 5000 },
  });
  return { methods: [method], token, alarmNames };
}

/** The Lambda's files: the shared source as index.mjs and the watched alarm names beside it (content-addressed, so synth is repeatable). */
export function healthAssetDir(alarmNames: ReadonlyArray<string>): string {
  // The Pulumi gateway's health Lambda source, read from its file (not through health.ts, which loads the Pulumi AWS SDK).
  const source = readFileSync(join(__dirname, "..", "targets", "aws", "health", "probe.mjs"), "utf8");
  const alarms = JSON.stringify(alarmNames);
  const dir = join(tmpdir(), `microagents-health-${createHash("sha256").update(source).update(alarms).digest("hex").slice(0, 16)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.mjs"), source);
  writeFileSync(join(dir, "alarms.json"), alarms);
  return dir;
}
