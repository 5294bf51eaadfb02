import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { customerServiceFleet, researchFleet } from "../../agents/fleets";
import type { CapturedResource, ResourceGraph } from "../../lib/offline/engine";
import { AZURE_SUBSCRIPTION } from "../../lib/offline/mocks";
import { estimateCost } from "../../lib/cost/estimate";
import { factsFromGraph } from "../../lib/facts";
import { planFleet } from "../../lib/plan";
import { BUILTIN_ROLES } from "../../lib/targets/azure/roles";
import { workbookGuid } from "../../lib/targets/azure/workbook";
import { at, one, ofType, planFleetOffline } from "../helpers/offline";

const acaFleet = researchFleet({ tier: "medium", environment: "dev", targets: [{ runtime: "aca", region: "swedencentral" }] });
const aksFleet = customerServiceFleet({ tier: "medium", environment: "prod", targets: [{ runtime: "aks", region: "westeurope" }] });
const acaPlan = planFleet(acaFleet);
const aksPlan = planFleet(aksFleet);
const RG = "rg-acme-research-dev-swedencentral";
const ACTIONS = `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Insights/actionGroups/acme-research-dev-alerts`;
const WORKSPACE = `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/acme-research-dev-swedencentral-logs`;
/** The ARM id the offline engine gives a resource: its type and physical name under its resource group. */
const arm = (rg: string, type: string, name: string) => `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/${rg}/providers/${type}/${name}`;
const NAMESPACE_ID = (g: ResourceGraph) => arm(RG, "Microsoft.ServiceBus/namespaces", String(at(one(g, "azure-native:servicebus:Namespace", "acme-research-sb"), "namespaceName")));

