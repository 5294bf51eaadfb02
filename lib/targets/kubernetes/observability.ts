import * as k8s from "@pulumi/kubernetes";
import { costLabels } from "../../plan/tags";
import type { AgentPlan } from "../../plan/types";
import type { ObservabilityOutputs, ObservabilityScope } from "../target";
import { helmRelease } from "./addons";
import { agentLabels, agentSelector, streamName } from "./labels";
import { childOpts, landings } from "./landing";
import { fleetNames, OTEL_COLLECTOR_SERVICE } from "./names";

/**
 * The agent contract for metrics (Prometheus text on the agent's port at /metrics):
 * `microagents_tasks_total{outcome="success"|"error"}` and the histogram
 * `microagents_task_duration_seconds`. The PodMonitor adds the `agent` label.
 */
export const AGENT_METRICS = { tasks: "microagents_tasks_total", duration: "microagents_task_duration_seconds" } as const;

/**
 * JetStream series of prometheus-nats-exporter as the nats chart runs it (`-prefix=nats -jsz=all`,
 * files/stateful-set/prom-exporter-container.yaml): the prefix replaces the `jetstream` namespace
 * (collector/jsz.go, `getSystem`). Every replica of a stream reports it, with `is_stream_leader` /
 * `is_consumer_leader` labels: per-stream figures take `max`, fleet sums count leaders only.
 */
export const NATS_METRICS = { consumerPending: "nats_consumer_num_pending", streamMessages: "nats_stream_total_messages" } as const;

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/**
 * The seed's alerts for one agent, thresholds from the plan (`agent.alarms`):
 * memory over `memoryPercent` of its limit, error rate over `errorRatePercent`,
 * more than `queueDepth` messages waiting, any dead letter, p95 over `p95LatencyMs`.
 * Queue figures come from the NATS exporter's JetStream metrics.
 */
export function agentAlertRules(fleet: string, namespace: string, agent: AgentPlan): AlertRule[] {
  const a = agent.alarms;
  const sel = `namespace="${namespace}", agent="${agent.name}"`;
  const pod = `namespace="${namespace}", pod=~"${agent.name}-[a-z0-9]+-[a-z0-9]+", container="agent"`;
  const stream = streamName(fleet, agent.name);
  const labels = (severity: string) => ({ severity, fleet, agent: agent.name, namespace });
  const rate = (outcome?: string) => `sum(rate(${AGENT_METRICS.tasks}{${sel}${outcome ? `, outcome="${outcome}"` : ""}}[5m]))`;
  return [
    {
      alert: "AgentMemoryHigh",
      expr: `max(container_memory_working_set_bytes{${pod}}) / max(kube_pod_container_resource_limits{${pod}, resource="memory"}) * 100 > ${a.memoryPercent}`,
      for: "5m",
      labels: labels("warning"),
      annotations: { summary: `${agent.name} uses more than ${a.memoryPercent}% of its memory limit` },
    },
    {
      alert: "AgentErrorRateHigh",
      expr: `${rate("error")} / ${rate()} * 100 > ${a.errorRatePercent}`,
      for: "5m",
      labels: labels("critical"),
      annotations: { summary: `${agent.name} fails more than ${a.errorRatePercent}% of its tasks` },
    },
    {
      alert: "AgentQueueBacklog",
      expr: `max(${NATS_METRICS.consumerPending}{stream_name="${stream}", consumer_name="${agent.name}"}) > ${a.queueDepth}`,
      for: "5m",
      labels: labels("warning"),
      annotations: { summary: `more than ${a.queueDepth} messages wait for ${agent.name}` },
    },
    {
      alert: "AgentDeadLetters",
      expr: `max(${NATS_METRICS.streamMessages}{stream_name="${stream}-dlq"}) > ${a.dlqDepth}`,
      for: "1m",
      labels: labels("critical"),
      annotations: { summary: `${agent.name} has dead-lettered messages (stream ${stream}-dlq)` },
    },
    {
      alert: "AgentLatencyHigh",
      expr: `histogram_quantile(0.95, sum by (le) (rate(${AGENT_METRICS.duration}_bucket{${sel}}[5m]))) * 1000 > ${a.p95LatencyMs}`,
      for: "10m",
      labels: labels("warning"),
      annotations: { summary: `${agent.name} p95 latency is over ${a.p95LatencyMs} ms` },
    },
  ];
}

