import type * as cdn from "@pulumi/azure-native/cdn";
import type * as frontdoor from "@pulumi/azure-native/frontdoor";
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../../plan/types";
import { frontDoorProfile, wafPolicy, wafRateLimitPerMinute, type FrontDoorBase } from "./front-door";
import type { AzureLanding } from "./landing";
import { azureName } from "./names";

/**
 * The pieces a Front Door entry is made of, shared by the medium tier's failover
 * entry (failover.ts) and the enterprise tier's global entry (global-entry.ts): the
 * profile with its WAF policy sized from the fleet's routes, and the health alert on
 * one origin.
 */

/** The health alert on one origin: Front Door's origin health below 50% over five minutes. */
export const ORIGIN_HEALTH_ALERT = { metricName: "OriginHealthPercentage", metricNamespace: "Microsoft.Cdn/profiles", operator: "LessThan", threshold: 50, timeAggregation: "Average", windowSize: "PT5M", evaluationFrequency: "PT1M", severity: 1 } as const;

export interface EntryFrontDoor {
  readonly base: FrontDoorBase;
  readonly waf: frontdoor.Policy;
  readonly profile: cdn.Profile;
  readonly endpoint: cdn.AFDEndpoint;
}

/**
 * An entry's Front Door Premium profile, endpoint and WAF policy in the home
 * landing's resource group (named `<prefix>-entry`): the WAF's per-IP limit is every
 * route's limit together, the origin timeout the longest route timeout (16 s at least).
 */
export function entryFrontDoor(name: string, plan: FleetPlan, home: AzureLanding, opts: pulumi.CustomResourceOptions): EntryFrontDoor {
  const base = { prefix: `${home.prefix}-entry`, resourceGroupName: home.resourceGroupName, tags: home.tags };
  const routes = plan.agents.flatMap((a) => (a.route ? [a.route] : []));
  const waf = wafPolicy(name, { ...base, rateLimitPerMinute: wafRateLimitPerMinute(routes.map((r) => r.rateLimitPerMinute)) }, opts);
  const { profile, endpoint } = frontDoorProfile(name, { ...base, workspaceId: home.workspace.id, originTimeoutSeconds: Math.max(...routes.map((r) => r.timeoutSeconds), 16) }, opts);
  return { base, waf, profile, endpoint };
}

export interface OriginHealthAlertArgs {
  readonly plan: FleetPlan;
  /** Where the alert lives and whom it tells: the landing's resource group and action group (the fleet's alert e-mails). */
  readonly landing: AzureLanding;
  readonly profile: cdn.Profile;
  /** The origin's host name (the metric's `Origin` dimension, matched with and without `:443`). */
  readonly origin: pulumi.Input<string>;
  /** Names the alert rule: `<fleet>-<env>-<key>-entry-health`. */
  readonly key: string;
  readonly description: string;
}

/** A metric alert on one origin's OriginHealthPercentage (ORIGIN_HEALTH_ALERT), to the landing's action group; it resolves itself. */
export function originHealthAlert(name: string, a: OriginHealthAlertArgs, opts: pulumi.CustomResourceOptions): monitor.MetricAlert {
  return new monitor.MetricAlert(
    name,
    {
      resourceGroupName: a.landing.resourceGroupName,
      location: "global",
      ruleName: azureName([a.plan.fleet.name, a.plan.fleet.environment, a.key, "entry-health"], 260),
      description: a.description,
      enabled: true,
      scopes: [a.profile.id],
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
            // Microsoft names the dimension but not its value's form, and exported metrics show `<host>:443`: either matches.
            dimensions: [{ name: "Origin", operator: "Include", values: [a.origin, pulumi.interpolate`${a.origin}:443`] }],
          },
        ],
      },
      actions: [{ actionGroupId: a.landing.actionGroup.id }],
      tags: { ...a.landing.tags },
    },
    opts,
  );
}
