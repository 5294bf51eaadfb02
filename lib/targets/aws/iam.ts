import * as pulumi from "@pulumi/pulumi";

/** One statement of an IAM, key, queue or topic policy. Values may be Outputs (ARNs). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, pulumi.Input<string> | ReadonlyArray<pulumi.Input<string>>>>;
  readonly Action: string | ReadonlyArray<string>;
  readonly Resource?: pulumi.Input<string> | ReadonlyArray<pulumi.Input<string>>;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, pulumi.Input<string> | ReadonlyArray<pulumi.Input<string>>>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: ReadonlyArray<PolicyStatement>;
}

export function policyDocument(statements: ReadonlyArray<PolicyStatement>): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** The document as the JSON string AWS takes, with every Output resolved. */
export function policyJson(statements: ReadonlyArray<PolicyStatement>): pulumi.Output<string> {
  return pulumi.jsonStringify(policyDocument(statements));
}

/** What the Cluster Autoscaler reads to size node groups: read-only, and scoped to no resource by AWS. */
export const CAPACITY_DESCRIBE_ACTIONS = [
  "autoscaling:DescribeAutoScalingGroups",
  "autoscaling:DescribeAutoScalingInstances",
  "autoscaling:DescribeLaunchConfigurations",
  "autoscaling:DescribeScalingActivities",
  "autoscaling:DescribeTags",
  "ec2:DescribeImages",
  "ec2:DescribeInstanceTypes",
  "ec2:DescribeLaunchTemplateVersions",
  "ec2:GetInstanceTypesFromInstanceRequirements",
] as const;

/**
 * Actions that support no resource-level permissions (the Service Authorization
 * Reference lists no resource type for them), so `Resource: "*"` is the only form
 * AWS accepts. Any other action this package grants names its resources.
 */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL: ReadonlySet<string> = new Set([
  "ecr:GetAuthorizationToken",
  "ecs:DiscoverPollEndpoint",
  "ec2:DescribeTags",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
  "cloudwatch:PutMetricData",
  ...CAPACITY_DESCRIBE_ACTIONS,
]);

/**
 * Trust policy for a service principal, held to this account (and, where the
 * service sets it, to source ARNs of this account) against the confused deputy.
 */
export function serviceTrust(
  service: string,
  account: pulumi.Input<string>,
  opts: {
    readonly sourceArnLike?: pulumi.Input<string>;
    readonly tagSession?: boolean;
    /** Services that do not set aws:SourceAccount when they assume a role (EC2, EKS) must not be held to it. */
    readonly sourceAccountCondition?: boolean;
  } = {},
): pulumi.Output<string> {
  const sameAccount = opts.sourceAccountCondition ?? true;
  const condition = {
    ...(sameAccount ? { StringEquals: { "aws:SourceAccount": account } } : {}),
    ...(opts.sourceArnLike ? { ArnLike: { "aws:SourceArn": opts.sourceArnLike } } : {}),
  };
  return policyJson([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: opts.tagSession ? ["sts:AssumeRole", "sts:TagSession"] : "sts:AssumeRole",
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    },
  ]);
}

/** Denies every action on a resource over plain HTTP: the SSL-only statement of queue, topic and bucket policies. */
export function denyInsecureTransport(service: "sqs" | "sns", resource: pulumi.Input<string>): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    // A deny is broader-is-safer: every action of the service over plain HTTP is refused.
    Action: `${service}:*`,
    Resource: resource,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** X-Ray writes and sampling: these actions name no resources (see ACTIONS_WITHOUT_RESOURCE_LEVEL). */
export const XRAY_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"] as const;

/** What a principal needs of the fleet key to use data encrypted with it (SQS, SNS, logs, tables). */
export const KMS_USE_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;
