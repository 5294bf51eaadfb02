import type * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import type * as keyvault from "@pulumi/azure-native/keyvault";
import type * as managedidentity from "@pulumi/azure-native/managedidentity";
import type * as monitor from "@pulumi/azure-native/monitor";
import type * as network from "@pulumi/azure-native/network";
import type * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import type * as resources from "@pulumi/azure-native/resources";
import type * as servicebus from "@pulumi/azure-native/servicebus";
import type * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import { Registry } from "../target";
import type { BrokerScope, PlatformScope, ServiceScope } from "../target";

export interface AzureNetwork {
  readonly vnet: network.VirtualNetwork;
  readonly cidr: string;
  /** Where agents run: the Container Apps environment's delegated subnet, or the AKS nodes' subnet. */
  readonly workloadSubnetId: pulumi.Output<string>;
  /** Private endpoints of the namespace, vault and stores. */
  readonly endpointSubnetId: pulumi.Output<string>;
  readonly natGateway: network.NatGateway;
  /** The NAT gateway's static public IP: every outbound call of the fleet's agents and KEDA comes from it. */
  readonly egressIp: pulumi.Output<string>;
}

/** What the Azure platform (aca or aks) hands to the other components. */
export interface AzureLanding {
  readonly runtime: "aca" | "aks";
  /** The caller's azure-native provider, or one this platform made for the target's location. */
  readonly provider: pulumi.ProviderResource;
  /** The caller's provider for the Azure DNS zone's subscription (AgentPlatform `azureDnsProvider`); undefined: `provider`. */
  readonly dnsProvider?: pulumi.ProviderResource;
  readonly location: string;
  readonly subscriptionId: pulumi.Output<string>;
  readonly tenantId: pulumi.Output<string>;
  /** Object id of the principal running the deployment (Pulumi's Azure credentials). */
  readonly deployerObjectId: pulumi.Output<string>;
  /** `<fleet>-<environment>`: the head of every name. */
  readonly prefix: string;
  readonly resourceGroup: resources.ResourceGroup;
  readonly resourceGroupName: pulumi.Output<string>;
  readonly network: AzureNetwork;
  /** Stores, namespace and vault take public network access off and sit behind private endpoints. */
  readonly privateNetworking: boolean;
  readonly vault: keyvault.Vault;
  readonly vaultUri: pulumi.Output<string>;
  readonly workspace: operationalinsights.Workspace;
  readonly logRetentionDays: number;
  readonly appInsights: applicationinsights.Component;
  readonly actionGroup: monitor.ActionGroup;
  /** KEDA's identity: reads the message counts of the fleet's queues, nothing else. */
  readonly scalerIdentity: managedidentity.UserAssignedIdentity;
  /** Azure cost-allocation tags of the fleet. */
  readonly tags: Readonly<Record<string, string>>;
}

/** One agent's queue and events topic on Service Bus. */
export interface AzureQueue {
  readonly agent: string;
  readonly namespace: servicebus.Namespace;
  readonly queue: servicebus.Queue;
  readonly topic: servicebus.Topic;
  readonly sessions: boolean;
}

export interface AzureBrokerHandle {
  readonly namespace: servicebus.Namespace;
  readonly namespaceName: pulumi.Output<string>;
  readonly queues: ReadonlyMap<string, AzureQueue>;
}

/** What the shared constructs (state, gateway, observability) need of one agent, on either runtime. */
export interface AzureServiceHandle {
  readonly agent: AgentPlan;
  readonly identity: managedidentity.UserAssignedIdentity;
  /** The resource whose metrics describe the agent: the container app, or the cluster. */
  readonly metricsResourceId: pulumi.Output<string>;
}

export const azureLandings = new Registry<PlatformScope, AzureLanding>("PlatformScope");
export const azureBrokers = new Registry<BrokerScope, AzureBrokerHandle>("BrokerScope");
export const azureServices = new Registry<ServiceScope, AzureServiceHandle>("ServiceScope");

/** Options for a child resource: parented to its component, on the platform's provider. */
export function childOpts(scope: pulumi.Resource, landing: Pick<AzureLanding, "provider">, more: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  return { ...more, parent: scope, provider: landing.provider };
}

/** The broker queue of one agent, with a clear error when the broker was built elsewhere. */
export function azureQueueOf(broker: BrokerScope, agent: string): AzureQueue {
  const q = azureBrokers.get(broker).queues.get(agent);
  if (!q) throw new Error(`broker '${broker.resourceName}' has no queue for '${agent}'`);
  return q;
}
