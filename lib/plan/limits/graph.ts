import { MicroAgentsConfigError, type SpecIssue } from "../../spec/errors";
import { checkRestApi } from "./apigateway";
import { AWS_NAME_RULES, nameProblems, type AwsIdentifier } from "./aws-names";
import { findingIssue, isError, describeFinding, type LimitFinding } from "./check";
import { checkTemplate, type TemplateShape } from "./cloudformation";
import { checkUserGroup } from "./elasticache";
import { checkManagedPolicy, checkRolePolicies } from "./iam";
import { checkFilterPolicy } from "./sns";
import { checkQueuePolicy } from "./sqs";

/** A registered resource as the offline engine captures it (structurally: no engine import here). */
export interface GraphResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** The input of each Pulumi resource type that holds an AWS identifier, and the rule it must meet. */
const NAMED_INPUTS: ReadonlyArray<readonly [string, string, AwsIdentifier]> = [
  ["aws:rds/instance:Instance", "identifier", "rdsInstance"],
  ["aws:rds/instance:Instance", "finalSnapshotIdentifier", "rdsSnapshot"],
  ["aws:rds/parameterGroup:ParameterGroup", "name", "rdsParameterGroup"],
  ["aws:rds/subnetGroup:SubnetGroup", "name", "rdsSubnetGroup"],
  ["aws:rds/proxy:Proxy", "name", "rdsProxy"],
  ["aws:elasticache/user:User", "userId", "elasticacheUser"],
  ["aws:elasticache/userGroup:UserGroup", "userGroupId", "elasticacheUserGroup"],
  ["aws:elasticache/serverlessCache:ServerlessCache", "name", "serverlessCache"],
  ["aws:lb/loadBalancer:LoadBalancer", "name", "loadBalancer"],
  ["aws:lb/targetGroup:TargetGroup", "name", "targetGroup"],
  ["aws:ecs/capacityProvider:CapacityProvider", "name", "capacityProvider"],
  ["aws:ecs/cluster:Cluster", "name", "ecsCluster"],
  ["aws:ecs/service:Service", "name", "ecsService"],
  ["aws:ecs/taskDefinition:TaskDefinition", "family", "taskFamily"],
  ["aws:sqs/queue:Queue", "name", "sqsQueue"],
  ["aws:sns/topic:Topic", "name", "snsTopic"],
  ["aws:iam/role:Role", "name", "iamRole"],
  ["aws:iam/instanceProfile:InstanceProfile", "name", "iamInstanceProfile"],
  ["aws:iam/policy:Policy", "name", "iamPolicy"],
  ["aws:lambda/function:Function", "name", "lambda"],
  ["aws:dynamodb/table:Table", "name", "dynamodbTable"],
  ["aws:cloudwatch/logGroup:LogGroup", "name", "logGroup"],
  ["aws:eks/cluster:Cluster", "name", "eksCluster"],
  ["aws:eks/nodeGroup:NodeGroup", "nodeGroupName", "nodeGroup"],
  ["aws:ec2/launchTemplate:LaunchTemplate", "name", "launchTemplate"],
  ["aws:autoscaling/group:Group", "name", "autoscalingGroup"],
  ["aws:ec2/securityGroup:SecurityGroup", "name", "securityGroup"],
  ["aws:wafv2/webAcl:WebAcl", "name", "wafAcl"],
  ["aws:cloudwatch/dashboard:Dashboard", "dashboardName", "dashboard"],
  ["aws:budgets/budget:Budget", "name", "budget"],
  // CloudFormation (CDK) resource types and their name properties.
  ["AWS::RDS::DBInstance", "DBInstanceIdentifier", "rdsInstance"],
  ["AWS::RDS::DBParameterGroup", "DBParameterGroupName", "rdsParameterGroup"],
  ["AWS::RDS::DBProxy", "DBProxyName", "rdsProxy"],
  ["AWS::ElastiCache::User", "UserId", "elasticacheUser"],
  ["AWS::ElastiCache::UserGroup", "UserGroupId", "elasticacheUserGroup"],
  ["AWS::ElastiCache::ServerlessCache", "ServerlessCacheName", "serverlessCache"],
  ["AWS::ElasticLoadBalancingV2::LoadBalancer", "Name", "loadBalancer"],
  ["AWS::ElasticLoadBalancingV2::TargetGroup", "Name", "targetGroup"],
  ["AWS::ECS::CapacityProvider", "Name", "capacityProvider"],
  ["AWS::ECS::Cluster", "ClusterName", "ecsCluster"],
  ["AWS::SQS::Queue", "QueueName", "sqsQueue"],
  ["AWS::SNS::Topic", "TopicName", "snsTopic"],
  ["AWS::IAM::Role", "RoleName", "iamRole"],
  ["AWS::AutoScaling::AutoScalingGroup", "AutoScalingGroupName", "autoscalingGroup"],
];

const label = (r: GraphResource) => `${r.type} ${r.name}`;

