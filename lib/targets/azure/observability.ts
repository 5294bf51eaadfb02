import * as pulumi from "@pulumi/pulumi";
import type { ObservabilityOutputs, ObservabilityScope } from "../target";
import { agentLogSource, errorRateQuery, p95LatencyQuery } from "./agent-logs";
import { logAlert, metricAlert, SEVERITY, type AlertContext } from "./alerts";
import { azureBrokers, azureLandings, azureQueueOf, azureServices, childOpts, type AzureLanding, type AzureServiceHandle } from "./landing";
import { fleetWorkbook, type WorkbookRow } from "./workbook";

/** The Service Bus metrics namespace (ActiveMessages, DeadletteredMessages per EntityName). */
export const SERVICE_BUS_METRICS = "Microsoft.ServiceBus/namespaces";

/** What a runtime adds to the shared alerts: where the agent's logs are, and its memory alert. */
export interface AzureRuntimeObservability {
  /** `where` for agentLogSource: the Container App's name, or the AKS namespace. */
  logWhere(handle: AzureServiceHandle): { readonly containerApp?: string; readonly namespace?: string; readonly agent: string };
  /** The workbook's memory chart of the agent, where a per-agent Azure Monitor metric exists. */
  memoryChart?(handle: AzureServiceHandle): WorkbookRow["memory"];
  /** The memory > threshold alerts of the fleet's agents (one per agent on aca; a Prometheus rule group on aks). */
  memoryAlerts(scope: ObservabilityScope, landing: AzureLanding, handles: ReadonlyArray<AzureServiceHandle>, opts: pulumi.CustomResourceOptions): void;
}

/**
 * Azure Monitor for the fleet, on aca and aks alike: per agent, the seed's alerts at
 * the plan's thresholds, all to the fleet's action group: memory (the runtime's),
 * error rate and p95 latency (log search alerts over the agents' JSON logs in the
 * workspace), active messages on the agent's queue and any dead-lettered message
 * (Service Bus metric alerts on the namespace, filtered on EntityName); and one
 * shared workbook with a row per agent. Traces reach Application Insights from each
 * agent (see azureEnv: the connection string, Entra-authenticated ingestion).
 */
export function azureObservability(scope: ObservabilityScope, runtime: AzureRuntimeObservability): ObservabilityOutputs {
  const landing = azureLandings.get(scope.platform);
  const broker = azureBrokers.get(scope.broker);
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const handles: AzureServiceHandle[] = [];
  const rows: WorkbookRow[] = [];
  for (const service of scope.services) {
    const handle = azureServices.get(service);
    const agent = handle.agent;
    const queue = azureQueueOf(scope.broker, agent.name);
    const a = agent.alarms;
    const ctx: AlertContext = { landing, agent, opts };
    const source = agentLogSource(landing.runtime, runtime.logWhere(handle));
    const entity = [{ name: "EntityName", values: [queue.queue.name] }];
    const logical = `${name}-${agent.name}`;
    metricAlert(`${logical}-queue-depth`, ctx, {
      id: "queue-depth",
      what: `more than ${a.queueDepth} active messages on its queue`,
      scope: broker.namespace.id,
      severity: SEVERITY.warning,
      criterion: { metricNamespace: SERVICE_BUS_METRICS, metricName: "ActiveMessages", timeAggregation: "Maximum", threshold: a.queueDepth, dimensions: entity },
    });
    metricAlert(`${logical}-dead-letters`, ctx, {
      id: "dead-letters",
      what: "a message was dead-lettered",
      scope: broker.namespace.id,
      severity: SEVERITY.error,
      criterion: { metricNamespace: SERVICE_BUS_METRICS, metricName: "DeadletteredMessages", timeAggregation: "Maximum", threshold: a.dlqDepth, dimensions: entity },
    });
    logAlert(`${logical}-error-rate`, ctx, { id: "error-rate", what: `error rate above ${a.errorRatePercent}%`, severity: SEVERITY.error, query: errorRateQuery(source), column: "errorRatePercent", threshold: a.errorRatePercent });
    logAlert(`${logical}-p95-latency`, ctx, { id: "p95-latency", what: `p95 latency above ${a.p95LatencyMs} ms`, severity: SEVERITY.warning, query: p95LatencyQuery(source), column: "p95LatencyMs", threshold: a.p95LatencyMs });
    handles.push(handle);
    const memory = runtime.memoryChart?.(handle);
    rows.push({ agent: agent.name, namespaceId: broker.namespace.id, queueName: queue.queue.name, logSource: source, ...(memory ? { memory } : {}) });
  }
  runtime.memoryAlerts(scope, landing, handles, opts);
  const workbook = fleetWorkbook(`${name}-workbook`, landing, rows, opts);
  return { dashboardName: pulumi.output(workbook.displayName) };
}
