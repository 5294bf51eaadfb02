import type * as pulumi from "@pulumi/pulumi";
import { failResolvedInput, type SpecIssue } from "../../spec/errors";
import type { AzureDnsZone } from "./front-door";
import type { AzureLanding } from "./landing";

/** The fleet's Azure DNS zone as its records are written: the zone's name as their input (checked), and their provider. */
export interface AzureZoneWriter extends AzureDnsZone {
  readonly checkedZoneName: pulumi.Input<string>;
  readonly opts: pulumi.CustomResourceOptions;
}

/**
 * Records in the Azure DNS zone are written with the caller's provider for the zone's
 * subscription (`azureDnsProvider`), else with the target's own. An azure-native
 * record set takes its subscription from its provider, so the target's provider must
 * then be for the zone's subscription: that is checked when the provider's
 * subscription resolves (at preview, before any record is written), and a mismatch
 * fails the run with the zone's field and the fix.
 */
export function azureZoneWriter(zone: AzureDnsZone, landing: Pick<AzureLanding, "provider" | "dnsProvider" | "subscriptionId">, parent: pulumi.Resource): AzureZoneWriter {
  if (landing.dnsProvider) return { ...zone, checkedZoneName: zone.zoneName, opts: { parent, provider: landing.dnsProvider } };
  const checkedZoneName = landing.subscriptionId.apply((subscriptionId) => {
    const issue = zoneSubscriptionIssue(zone, subscriptionId);
    if (issue) failResolvedInput([issue]);
    return zone.zoneName;
  });
  return { ...zone, checkedZoneName, opts: { parent, provider: landing.provider } };
}

/** The problem with writing into `zone` through a provider for `subscriptionId`, if the zone lives in another subscription. */
export function zoneSubscriptionIssue(zone: Pick<AzureDnsZone, "subscriptionId">, subscriptionId: string): SpecIssue | undefined {
  if (zone.subscriptionId.toLowerCase() === subscriptionId.toLowerCase()) return undefined;
  return {
    path: "spec.gateway.azureDnsZoneId",
    message: `the DNS zone is in subscription ${zone.subscriptionId}, but the Azure target's provider deploys to ${subscriptionId}: its records would be written to a resource group that does not exist there`,
    hint: `pass azureDnsProvider (new azure.Provider("dns", { subscriptionId: "${zone.subscriptionId}" })) to AgentFleet or AgentPlatform, or use a zone in subscription ${subscriptionId}`,
  };
}
