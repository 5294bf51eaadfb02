import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import { XRAY_ACTIONS, type PolicyStatement } from "./iam";
import type { AwsLanding, AwsQueue } from "./landing";
import { stateParameterName } from "./contract";

/**
 * What every agent's own identity may do, whatever runs it: drain its own queue,
 * publish its own events, use the fleet key only through SQS, SNS and DynamoDB,
 * read the state parameter, and, for active-passive agents, hold only its own
 * leader lease.
 */
export function agentStatements(landing: AwsLanding, agent: AgentPlan, queue: AwsQueue): PolicyStatement[] {
  const r = landing.region;
  const statements: PolicyStatement[] = [
    {
      Sid: "ConsumeOwnQueue",
      Effect: "Allow",
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
      Resource: queue.queue.arn,
    },
    { Sid: "PublishOwnEvents", Effect: "Allow", Action: "sns:Publish", Resource: queue.topic.arn },
    {
      Sid: "UseFleetKeyThroughServices",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: landing.key.arn,
      Condition: { StringEquals: { "kms:ViaService": [`sqs.${r}.amazonaws.com`, `sns.${r}.amazonaws.com`, `dynamodb.${r}.amazonaws.com`] } },
    },
    {
      Sid: "ReadStateEndpoints",
      Effect: "Allow",
      Action: "ssm:GetParameter",
      Resource: pulumi.interpolate`arn:${landing.partition}:ssm:${r}:${landing.accountId}:parameter${stateParameterName(landing.prefix)}`,
    },
  ];
  if (agent.scaling.activePassive && landing.leaseTable) {
    statements.push({
      Sid: "HoldOwnLeaderLease",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
      Resource: landing.leaseTable.arn,
      Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [agent.name] } },
    });
  }
  return statements;
}

/** X-Ray writes: these actions name no resources, so `*` is the only form (see ACTIONS_WITHOUT_RESOURCE_LEVEL). */
export const XRAY_STATEMENT: PolicyStatement = {
  Sid: "WriteTraces",
  Effect: "Allow",
  Action: [...XRAY_ACTIONS],
  Resource: "*",
};
