import type * as cdn from "@pulumi/azure-native/cdn";
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import type { GatewayScope } from "../target";
import type { FleetPlan } from "../../plan/types";
import type { AzureEntrySettings } from "./failover-shape";
import { frontDoorProfile, frontDoorRouting, wafPolicy, wafRateLimitPerMinute } from "./front-door";
import { admitOnlyFrontDoor, azureGatewayHandles } from "./gateway";
import { azureName } from "./names";

export interface AzureFailoverEntryArgs {
  readonly plan: FleetPlan;
  readonly settings: AzureEntrySettings;
  /** The primary region's gateway (origin priority 1). */
  readonly primary: GatewayScope;
  /** The backup region's gateway (origin priority 2). */
  readonly backup: GatewayScope;
}

/** The health alert on one region's origin: Front Door's origin health below 50% over five minutes. */
export const ORIGIN_HEALTH_ALERT = { metricName: "OriginHealthPercentage", metricNamespace: "Microsoft.Cdn/profiles", operator: "LessThan", threshold: 50, timeAggregation: "Average", windowSize: "PT5M", evaluationFrequency: "PT1M", severity: 1 } as const;

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
    const base = { prefix: `${home.prefix}-entry`, resourceGroupName: home.resourceGroupName, tags: home.tags };
    const routes = plan.agents.flatMap((a) => (a.route ? [a.route] : []));
    const waf = wafPolicy(name, { ...base, rateLimitPerMinute: wafRateLimitPerMinute(routes.map((r) => r.rateLimitPerMinute)) }, child);
    const { profile, endpoint } = frontDoorProfile(name, { ...base, workspaceId: home.workspace.id, originTimeoutSeconds: Math.max(...routes.map((r) => r.timeoutSeconds), 16) }, child);
    frontDoorRouting(
      name,
      { ...base, profile, endpoint, waf, origins: sides.map((s) => ({ key: s.handle.landing.location, hostName: s.handle.apim.hostName, priority: s.priority })), domain: { hostname: settings.hostname, zone: settings.zone } },
      child,
    );
    for (const s of sides) {
      const landing = s.handle.landing;
      const region = landing.location;
      const regional = { parent: this, provider: landing.provider };
      admitOnlyFrontDoor(`${name}-${region}-front-door-only`, s.handle, profile.frontDoorId, regional);
      new monitor.MetricAlert(
        `${name}-${region}-health`,
        {
          resourceGroupName: landing.resourceGroupName,
          location: "global",
          ruleName: azureName([plan.fleet.name, plan.fleet.environment, region, "entry-health"], 260),
          description: `${plan.fleet.name} ${plan.fleet.environment}: Front Door finds the ${region} gateway unhealthy (${s.priority === 1 ? "traffic goes to the backup region" : "the backup region cannot take traffic"})`,
          enabled: true,
          scopes: [profile.id],
          severity: ORIGIN_HEALTH_ALERT.severity,
          evaluationFrequency: ORIGIN_HEALTH_ALERT.evaluationFrequency,
          windowSize: ORIGIN_HEALTH_ALERT.windowSize,
          autoMitigate: true,
          criteria: {
            odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
            allOf: [
              {
                criterionType: "StaticThresholdCriterion",
                name: "origin-health",
                metricName: ORIGIN_HEALTH_ALERT.metricName,
                metricNamespace: ORIGIN_HEALTH_ALERT.metricNamespace,
                operator: ORIGIN_HEALTH_ALERT.operator,
                threshold: ORIGIN_HEALTH_ALERT.threshold,
                timeAggregation: ORIGIN_HEALTH_ALERT.timeAggregation,
                dimensions: [{ name: "Origin", operator: "Include", values: [s.handle.apim.hostName] }],
              },
            ],
          },
          actions: [{ actionGroupId: landing.actionGroup.id }],
          tags: { ...landing.tags },
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
