import * as appautoscaling from "@pulumi/aws/appautoscaling";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import type { AwsLanding, AwsQueue } from "../aws/landing";
import { awsName, NAME_LIMITS } from "../aws/names";
import { awsTags } from "../aws/tags";

import { BACKLOG_PER_TASK_EXPRESSION, WAKE_EXPRESSION } from "../aws/metric-math";

interface Scaled {
  readonly clusterName: pulumi.Input<string>;
  readonly serviceName: pulumi.Input<string>;
}

function sqsMetric(id: string, metricName: string, queueName: pulumi.Input<string>) {
  return { id, metricStat: { metric: { namespace: "AWS/SQS", metricName, dimensions: [{ name: "QueueName", value: queueName }] }, stat: "Average" }, returnData: false };
}

function runningMetric(s: Scaled) {
  return {
    id: "running",
    metricStat: {
      metric: { namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", dimensions: [{ name: "ClusterName", value: s.clusterName }, { name: "ServiceName", value: s.serviceName }] },
      stat: "Average",
    },
    returnData: false,
  };
}

/**
 * Application Auto Scaling for a queue-scaled agent: target tracking on backlog
 * per task (CloudWatch metric math over SQS and Container Insights), optional CPU
 * target tracking, and, where the plan lets the agent idle at zero tasks, a wake
 * alarm that starts one task when messages arrive (target tracking alone cannot
 * scale out from zero: its estimate is proportional to the running count).
 */
export function ecsAutoscaling(name: string, landing: AwsLanding, agent: AgentPlan, queue: AwsQueue, s: Scaled, opts: pulumi.CustomResourceOptions): appautoscaling.Target | undefined {
  const t = agent.triggers;
  if (!t.queue) return undefined;
  const resourceId = pulumi.interpolate`service/${s.clusterName}/${s.serviceName}`;
  const dimension = { resourceId, scalableDimension: "ecs:service:DesiredCount", serviceNamespace: "ecs" };
  const target = new appautoscaling.Target(name, { ...dimension, minCapacity: agent.scaling.min, maxCapacity: agent.scaling.max, tags: awsTags(agent.tags) }, opts);
  const policyOpts = { ...opts, dependsOn: [target] };
  const metrics = [sqsMetric("visible", "ApproximateNumberOfMessagesVisible", queue.queue.name), sqsMetric("inflight", "ApproximateNumberOfMessagesNotVisible", queue.queue.name), runningMetric(s)];
  new appautoscaling.Policy(
    `${name}-backlog`,
    {
      name: awsName([landing.prefix, agent.name, "backlog-per-task"], NAME_LIMITS.alarm),
      policyType: "TargetTrackingScaling",
      ...dimension,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: t.backlogPerReplica,
        scaleOutCooldown: 60,
        scaleInCooldown: t.cooldownSeconds,
        disableScaleIn: false,
        customizedMetricSpecification: { metrics: [...metrics, { id: "backlog", expression: BACKLOG_PER_TASK_EXPRESSION, label: "Backlog per task", returnData: true }] },
      },
    },
    policyOpts,
  );
  if (t.cpuTargetPercent !== undefined) {
    new appautoscaling.Policy(
      `${name}-cpu`,
      {
        name: awsName([landing.prefix, agent.name, "cpu"], NAME_LIMITS.alarm),
        policyType: "TargetTrackingScaling",
        ...dimension,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: t.cpuTargetPercent,
          scaleOutCooldown: 60,
          scaleInCooldown: t.cooldownSeconds,
          predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        },
      },
      policyOpts,
    );
  }
  if (t.scaleToZero) {
    const wake = new appautoscaling.Policy(
      `${name}-wake`,
      {
        name: awsName([landing.prefix, agent.name, "wake-from-zero"], NAME_LIMITS.alarm),
        policyType: "StepScaling",
        ...dimension,
        stepScalingPolicyConfiguration: { adjustmentType: "ExactCapacity", cooldown: 60, metricAggregationType: "Maximum", stepAdjustments: [{ metricIntervalLowerBound: "0", scalingAdjustment: 1 }] },
      },
      policyOpts,
    );
    new cloudwatch.MetricAlarm(
      `${name}-wake`,
      {
        name: awsName([landing.prefix, agent.name, "wake-from-zero"], NAME_LIMITS.alarm),
        alarmDescription: `Starts one ${agent.name} task when messages wait and none runs`,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
        metricQueries: [
          ...metrics.map((m) => ({ id: m.id, metric: { namespace: m.metricStat.metric.namespace, metricName: m.metricStat.metric.metricName, dimensions: Object.fromEntries(m.metricStat.metric.dimensions.map((d) => [d.name, d.value])), period: 60, stat: "Maximum" }, returnData: false })),
          { id: "wake", expression: WAKE_EXPRESSION, label: "Messages waiting with no task", returnData: true },
        ],
        alarmActions: [wake.arn],
        tags: awsTags(agent.tags),
      },
      opts,
    );
  }
  return target;
}
