import type * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../../plan/types";
import type { EntryDnsWriter, EntryOrigin } from "../front-door-entry";
import type { GatewayScope } from "../target";
import { regionalDomains } from "./entry-parts";
import { awsGatewayHandles } from "./health";
import { awsLandings } from "./landing";

/**
 * AWS gateways as origins of the Front Door global entry (azure/global-entry.ts): each
 * region's REST API answers on the entry's host name through a regional custom
 * domain (regionalDomains: ACM certificate, TLS 1.2, the stage at the root) whose
 * DNS validation CNAME goes into the entry's Azure DNS zone. Front Door connects to
 * the domain's `d-….execute-api.<region>.amazonaws.com` name and sends the host name
 * as Host and SNI, so API Gateway picks the custom domain and its certificate.
 */
export function awsFrontDoorOrigins(name: string, plan: FleetPlan, hostname: string, gateways: ReadonlyArray<GatewayScope>, writeRecord: EntryDnsWriter, scope: pulumi.ComponentResource): EntryOrigin[] {
  const sides = gateways.map((gateway) => ({ landing: awsLandings.get(gateway.platform), handle: awsGatewayHandles.get(gateway) }));
  const domains = regionalDomains(name, plan, hostname, (record) => writeRecord(`${name}-acm-validation`, record), sides, scope);
  return sides.map((s, i) => ({ key: `aws-${s.landing.region}`, hostName: domains[i].domain.regionalDomainName, originHostHeader: hostname }));
}
