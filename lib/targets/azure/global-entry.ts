import type * as cdn from "@pulumi/azure-native/cdn";
import * as dns from "@pulumi/azure-native/dns";
import * as pulumi from "@pulumi/pulumi";
import { CLOUD_OF_RUNTIME } from "../../plan/topology";
import type { FleetPlan } from "../../plan/types";
import type { FleetTarget } from "../../spec/types";
import { setFrontDoorEdge, type EntryDnsWriter, type EntryOrigin } from "../front-door-entry";
import type { GlobalEntrySettings } from "../global-entry-shape";
import type { GatewayScope, PlatformScope } from "../target";
import { azureZoneWriter, type AzureZoneWriter } from "./dns-zone";
import { entryFrontDoor, originHealthAlert, type EntryFrontDoor } from "./entry-parts";
import { frontDoorRouting, relativeName } from "./front-door";
import { admitOnlyFrontDoor, azureGatewayHandles } from "./gateway";
import { azureLandings, type AzureLanding } from "./landing";

/**
 * Front Door picks among healthy origins of one priority by latency: 0 ms of extra
 * latency sends each edge's requests to its fastest healthy origin only (Front Door's
 * default, 50 ms, would spread them over every origin within 50 ms of it). Each cloud
 * keeps its own task table, results cache and queues (only a primary-backup pair
 * replicates), so a client's requests are best kept on the cloud nearest its edge,
 * as the Route 53 entry's latency records keep them. Health: 3 of the last 4 probes.
 */
export const GLOBAL_LOAD_BALANCING = { sampleSize: 4, successfulSamplesRequired: 3, additionalLatencyInMilliseconds: 0 } as const;

export interface FrontDoorEdgeArgs {
  readonly plan: FleetPlan;
  /** The Azure platform whose resource group, workspace and subscription hold the profile. */
  readonly home: PlatformScope;
  /** Every platform behind the entry: their gateways admit this Front Door (front-door-entry.ts). */
  readonly platforms: ReadonlyArray<PlatformScope>;
}

/**
 * The Front Door global entry's edge, built before any gateway so that each gateway
 * knows the profile's id: Front Door Premium, its endpoint, logs to the home
 * workspace, and the WAF policy (Prevention, Microsoft_DefaultRuleSet 2.1 and
 * BotManager 1.1, a per-client-IP limit of every route's limit together). Registers
 * the profile's Front Door id for every platform behind the entry.
 */
export class FrontDoorEdge extends pulumi.ComponentResource {
  static readonly __pulumiType = "microagents:entry:FrontDoorEdge";

  readonly home: AzureLanding;
  readonly frontDoor: EntryFrontDoor;
  readonly frontDoorId: pulumi.Output<string>;

  constructor(name: string, args: FrontDoorEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super(FrontDoorEdge.__pulumiType, name, {}, opts);
    this.home = azureLandings.get(args.home);
    this.frontDoor = entryFrontDoor(name, args.plan, this.home, { parent: this, provider: this.home.provider });
    this.frontDoorId = this.frontDoor.profile.frontDoorId;
    for (const platform of args.platforms) setFrontDoorEdge(platform, { frontDoorId: this.frontDoorId });
    this.registerOutputs({ frontDoorId: this.frontDoorId, endpointHostName: this.frontDoor.endpoint.hostName });
  }
}

/** One cloud's gateway behind the entry. */
export interface AzureGlobalEntrySide {
  readonly target: FleetTarget;
  readonly gateway: GatewayScope;
}

export interface AzureGlobalEntryArgs {
  readonly plan: FleetPlan;
  readonly settings: GlobalEntrySettings<pulumi.Input<string>>;
  readonly edge: FrontDoorEdge;
  readonly sides: ReadonlyArray<AzureGlobalEntrySide>;
}

/**
 * The enterprise tier's one entry on Azure Front Door: `https://<hostname>` on the
 * edge's profile (Front Door's managed certificate, validated in the fleet's Azure
 * DNS zone, TLS 1.2; HTTP redirected; no caching; the WAF on the endpoint and the
 * domain), one origin group with an origin per cloud gateway, all at priority 1 and
 * weight 1000, picked by latency (GLOBAL_LOAD_BALANCING) among those whose HTTPS
 * probes of the health route pass. Origins: an Azure gateway's API Management host
 * (its service policy admits this Front Door only); an AWS gateway's regional
 * custom domain for the host name (aws/front-door-origin.ts); a GCP gateway's load
 * balancer address, Host and SNI the host name (gcp/front-door-origin.ts); the
 * certificates' DNS validation records go into the same Azure DNS zone. A failed
 * cloud's origin leaves the rotation after its probes fail and returns when they
 * pass. An OriginHealthPercentage alert per origin goes to the home Azure target's
 * action group (the fleet's alert e-mails). Each gateway keeps its own
 * authentication, limits and validation.
 */
