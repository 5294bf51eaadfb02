import type { EntryDnsWriter, EntryOrigin } from "../front-door-entry";
import type { GatewayScope } from "../target";
import { gcpGateways } from "./gateway";
import { authorizationRecord } from "./load-balancer";

/**
 * GCP gateways as origins of the Front Door global entry (azure/global-entry.ts): Front
 * Door connects to each gateway's global external Application Load Balancer by its
 * address and sends the entry's host name as Host and SNI; the load balancer's
 * certificate (Certificate Manager, DNS authorization) is for that name, and its
 * authorization CNAME goes into the entry's Azure DNS zone, once per project (a
 * per-project DNS authorization gives one record per project and domain).
 */
export function gcpFrontDoorOrigins(name: string, hostname: string, gateways: ReadonlyArray<GatewayScope>, writeRecord: EntryDnsWriter): EntryOrigin[] {
  const projects = new Set<string>();
  return gateways.map((gateway) => {
    const handle = gcpGateways.get(gateway);
    const { landing, loadBalancer } = handle;
    if (!handle.publicGateway) throw new Error(`unreachable: the ${landing.region} gateway is internal (globalEntrySettings requires a public gateway)`);
    if (handle.hostname !== hostname) throw new Error(`unreachable: the ${landing.region} gateway answers on ${handle.hostname}, the entry on ${hostname} (both read spec.gateway.hostname, else config microagents:hostname)`);
    if (!projects.has(landing.project)) {
      projects.add(landing.project);
      writeRecord(`${name}-${landing.region}-cert-validation`, authorizationRecord(loadBalancer));
    }
    return { key: `gcp-${landing.region}`, hostName: loadBalancer.address, originHostHeader: hostname };
  });
}
