import type * as containerservice from "@pulumi/azure-native/containerservice";
import * as monitor from "@pulumi/azure-native/monitor";
import type * as pulumi from "@pulumi/pulumi";
import type { AzureLanding } from "../azure/landing";
import { azureName } from "../azure/names";

/** What Container insights sends the workspace: the containers' stdout/stderr (ContainerLogV2, which the agents' log alerts read), pod inventory and Kubernetes events. */
export const CONTAINER_INSIGHTS_STREAMS = ["Microsoft-ContainerLogV2", "Microsoft-KubePodInventory", "Microsoft-KubeEvents"];

/**
 * Container insights' data collection rule and the cluster's association with it.
 * With Entra auth (`useAADAuth`) the monitoring add-on's agent takes its whole
 * configuration from this rule (what `az aks enable-addons` creates as
 * `MSCI-<region>-<cluster>`): without it no container log reaches the workspace,
 * and the agents' error-rate and latency alerts would have nothing to read.
 */
export function containerInsights(name: string, landing: AzureLanding, cluster: containerservice.ManagedCluster, clusterName: string, opts: pulumi.CustomResourceOptions): monitor.DataCollectionRule {
  const rule = new monitor.DataCollectionRule(
    `${name}-container-insights`,
    {
      resourceGroupName: landing.resourceGroupName,
      location: landing.location,
      dataCollectionRuleName: azureName(["MSCI", landing.location, clusterName], 64),
      kind: "Linux",
      description: "Container insights for the fleet's cluster: ContainerLogV2, pod inventory and events",
      dataSources: {
        extensions: [
          {
            name: "ContainerInsightsExtension",
            extensionName: "ContainerInsights",
            streams: CONTAINER_INSIGHTS_STREAMS,
            extensionSettings: { dataCollectionSettings: { interval: "1m", namespaceFilteringMode: "Off", enableContainerLogV2: true } },
          },
        ],
      },
      destinations: { logAnalytics: [{ name: "ciworkspace", workspaceResourceId: landing.workspace.id }] },
      dataFlows: [{ streams: CONTAINER_INSIGHTS_STREAMS, destinations: ["ciworkspace"] }],
      tags: { ...landing.tags },
    },
    opts,
  );
  new monitor.DataCollectionRuleAssociation(
    `${name}-container-insights`,
    { resourceUri: cluster.id, associationName: "ContainerInsightsExtension", dataCollectionRuleId: rule.id, description: "Container insights: deleting this association stops the cluster's container logs" },
    opts,
  );
  return rule;
}
