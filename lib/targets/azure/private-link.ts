import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import type * as pulumi from "@pulumi/pulumi";
import type { AzureLanding } from "./landing";
import { azureName } from "./names";

/** Private DNS zones of the services this target puts behind private endpoints (Azure public cloud). */
export const PRIVATE_DNS_ZONES = {
  namespace: "privatelink.servicebus.windows.net",
  vault: "privatelink.vaultcore.azure.net",
  blob: "privatelink.blob.core.windows.net",
  /** Cosmos DB for NoSQL (group id `Sql`). */
  Sql: "privatelink.documents.azure.com",
  /** Azure Managed Redis (group id `redisEnterprise`). */
  redisEnterprise: "privatelink.redis.azure.net",
  /** PostgreSQL flexible server (group id `postgresqlServer`). */
  postgresqlServer: "privatelink.postgres.database.azure.com",
} as const;

export type PrivateLinkGroup = keyof typeof PRIVATE_DNS_ZONES;

const zones = new WeakMap<object, Map<string, privatedns.PrivateZone>>();

/** The platform's private DNS zone for a service, linked to its VNet, made once per platform. */
function zoneFor(owner: object, name: string, landing: Pick<AzureLanding, "resourceGroupName" | "network" | "prefix" | "tags">, zoneName: string, opts: pulumi.CustomResourceOptions): privatedns.PrivateZone {
  let byName = zones.get(owner);
  if (!byName) zones.set(owner, (byName = new Map()));
  const existing = byName.get(zoneName);
  if (existing) return existing;
  const zone = new privatedns.PrivateZone(`${name}-${zoneName.split(".")[1]}-zone`, { resourceGroupName: landing.resourceGroupName, location: "global", privateZoneName: zoneName, tags: { ...landing.tags } }, opts);
  new privatedns.VirtualNetworkLink(
    `${name}-${zoneName.split(".")[1]}-link`,
    {
      resourceGroupName: landing.resourceGroupName,
      location: "global",
      privateZoneName: zone.name,
      virtualNetworkLinkName: azureName([landing.prefix, "vnet"], 80),
      virtualNetwork: { id: landing.network.vnet.id },
      registrationEnabled: false,
      tags: { ...landing.tags },
    },
    opts,
  );
  byName.set(zoneName, zone);
  return zone;
}

/**
 * A private endpoint for one resource in the endpoint subnet, registered in the
 * service's private DNS zone (so the public name resolves to the private address
 * inside the VNet). `owner` keys the zone cache: pass the platform.
 */
export function privateEndpoint(
  owner: object,
  name: string,
  landing: Pick<AzureLanding, "resourceGroupName" | "network" | "prefix" | "tags" | "location">,
  target: { readonly id: pulumi.Input<string>; readonly group: PrivateLinkGroup },
  opts: pulumi.CustomResourceOptions,
): network.PrivateEndpoint {
  // Named with the region too: each region of a fleet has its own zone (in its own resource group), and equal logical names would collide.
  const zone = zoneFor(owner, `${landing.prefix}-${landing.location}`, landing, PRIVATE_DNS_ZONES[target.group], opts);
  const endpoint = new network.PrivateEndpoint(
    `${name}-pe`,
    {
      resourceGroupName: landing.resourceGroupName,
      location: landing.location,
      privateEndpointName: azureName([name, "pe"], 80),
      subnet: { id: landing.network.endpointSubnetId },
      privateLinkServiceConnections: [{ name: target.group, privateLinkServiceId: target.id, groupIds: [target.group] }],
      tags: { ...landing.tags },
    },
    opts,
  );
  new network.PrivateDnsZoneGroup(
    `${name}-pe`,
    { resourceGroupName: landing.resourceGroupName, privateEndpointName: endpoint.name, privateDnsZoneGroupName: "default", privateDnsZoneConfigs: [{ name: target.group, privateDnsZoneId: zone.id }] },
    opts,
  );
  return endpoint;
}
