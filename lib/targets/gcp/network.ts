import * as compute from "@pulumi/gcp/compute";
import * as servicenetworking from "@pulumi/gcp/servicenetworking";
import type * as pulumi from "@pulumi/pulumi";
import type { GcpNetwork } from "./landing";
import { gcpName, GCP_NAME_LIMITS } from "./names";

export interface NetworkArgs {
  readonly name: string;
  readonly prefix: string;
  readonly region: string;
  /** The target's index in the fleet: ranges do not overlap between a fleet's regions. */
  readonly octet: number;
  /**
   * Names of the VPC network and its private services range when the network
   * spans a primary-backup pair (`<fleet>-<environment>`, no region: the network is
   * global and the backup region joins it). @default the target's own names
   */
  readonly sharedPrefix?: string;
}

/** Address plan of a target: 10.<16*i>.0.0/20 nodes, /14 pods, /20 services, /20 private services. */
export function gcpRanges(octet: number): { nodes: string; pods: string; services: string; privateServices: { address: string; prefixLength: number } } {
  const base = 16 * octet;
  return {
    nodes: `10.${base}.0.0/20`,
    services: `10.${base}.16.0/20`,
    privateServices: { address: `10.${base}.32.0`, prefixLength: 20 },
    pods: `10.${base + 4}.0.0/14`,
  };
}

/** What a VPC network has once, whatever its regions: the network, the private services range and the one Service Networking connection. */
type GcpVpc = Pick<GcpNetwork, "network" | "servicesRange" | "privateServicesCidr" | "privateServices">;

/**
 * A custom-mode VPC (no default subnets, no default internet route for anything
 * without an external address), one private subnet with Private Google Access,
 * flow logs and GKE's secondary ranges; a Cloud Router with Cloud NAT for the
 * subnet only (logged errors); a /20 reserved for private services access and the
 * peering with Google's service producer network, so Cloud SQL and Memorystore
 * get private IPs only.
 */
export function gcpNetwork(args: NetworkArgs, opts: pulumi.CustomResourceOptions): GcpNetwork {
  const { name, prefix, region } = args;
  const ranges = gcpRanges(args.octet);
  const head = args.sharedPrefix ? [args.sharedPrefix] : [prefix, region];
  const network = new compute.Network(
    `${name}-vpc`,
    {
      name: gcpName([...head, "vpc"], GCP_NAME_LIMITS.compute),
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      description: args.sharedPrefix ? `microagents ${args.sharedPrefix}: every region of the fleet's primary-backup pair` : `microagents ${prefix} in ${region}`,
    },
    opts,
  );
  const servicesRange = new compute.GlobalAddress(
    `${name}-private-services`,
    {
      name: gcpName([...head, "private-services"], GCP_NAME_LIMITS.compute),
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      address: ranges.privateServices.address,
      prefixLength: ranges.privateServices.prefixLength,
      network: network.id,
    },
    opts,
  );
  // One private connection per network and service: a second one on the same network is refused (add ranges to this one instead).
  const peering = new servicenetworking.Connection(`${name}-private-services`, { network: network.id, service: "servicenetworking.googleapis.com", reservedPeeringRanges: [servicesRange.name] }, opts);
  const vpc: GcpVpc = { network, servicesRange, privateServicesCidr: `${ranges.privateServices.address}/${ranges.privateServices.prefixLength}`, privateServices: [peering] };
  return regionalNetwork(vpc, args, opts);
}

/**
 * A backup region joining its primary's VPC network (GCP networks are global): its
 * own subnet (the target's ranges, which overlap no other target's), Cloud Router
 * and Cloud NAT in its region; the network, its private services range and
 * Service Networking connection stay the primary's, so a Cloud SQL cross-region
 * replica sits in its primary's network and the backup's agents reach it there.
 */
export function joinNetwork(shared: GcpNetwork, args: NetworkArgs, opts: pulumi.CustomResourceOptions): GcpNetwork {
  return regionalNetwork(shared, args, opts);
}

function regionalNetwork(vpc: GcpVpc, args: NetworkArgs, opts: pulumi.CustomResourceOptions): GcpNetwork {
  const { name, prefix, region } = args;
  const ranges = gcpRanges(args.octet);
  const subnet = new compute.Subnetwork(
    `${name}-private`,
    {
      name: gcpName([prefix, region, "private"], GCP_NAME_LIMITS.compute),
      region,
      network: vpc.network.id,
      ipCidrRange: ranges.nodes,
      privateIpGoogleAccess: true,
      secondaryIpRanges: [
        { rangeName: "pods", ipCidrRange: ranges.pods },
        { rangeName: "services", ipCidrRange: ranges.services },
      ],
      logConfig: { aggregationInterval: "INTERVAL_5_MIN", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
    },
    opts,
  );
  const router = new compute.Router(`${name}-router`, { name: gcpName([prefix, region, "router"], GCP_NAME_LIMITS.compute), region, network: vpc.network.id }, opts);
  new compute.RouterNat(
    `${name}-nat`,
    {
      name: gcpName([prefix, region, "nat"], GCP_NAME_LIMITS.compute),
      router: router.name,
      region,
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetworks: [{ name: subnet.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
      enableEndpointIndependentMapping: false,
      enableDynamicPortAllocation: true,
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    },
    opts,
  );
  return { ...vpc, subnet, cidr: ranges.nodes, podRange: "pods", serviceRange: "services" };
}
