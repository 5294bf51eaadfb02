import type * as pulumi from "@pulumi/pulumi";
import type { EntryDnsRecord } from "./front-door-entry";
import type { GatewayScope } from "./target";
import { HEALTH_PATH } from "./target";

/**
 * How an entry in front of several gateways reaches one of them: the host its DNS
 * record or origin points at and its health checks probe, and the path of the
 * gateway's health route on that host (with the probe's query, when the gateway
 * asks for one). A cloud's gateway registers its own (setGatewayEndpoint); otherwise
 * it is read from the gateway's URL: its host, and its path followed by HEALTH_PATH.
 */
export interface GatewayEndpoint {
  readonly host: pulumi.Output<string>;
  readonly healthPath: pulumi.Output<string>;
  /**
   * The IPv4 address to connect to, sending `host` as Host and TLS SNI: a gateway
   * whose certificate is for the entry's own host name and whose address is fixed
   * (a GCP load balancer). A Route 53 entry points its latency record at an A record
   * of this address and probes the address.
   */
  readonly address?: pulumi.Output<string>;
  /** Records the gateway's certificate or custom domain needs in the zone of the entry's host name. */
  readonly records?: ReadonlyArray<EntryRecord>;
}

/**
 * A record a gateway needs in the entry's zone. Records of one `key` are one record
 * set (their values together): two Front Doors validating the same host name both
 * need a value in `_dnsauth.<hostname>`; two GCP gateways of one project share their
 * DNS authorization's record.
 */
export interface EntryRecord {
  readonly key: string;
  readonly record: pulumi.Output<EntryDnsRecord>;
}

const endpoints = new WeakMap<GatewayScope, GatewayEndpoint>();

/** Registers how entries reach a gateway (a target's gateway.ts calls this). */
export function setGatewayEndpoint(gateway: GatewayScope, endpoint: GatewayEndpoint): void {
  endpoints.set(gateway, endpoint);
}

/** The URL's host, and its path (no trailing '/') followed by the health route. */
export function endpointOfUrl(url: string): { host: string; healthPath: string } {
  const parsed = new URL(url);
  return { host: parsed.host, healthPath: `${parsed.pathname.replace(/\/+$/, "")}${HEALTH_PATH}` };
}

export function gatewayEndpoint(gateway: GatewayScope): GatewayEndpoint {
  const known = endpoints.get(gateway);
  if (known) return known;
  const parts = gateway.url.apply(endpointOfUrl);
  return { host: parts.apply((p) => p.host), healthPath: parts.apply((p) => p.healthPath) };
}