/** OpenTelemetry collector values: OTLP in, metrics out as Prometheus on :8889, traces to the user's OTLP endpoint. */
export function collectorValues(otlpEndpoint: string | undefined, replicas: number): Record<string, unknown> {
  const traces = otlpEndpoint ? { exporters: { "otlphttp/traces": { endpoint: otlpEndpoint } } } : {};
  return {
    mode: "deployment",
    replicaCount: replicas,
    image: { repository: "otel/opentelemetry-collector-contrib" },
    podSecurityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "250m", memory: "512Mi" } },
    ports: { prom: { enabled: true, containerPort: 8889, servicePort: 8889, protocol: "TCP" } },
    config: {
      receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } } },
      processors: { memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 }, batch: {} },
      exporters: { prometheus: { endpoint: "0.0.0.0:8889", resource_to_telemetry_conversion: { enabled: true } }, ...traces.exporters },
      service: {
        pipelines: {
          metrics: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["prometheus"] },
          ...(otlpEndpoint ? { traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["otlphttp/traces"] } } : {}),
        },
      },
    },
  };
}

interface Panel {
  readonly title: string;
  readonly expr: string;
  readonly unit: string;
}

/** Panels of one agent's row: queue depth, p95 latency, error rate, replicas, and GPU utilisation for GPU agents. */
export function agentPanels(fleet: string, namespace: string, agent: AgentPlan): Panel[] {
  const sel = `namespace="${namespace}", agent="${agent.name}"`;
  const stream = streamName(fleet, agent.name);
  const panels: Panel[] = [
    { title: `${agent.name}: queue depth`, expr: `max(${NATS_METRICS.consumerPending}{stream_name="${stream}", consumer_name="${agent.name}"})`, unit: "short" },
    { title: `${agent.name}: p95 latency`, expr: `histogram_quantile(0.95, sum by (le) (rate(${AGENT_METRICS.duration}_bucket{${sel}}[5m])))`, unit: "s" },
    { title: `${agent.name}: error rate`, expr: `sum(rate(${AGENT_METRICS.tasks}{${sel}, outcome="error"}[5m])) / sum(rate(${AGENT_METRICS.tasks}{${sel}}[5m]))`, unit: "percentunit" },
    { title: `${agent.name}: replicas`, expr: `kube_deployment_status_replicas_available{namespace="${namespace}", deployment="${agent.name}"}`, unit: "short" },
  ];
  if (agent.gpu) panels.push({ title: `${agent.name}: GPU utilisation`, expr: `avg(DCGM_FI_DEV_GPU_UTIL{namespace="${namespace}", pod=~"${agent.name}-.*"})`, unit: "percent" });
  return panels;
}

/** The fleet's Grafana dashboard: a fleet summary row, then one row per agent. */
export function fleetDashboard(fleet: string, namespace: string, agents: ReadonlyArray<AgentPlan>): Record<string, unknown> {
  const panels: Array<Record<string, unknown>> = [];
  let id = 1;
  let y = 0;
  const row = (title: string) => {
    panels.push({ id: id++, type: "row", title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: y++ }, panels: [] });
  };
  const graphs = (list: ReadonlyArray<Panel>) => {
    const w = Math.floor(24 / list.length);
    list.forEach((p, i) => {
      panels.push({
        id: id++,
        type: "timeseries",
        title: p.title,
        datasource: { type: "prometheus", uid: "${datasource}" },
        fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
        gridPos: { h: 8, w, x: i * w, y },
        targets: [{ refId: "A", expr: p.expr }],
      });
    });
    y += 8;
  };
  const ns = `namespace="${namespace}"`;
  row(`${fleet}: fleet summary`);
  graphs([
    { title: "tasks per second", expr: `sum(rate(${AGENT_METRICS.tasks}{${ns}}[5m]))`, unit: "reqps" },
    { title: "error rate", expr: `sum(rate(${AGENT_METRICS.tasks}{${ns}, outcome="error"}[5m])) / sum(rate(${AGENT_METRICS.tasks}{${ns}}[5m]))`, unit: "percentunit" },
    { title: "messages waiting", expr: `sum(${NATS_METRICS.consumerPending}{stream_name=~"${fleet}-.*", is_consumer_leader="true"})`, unit: "short" },
    { title: "dead letters", expr: `sum(${NATS_METRICS.streamMessages}{stream_name=~"${fleet}-.*-dlq", is_stream_leader="true"})`, unit: "short" },
    { title: "replicas", expr: `sum(kube_deployment_status_replicas_available{${ns}})`, unit: "short" },
  ]);
  for (const agent of agents) {
    row(agent.name);
    graphs(agentPanels(fleet, namespace, agent));
  }
  return {
    title: `microagents: ${fleet}`,
    uid: `microagents-${fleet}`.slice(0, 40),
    tags: ["microagents", fleet],
    timezone: "utc",
    schemaVersion: 39,
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus" }] },
    panels,
  };
}

/**
 * Observability on Kubernetes: a per-fleet OpenTelemetry collector (OTLP in,
 * Prometheus out, traces to the user's endpoint), a PodMonitor and a PrometheusRule
 * per agent, and a Grafana dashboard ConfigMap the Grafana sidecar loads.
 */
