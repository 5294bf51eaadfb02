
export { awsName, safeAwsName } from "../../plan/limits/aws-names";

/** Length limits of the names this package sets (from each service's API reference). */
export const NAME_LIMITS = {
  sqs: 80,
  sns: 256,
  iamRole: 64,
  iamInstanceProfile: 128,
  logGroup: 512,
  ecsCluster: 255,
  ecsService: 255,
  taskFamily: 255,
  capacityProvider: 255,
  loadBalancer: 32,
  targetGroup: 32,
  dynamodbTable: 255,
  serverlessCache: 40,
  elasticacheUser: 40,
  rdsIdentifier: 63,
  rdsProxy: 60,
  lambda: 64,
  wafAcl: 128,
  apiName: 1024,
  eksCluster: 100,
  nodeGroup: 63,
  launchTemplate: 128,
  budget: 100,
  securityGroup: 255,
  kmsAlias: 256,
  dashboard: 255,
  alarm: 255,
  autoscalingGroup: 255,
} as const;

/** The AWS partition a region belongs to. */
export function partitionOf(region: string): "aws" | "aws-cn" | "aws-us-gov" {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The DNS suffix service endpoints use in a partition. */
export function dnsSuffixOf(region: string): string {
  return partitionOf(region) === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function arn(region: string, service: string, account: string, resource: string, arnRegion: string = region): string {
  return `arn:${partitionOf(region)}:${service}:${arnRegion}:${account}:${resource}`;
}

/**
 * An agent's database user: `agent_<name>` with `_` for `-`. The common head is the
 * naming convention RDS Proxy's role is granted by (`dbuser:<id>/agent_*`), so that
 * role's policy is the same size for 1 agent or 500; the database holds no other
 * IAM users of that form (its admin user signs in with the managed password).
 */
export const DB_AGENT_USER_PREFIX = "agent_";

export function dbUserName(agent: string): string {
  return `${DB_AGENT_USER_PREFIX}${agent.replace(/-/g, "_")}`;
}
