import { getClientConfigOutput } from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { Provider } from "@pulumi/azure-native/provider";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { RUNTIME_CLOUD } from "../../plan/gpu-placement";
import type { FleetPlan } from "../../plan/types";
import { invalidProp, type SpecIssue } from "../../spec/errors";
import type { FleetTarget } from "../../spec/types";
import type { AzureLanding } from "./landing";
import { fleetBudget, fleetMonitoring } from "./monitoring";
import { AZURE_NAME_LIMITS, azureName, globalName } from "./names";
import { fleetNetwork } from "./network";
import { privateEndpoint } from "./private-link";
import { checkAzureFleet } from "./validate";
import type { PlatformScope } from "../target";

/** Where stores, namespace and vault go private: every prod fleet (Premium Service Bus, private endpoints). */
export function usesPrivateNetworking(plan: Pick<FleetPlan, "fleet">): boolean {
  return plan.fleet.environment === "prod";
}

/** `<fleet>-<environment>-<location>`: one resource group per fleet and region. */
export function resourceGroupName(plan: Pick<FleetPlan, "fleet">, target: Pick<FleetTarget, "region">): string {
  return azureName(["rg", plan.fleet.name, plan.fleet.environment, target.region], AZURE_NAME_LIMITS.resourceGroup);
}

/**
 * What aca and aks share: the caller's azure-native provider (or one for the
 * target's location), a resource group per fleet and region, the VNet with NAT,
 * the Key Vault (RBAC, purge protection, private in prod), Log Analytics, App
 * Insights, the alert action group, KEDA's identity and, on the fleet's first
 * Azure target, the budget.
 */
export function azureFoundation(scope: PlatformScope, runtime: "aca" | "aks", runtimeIssues: ReadonlyArray<SpecIssue> = []): AzureLanding {
  const { plan, target } = scope;
  checkAzureFleet(plan, runtimeIssues);
  const name = scope.resourceName;
  const location = target.region;
  const prefix = `${plan.fleet.name}-${plan.fleet.environment}`;
  const tags = { ...plan.tags };
  const provider = scope.getProvider("azure-native::") ?? new Provider(`${name}-azure`, { location }, { parent: scope });
  const dnsProvider = scope.azureDnsProvider;
  if (dnsProvider && !Provider.isInstance(dnsProvider)) invalidProp("azureDnsProvider", "the provider given for the Azure DNS zone is not an azure-native Provider", "pass a provider made with new azure.Provider(...) for the zone's subscription");
  const opts: pulumi.CustomResourceOptions = { parent: scope, provider };
  const client = getClientConfigOutput({ parent: scope, provider });
  const privateNetworking = usesPrivateNetworking(plan);

  const group = new resources.ResourceGroup(`${name}-rg`, { resourceGroupName: resourceGroupName(plan, target), location, tags }, opts);
  const rg = group.name;
  const targetIndex = plan.fleet.targets.indexOf(target);
  const net = fleetNetwork(
    { name, prefix, resourceGroupName: rg, location, octet: 40 + Math.max(targetIndex, 0), ...(runtime === "aca" ? { delegation: "Microsoft.App/environments" as const } : {}), tags },
    opts,
  );
  const vault = new keyvault.Vault(
    `${name}-kv`,
    {
      resourceGroupName: rg,
      location,
      vaultName: globalName("kv", prefix, location, AZURE_NAME_LIMITS.keyVault),
      properties: {
        tenantId: client.tenantId,
        sku: { family: "A", name: "standard" },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enablePurgeProtection: true,
        publicNetworkAccess: privateNetworking ? "Disabled" : "Enabled",
        networkAcls: { defaultAction: privateNetworking ? "Deny" : "Allow", bypass: "AzureServices" },
      },
      tags,
    },
    // Purge protection cannot be undone: a deleted vault stays recoverable for 90 days.
    { ...opts, protect: plan.fleet.environment === "prod" },
  );
  const landingBase = { resourceGroupName: rg, network: net, prefix, tags, location };
  if (privateNetworking) privateEndpoint(scope, `${name}-kv`, landingBase, { id: vault.id, group: "vault" }, opts);
  const mon = fleetMonitoring({ name, prefix, plan, resourceGroupName: rg, location, tags }, opts);
  const scalerIdentity = new managedidentity.UserAssignedIdentity(`${name}-keda`, { resourceGroupName: rg, location, resourceName: azureName([prefix, "keda"], AZURE_NAME_LIMITS.identity), tags }, opts);

  const azureTargets = plan.fleet.targets.filter((t) => RUNTIME_CLOUD[t.runtime] === "azure");
  if (azureTargets[0] === target) {
    const groups = azureTargets.map((t) => resourceGroupName(plan, t));
    fleetBudget(
      `${name}-budget`,
      {
        plan,
        prefix,
        scope: groups.length > 1 ? pulumi.interpolate`/subscriptions/${client.subscriptionId}` : group.id,
        ...(groups.length > 1 ? { resourceGroups: groups } : {}),
        actionGroupId: mon.actionGroup.id,
      },
      opts,
    );
  }
  return {
    runtime,
    provider,
    ...(dnsProvider ? { dnsProvider } : {}),
    location,
    subscriptionId: client.subscriptionId,
    tenantId: client.tenantId,
    deployerObjectId: client.objectId,
    prefix,
    resourceGroup: group,
    resourceGroupName: rg,
    network: net,
    privateNetworking,
    vault,
    vaultUri: vault.properties.apply((p) => p.vaultUri ?? ""),
    workspace: mon.workspace,
    logRetentionDays: mon.retentionDays,
    appInsights: mon.appInsights,
    actionGroup: mon.actionGroup,
    scalerIdentity,
    tags,
  };
}
