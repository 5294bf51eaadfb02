import { createHash } from "node:crypto";

/**
 * Physical names for AWS resources. Names carry the fleet and environment (two
 * stacks of one fleet may share an account), and global resources (IAM) also the
 * region (the medium tier deploys one fleet to two regions). A name over the
 * service's limit keeps its head and ends in a stable hash of the whole.
 */
export function awsName(parts: ReadonlyArray<string>, max: number): string {
  const full = parts.filter((p) => p.length > 0).join("-");
  if (full.length <= max) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 7);
  return `${full.slice(0, max - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/** What AWS accepts for one kind of identifier, from the API reference of the call that sets it. */
export interface NameRule {
  readonly what: string;
  readonly max: number;
  readonly min?: number;
  /** Every character must match. */
  readonly chars: RegExp;
  readonly charsText: string;
  readonly firstLetter?: boolean;
  /** First character a letter or digit. */
  readonly firstAlnum?: boolean;
  readonly noTrailingHyphen?: boolean;
  readonly noLeadingHyphen?: boolean;
  readonly noDoubleHyphen?: boolean;
  /** Prefixes AWS reserves (compared case-insensitively). */
  readonly reservedPrefixes?: ReadonlyArray<string>;
  readonly source: string;
}

const api = (path: string) => `https://docs.aws.amazon.com/${path}`;
const ALNUM_HYPHEN = /^[A-Za-z0-9-]$/;
const ALNUM_HYPHEN_UNDERSCORE = /^[A-Za-z0-9_-]$/;
const rdsIdentifier = (what: string, max: number, path: string): NameRule => ({
  what,
  max,
  chars: ALNUM_HYPHEN,
  charsText: "letters, digits and hyphens",
  firstLetter: true,
  noTrailingHyphen: true,
  noDoubleHyphen: true,
  source: api(path),
});