/** A value the Kubernetes provider marked secret, as the engine captured it (Pulumi's secret signature). */
const revealed = (v: unknown): Record<string, unknown> => {
  const r = (typeof v === "object" && v !== null ? v : {}) as Record<string, unknown>;
  return (r["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270" ? r.value : r) as Record<string, unknown>;
};
const str = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
const alertsOf = (g: ResourceGraph, agent: string) => [...ofType(g, "azure-native:monitor:MetricAlert"), ...ofType(g, "azure-native:monitor:ScheduledQueryRule")].filter((r) => r.name.startsWith(`${"acme-"}`) && r.name.includes(`-${agent}-`));
const ARM_TYPES: Readonly<Record<string, [string, string]>> = {
  "azure-native:app:ContainerApp": ["Microsoft.App/containerApps", "containerAppName"],
  "azure-native:monitor:ActionGroup": ["Microsoft.Insights/actionGroups", "actionGroupName"],
  "azure-native:monitor:AzureMonitorWorkspace": ["Microsoft.Monitor/accounts", "azureMonitorWorkspaceName"],
  "azure-native:containerservice:ManagedCluster": ["Microsoft.ContainerService/managedClusters", "resourceName"],
  "azure-native:applicationinsights:Component": ["Microsoft.Insights/components", "resourceName"],
};
const idOf = (r: CapturedResource) => {
  const [type, key] = ARM_TYPES[r.type];
  return arm(String(at(r, "resourceGroupName")), type, String(at(r, key)));
};

describe("ObservabilityStack on Azure", () => {
  let aca: ResourceGraph;
  let aks: ResourceGraph;
  before(async () => {
    aca = await planFleetOffline(acaFleet);
    aks = await planFleetOffline(aksFleet);
  });

  it("aca: every agent has the five alerts, named per fleet and agent", () => {
    for (const agent of acaPlan.agents) {
      const ids = alertsOf(aca, agent.name).map((r) => r.name.split(`-${agent.name}-`)[1]).sort();
      assert.deepEqual(ids, ["dead-letters", "error-rate", "memory", "p95-latency", "queue-depth"], agent.name);
    }
    assert.equal(ofType(aca, "azure-native:monitor:MetricAlert").length, 3 * acaPlan.agents.length);
    assert.equal(ofType(aca, "azure-native:monitor:ScheduledQueryRule").length, 2 * acaPlan.agents.length);
  });

  it("aca: queue depth and dead letters are Service Bus metric alerts on the namespace, one queue each (EntityName)", () => {
    const a = acaPlan.agent("document-processor");
    const depth = one(aca, "azure-native:monitor:MetricAlert", "acme-research-observability-document-processor-queue-depth");
    assert.deepEqual(depth.inputs, {
      resourceGroupName: RG,
      location: "global",
      ruleName: "acme-research-dev-document-processor-queue-depth",
      description: `microagents acme-research-dev: agent document-processor: more than ${a.alarms.queueDepth} active messages on its queue`,
      enabled: true,
      severity: 2,
      scopes: [NAMESPACE_ID(aca)],
      evaluationFrequency: "PT1M",
      windowSize: "PT5M",
      autoMitigate: true,
      criteria: {
        odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
        allOf: [
          {
            criterionType: "StaticThresholdCriterion",
            name: "queue-depth",
            metricNamespace: "Microsoft.ServiceBus/namespaces",
            metricName: "ActiveMessages",
            timeAggregation: "Maximum",
            operator: "GreaterThan",
            threshold: 100,
            dimensions: [{ name: "EntityName", operator: "Include", values: ["document-processor"] }],
          },
        ],
      },
      actions: [{ actionGroupId: ACTIONS }],
      tags: { ...a.tags },
    });
    const dead = one(aca, "azure-native:monitor:MetricAlert", "acme-research-observability-document-processor-dead-letters");
    assert.equal(at(dead, "criteria", "allOf", 0, "metricName"), "DeadletteredMessages");
    assert.equal(at(dead, "criteria", "allOf", 0, "threshold"), 0);
    assert.equal(at(dead, "severity"), 1);
    assert.deepEqual(at(dead, "criteria", "allOf", 0, "dimensions"), [{ name: "EntityName", operator: "Include", values: ["document-processor"] }]);
  });

  it("aca: memory is the Container App's WorkingSetBytes above 90% of the replica's ACA memory", () => {
    const memory = one(aca, "azure-native:monitor:MetricAlert", "acme-research-observability-document-processor-memory");
    const app = one(aca, "azure-native:app:ContainerApp", "acme-research-document-processor");
    assert.deepEqual(at(memory, "scopes"), [idOf(app)]);
    assert.equal(at(app, "template", "containers", 0, "resources", "memory"), "4Gi");
    assert.deepEqual(at(memory, "criteria", "allOf", 0), {
      criterionType: "StaticThresholdCriterion",
      name: "memory",
      metricNamespace: "Microsoft.App/containerApps",
      metricName: "WorkingSetBytes",
      timeAggregation: "Maximum",
      operator: "GreaterThan",
      threshold: Math.round(4 * 2 ** 30 * 0.9),
    });
  });

  it("aca: error rate and p95 latency are log search alerts over the agent's console logs in the workspace", () => {
    const a = acaPlan.agent("document-processor");
    const rate = one(aca, "azure-native:monitor:ScheduledQueryRule", "acme-research-observability-document-processor-error-rate");
    const query = str(at(rate, "criteria", "allOf", 0, "query"));
    assert.deepEqual({ ...rate.inputs, criteria: undefined }, {
      resourceGroupName: RG,
      location: "swedencentral",
      ruleName: "acme-research-dev-document-processor-error-rate",
      displayName: "acme-research-dev document-processor: error rate above 10%",
      description: "microagents acme-research-dev: agent document-processor: error rate above 10%",
      kind: "LogAlert",
      enabled: true,
      severity: 1,
      scopes: [WORKSPACE],
      evaluationFrequency: "PT5M",
      windowSize: "PT5M",
      autoMitigate: true,
      skipQueryValidation: true,
      criteria: undefined,
      actions: { actionGroups: [ACTIONS] },
      tags: { ...a.tags },
    });
    assert.deepEqual({ ...(at(rate, "criteria", "allOf", 0) as object), query: undefined }, {
      query: undefined,
      timeAggregation: "Maximum",
      metricMeasureColumn: "errorRatePercent",
      operator: "GreaterThan",
      threshold: a.alarms.errorRatePercent,
      failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
    });
    assert.match(query, /^ContainerAppConsoleLogs\n\| where ContainerAppName == "document-processor" and ContainerName == "agent"/);
    assert.match(query, /countif\(tostring\(entry\.level\) =~ "error"\)/);
    assert.match(query, /extend errorRatePercent = iff\(errors \+ processed > 0, 100\.0 \* errors \/ \(errors \+ processed\), 0\.0\)/);
    const p95 = one(aca, "azure-native:monitor:ScheduledQueryRule", "acme-research-observability-document-processor-p95-latency");
    assert.equal(at(p95, "criteria", "allOf", 0, "threshold"), a.alarms.p95LatencyMs);
    assert.equal(at(p95, "criteria", "allOf", 0, "metricMeasureColumn"), "p95LatencyMs");
    assert.match(str(at(p95, "criteria", "allOf", 0, "query")), /summarize p95LatencyMs = percentile\(latencyMs, 95\)$/);
  });

  it("every alert on both runtimes reaches the fleet's action group", () => {
    for (const g of [aca, aks]) {
      const group = idOf(ofType(g, "azure-native:monitor:ActionGroup")[0]);
      for (const r of ofType(g, "azure-native:monitor:MetricAlert")) assert.deepEqual(at(r, "actions"), [{ actionGroupId: group }], r.name);
      for (const r of ofType(g, "azure-native:monitor:ScheduledQueryRule")) assert.deepEqual(at(r, "actions"), { actionGroups: [group] }, r.name);
      for (const r of ofType(g, "azure-native:alertsmanagement:PrometheusRuleGroup")) {
        for (const rule of at(r, "rules") as Array<{ actions: unknown }>) assert.deepEqual(rule.actions, [{ actionGroupId: group }], r.name);
      }
    }
  });

  it("aks: four Azure Monitor alerts per agent, and memory as managed Prometheus rules on the cluster's workspace", () => {
    for (const agent of aksPlan.agents) {
      const ids = alertsOf(aks, agent.name).map((r) => r.name.split(`-${agent.name}-`)[1]).sort();
      assert.deepEqual(ids, ["dead-letters", "error-rate", "p95-latency", "queue-depth"], agent.name);
    }
    const groups = ofType(aks, "azure-native:alertsmanagement:PrometheusRuleGroup");
    assert.equal(groups.length, Math.ceil(aksPlan.agents.length / 20));
    const group = groups[0];
    const workspace = idOf(one(aks, "azure-native:monitor:AzureMonitorWorkspace", "acme-support-prometheus"));
    const cluster = one(aks, "azure-native:containerservice:ManagedCluster", "acme-support");
    assert.deepEqual({ ...group.inputs, rules: undefined }, {
      resourceGroupName: "rg-acme-support-prod-westeurope",
      location: "westeurope",
      ruleGroupName: "acme-support-prod-agent-memory-0",
      description: "microagents acme-support-prod: agents' memory above their threshold",
      scopes: [workspace, idOf(cluster)],
      clusterName: at(cluster, "resourceName"),
      enabled: true,
      interval: "PT1M",
      rules: undefined,
      tags: { ...aksPlan.tags },
    });
    const rules = at(group, "rules") as Array<Record<string, unknown>>;
    assert.deepEqual(rules.map((r) => (r.labels as { agent: string }).agent).sort(), aksPlan.agents.map((a) => a.name).sort());
    const first = aksPlan.agents[0];
    const ns = aksPlan.fleet.targets[0].namespace;
    const sel = `namespace="${ns}", container="agent", pod=~"${first.name}-[a-z0-9]+-[a-z0-9]+"`;
    assert.deepEqual(rules.find((r) => (r.labels as { agent: string }).agent === first.name), {
      alert: `${first.name}-memory`,
      expression: `max by (pod) (container_memory_working_set_bytes{${sel}}) / on (pod) max by (pod) (kube_pod_container_resource_limits{${sel}, resource="memory"}) * 100 > 90`,
      for: "PT5M",
      severity: 2,
      enabled: true,
      labels: { agent: first.name },
      annotations: { description: `microagents acme-support-prod: agent ${first.name}: memory above 90% of its limit` },
      actions: [{ actionGroupId: idOf(ofType(aks, "azure-native:monitor:ActionGroup")[0]) }],
      resolveConfiguration: { autoResolved: true, timeToResolve: "PT10M" },
    });
    // The log alerts read ContainerLogV2: Container insights' rule sends it to the workspace, associated with the cluster.
    const ci = one(aks, "azure-native:monitor:DataCollectionRule", "acme-support-container-insights");
    assert.deepEqual(at(ci, "dataSources"), {
      extensions: [
        {
          name: "ContainerInsightsExtension",
          extensionName: "ContainerInsights",
          streams: ["Microsoft-ContainerLogV2", "Microsoft-KubePodInventory", "Microsoft-KubeEvents"],
          extensionSettings: { dataCollectionSettings: { interval: "1m", namespaceFilteringMode: "Off", enableContainerLogV2: true } },
        },
      ],
    });
    assert.deepEqual(at(ci, "destinations"), { logAnalytics: [{ name: "ciworkspace", workspaceResourceId: arm("rg-acme-support-prod-westeurope", "Microsoft.OperationalInsights/workspaces", "acme-support-prod-westeurope-logs") }] });
    assert.deepEqual(at(ci, "dataFlows"), [{ streams: ["Microsoft-ContainerLogV2", "Microsoft-KubePodInventory", "Microsoft-KubeEvents"], destinations: ["ciworkspace"] }]);
    const ciLink = one(aks, "azure-native:monitor:DataCollectionRuleAssociation", "acme-support-container-insights");
    assert.equal(at(ciLink, "resourceUri"), idOf(cluster));
    assert.equal(at(ciLink, "associationName"), "ContainerInsightsExtension");
    const rate = ofType(aks, "azure-native:monitor:ScheduledQueryRule").find((r) => r.name.endsWith(`-${first.name}-error-rate`));
    assert.match(str(rate && at(rate, "criteria", "allOf", 0, "query")), new RegExp(`^ContainerLogV2\\n\\| where PodNamespace == "${ns}" and ContainerName == "agent" and PodName matches regex "\\^${first.name}-\\[a-z0-9\\]\\+-\\[a-z0-9\\]\\+\\$"`));
  });

  it("one shared workbook per fleet with a group per agent: backlog, dead letters, memory (aca) and p95 latency", () => {
    const wb = one(aca, "azure-native:applicationinsights:Workbook", "acme-research-observability-workbook");
    assert.equal(at(wb, "resourceName"), workbookGuid("microagents", "acme-research-dev", "swedencentral", "agents"));
    assert.match(str(at(wb, "resourceName")), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(at(wb, "kind"), "shared");
    assert.equal(at(wb, "category"), "workbook");
    assert.equal(at(wb, "sourceId"), WORKSPACE);
    const data = JSON.parse(str(at(wb, "serializedData"))) as { version: string; items: Array<{ type: number; name: string; content: { items?: Array<{ name: string; content: Record<string, unknown> }> } }>; fallbackResourceIds: string[] };
    assert.equal(data.version, "Notebook/1.0");
    assert.deepEqual(data.fallbackResourceIds, [WORKSPACE]);
    const groups = data.items.filter((i) => i.type === 12);
    assert.deepEqual(groups.map((g) => g.name), acaPlan.agents.map((a) => `agent-${a.name}`));
    const row = groups[0].content.items ?? [];
    const agent = acaPlan.agents[0].name;
    assert.deepEqual(row.map((i) => i.name), [`${agent}-backlog`, `${agent}-dead-letters`, `${agent}-memory`, `${agent}-p95`]);
    assert.deepEqual(row[0].content.resourceIds, [NAMESPACE_ID(aca)]);
    assert.deepEqual(row[0].content.filters, [{ key: "EntityName", operator: 0, values: [agent] }]);
    const aksRow = (JSON.parse(str(at(ofType(aks, "azure-native:applicationinsights:Workbook")[0], "serializedData"))) as typeof data).items.filter((i) => i.type === 12)[0].content.items ?? [];
    assert.equal(aksRow.length, 3, "no per-agent Azure Monitor memory metric on aks: the Prometheus alert covers it");
  });

  it("traces: each agent reaches Application Insights with its own identity, the connection string from a secret", () => {
    const component = one(aca, "azure-native:applicationinsights:Component", "acme-research-appinsights");
    const app = one(aca, "azure-native:app:ContainerApp", "acme-research-document-processor");
    const identity = one(aca, "azure-native:managedidentity:UserAssignedIdentity", "acme-research-document-processor-id");
    const env = new Map((at(app, "template", "containers", 0, "env") as Array<{ name: string; value?: string; secretRef?: string }>).map((e) => [e.name, e]));
    assert.deepEqual(env.get("APPLICATIONINSIGHTS_CONNECTION_STRING"), { name: "APPLICATIONINSIGHTS_CONNECTION_STRING", secretRef: "appinsights-connection-string" });
    assert.equal(env.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")?.value, `Authorization=AAD;ClientId=${str(identity.outputs.clientId)}`);
    assert.equal(env.get("OTEL_SERVICE_NAME")?.value, "document-processor");
    const secrets = at(app, "configuration", "secrets") as Array<{ name: string; value?: string }>;
    assert.equal(secrets.find((s) => s.name === "appinsights-connection-string")?.value, component.outputs.connectionString);
    const grant = one(aca, "azure-native:authorization:RoleAssignment", "acme-research-document-processor-telemetry");
    assert.equal(at(grant, "scope"), idOf(component));
    assert.equal(at(grant, "principalId"), identity.outputs.principalId);
    assert.match(str(at(grant, "roleDefinitionId")), new RegExp(`/roleDefinitions/${BUILTIN_ROLES.monitoringMetricsPublisher}$`));

    const deployment = ofType(aks, "kubernetes:apps/v1:Deployment")[0];
    const agent = String(at(deployment, "metadata", "name"));
    const kenv = new Map((at(deployment, "spec", "template", "spec", "containers", 0, "env") as Array<{ name: string; valueFrom?: unknown }>).map((e) => [e.name, e]));
    assert.deepEqual(kenv.get("APPLICATIONINSIGHTS_CONNECTION_STRING")?.valueFrom, { secretKeyRef: { name: `${agent}-appinsights`, key: "connection-string" } });
    const secret = ofType(aks, "kubernetes:core/v1:Secret").find((s) => at(s, "metadata", "name") === `${agent}-appinsights`);
    assert.ok(secret, "the agent's connection-string Secret");
    assert.equal(revealed(at(secret, "stringData"))["connection-string"], one(aks, "azure-native:applicationinsights:Component", "acme-support-appinsights").outputs.connectionString);
  });

  it("a fleet with its own OTLP collector keeps it: no App Insights connection string, no telemetry role", async () => {
    const small = researchFleet({ tier: "small", environment: "dev", targets: [{ runtime: "aca", region: "swedencentral" }] });
    const g = await planFleetOffline({ ...small, spec: { ...small.spec, observability: { ...small.spec.observability, otlpEndpoint: "http://collector.acme.internal:4317" } } });
    const env = (at(one(g, "azure-native:app:ContainerApp", "acme-research-document-processor"), "template", "containers", 0, "env") as Array<{ name: string; value?: string }>).map((e) => e.name);
    assert.ok(env.includes("OTEL_EXPORTER_OTLP_ENDPOINT"));
    assert.ok(!env.includes("APPLICATIONINSIGHTS_CONNECTION_STRING"));
    assert.equal(ofType(g, "azure-native:authorization:RoleAssignment").filter((r) => r.name.endsWith("-telemetry")).length, 0);
  });

  it("cost: metric alerts per time series, log alerts at the 5-minute rate, Prometheus rules by samples processed, the workbook free", () => {
    const TYPES = ["azure-native:monitor:MetricAlert", "azure-native:monitor:ScheduledQueryRule", "azure-native:alertsmanagement:PrometheusRuleGroup", "azure-native:applicationinsights:Workbook"];
    for (const g of [aca, aks]) {
      const e = estimateCost(factsFromGraph(g));
      assert.deepEqual(e.unpriced.filter((u) => TYPES.includes(u.type)), []);
      const item = (type: string, name: string) => e.items.find((i) => i.type === type && i.resource.endsWith(name));
      const depth = item("azure-native:monitor:MetricAlert", "-queue-depth");
      assert.equal(depth?.monthlyUsd, 0.1);
      assert.match(depth?.basis ?? "", /^1 time series × \$0\.1\/month/);
      const rate = item("azure-native:monitor:ScheduledQueryRule", "-error-rate");
      assert.equal(rate?.monthlyUsd, 1.5);
      assert.match(rate?.basis ?? "", /^log search alert every 5 min: 1 time series × \$1\.5\/month/);
      assert.equal(item("azure-native:applicationinsights:Workbook", "-workbook")?.monthlyUsd, 0);
    }
    const rules = estimateCost(factsFromGraph(aks)).items.find((i) => i.type === "azure-native:alertsmanagement:PrometheusRuleGroup");
    assert.match(rules?.basis ?? "", new RegExp(`^${aksPlan.agents.length} rule\\(s\\) every 60 s`));
    assert.ok((rules?.monthlyUsd ?? 1) < 0.1, "Prometheus rule queries cost cents");
  });
});
