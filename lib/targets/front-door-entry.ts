import type * as pulumi from "@pulumi/pulumi";
import type { PlatformScope } from "./target";

/**
 * The Front Door global entry as the gateways behind it see it (AgentFleet builds the
 * profile before the targets' gateways, lib/targets/azure/global-entry.ts
 * FrontDoorEdge, and registers it for every platform behind the entry). A gateway on
 * any cloud reads it to admit that Front Door's requests: the AWS health route
 * admits its probes, the AWS web ACL and Cloud Armor refuse requests without its id.
 * No Azure SDK is loaded here.
 */

/** The header Front Door stamps with its profile's id on every request it forwards to an origin. */
export const FRONT_DOOR_ID_HEADER = "X-Azure-FDID";

/**
 * The header in which Front Door passes the address of the connection it took the
 * request on (clients cannot set it): what an origin's per-client limits key on
 * (learn.microsoft.com/azure/frontdoor/front-door-http-headers-protocol).
 */
export const FRONT_DOOR_SOCKET_IP_HEADER = "X-Azure-SocketIP";

export interface FrontDoorEdgeHandle {
  /** The profile's Front Door id (a GUID), the value of `X-Azure-FDID` on its requests. */
  readonly frontDoorId: pulumi.Output<string>;
}

const edges = new WeakMap<PlatformScope, FrontDoorEdgeHandle>();

/** Registers the Front Door entry in front of a platform's gateway (AgentFleet, before the gateway is built). */
export function setFrontDoorEdge(platform: PlatformScope, edge: FrontDoorEdgeHandle): void {
  edges.set(platform, edge);
}

/** The Front Door entry in front of a platform's gateway, when a Front Door global entry fronts it. */
export function frontDoorEdgeOf(platform: PlatformScope): FrontDoorEdgeHandle | undefined {
  return edges.get(platform);
}

/** A DNS record a certificate of an origin needs in the entry's zone (ACM's or Certificate Manager's validation CNAME; the name ends with a dot). */
export interface EntryDnsRecord {
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

/**
 * Writes a record into the entry's DNS zone under a logical name, and answers the
 * record's name once it exists: the Front Door entry's Azure DNS zone (without the
 * final dot), the Route 53 entry's hosted zone (aws/entry-parts.ts route53Writer).
 */
export type EntryDnsWriter = (logicalName: string, record: pulumi.Output<EntryDnsRecord>) => pulumi.Output<string>;

/** One cloud gateway as a Front Door origin. */
export interface EntryOrigin {
  /** `<cloud>-<region>`: names the origin and its alert. */
  readonly key: string;
  /** Where Front Door connects: the gateway's own host name or address. */
  readonly hostName: pulumi.Input<string>;
  /** The Host header and TLS SNI Front Door sends: the name the gateway's certificate is for. */
  readonly originHostHeader: pulumi.Input<string>;
}