/** The identifiers the AWS targets (Pulumi and CDK) name themselves. */
export const AWS_NAME_RULES = {
  rdsInstance: rdsIdentifier("RDS DB instance identifier", 63, "AmazonRDS/latest/APIReference/API_CreateDBInstance.html"),
  rdsSnapshot: rdsIdentifier("RDS final snapshot identifier", 255, "AmazonRDS/latest/APIReference/API_DeleteDBInstance.html"),
  rdsParameterGroup: rdsIdentifier("RDS DB parameter group name", 255, "AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html"),
  rdsProxy: rdsIdentifier("RDS Proxy name", 60, "AmazonRDS/latest/APIReference/API_CreateDBProxy.html"),
  rdsSubnetGroup: { what: "RDS DB subnet group name", max: 255, chars: /^[A-Za-z0-9._ -]$/, charsText: "letters, digits, periods, underscores, spaces and hyphens", source: api("AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html") },
  elasticacheUser: { what: "ElastiCache user ID", max: 40, chars: ALNUM_HYPHEN, charsText: "letters, digits and hyphens", firstLetter: true, noTrailingHyphen: true, noDoubleHyphen: true, source: api("AmazonElastiCache/latest/APIReference/API_CreateUser.html") },
  elasticacheUserGroup: { what: "ElastiCache user group ID", max: 40, chars: ALNUM_HYPHEN, charsText: "letters, digits and hyphens", firstLetter: true, noTrailingHyphen: true, noDoubleHyphen: true, source: api("AmazonElastiCache/latest/APIReference/API_CreateUserGroup.html") },
  serverlessCache: { what: "ElastiCache Serverless cache name", max: 40, chars: /^[a-z0-9-]$/, charsText: "lowercase letters, digits and hyphens", firstLetter: true, noTrailingHyphen: true, noDoubleHyphen: true, source: api("AmazonElastiCache/latest/APIReference/API_CreateServerlessCache.html") },
  loadBalancer: { what: "Elastic Load Balancing load balancer name", max: 32, chars: ALNUM_HYPHEN, charsText: "letters, digits and hyphens", noLeadingHyphen: true, noTrailingHyphen: true, reservedPrefixes: ["internal-"], source: api("elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html") },
  targetGroup: { what: "Elastic Load Balancing target group name", max: 32, chars: ALNUM_HYPHEN, charsText: "letters, digits and hyphens", noLeadingHyphen: true, noTrailingHyphen: true, source: api("elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html") },
  capacityProvider: { what: "ECS capacity provider name", max: 255, chars: ALNUM_HYPHEN_UNDERSCORE, charsText: "letters, digits, underscores and hyphens", reservedPrefixes: ["aws", "ecs", "fargate"], source: api("AmazonECS/latest/APIReference/API_CreateCapacityProvider.html") },
  ecsCluster: { what: "ECS cluster name", max: 255, chars: ALNUM_HYPHEN_UNDERSCORE, charsText: "letters, digits, underscores and hyphens", source: api("AmazonECS/latest/APIReference/API_CreateCluster.html") },
  ecsService: { what: "ECS service name", max: 255, chars: ALNUM_HYPHEN_UNDERSCORE, charsText: "letters, digits, underscores and hyphens", source: api("AmazonECS/latest/APIReference/API_CreateService.html") },
  taskFamily: { what: "ECS task definition family", max: 255, chars: ALNUM_HYPHEN_UNDERSCORE, charsText: "letters, digits, underscores and hyphens", source: api("AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html") },
  sqsQueue: { what: "SQS queue name", max: 80, chars: /^[A-Za-z0-9_.-]$/, charsText: "letters, digits, hyphens and underscores (and the .fifo suffix)", source: api("AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html") },
  snsTopic: { what: "SNS topic name", max: 256, chars: /^[A-Za-z0-9_.-]$/, charsText: "letters, digits, hyphens and underscores (and the .fifo suffix)", source: api("sns/latest/api/API_CreateTopic.html") },
  iamRole: { what: "IAM role name", max: 64, chars: /^[\w+=,.@-]$/, charsText: "letters, digits and _+=,.@-", source: api("IAM/latest/APIReference/API_CreateRole.html") },
  iamInstanceProfile: { what: "IAM instance profile name", max: 128, chars: /^[\w+=,.@-]$/, charsText: "letters, digits and _+=,.@-", source: api("IAM/latest/APIReference/API_CreateInstanceProfile.html") },
  iamPolicy: { what: "IAM policy name", max: 128, chars: /^[\w+=,.@-]$/, charsText: "letters, digits and _+=,.@-", source: api("IAM/latest/APIReference/API_CreatePolicy.html") },
  lambda: { what: "Lambda function name", max: 64, chars: ALNUM_HYPHEN_UNDERSCORE, charsText: "letters, digits, hyphens and underscores", source: api("lambda/latest/api/API_CreateFunction.html") },
  dynamodbTable: { what: "DynamoDB table name", min: 3, max: 255, chars: /^[A-Za-z0-9_.-]$/, charsText: "letters, digits, underscores, hyphens and periods", source: api("amazondynamodb/latest/APIReference/API_CreateTable.html") },
  logGroup: { what: "CloudWatch Logs log group name", max: 512, chars: /^[A-Za-z0-9._/#-]$/, charsText: "letters, digits and ._-/#", source: api("AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html") },
  eksCluster: { what: "EKS cluster name", max: 100, chars: ALNUM_HYPHEN_UNDERSCORE, charsText: "letters, digits, hyphens and underscores", firstAlnum: true, source: api("eks/latest/APIReference/API_CreateCluster.html") },
  nodeGroup: { what: "EKS node group name", max: 63, chars: ALNUM_HYPHEN_UNDERSCORE, charsText: "letters, digits, hyphens and underscores", firstAlnum: true, source: api("eks/latest/APIReference/API_CreateNodegroup.html") },
  launchTemplate: { what: "EC2 launch template name", min: 3, max: 128, chars: /^[A-Za-z0-9().\-/_]$/, charsText: "letters, digits and ()./-_", source: api("AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html") },
  autoscalingGroup: { what: "Auto Scaling group name", max: 255, chars: /^[^:\n]$/, charsText: "any character but ':'", source: api("autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html") },
  securityGroup: { what: "EC2 security group name", max: 255, chars: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]$/, charsText: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*", reservedPrefixes: ["sg-"], source: api("AWSEC2/latest/APIReference/API_CreateSecurityGroup.html") },
  wafAcl: { what: "WAF web ACL name", max: 128, chars: ALNUM_HYPHEN_UNDERSCORE, charsText: "letters, digits, hyphens and underscores", source: api("waf/latest/APIReference/API_CreateWebACL.html") },
  dashboard: { what: "CloudWatch dashboard name", max: 255, chars: ALNUM_HYPHEN_UNDERSCORE, charsText: "letters, digits, hyphens and underscores", source: api("AmazonCloudWatch/latest/APIReference/API_PutDashboard.html") },
  budget: { what: "AWS Budgets budget name", max: 100, chars: /^[^:\\]$/, charsText: "any character but ':' and '\\'", source: api("aws-cost-management/latest/APIReference/API_budgets_Budget.html") },
} as const satisfies Record<string, NameRule>;

export type AwsIdentifier = keyof typeof AWS_NAME_RULES;

/** What is wrong with a name under a rule: one sentence per broken rule, none when AWS accepts it. */
export function nameProblems(rule: NameRule, name: string): string[] {
  const out: string[] = [];
  if (name.length > rule.max) out.push(`is ${name.length} characters, over ${rule.max}`);
  if (name.length < (rule.min ?? 1)) out.push(`is shorter than ${rule.min ?? 1} characters`);
  const bad = [...new Set([...name].filter((c) => !rule.chars.test(c)))];
  if (bad.length > 0) out.push(`holds ${bad.map((c) => `'${c}'`).join(", ")}; allowed: ${rule.charsText}`);
  if (rule.firstLetter && !/^[A-Za-z]/.test(name)) out.push("must begin with a letter");
  if (rule.firstAlnum && !/^[A-Za-z0-9]/.test(name)) out.push("must begin with a letter or digit");
  if (rule.noLeadingHyphen && name.startsWith("-")) out.push("must not begin with a hyphen");
  if (rule.noTrailingHyphen && name.endsWith("-")) out.push("must not end with a hyphen");
  if (rule.noDoubleHyphen && name.includes("--")) out.push("must not contain two consecutive hyphens");
  for (const p of rule.reservedPrefixes ?? []) {
    if (name.toLowerCase().startsWith(p)) out.push(`must not begin with '${p}' (reserved by AWS)`);
  }
  return out;
}

/**
 * A name AWS accepts for an identifier whose rule reserves prefixes: the plain
 * name, or, only when it begins with a reserved prefix, the same name after `ma-`
 * (so names that were valid never change, and a fleet called `ecs-team` or
 * `internal` still deploys).
 */
export function safeAwsName(kind: AwsIdentifier, parts: ReadonlyArray<string>): string {
  const rule: NameRule = AWS_NAME_RULES[kind];
  const plain = awsName(parts, rule.max);
  const reserved = (rule.reservedPrefixes ?? []).some((p) => plain.toLowerCase().startsWith(p));
  return reserved ? awsName(["ma", ...parts], rule.max) : plain;
}
