import type * as apigateway from "@pulumi/aws/apigateway";
import type * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../../plan/types";
import { entryMetrics, gatewayHealthCheck, healthCheckAlarm, regionalDomains, route53Validation } from "./entry-parts";
import { HEALTH_PATH, HEALTH_TOKEN_PARAMETER, type FailoverEntrySettings } from "./failover-shape";
import { awsGatewayHandles } from "./health";
import { awsLandings } from "./landing";
import { dnsSuffixOf } from "./names";
import type { GatewayScope } from "../target";

export interface AwsFailoverEntryArgs {
  readonly plan: FleetPlan;
  readonly settings: FailoverEntrySettings<pulumi.Input<string>>;
  /** The primary region's gateway (the PRIMARY record). */
  readonly primary: GatewayScope;
  /** The backup region's gateway (the SECONDARY record). */
  readonly backup: GatewayScope;
}

/** One region's side of the entry. */
export interface FailoverRegion {
  readonly region: string;
  readonly role: "PRIMARY" | "SECONDARY";
  readonly healthCheck: route53.HealthCheck;
  readonly record: route53.Record;
  readonly alarm: cloudwatch.MetricAlarm;
  readonly domain: apigateway.DomainName;
}

/**
 * The medium tier's one entry on AWS: `https://<hostname>` answered by Route 53
 * failover alias records, PRIMARY to the primary region's API Gateway custom domain
 * and SECONDARY to the backup's. Each region has an ACM certificate for the host
 * name (DNS-validated in the fleet's hosted zone), a regional custom domain on
 * TLS 1.2 mapped to its stage, and an HTTPS health check of its gateway's health
 * route, which answers 503 while an always-on agent of the region runs no replica
 * (health.ts). Route 53 answers with the backup while the primary's check fails and
 * returns to the primary when it passes again: failover and failback need no one.
 * A CloudWatch alarm per health check (Route 53's metrics exist in us-east-1 only)
 * tells the fleet's alarm topic: the us-east-1 region's own topic when the fleet has
 * one there, otherwise a topic in us-east-1 with the same subscribers.
 */
export class AwsFailoverEntry extends pulumi.ComponentResource {
  static readonly __pulumiType = "microagents:entry:AwsFailoverEntry";

  readonly url: pulumi.Output<string>;
  readonly regions: ReadonlyArray<FailoverRegion>;

  constructor(name: string, args: AwsFailoverEntryArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AwsFailoverEntry.__pulumiType, name, {}, opts);
    const { plan, settings } = args;
    const sides = [
      { role: "PRIMARY" as const, gateway: args.primary },
      { role: "SECONDARY" as const, gateway: args.backup },
    ].map((s) => ({ ...s, landing: awsLandings.get(s.gateway.platform), handle: awsGatewayHandles.get(s.gateway) }));
    const metrics = entryMetrics(name, plan, sides.map((s) => s.landing), this);
    const domains = regionalDomains(name, plan, settings.hostname, route53Validation(name, settings.hostedZoneId, metrics, this), sides, this);

    this.regions = sides.map((s, i) => {
      const region = s.landing.region;
      const domain = domains[i].domain;
      const health = s.handle.health;
      if (!health) throw new Error(`unreachable: the ${region} gateway has no health route (AgentFleet builds it for a public primary-backup gateway)`);
      const healthCheck = gatewayHealthCheck(
        name,
        plan,
        region,
        { fqdn: pulumi.interpolate`${s.handle.api.id}.execute-api.${region}.${dnsSuffixOf(region)}`, resourcePath: pulumi.interpolate`/${s.handle.stage.stageName}${HEALTH_PATH}?${HEALTH_TOKEN_PARAMETER}=${health.token}` },
        metrics,
        this,
      );
      const record = new route53.Record(
        `${name}-${region}`,
        {
          zoneId: settings.hostedZoneId,
          name: settings.hostname,
          type: "A",
          setIdentifier: `${region}-${s.role.toLowerCase()}`,
          failoverRoutingPolicies: [{ type: s.role }],
          healthCheckId: healthCheck.id,
          aliases: [{ name: domain.regionalDomainName, zoneId: domain.regionalZoneId, evaluateTargetHealth: false }],
        },
        { parent: this, provider: metrics.provider },
      );
      const description = `${plan.fleet.name} ${plan.fleet.environment}: the ${region} gateway's health check fails (${s.role === "PRIMARY" ? "Route 53 answers with the backup region" : "the backup region cannot take traffic"})`;
      const alarm = healthCheckAlarm(name, plan, region, healthCheck, description, metrics, this);
      return { region, role: s.role, healthCheck, record, alarm, domain };
    });
    this.url = pulumi.output(`https://${settings.hostname}`);
    this.registerOutputs({ url: this.url, healthChecks: Object.fromEntries(this.regions.map((r) => [r.region, r.healthCheck.id])) });
  }
}