function text(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function nameFindings(resources: ReadonlyArray<GraphResource>): SpecIssue[] {
  const byType = new Map<string, Array<readonly [string, AwsIdentifier]>>();
  for (const [type, input, kind] of NAMED_INPUTS) byType.set(type, [...(byType.get(type) ?? []), [input, kind]]);
  const issues: SpecIssue[] = [];
  for (const r of resources) {
    for (const [input, kind] of byType.get(r.type) ?? []) {
      const value = text(r.inputs[input]);
      if (value === undefined) continue;
      const rule = AWS_NAME_RULES[kind];
      for (const problem of nameProblems(rule, value)) issues.push({ path: label(r), message: `${rule.what} '${value}' ${problem} (${rule.source})`, hint: "rename the fleet or agent it is built from" });
    }
  }
  return issues;
}

/** IAM: inline policies per role together, managed policy sizes, managed policies per role. */
function iamFindings(resources: ReadonlyArray<GraphResource>): LimitFinding[] {
  const roles = new Map<string, { label: string; inline: string[]; managed: number }>();
  const roleOf = (key: string, fallback: string) => {
    let r = roles.get(key);
    if (!r) roles.set(key, (r = { label: fallback, inline: [], managed: 0 }));
    return r;
  };
  const findings: LimitFinding[] = [];
  for (const r of resources) {
    if (r.type === "aws:iam/role:Role") {
      const key = text(r.inputs.name) ?? r.name;
      const role = roleOf(key, label(r));
      role.label = label(r);
      const inline = r.inputs.inlinePolicies;
      if (Array.isArray(inline)) for (const p of inline as Array<{ policy?: unknown }>) if (typeof p.policy === "string") role.inline.push(p.policy);
      if (Array.isArray(r.inputs.managedPolicyArns)) role.managed += r.inputs.managedPolicyArns.length;
    } else if (r.type === "aws:iam/rolePolicy:RolePolicy") {
      const key = text(r.inputs.role);
      const policy = text(r.inputs.policy);
      if (key && policy) roleOf(key, `aws:iam/role:Role ${key}`).inline.push(policy);
    } else if (r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
      const key = text(r.inputs.role);
      if (key) roleOf(key, `aws:iam/role:Role ${key}`).managed++;
    } else if (r.type === "aws:iam/policy:Policy") {
      const policy = text(r.inputs.policy);
      if (policy) findings.push(...checkManagedPolicy(label(r), policy));
    }
  }
  for (const role of roles.values()) findings.push(...checkRolePolicies({ role: role.label, inline: role.inline, managedCount: role.managed }));
  return findings;
}

function countFindings(resources: ReadonlyArray<GraphResource>): LimitFinding[] {
  const findings: LimitFinding[] = [];
  const apiResources = new Map<string, number>();
  for (const r of resources) {
    if (r.type === "aws:apigateway/resource:Resource") {
      const api = text(r.inputs.restApi) ?? "(unknown)";
      apiResources.set(api, (apiResources.get(api) ?? 1) + 1);
    } else if (r.type === "aws:sns/topicSubscription:TopicSubscription") {
      const policy = text(r.inputs.filterPolicy);
      if (policy) findings.push(...checkFilterPolicy(label(r), policy));
    } else if (r.type === "aws:sqs/queuePolicy:QueuePolicy" && typeof r.inputs.policy === "string") {
      findings.push(...checkQueuePolicy(label(r), r.inputs.policy));
    } else if (r.type === "aws:elasticache/userGroup:UserGroup" && Array.isArray(r.inputs.userIds)) {
      findings.push(...checkUserGroup(label(r), r.inputs.userIds.length));
    }
  }
  for (const [api, count] of apiResources) findings.push(...checkRestApi(`aws:apigateway/restApi:RestApi ${api}`, count));
  return findings;
}

/** Errors (hard limits, names AWS rejects) and warnings (adjustable quotas) of a captured resource graph. */
export function graphLimitReport(resources: ReadonlyArray<GraphResource>): { readonly errors: ReadonlyArray<SpecIssue>; readonly warnings: ReadonlyArray<string> } {
  const findings = [...iamFindings(resources), ...countFindings(resources)];
  return {
    errors: [...nameFindings(resources), ...findings.filter(isError).map(findingIssue)],
    warnings: findings.filter((f) => !isError(f)).map((f) => `${f.resource}: ${describeFinding(f)}; ${f.hint}`),
  };
}

/** Throws every hard limit the graph crosses, each naming the resource and the limit with its source. */
export function assertGraphWithinLimits(resources: ReadonlyArray<GraphResource>): ReadonlyArray<string> {
  const report = graphLimitReport(resources);
  if (report.errors.length > 0) throw new MicroAgentsConfigError(report.errors);
  return report.warnings;
}

/** CloudFormation templates (a CDK cloud assembly) against the stack limits and name rules. */
export function templateLimitReport(templates: ReadonlyArray<{ readonly stack: string; readonly template: TemplateShape }>): { readonly errors: ReadonlyArray<SpecIssue>; readonly warnings: ReadonlyArray<string> } {
  const findings = templates.flatMap((t) => checkTemplate(t.stack, t.template));
  const resources: GraphResource[] = templates.flatMap((t) =>
    Object.entries(t.template.Resources ?? {}).map(([id, raw]) => {
      const r = raw as { Type?: string; Properties?: Record<string, unknown> };
      return { type: r.Type ?? "", name: `${t.stack}/${id}`, inputs: r.Properties ?? {} };
    }),
  );
  return {
    errors: [...nameFindings(resources), ...findings.filter(isError).map(findingIssue)],
    warnings: findings.filter((f) => !isError(f)).map((f) => `${f.resource}: ${describeFinding(f)}; ${f.hint}`),
  };
}
