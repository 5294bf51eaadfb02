import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import type { ObservabilityOutputs, ObservabilityScope } from "../target";
import { awsLandings, awsServices, childOpts, queueOf, type AwsLanding, type AwsQueue, type AwsServiceHandle, type MetricRef } from "./landing";
import { awsName, NAME_LIMITS } from "./names";
import { awsTags } from "./tags";

/**
 * Agents' own metrics, from their JSON logs (the agent contract: `level`, `event`,
 * `latencyMs`). A namespace per agent and environment (`MicroAgents/<fleet>-<env>/<agent>`):
 * metric filters cannot set a literal dimension, and dev and prod must not share metrics.
 */
export function agentNamespace(fleet: string, agent: string): string {
  return `MicroAgents/${fleet}/${agent}`;
}

/** A filter pattern over the agent's JSON log lines, wherever the runtime puts them. */
export function logPattern(handle: Pick<AwsServiceHandle, "logSelector">, condition: string, root = handle.logSelector ? "$.log_processed" : "$"): string {
  const c = condition.replace(/\$\./g, `${root}.`);
  return handle.logSelector ? `{ (${handle.logSelector}) && (${c}) }` : `{ ${c} }`;
}

export const ERROR_RATE_EXPRESSION = "100 * FILL(errors, 0) / IF(FILL(errors, 0) + FILL(processed, 0) > 0, FILL(errors, 0) + FILL(processed, 0), 1)";

