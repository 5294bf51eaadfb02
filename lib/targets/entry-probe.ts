import type * as pulumi from "@pulumi/pulumi";
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