export class AzureGlobalEntry extends pulumi.ComponentResource {
  static readonly __pulumiType = "microagents:entry:AzureGlobalEntry";

  readonly url: pulumi.Output<string>;
  readonly profile: cdn.Profile;
  readonly endpointHostName: pulumi.Output<string>;
  /** The origins, by `<cloud>-<region>`. */
  readonly origins: ReadonlyArray<EntryOrigin>;

  constructor(name: string, args: AzureGlobalEntryArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AzureGlobalEntry.__pulumiType, name, {}, opts);
    const { plan, settings, edge } = args;
    const zone = settings.zone;
    if (!zone) throw new Error("unreachable: a Front Door entry's settings carry its Azure DNS zone (globalEntrySettings)");
    const home = edge.home;
    const child = { parent: this, provider: home.provider };
    const zoneWriter = azureZoneWriter(zone, home, this);
    const writeRecord = azureDnsWriter(zoneWriter);
    const on = (cloud: string) => args.sides.filter((s) => CLOUD_OF_RUNTIME[s.target.runtime] === cloud).map((s) => s.gateway);
    const azure = on("azure").map((gateway) => azureGatewayHandles.get(gateway));
    const aws = on("aws");
    const gcp = on("gcp");
    const origins: EntryOrigin[] = [
      ...azure.map((h) => ({ key: `azure-${h.landing.location}`, hostName: h.apim.hostName, originHostHeader: h.apim.hostName })),
      // Loaded on use: a fleet without AWS or GCP targets never loads their SDKs.
      ...(aws.length > 0 ? (require("../aws/front-door-origin") as typeof import("../aws/front-door-origin")).awsFrontDoorOrigins(name, plan, settings.hostname, aws, writeRecord, this) : []),
      ...(gcp.length > 0 ? (require("../gcp/front-door-origin") as typeof import("../gcp/front-door-origin")).gcpFrontDoorOrigins(name, settings.hostname, gcp, writeRecord) : []),
    ];
    const { base, waf, profile, endpoint } = edge.frontDoor;
    frontDoorRouting(
      name,
      { ...base, profile, endpoint, waf, origins: origins.map((o) => ({ ...o, priority: 1 })), loadBalancing: GLOBAL_LOAD_BALANCING, domain: { hostname: settings.hostname, zone: zoneWriter } },
      child,
    );
    for (const h of azure) admitOnlyFrontDoor(`${name}-${h.landing.location}-front-door-only`, h, profile.frontDoorId, { parent: this, provider: h.landing.provider });
    for (const o of origins) {
      originHealthAlert(
        `${name}-${o.key}-health`,
        { plan, landing: home, profile, origin: o.hostName, key: o.key, description: `${plan.fleet.name} ${plan.fleet.environment}: Front Door finds the ${o.key} gateway unhealthy (the global entry sends its traffic to the other clouds)` },
        child,
      );
    }
    this.origins = origins;
    this.profile = profile;
    this.endpointHostName = endpoint.hostName;
    this.url = pulumi.output(`https://${settings.hostname}`);
    this.registerOutputs({ url: this.url, endpointHostName: this.endpointHostName, origins: origins.map((o) => o.key) });
  }
}

/**
 * Writes a certificate's validation CNAME into the Azure DNS zone (TTL 300) and
 * answers its name once the record exists (for ACM's CertificateValidation).
 */
function azureDnsWriter(zone: AzureZoneWriter): EntryDnsWriter {
  return (logicalName, record) => {
    const set = new dns.RecordSet(
      logicalName,
      {
        resourceGroupName: zone.resourceGroupName,
        zoneName: zone.checkedZoneName,
        relativeRecordSetName: record.apply((r) => relativeName(r.name.replace(/\.$/, ""), zone.zoneName)),
        recordType: "CNAME",
        ttl: 300,
        cnameRecord: { cname: record.apply((r) => r.value) },
      },
      zone.opts,
    );
    return pulumi.all([set.id, record]).apply(([, r]) => r.name.replace(/\.$/, ""));
  };
}