export function kubernetesObservability(scope: ObservabilityScope): ObservabilityOutputs {
  const landing = landings.get(scope.platform);
  const plan = scope.platform.plan;
  const fleet = plan.fleet.name;
  const ns = landing.namespace;
  const n = fleetNames(fleet);
  const name = scope.resourceName;
  const shared = costLabels(plan.tags);
  const opts = childOpts(scope, landing, landing.crdsReady);
  const agents = scope.services.map((s) => s.agent);
  const prod = plan.fleet.environment === "prod";

  if (landing.addons.openTelemetry) {
    helmRelease(`${name}-otel`, "opentelemetry-collector", collectorValues(scope.otlpEndpoint, prod ? 2 : 1), childOpts(scope, landing, landing.crdsReady), ns);
    collectorPolicies(scope, ns, shared, agents.map((a) => a.name));
    new k8s.apiextensions.CustomResource(
      `${name}-otel`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: OTEL_COLLECTOR_SERVICE, namespace: ns, labels: shared },
        spec: {
          selector: { matchLabels: { "app.kubernetes.io/name": OTEL_COLLECTOR_SERVICE, "app.kubernetes.io/instance": OTEL_COLLECTOR_SERVICE } },
          endpoints: [{ port: "prom", interval: "30s", honorLabels: true }],
        },
      },
      opts,
    );
  }
  new k8s.core.v1.ConfigMap(
    `${name}-telemetry`,
    {
      metadata: { name: n.telemetryConfig, namespace: ns, labels: shared },
      data: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://${OTEL_COLLECTOR_SERVICE}.${ns}.svc.cluster.local:4318`,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
        OTEL_TRACES_EXPORTER: scope.otlpEndpoint ? "otlp" : "none",
        OTEL_METRICS_EXPORTER: "otlp",
      },
    },
    childOpts(scope, landing),
  );
  for (const agent of agents) {
    const labels = agentLabels(fleet, agent.name, agent.tags);
    new k8s.apiextensions.CustomResource(
      `${name}-${agent.name}`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name: agent.name, namespace: ns, labels },
        spec: {
          selector: { matchLabels: agentSelector(fleet, agent.name) },
          podMetricsEndpoints: [
            { port: "http", path: "/metrics", interval: "30s", relabelings: [{ sourceLabels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], targetLabel: "agent" }] },
          ],
        },
      },
      opts,
    );
    new k8s.apiextensions.CustomResource(
      `${name}-${agent.name}`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: agent.name, namespace: ns, labels },
        spec: { groups: [{ name: `${fleet}.${agent.name}`, rules: agentAlertRules(fleet, ns, agent) }] },
      },
      opts,
    );
  }
  const dashboard = new k8s.core.v1.ConfigMap(
    `${name}-dashboard`,
    {
      metadata: { name: n.dashboard, namespace: ns, labels: { ...shared, grafana_dashboard: "1" } },
      data: { [`${fleet}.json`]: JSON.stringify(fleetDashboard(fleet, ns, agents), null, 2) },
    },
    childOpts(scope, landing),
  );
  return { dashboardName: dashboard.metadata.name };
}

/** Agents may send OTLP to the collector; the collector takes OTLP from them, is scraped by monitoring, and sends traces out over HTTPS. */
function collectorPolicies(scope: ObservabilityScope, ns: string, labels: Record<string, string>, agents: string[]): void {
  const landing = landings.get(scope.platform);
  const fleet = scope.platform.fleet.name;
  const collector = { "app.kubernetes.io/name": OTEL_COLLECTOR_SERVICE, "app.kubernetes.io/instance": OTEL_COLLECTOR_SERVICE };
  const agentPods = { podSelector: { matchLabels: { "app.kubernetes.io/part-of": fleet }, matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: [...agents].sort() }] } };
  const otlp = [
    { protocol: "TCP", port: 4317 },
    { protocol: "TCP", port: 4318 },
  ];
  new k8s.networking.v1.NetworkPolicy(
    `${scope.resourceName}-agents-to-otel`,
    { metadata: { name: `${fleet}-agents-to-otel`, namespace: ns, labels }, spec: { podSelector: agentPods.podSelector, policyTypes: ["Egress"], egress: [{ to: [{ podSelector: { matchLabels: collector } }], ports: otlp }] } },
    childOpts(scope, landing),
  );
  new k8s.networking.v1.NetworkPolicy(
    `${scope.resourceName}-otel`,
    {
      metadata: { name: `${fleet}-otel-collector`, namespace: ns, labels },
      spec: {
        podSelector: { matchLabels: collector },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          { from: [agentPods], ports: otlp },
          { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": landing.monitoringNamespace } } }], ports: [{ protocol: "TCP", port: 8889 }, { protocol: "TCP", port: 8888 }] },
        ],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
          { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.0.0/16"] } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 4317 }, { protocol: "TCP", port: 4318 }] },
        ],
      },
    },
    childOpts(scope, landing),
  );
}
