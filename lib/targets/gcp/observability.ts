import * as logging from "@pulumi/gcp/logging";
import * as monitoring from "@pulumi/gcp/monitoring";
import type { AgentPlan } from "../../plan/types";
import type { ObservabilityOutputs, ObservabilityScope } from "../target";
import { childOpts, gcpLandings, gcpQueueOf, gcpServices, type GcpLanding, type GcpServiceHandle } from "./landing";
import { pubsubNames } from "./broker";
import { gcpName } from "./names";

/** The fleet's log-based metrics: errors, handled messages and latency from the agents' JSON logs (the agent contract). */
export interface FleetLogMetrics {
  readonly errors: string;
  readonly handled: string;
  readonly latency: string;
}

/** Where the agents' logs are and how a log line names its agent, per runtime. */
export function logScope(landing: Pick<GcpLanding, "runtime" | "prefix">, namespace: string): { filter: string; agentExtractor: string } {
  return landing.runtime === "run"
    ? { filter: `resource.type="cloud_run_revision" AND resource.labels.service_name:"${landing.prefix}-"`, agentExtractor: "EXTRACT(resource.labels.service_name)" }
    : { filter: `resource.type="k8s_container" AND resource.labels.namespace_name="${namespace}" AND resource.labels.container_name="agent"`, agentExtractor: 'EXTRACT(labels."k8s-pod/app_kubernetes_io/name")' };
}

interface AlertSpec {
  readonly id: string;
  readonly description: string;
  readonly condition: monitoring.AlertPolicyArgs["conditions"];
}

/** Cloud Run's memory utilization is a distribution (a percentile aligns it); GKE's is a gauge (its maximum). */
export const memoryAligner = (metric: string) => (metric.startsWith("run.googleapis.com/") ? "ALIGN_PERCENTILE_99" : "ALIGN_MAX");

const alignMean = (aligner: string, reducer?: string) => [{ alignmentPeriod: "60s", perSeriesAligner: aligner, ...(reducer ? { crossSeriesReducer: reducer } : {}) }];

/** The seed's five alerts for one agent, at the plan's thresholds, as Cloud Monitoring conditions. */
export function agentAlerts(agent: AgentPlan, handle: Pick<GcpServiceHandle, "resourceFilter" | "memoryMetric" | "logKey">, queue: { subscription: string; deadLetterSubscription: string }, metrics: FleetLogMetrics): AlertSpec[] {
  const a = agent.alarms;
  const own = (metric: string) => `metric.type = "logging.googleapis.com/user/${metric}" AND metric.label.agent = "${handle.logKey}"`;
  const sub = (id: string) => `resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "${id}" AND metric.type = "pubsub.googleapis.com/subscription/num_undelivered_messages"`;
  const threshold = (displayName: string, filter: string, value: number, aggregations: ReturnType<typeof alignMean>, duration = "300s", extra: Record<string, unknown> = {}) => [
    { displayName, conditionThreshold: { filter, comparison: "COMPARISON_GT", thresholdValue: value, duration, aggregations, trigger: { count: 1 }, ...extra } },
  ];
  return [
    { id: "memory", description: `memory above ${a.memoryPercent}%`, condition: threshold(`memory > ${a.memoryPercent}%`, `${handle.resourceFilter} AND metric.type = "${handle.memoryMetric}"`, a.memoryPercent / 100, alignMean(memoryAligner(handle.memoryMetric), "REDUCE_MAX")) },
    {
      id: "error-rate",
      description: `error rate above ${a.errorRatePercent}%`,
      condition: threshold(`error rate > ${a.errorRatePercent}%`, own(metrics.errors), a.errorRatePercent / 100, alignMean("ALIGN_RATE", "REDUCE_SUM"), "300s", { denominatorFilter: own(metrics.handled), denominatorAggregations: alignMean("ALIGN_RATE", "REDUCE_SUM") }),
    },
    { id: "queue-depth", description: `more than ${a.queueDepth} messages undelivered`, condition: threshold(`undelivered > ${a.queueDepth}`, sub(queue.subscription), a.queueDepth, alignMean("ALIGN_MAX", "REDUCE_SUM")) },
    { id: "dead-letters", description: "a message was dead-lettered", condition: threshold("any dead letter", sub(queue.deadLetterSubscription), a.dlqDepth, alignMean("ALIGN_MAX", "REDUCE_SUM"), "0s") },
    { id: "p95-latency", description: `p95 latency above ${a.p95LatencyMs} ms`, condition: threshold(`p95 latency > ${a.p95LatencyMs} ms`, own(metrics.latency), a.p95LatencyMs, alignMean("ALIGN_PERCENTILE_95", "REDUCE_MAX")) },
  ];
}

/**
 * Cloud Monitoring for the fleet: log-based metrics from the agents' JSON logs
 * (errors, handled messages, latency), the seed's alerts per agent (memory > 90%,
 * error rate > 10%, undelivered > 100, any dead letter, p95 latency over the
 * target) to the fleet's e-mail channels, and one dashboard with a row per agent
 * (backlog, dead letters, memory, p95 latency). Traces go from each agent to
 * Cloud Trace over OTLP (the Telemetry API), set in the service's environment.
 */
