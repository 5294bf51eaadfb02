import * as network from "@pulumi/azure-native/network";
import type * as pulumi from "@pulumi/pulumi";
import type { AzureNetwork } from "./landing";
import { azureName } from "./names";

export interface NetworkParams {
  readonly name: string;
  readonly prefix: string;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  /** Second octet of the VNet: 10.<octet>.0.0/16, one per target so regions can peer. */
  readonly octet: number;
  /** Delegate the workload subnet to Container Apps (aca) or leave it for AKS nodes. */
  readonly delegation?: "Microsoft.App/environments";
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A VNet with private subnets only: the workload subnet (a /21: Container Apps
 * workload-profile environments need a /27 or more, AKS nodes on overlay CNI one
 * address per node) and a private-endpoint subnet. Outbound traffic leaves through
 * one NAT gateway with a static public IP; subnets have no default outbound access.
 */
export function fleetNetwork(p: NetworkParams, opts: pulumi.CustomResourceOptions): AzureNetwork {
  const cidr = `10.${p.octet}.0.0/16`;
  const base = { resourceGroupName: p.resourceGroupName, location: p.location };
  const ip = new network.PublicIPAddress(
    `${p.name}-nat`,
    { ...base, publicIpAddressName: azureName([p.prefix, "nat", "ip"], 80), sku: { name: "Standard", tier: "Regional" }, publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4", tags: { ...p.tags } },
    opts,
  );
  const nat = new network.NatGateway(
    `${p.name}-nat`,
    { ...base, natGatewayName: azureName([p.prefix, "nat"], 80), sku: { name: "Standard" }, idleTimeoutInMinutes: 4, publicIpAddresses: [{ id: ip.id }], tags: { ...p.tags } },
    opts,
  );
  const vnet = new network.VirtualNetwork(
    `${p.name}-vnet`,
    { ...base, virtualNetworkName: azureName([p.prefix, "vnet"], 64), addressSpace: { addressPrefixes: [cidr] }, tags: { ...p.tags } },
    // Subnets are separate resources: inline subnets would fight them on every update.
    { ...opts, ignoreChanges: ["subnets"] },
  );
  const workload = new network.Subnet(
    `${p.name}-workloads`,
    {
      resourceGroupName: p.resourceGroupName,
      virtualNetworkName: vnet.name,
      subnetName: "workloads",
      addressPrefix: `10.${p.octet}.0.0/21`,
      natGateway: { id: nat.id },
      defaultOutboundAccess: false,
      ...(p.delegation ? { delegations: [{ name: "containerapps", serviceName: p.delegation }] } : {}),
    },
    opts,
  );
  const endpoints = new network.Subnet(
    `${p.name}-endpoints`,
    {
      resourceGroupName: p.resourceGroupName,
      virtualNetworkName: vnet.name,
      subnetName: "private-endpoints",
      addressPrefix: `10.${p.octet}.8.0/24`,
      defaultOutboundAccess: false,
      privateEndpointNetworkPolicies: "Enabled",
    },
    // Azure serialises subnet writes on one VNet.
    { ...opts, dependsOn: [workload] },
  );
  return { vnet, cidr, workloadSubnetId: workload.id, endpointSubnetId: endpoints.id, natGateway: nat, egressIp: ip.ipAddress.apply((a) => a ?? "") };
}
