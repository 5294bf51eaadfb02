import type * as cdn from "@pulumi/azure-native/cdn";
import * as pulumi from "@pulumi/pulumi";
import type { GatewayScope } from "../target";
import type { FleetPlan } from "../../plan/types";
import { azureZoneWriter } from "./dns-zone";
import { entryFrontDoor, originHealthAlert } from "./entry-parts";
import type { AzureEntrySettings } from "./failover-shape";
import { frontDoorRouting } from "./front-door";
import { admitOnlyFrontDoor, azureGatewayHandles } from "./gateway";

export { ORIGIN_HEALTH_ALERT } from "./entry-parts";

export interface AzureFailoverEntryArgs {
  readonly plan: FleetPlan;
  readonly settings: AzureEntrySettings;
  /** The primary region's gateway (origin priority 1). */
  readonly primary: GatewayScope;
  /** The backup region's gateway (origin priority 2). */
  readonly backup: GatewayScope;
}

/**
 * The medium tier's one entry on an Azure-only fleet: Front Door Premium with a WAF
 * policy (Microsoft's default and bot rule sets, Prevention, a per-IP rate limit),
 * one origin group whose origins are the two regions' API Management gateways at
 * priorities 1 (primary) and 2 (backup), probed on the health route (which answers
 * 503 while an always-on agent of the region does not answer), the custom domain
 * `https://<hostname>` with Front Door's managed certificate validated in the
 * fleet's Azure DNS zone, and on each gateway a service policy that admits this
 * Front Door's requests only. Front Door sends traffic to the backup while the
 * primary is unhealthy and back once it is healthy again: failover and failback
 * need no one. A metric alert per region on its origin's health goes to that
 * region's action group (the fleet's alert e-mails).
 */
export class AzureFailoverEntry extends pulumi.ComponentResource {
  static readonly __pulumiType = "microagents:entry:AzureFailoverEntry";

  readonly url: pulumi.Output<string>;
  readonly profile: cdn.Profile;
  readonly endpointHostName: pulumi.Output<string>;

  constructor(name: string, args: AzureFailoverEntryArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AzureFailoverEntry.__pulumiType, name, {}, opts);
    const { plan, settings } = args;
    const sides = [
      { priority: 1, gateway: args.primary },
      { priority: 2, gateway: args.backup },
    ].map((s) => ({ ...s, handle: azureGatewayHandles.get(s.gateway) }));
    const home = sides[0].handle.landing;
    const child = { parent: this, provider: home.provider };
    const { base, waf, profile, endpoint } = entryFrontDoor(name, plan, home, child);
    frontDoorRouting(
      name,
      { ...base, profile, endpoint, waf, origins: sides.map((s) => ({ key: s.handle.landing.location, hostName: s.handle.apim.hostName, priority: s.priority })), domain: { hostname: settings.hostname, zone: azureZoneWriter(settings.zone, home, this) } },
      child,
    );
    for (const s of sides) {
      const landing = s.handle.landing;
      const region = landing.location;
      const regional = { parent: this, provider: landing.provider };
      admitOnlyFrontDoor(`${name}-${region}-front-door-only`, s.handle, profile.frontDoorId, regional);
      originHealthAlert(
        `${name}-${region}-health`,
        {
          plan,
          landing,
          profile,
          origin: s.handle.apim.hostName,
          key: region,
          description: `${plan.fleet.name} ${plan.fleet.environment}: Front Door finds the ${region} gateway unhealthy (${s.priority === 1 ? "traffic goes to the backup region" : "the backup region cannot take traffic"})`,
        },
        regional,
      );
    }
    this.profile = profile;
    this.endpointHostName = endpoint.hostName;
    this.url = pulumi.output(`https://${settings.hostname}`);
    this.registerOutputs({ url: this.url, endpointHostName: this.endpointHostName });
  }
}
