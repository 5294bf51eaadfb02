import * as budgets from "@pulumi/aws/budgets";
import type * as kms from "@pulumi/aws/kms";
import * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";
import { cloudBudgetUsd } from "../../plan/budget-split";
import type { FleetPlan } from "../../plan/types";
import { denyInsecureTransport, policyJson } from "./iam";
import { awsName, NAME_LIMITS } from "./names";
import { awsTags } from "./tags";

export interface AlarmTopicArgs {
  readonly name: string;
  readonly prefix: string;
  readonly accountId: pulumi.Output<string>;
  readonly key: kms.Key;
  readonly tags: Readonly<Record<string, string>>;
  readonly emails: ReadonlyArray<string>;
}

/**
 * The fleet's alarm topic: encrypted with the fleet key, published to only by
 * CloudWatch alarms and AWS Budgets of this account, over TLS; the fleet's alert
 * emails subscribe to it.
 */
export function alarmTopic(args: AlarmTopicArgs, opts: pulumi.CustomResourceOptions): sns.Topic {
  const topic = new sns.Topic(
    `${args.name}-alarms`,
    { name: awsName([args.prefix, "alarms"], NAME_LIMITS.sns), kmsMasterKeyId: args.key.arn, tags: awsTags(args.tags, `${args.prefix}-alarms`) },
    opts,
  );
  new sns.TopicPolicy(
    `${args.name}-alarms`,
    {
      arn: topic.arn,
      policy: policyJson([
        {
          Sid: "AlarmsAndBudgetsPublish",
          Effect: "Allow",
          Principal: { Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] },
          Action: "sns:Publish",
          Resource: topic.arn,
          Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
        },
        denyInsecureTransport("sns", topic.arn),
      ]),
    },
    opts,
  );
  args.emails.forEach((email, i) => {
    new sns.TopicSubscription(`${args.name}-alarms-${i}`, { topic: topic.arn, protocol: "email", endpoint: email }, opts);
  });
  return topic;
}

/**
 * The cloud's own budget for the fleet (issue #6): monthly cost of resources tagged
 * with this fleet and environment, limited to the fleet's AWS targets' part of its
 * budget (lib/plan/budget-split.ts; the whole budget on an AWS-only fleet), alerting at each of the plan's percentages
 * (80% and 100% by default) of actual cost, and at 100% of forecast cost.
 */
export function fleetBudget(name: string, plan: FleetPlan, prefix: string, topic: sns.Topic, opts: pulumi.CustomResourceOptions): budgets.Budget {
  const fleet = plan.fleet;
  const subscribers = { subscriberSnsTopicArns: [topic.arn], ...(fleet.budget.alertEmails.length > 0 ? { subscriberEmailAddresses: [...fleet.budget.alertEmails] } : {}) };
  return new budgets.Budget(
    name,
    {
      name: awsName([prefix, "monthly"], NAME_LIMITS.budget),
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: cloudBudgetUsd(plan, "aws").toFixed(2),
      limitUnit: "USD",
      filterExpression: {
        ands: [{ tags: { key: "fleet", values: [fleet.name] } }, { tags: { key: "environment", values: [fleet.environment] } }],
      },
      notifications: [
        ...fleet.budget.alertPercents.map((threshold) => ({ comparisonOperator: "GREATER_THAN", threshold, thresholdType: "PERCENTAGE", notificationType: "ACTUAL", ...subscribers })),
        { comparisonOperator: "GREATER_THAN", threshold: 100, thresholdType: "PERCENTAGE", notificationType: "FORECASTED", ...subscribers },
      ],
      tags: awsTags(plan.tags),
    },
    opts,
  );
}
