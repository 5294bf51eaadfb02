import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import type { GatewayOutputs, GatewayScope } from "../target";
import { azureGateway } from "../azure/gateway";
import { reachedByGateway } from "../azure/gateway-shape";
import { azureLandings, childOpts } from "../azure/landing";
import { AZURE_NAME_LIMITS, azureName } from "../azure/names";
import { acaLandings } from "./landing";
import { acaMinReplicas } from "./service";

/**
 * API Management in front of Container Apps (lib/targets/azure/gateway.ts). The
 * gateway reaches an agent at `https://<app>.<environment domain>` (its ingress is
 * open to the VNet, from the APIM subnet only: acaIngress); the internal
 * environment's domain resolves inside the VNet through a private DNS zone whose
 * wildcard record points at the environment's static IP.
 */
export function acaGateway(scope: GatewayScope): GatewayOutputs {
  const landing = azureLandings.get(scope.platform);
  const aca = acaLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const opts = childOpts(scope, landing);
  const name = scope.resourceName;
  const zone = new privatedns.PrivateZone(`${name}-apps-zone`, { resourceGroupName: landing.resourceGroupName, location: "global", privateZoneName: aca.defaultDomain, tags: { ...landing.tags } }, opts);
  const link = new privatedns.VirtualNetworkLink(
    `${name}-apps-link`,
    { resourceGroupName: landing.resourceGroupName, location: "global", privateZoneName: zone.name, virtualNetworkLinkName: azureName([landing.prefix, "vnet"], 80), virtualNetwork: { id: landing.network.vnet.id }, registrationEnabled: false, tags: { ...landing.tags } },
    opts,
  );
  const wildcard = new privatedns.PrivateRecordSet(
    `${name}-apps-wildcard`,
    { resourceGroupName: landing.resourceGroupName, privateZoneName: zone.name, recordType: "A", relativeRecordSetName: "*", ttl: 300, aRecords: [{ ipv4Address: aca.environment.staticIp }] },
    opts,
  );
  const minReplicas = (agent: (typeof plan.agents)[number]) => acaMinReplicas(agent, agent.gpu ? plan.gpuPools.find((p) => p.name === agent.gpu?.pool) : undefined);
  const served = scope.services.map((s) => s.agent);
  const reachable = new Set(served.filter((a) => reachedByGateway(plan, a, minReplicas(a))).map((a) => a.name));
  return azureGateway(scope, {
    url: (agent) => pulumi.interpolate`https://${azureName([agent.name], AZURE_NAME_LIMITS.containerApp)}.${aca.defaultDomain}`,
    reachable,
    alwaysOn: served.filter((a) => minReplicas(a) >= 1),
    ready: [link, wildcard],
  });
}
