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

/** DynamoDB table names, queue names and the like hold [A-Za-z0-9_.-]; fleet and agent names already do. */
export function dbUserName(agent: string): string {
  return agent.replace(/-/g, "_");
}
