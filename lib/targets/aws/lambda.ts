import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import * as pulumi from "@pulumi/pulumi";
import { policyJson, serviceTrust, XRAY_ACTIONS, type PolicyStatement } from "./iam";
import type { AwsLanding } from "./landing";
import { logGroup } from "./logs";
import { awsName, NAME_LIMITS } from "./names";
import { awsTags } from "./tags";

export interface FleetFunctionArgs {
  /** Short name: `<prefix>-<id>` is the function's name, `<prefix>-<id>-<region>` its role's. */
  readonly id: string;
  readonly description: string;
  /** What the role's description says the function does. */
  readonly roleDescription: string;
  /** Files of the code archive; the handler is `index.handler` in `index.mjs`. */
  readonly files: Readonly<Record<string, string>>;
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  readonly memoryMb: number;
  /** Active X-Ray tracing (with the permission to write traces). */
  readonly tracing: boolean;
  /** What the function may do besides writing its logs and reading its encrypted settings. */
  readonly statements?: ReadonlyArray<PolicyStatement>;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A small Lambda of the fleet's gateway (the JWT authorizer, the failover health
 * route): Node.js 22 on arm64, its own log group (encrypted, retained) and role
 * (its logs, its settings under the fleet key, and `statements`), settings
 * encrypted with the fleet key, JSON logs at WARN, a 5-second timeout.
 */
export function fleetFunction(logical: string, landing: AwsLanding, args: FleetFunctionArgs, opts: pulumi.CustomResourceOptions): lambda.Function {
  const fnName = awsName([landing.prefix, args.id], NAME_LIMITS.lambda);
  const logs = logGroup(logical, { name: `/aws/lambda/${fnName}`, key: landing.key, retentionDays: landing.logRetentionDays, tags: args.tags }, opts);
  const role = new iam.Role(
    logical,
    { name: awsName([landing.prefix, args.id, landing.region], NAME_LIMITS.iamRole), description: args.roleDescription, assumeRolePolicy: serviceTrust("lambda.amazonaws.com", landing.accountId), tags: awsTags(args.tags) },
    opts,
  );
  const statements: PolicyStatement[] = [
    { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logs.arn}:log-stream:*` },
    { Sid: "DecryptOwnSettings", Effect: "Allow", Action: "kms:Decrypt", Resource: landing.key.arn, Condition: { StringEquals: { "kms:ViaService": `lambda.${landing.region}.amazonaws.com` } } },
    ...(args.statements ?? []),
  ];
  if (args.tracing) statements.push({ Sid: "WriteTraces", Effect: "Allow", Action: [...XRAY_ACTIONS], Resource: "*" });
  new iam.RolePolicy(logical, { role: role.id, policy: policyJson(statements) }, opts);
  return new lambda.Function(
    logical,
    {
      name: fnName,
      description: args.description,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      code: new pulumi.asset.AssetArchive(Object.fromEntries(Object.entries(args.files).map(([file, text]) => [file, new pulumi.asset.StringAsset(text)]))),
      role: role.arn,
      timeout: 5,
      memorySize: args.memoryMb,
      kmsKeyArn: landing.key.arn,
      environment: { variables: { ...args.environment } },
      loggingConfig: { logFormat: "JSON", logGroup: logs.name, applicationLogLevel: "WARN", systemLogLevel: "WARN" },
      tracingConfig: { mode: args.tracing ? "Active" : "PassThrough" },
      tags: awsTags(args.tags),
    },
    opts,
  );
}