interface AlarmSpec {
  readonly id: string;
  readonly description: string;
  readonly threshold: number;
  readonly metric?: MetricRef;
  readonly queries?: ReadonlyArray<{ id: string; metric?: MetricRef; expression?: string; returnData: boolean }>;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

function metricArgs(m: MetricRef) {
  const percentile = /^p\d+/.test(m.stat);
  return { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, period: 60, ...(percentile ? { extendedStatistic: m.stat } : { statistic: m.stat }) };
}

/** The seed's alarms for one agent, at the plan's thresholds. */
export function agentAlarms(fleet: string, agent: AgentPlan, handle: AwsServiceHandle, queue: AwsQueue): AlarmSpec[] {
  const own = (metricName: string, stat: string): MetricRef => ({ namespace: agentNamespace(fleet, agent.name), metricName, dimensions: {}, stat });
  const sqs = (q: AwsQueue["queue"], metricName: string): MetricRef => ({ namespace: "AWS/SQS", metricName, dimensions: { QueueName: q.name }, stat: "Maximum" });
  const a = agent.alarms;
  return [
    { id: "memory", description: `memory above ${a.memoryPercent}%`, threshold: a.memoryPercent, metric: handle.memory, evaluationPeriods: 5, datapointsToAlarm: 3 },
    {
      id: "error-rate",
      description: `error rate above ${a.errorRatePercent}%`,
      threshold: a.errorRatePercent,
      queries: [
        { id: "errors", metric: own("Errors", "Sum"), returnData: false },
        { id: "processed", metric: own("Processed", "Sum"), returnData: false },
        { id: "rate", expression: ERROR_RATE_EXPRESSION, returnData: true },
      ],
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    },
    { id: "queue-depth", description: `more than ${a.queueDepth} messages waiting`, threshold: a.queueDepth, metric: sqs(queue.queue, "ApproximateNumberOfMessagesVisible"), evaluationPeriods: 5, datapointsToAlarm: 3 },
    { id: "dead-letters", description: "a message reached the dead-letter queue", threshold: a.dlqDepth, metric: sqs(queue.deadLetter, "ApproximateNumberOfMessagesVisible"), evaluationPeriods: 1, datapointsToAlarm: 1 },
    ...(queue.eventsDeadLetter
      ? [{ id: "event-dead-letters", description: "an event could not be delivered to the agent's queue", threshold: a.dlqDepth, metric: sqs(queue.eventsDeadLetter, "ApproximateNumberOfMessagesVisible"), evaluationPeriods: 1, datapointsToAlarm: 1 }]
      : []),
    { id: "p95-latency", description: `p95 latency above ${a.p95LatencyMs} ms`, threshold: a.p95LatencyMs, metric: own("LatencyMs", "p95"), evaluationPeriods: 5, datapointsToAlarm: 3 },
  ];
}

/**
 * CloudWatch for the fleet: log metric filters for errors, processed messages
 * and latency on every agent's logs; the seed's alarms per agent (memory > 90%,
 * error rate > 10%, queue > 100, any dead letter, p95 latency over target) to
 * the alarm topic; one dashboard with a row per agent (queue depth, age of the
 * oldest message, replicas, CPU, memory, errors, p95 latency, dead letters).
 * Traces reach X-Ray through each service's collector (ECS sidecar, EKS agent).
 */
export function awsObservability(scope: ObservabilityScope): ObservabilityOutputs {
  const landing = awsLandings.get(scope.platform);
  // `<fleet>-<env>`: dev and prod of one fleet may share an account and region, and must not alarm on each other's metrics.
  const fleet = landing.prefix;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const rows: Array<{ handle: AwsServiceHandle; queue: AwsQueue }> = [];
  for (const service of scope.services) {
    const handle = awsServices.get(service);
    const queue = queueOf(scope.broker, handle.agent.name);
    rows.push({ handle, queue });
    metricFilters(`${name}-${handle.agent.name}`, fleet, handle, opts);
    for (const spec of agentAlarms(fleet, handle.agent, handle, queue)) alarm(`${name}-${handle.agent.name}-${spec.id}`, landing, handle.agent, spec, opts);
  }
  const dashboardName = awsName([landing.prefix, "agents"], NAME_LIMITS.dashboard);
  new cloudwatch.Dashboard(name, { dashboardName, dashboardBody: dashboardBody(landing, fleet, rows) }, opts);
  return { dashboardName: pulumi.output(dashboardName) };
}

function metricFilters(logical: string, fleet: string, handle: AwsServiceHandle, opts: pulumi.CustomResourceOptions): void {
  const ns = agentNamespace(fleet, handle.agent.name);
  const filters = [
    { id: "errors", pattern: logPattern(handle, '$.level = "error" || $.level = "ERROR"'), metric: "Errors", value: "1" },
    { id: "processed", pattern: logPattern(handle, '$.event = "processed"'), metric: "Processed", value: "1" },
    { id: "latency", pattern: logPattern(handle, "$.latencyMs = *"), metric: "LatencyMs", value: handle.logSelector ? "$.log_processed.latencyMs" : "$.latencyMs" },
  ];
  for (const f of filters) {
    new cloudwatch.LogMetricFilter(
      `${logical}-${f.id}`,
      {
        name: `${handle.agent.name}-${f.id}`,
        logGroupName: handle.logGroupName,
        pattern: f.pattern,
        metricTransformation: { namespace: ns, name: f.metric, value: f.value, unit: f.id === "latency" ? "Milliseconds" : "Count" },
      },
      opts,
    );
  }
}

function alarm(logical: string, landing: AwsLanding, agent: AgentPlan, spec: AlarmSpec, opts: pulumi.CustomResourceOptions): void {
  const common = {
    name: awsName([landing.prefix, agent.name, spec.id], NAME_LIMITS.alarm),
    alarmDescription: `${agent.name}: ${spec.description}`,
    comparisonOperator: "GreaterThanThreshold",
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm,
    treatMissingData: "notBreaching",
    alarmActions: [landing.alarmTopic.arn],
    okActions: [landing.alarmTopic.arn],
    tags: awsTags(agent.tags),
  };
  if (spec.metric) {
    new cloudwatch.MetricAlarm(logical, { ...common, ...metricArgs(spec.metric) }, opts);
    return;
  }
  new cloudwatch.MetricAlarm(
    logical,
    {
      ...common,
      metricQueries: (spec.queries ?? []).map((q) =>
        q.metric
          ? { id: q.id, returnData: q.returnData, metric: { namespace: q.metric.namespace, metricName: q.metric.metricName, dimensions: q.metric.dimensions, period: 60, stat: q.metric.stat } }
          : { id: q.id, returnData: q.returnData, expression: q.expression, label: spec.description },
      ),
    },
    opts,
  );
}

type Series = Array<string | Record<string, unknown>>;

function series(m: MetricRef, label?: string): Series {
  return [m.namespace, m.metricName, ...Object.entries(m.dimensions).flatMap(([k, v]) => [k, v as string]), { stat: m.stat, ...(label ? { label } : {}) }];
}

/** The dashboard: a title row, then one row of eight widgets per agent. */
function dashboardBody(landing: AwsLanding, fleet: string, rows: ReadonlyArray<{ handle: AwsServiceHandle; queue: AwsQueue }>): pulumi.Output<string> {
  const widget = (x: number, y: number, title: string, metrics: Series[]) => ({ type: "metric", x, y, width: 3, height: 6, properties: { title, region: landing.region, view: "timeSeries", stat: "Average", period: 60, metrics } });
  const widgets: unknown[] = [{ type: "text", x: 0, y: 0, width: 24, height: 1, properties: { markdown: `# ${landing.prefix}: ${rows.length} agents` } }];
  rows.forEach(({ handle, queue }, i) => {
    const y = 1 + i * 6;
    const a = handle.agent.name;
    const sqs = (q: AwsQueue["queue"], metric: string, stat = "Maximum"): MetricRef => ({ namespace: "AWS/SQS", metricName: metric, dimensions: { QueueName: q.name }, stat });
    const own = (metric: string, stat: string): MetricRef => ({ namespace: agentNamespace(fleet, a), metricName: metric, dimensions: {}, stat });
    widgets.push(
      widget(0, y, `${a}: queue depth`, [series(sqs(queue.queue, "ApproximateNumberOfMessagesVisible"), "waiting"), series(sqs(queue.queue, "ApproximateNumberOfMessagesNotVisible"), "in flight")]),
      widget(3, y, `${a}: oldest message (s)`, [series(sqs(queue.queue, "ApproximateAgeOfOldestMessage"))]),
      widget(6, y, `${a}: replicas`, [series(handle.replicas)]),
      widget(9, y, `${a}: CPU %`, [series(handle.cpu)]),
      widget(12, y, `${a}: memory %`, [series(handle.memory)]),
      widget(15, y, `${a}: errors`, [series(own("Errors", "Sum")), series(own("Processed", "Sum"))]),
      widget(18, y, `${a}: p95 latency (ms)`, [series(own("LatencyMs", "p95"))]),
      widget(21, y, `${a}: dead letters`, [series(sqs(queue.deadLetter, "ApproximateNumberOfMessagesVisible"))]),
    );
  });
  return pulumi.jsonStringify({ start: "-PT6H", periodOverride: "inherit", widgets });
}
