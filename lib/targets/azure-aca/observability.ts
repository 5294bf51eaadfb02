import type { AgentPlan, FleetPlan } from "../../plan/types";
import type { ObservabilityOutputs, ObservabilityScope } from "../target";
import { metricAlert, SEVERITY } from "../azure/alerts";
import type { AzureServiceHandle } from "../azure/landing";
import { AZURE_NAME_LIMITS, azureName } from "../azure/names";
import { azureObservability } from "../azure/observability";
import { acaSize } from "./sizing";

/** Container Apps' metrics namespace; `WorkingSetBytes` is a replica's working set (Maximum: the fullest replica). */
export const CONTAINER_APP_METRICS = "Microsoft.App/containerApps";

/** The memory a Container App's replica has (its ACA size, rounded as the service sets it), in bytes. */
export function acaMemoryBytes(plan: FleetPlan, agent: AgentPlan): number {
  const pool = agent.gpu ? plan.gpuPools.find((p) => p.name === agent.gpu?.pool) : undefined;
  return acaSize(agent, pool).memoryGi * 2 ** 30;
}

/**
 * Azure Monitor on Container Apps: the shared alerts and workbook, and per agent a
 * metric alert on its Container App's `WorkingSetBytes` (Maximum over replicas)
 * above `memoryPercent` of the replica's memory (Container Apps' memory-percent
 * metric is in preview, so the threshold is in bytes).
 */
export function acaObservability(scope: ObservabilityScope): ObservabilityOutputs {
  const plan = scope.platform.plan;
  return azureObservability(scope, {
    logWhere: (h) => ({ containerApp: azureName([h.agent.name], AZURE_NAME_LIMITS.containerApp), agent: h.agent.name }),
    memoryChart: (h: AzureServiceHandle) => ({ resourceId: h.metricsResourceId, resourceType: CONTAINER_APP_METRICS.toLowerCase(), metric: "WorkingSetBytes" }),
    memoryAlerts(_scope, landing, handles, opts) {
      for (const h of handles) {
        const a = h.agent.alarms;
        const bytes = acaMemoryBytes(plan, h.agent);
        metricAlert(`${scope.resourceName}-${h.agent.name}-memory`, { landing, agent: h.agent, opts }, {
          id: "memory",
          what: `memory above ${a.memoryPercent}% of ${bytes / 2 ** 30} GiB`,
          scope: h.metricsResourceId,
          severity: SEVERITY.warning,
          criterion: { metricNamespace: CONTAINER_APP_METRICS, metricName: "WorkingSetBytes", timeAggregation: "Maximum", threshold: Math.round((bytes * a.memoryPercent) / 100) },
        });
      }
    },
  });
}