export function gcpObservability(scope: ObservabilityScope): ObservabilityOutputs {
  const landing = gcpLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const { filter, agentExtractor } = logScope(landing, scope.platform.target.namespace);
  const metricName = (what: string) => gcpName([landing.prefix, what], 100).replace(/-/g, "_");
  const metrics: FleetLogMetrics = { errors: metricName("errors"), handled: metricName("handled"), latency: metricName("latency") };
  const labels = [{ key: "agent", valueType: "STRING", description: "the agent" }];
  const counter = (id: keyof FleetLogMetrics, extra: string) =>
    new logging.Metric(`${name}-${id}`, { name: metrics[id], description: `microagents ${landing.prefix}: ${id}`, filter: `${filter} AND ${extra}`, labelExtractors: { agent: agentExtractor }, metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1", labels } }, opts);
  const logMetrics = [
    counter("errors", 'jsonPayload.level="error"'),
    counter("handled", '(jsonPayload.event="processed" OR jsonPayload.level="error")'),
    new logging.Metric(
      `${name}-latency`,
      {
        name: metrics.latency,
        description: `microagents ${landing.prefix}: handling latency (ms)`,
        filter: `${filter} AND jsonPayload.latencyMs>=0`,
        valueExtractor: "EXTRACT(jsonPayload.latencyMs)",
        labelExtractors: { agent: agentExtractor },
        bucketOptions: { exponentialBuckets: { numFiniteBuckets: 40, growthFactor: 1.4, scale: 1 } },
        metricDescriptor: { metricKind: "DELTA", valueType: "DISTRIBUTION", unit: "ms", labels },
      },
      opts,
    ),
  ];
  const rows: Array<{ handle: GcpServiceHandle; subscription: string; deadLetterSubscription: string }> = [];
  for (const service of scope.services) {
    const handle = gcpServices.get(service);
    gcpQueueOf(scope.broker, handle.agent.name);
    // Subscription names come from the plan (pubsubNames), so alert filters hold literals.
    const names = pubsubNames(landing.prefix, handle.agent.name);
    rows.push({ handle, subscription: names.subscription, deadLetterSubscription: names.deadLetterSubscription });
    for (const alert of agentAlerts(handle.agent, handle, { subscription: names.subscription, deadLetterSubscription: names.deadLetterSubscription }, metrics)) {
      new monitoring.AlertPolicy(
        `${service.resourceName}-${alert.id}`,
        {
          displayName: `${landing.prefix} ${handle.agent.name}: ${alert.description}`,
          combiner: "OR",
          conditions: alert.condition,
          notificationChannels: [...landing.alertChannels],
          alertStrategy: { autoClose: "1800s" },
          severity: alert.id === "dead-letters" || alert.id === "error-rate" ? "ERROR" : "WARNING",
          documentation: { content: `microagents: agent ${handle.agent.name} of fleet ${plan.fleet.name} (${plan.fleet.environment}): ${alert.description}.`, mimeType: "text/markdown" },
          userLabels: { ...handle.agent.tags },
        },
        { ...opts, dependsOn: logMetrics },
      );
    }
  }
  const dashboard = new monitoring.Dashboard(`${name}-dashboard`, { dashboardJson: JSON.stringify(dashboardJson(`microagents ${landing.prefix}`, rows, metrics)) }, opts);
  return { dashboardName: dashboard.id };
}

/** A mosaic dashboard: one row per agent (backlog, dead letters, memory, p95 latency). */
export function dashboardJson(title: string, rows: ReadonlyArray<{ handle: Pick<GcpServiceHandle, "agent" | "resourceFilter" | "memoryMetric" | "logKey">; subscription: string; deadLetterSubscription: string }>, metrics: FleetLogMetrics): Record<string, unknown> {
  const tile = (x: number, y: number, tileTitle: string, filter: string, aligner: string) => ({
    xPos: x,
    yPos: y,
    width: 3,
    height: 4,
    widget: { title: tileTitle, xyChart: { dataSets: [{ timeSeriesQuery: { timeSeriesFilter: { filter, aggregation: { alignmentPeriod: "60s", perSeriesAligner: aligner } } }, plotType: "LINE" }] } },
  });
  const sub = (id: string) => `resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "${id}" AND metric.type = "pubsub.googleapis.com/subscription/num_undelivered_messages"`;
  return {
    displayName: title,
    mosaicLayout: {
      columns: 12,
      tiles: rows.flatMap(({ handle, subscription, deadLetterSubscription }, i) => [
        tile(0, i * 4, `${handle.agent.name}: undelivered`, sub(subscription), "ALIGN_MAX"),
        tile(3, i * 4, `${handle.agent.name}: dead letters`, sub(deadLetterSubscription), "ALIGN_MAX"),
        tile(6, i * 4, `${handle.agent.name}: memory`, `${handle.resourceFilter} AND metric.type = "${handle.memoryMetric}"`, memoryAligner(handle.memoryMetric)),
        tile(9, i * 4, `${handle.agent.name}: p95 latency (ms)`, `metric.type = "logging.googleapis.com/user/${metrics.latency}" AND metric.label.agent = "${handle.logKey}"`, "ALIGN_PERCENTILE_95"),
      ]),
    },
    labels: {},
  };
}
