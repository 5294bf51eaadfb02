import type { PolicyStatement } from "./iam";

/**
 * Grants that name the fleet's resources by convention instead of one ARN per
 * agent, so a shared role's policy is the same size at 1 agent or 500 (IAM holds
 * a role's inline policies to 10,240 characters: lib/plan/limits). Each keeps
 * least privilege by the package's naming and tagging rules:
 * - every queue the fleet creates is named `<fleet>-<env>-...` and tagged with the
 *   fleet, the environment and its `microagents.io/queue-role` (input or dead-letter);
 * - every agent's database user is `agent_<name>` (names.ts dbUserName).
 */

/** The tag that says whether a queue is an agent's input or its dead letters. */
export const QUEUE_ROLE_TAG = "microagents.io/queue-role";

/** Tag conditions that hold a queue grant to this fleet's queues of one role (SQS supports aws:ResourceTag in IAM policies). */
export function fleetQueueCondition(tags: Readonly<Record<string, string>>, queueRole?: "input" | "dead-letter"): NonNullable<PolicyStatement["Condition"]> {
  return {
    StringEquals: {
      "aws:ResourceTag/fleet": tags.fleet,
      "aws:ResourceTag/environment": tags.environment,
      ...(queueRole ? { [`aws:ResourceTag/${QUEUE_ROLE_TAG}`]: queueRole } : {}),
    },
  };
}

/** `arn:<partition>:sqs:<region>:<account>:<prefix>-*`: the fleet's queues in this region. */
export function fleetQueuesArn(partition: string, region: string, account: string, prefix: string): string {
  return `arn:${partition}:sqs:${region}:${account}:${prefix}-*`;
}
