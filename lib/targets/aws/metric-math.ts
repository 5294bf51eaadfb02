/**
 * CloudWatch metric math the ECS scaling uses on Pulumi and CDK alike, over three
 * series: `visible` and `inflight` (SQS) and `running` (Container Insights).
 */

/**
 * Backlog per task: visible plus in-flight messages over running tasks (one when
 * none run, so an idle service still reports its backlog). Missing datapoints
 * count as zero.
 */
export const BACKLOG_PER_TASK_EXPRESSION = "(FILL(visible, 0) + FILL(inflight, 0)) / IF(FILL(running, 0) > 0, FILL(running, 0), 1)";

/** Wakes a service scaled to zero: 1 while no task runs and messages wait, else 0. */
export const WAKE_EXPRESSION = "IF(FILL(running, 0) == 0 AND (FILL(visible, 0) + FILL(inflight, 0)) > 0, 1, 0)";
