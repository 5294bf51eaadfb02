import * as alertsmanagement from "@pulumi/azure-native/alertsmanagement";
import type { AgentPlan } from "../../plan/types";
import type { ObservabilityOutputs, ObservabilityScope } from "../target";
import { SEVERITY } from "../azure/alerts";
import type { AzureServiceHandle } from "../azure/landing";
import { azureName } from "../azure/names";
import { azureObservability } from "../azure/observability";
import { aksLandings } from "./landing";

/** Azure Monitor caps a Prometheus rule group at 20 rules. */
export const RULES_PER_GROUP = 20;

/** The pods of an agent's Deployment: `<agent>-<replica set hash>-<id>` (PromQL regexes are anchored). */
export const agentPods = (agent: string) => `${agent}-[a-z0-9]+-[a-z0-9]+`;

/**
 * The memory alert of one agent in managed Prometheus: its fullest pod's working set
 * (cAdvisor's `container_memory_working_set_bytes`) over the container's memory limit
 * (kube-state-metrics' `kube_pod_container_resource_limits`), both scraped by the
 * metrics add-on's default targets, in percent.
 */
export function memoryExpression(namespace: string, agent: AgentPlan): string {
  const sel = `namespace="${namespace}", container="agent", pod=~"${agentPods(agent.name)}"`;
  return `max by (pod) (container_memory_working_set_bytes{${sel}}) / on (pod) max by (pod) (kube_pod_container_resource_limits{${sel}, resource="memory"}) * 100 > ${agent.alarms.memoryPercent}`;
}

/**
 * Azure Monitor on AKS: the shared alerts and workbook, and the agents' memory alerts
 * as Prometheus alert rules on the cluster's Azure Monitor workspace (rule groups of
 * up to 20 agents, evaluated every minute, to the fleet's action group).
 */
export function aksObservability(scope: ObservabilityScope): ObservabilityOutputs {
  const aks = aksLandings.get(scope.platform);
  return azureObservability(scope, {
    logWhere: (h) => ({ namespace: aks.namespace, agent: h.agent.name }),
    memoryAlerts(_scope, landing, handles: ReadonlyArray<AzureServiceHandle>, opts) {
      for (let i = 0; i * RULES_PER_GROUP < handles.length; i++) {
        const chunk = handles.slice(i * RULES_PER_GROUP, (i + 1) * RULES_PER_GROUP);
        new alertsmanagement.PrometheusRuleGroup(
          `${scope.resourceName}-memory-${i}`,
          {
            resourceGroupName: landing.resourceGroupName,
            location: landing.location,
            ruleGroupName: azureName([landing.prefix, "agent-memory", String(i)], 260),
            description: `microagents ${landing.prefix}: agents' memory above their threshold`,
            scopes: [aks.prometheusWorkspaceId, aks.cluster.id],
            clusterName: aks.clusterName,
            enabled: true,
            interval: "PT1M",
            rules: chunk.map((h) => ({
              alert: `${h.agent.name}-memory`,
              expression: memoryExpression(aks.namespace, h.agent),
              for: "PT5M",
              severity: SEVERITY.warning,
              enabled: true,
              labels: { agent: h.agent.name },
              annotations: { description: `microagents ${landing.prefix}: agent ${h.agent.name}: memory above ${h.agent.alarms.memoryPercent}% of its limit` },
              actions: [{ actionGroupId: landing.actionGroup.id }],
              resolveConfiguration: { autoResolved: true, timeToResolve: "PT10M" },
            })),
            tags: { ...landing.tags },
          },
          opts,
        );
      }
    },
  });
}
