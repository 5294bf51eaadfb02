import * as apimanagement from "@pulumi/azure-native/apimanagement";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../../plan/types";
import { APIM_TLS_PROPERTIES, apimSecurityRules, apimSku, apimSubnetCidr } from "./gateway-shape";
import type { AzureLanding } from "./landing";
import { azureName, globalName } from "./names";

/** APIM service names: 1 to 50 letters, digits and '-', globally unique (they are `<name>.azure-api.net`). */
const APIM_NAME_LIMIT = 50;

export interface ApimInstance {
  readonly service: apimanagement.ApiManagementService;
  readonly serviceName: pulumi.Output<string>;
  /** `<name>.azure-api.net`: the gateway's host name. */
  readonly hostName: pulumi.Output<string>;
  /** APIM's system-assigned identity: it enqueues async requests. */
  readonly principalId: pulumi.Output<string>;
  /** Addresses the gateway's calls to agents come from (the APIM subnet). */
  readonly subnetCidr: string;
}

/**
 * The API Management service, injected into the fleet VNet (stv2): its own subnet
 * (`10.<octet>.12.0/24`) with the NSG APIM needs, a Standard static public IP for
 * its management and outbound traffic, `External` when the gateway is public
 * (Front Door is its only client: the NSG admits Front Door's backends, and a
 * service policy checks the Front Door id), `Internal` otherwise (a private DNS
 * zone `azure-api.net` resolves its name to its private address in the VNet). The
 * SKU comes from apimSku; a system-assigned identity; TLS 1.2 only; the developer
 * portal off; every gateway log to the workspace.
 */
export function apimService(name: string, plan: FleetPlan, landing: AzureLanding, publicGateway: boolean, opts: pulumi.CustomResourceOptions): ApimInstance {
  const rg = landing.resourceGroupName;
  const tags = { ...landing.tags };
  const serviceName = globalName("apim", landing.prefix, landing.location, APIM_NAME_LIMIT);
  const cidr = apimSubnetCidr(landing.network.cidr);
  const nsg = new network.NetworkSecurityGroup(
    `${name}-apim`,
    { resourceGroupName: rg, location: landing.location, networkSecurityGroupName: azureName([landing.prefix, "apim", "nsg"], 80), securityRules: apimSecurityRules(publicGateway), tags },
    opts,
  );
  const subnet = new network.Subnet(
    `${name}-apim`,
    {
      resourceGroupName: rg,
      virtualNetworkName: landing.network.vnet.name,
      subnetName: "apim",
      // Azure serialises subnet writes on one VNet: this one waits for the private-endpoint subnet.
      addressPrefix: landing.network.endpointSubnetId.apply(() => cidr),
      networkSecurityGroup: { id: nsg.id },
      defaultOutboundAccess: false,
    },
    opts,
  );
  const ip = new network.PublicIPAddress(
    `${name}-apim`,
    {
      resourceGroupName: rg,
      location: landing.location,
      publicIpAddressName: azureName([landing.prefix, "apim", "ip"], 80),
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
      // APIM requires a DNS label on the public IP it is given.
      dnsSettings: { domainNameLabel: serviceName },
      tags,
    },
    opts,
  );
  const emails = [...plan.fleet.observability.alertEmails, ...plan.fleet.budget.alertEmails];
  const service = new apimanagement.ApiManagementService(
    `${name}-apim`,
    {
      resourceGroupName: rg,
      location: landing.location,
      serviceName,
      sku: apimSku(plan),
      publisherName: `${plan.fleet.name} (${plan.fleet.team})`,
      publisherEmail: emails[0] ?? `${plan.fleet.team}@${plan.fleet.name}.invalid`,
      identity: { type: "SystemAssigned" },
      virtualNetworkType: publicGateway ? "External" : "Internal",
      virtualNetworkConfiguration: { subnetResourceId: subnet.id },
      publicIpAddressId: ip.id,
      // APIM must be created with public access on; Front Door (public) or the VNet (internal) is still the only way in.
      publicNetworkAccess: "Enabled",
      customProperties: { ...APIM_TLS_PROPERTIES },
      developerPortalStatus: "Disabled",
      legacyPortalStatus: "Disabled",
      tags,
    },
    opts,
  );
  new monitor.DiagnosticSetting(
    `${name}-apim-logs`,
    {
      name: "to-log-analytics",
      resourceUri: service.id,
      workspaceId: landing.workspace.id,
      logAnalyticsDestinationType: "Dedicated",
      logs: [{ category: "GatewayLogs", enabled: true }, { category: "WebSocketConnectionLogs", enabled: true }],
      metrics: [{ category: "AllMetrics", enabled: true }],
    },
    opts,
  );
  const hostName = pulumi.interpolate`${service.name}.azure-api.net`;
  if (!publicGateway) internalDns(name, landing, service, opts);
  return { service, serviceName: service.name, hostName, principalId: service.identity.apply((i) => i?.principalId ?? ""), subnetCidr: cidr };
}

/** An internal APIM has no public DNS: `azure-api.net` in the VNet resolves its gateway name to its private address. */
function internalDns(name: string, landing: AzureLanding, service: apimanagement.ApiManagementService, opts: pulumi.CustomResourceOptions): void {
  const zone = new privatedns.PrivateZone(`${name}-apim-zone`, { resourceGroupName: landing.resourceGroupName, location: "global", privateZoneName: "azure-api.net", tags: { ...landing.tags } }, opts);
  new privatedns.VirtualNetworkLink(
    `${name}-apim-link`,
    { resourceGroupName: landing.resourceGroupName, location: "global", privateZoneName: zone.name, virtualNetworkLinkName: azureName([landing.prefix, "vnet"], 80), virtualNetwork: { id: landing.network.vnet.id }, registrationEnabled: false, tags: { ...landing.tags } },
    opts,
  );
  new privatedns.PrivateRecordSet(
    `${name}-apim-gateway`,
    { resourceGroupName: landing.resourceGroupName, privateZoneName: zone.name, recordType: "A", relativeRecordSetName: service.name, ttl: 300, aRecords: [{ ipv4Address: service.privateIPAddresses.apply((a) => a[0] ?? "") }] },
    opts,
  );
}
