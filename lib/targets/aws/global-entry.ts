import type * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { CLOUD_OF_RUNTIME, describeTarget } from "../../plan/topology";
import type { FleetPlan } from "../../plan/types";
import type { FleetTarget } from "../../spec/types";
import { gatewayEndpoint } from "../entry-probe";
import { latencyRegion, type GlobalEntrySettings } from "../global-entry-shape";
import { HEALTH_PATH } from "../target";
import { entryMetrics, gatewayHealthCheck, healthCheckAlarm, regionalDomains, route53Validation } from "./entry-parts";
import { HEALTH_TOKEN_PARAMETER } from "./failover-shape";
import { awsGatewayHandles } from "./health";
import { awsLandings } from "./landing";
import { dnsSuffixOf } from "./names";
import type { GatewayScope } from "../target";

/** One cloud's gateway behind the entry. */
export interface GlobalEntrySide {
  readonly target: FleetTarget;
  readonly gateway: GatewayScope;
}

export interface AwsGlobalEntryArgs {
  readonly plan: FleetPlan;
  readonly settings: GlobalEntrySettings<pulumi.Input<string>>;
  readonly sides: ReadonlyArray<GlobalEntrySide>;
}

/** One cloud's part of the entry. */
export interface GlobalEntryCloud {
  readonly cloud: string;
  readonly region: string;
  /** The AWS region Route 53 measures this record's latency from. */
  readonly latencyRegion: string;
  readonly healthCheck: route53.HealthCheck;
  readonly record: route53.Record;
  readonly alarm: cloudwatch.MetricAlarm;
}

/** Seconds resolvers keep an answer: short, so a failed cloud leaves the answers within a minute of its check failing. */
export const GLOBAL_RECORD_TTL = 60;

/**
 * The enterprise tier's one entry on Route 53: `https://<hostname>` answered by
 * latency records, one per cloud's gateway (CNAME, `setIdentifier` `<cloud>-<region>`,
 * measured from the AWS region nearest the gateway's region, global-entry-shape.ts),
 * each tied to an HTTPS health check of that gateway's health route. Route 53 answers
 * with the lowest-latency gateway whose check passes, so a failed cloud drops out and
 * comes back by itself. Each check has a CloudWatch alarm to the fleet's alert
 * e-mails (us-east-1, where Route 53's metrics are). AWS gateways answer on the host
 * name through a regional API Gateway custom domain with an ACM certificate; the
 * other clouds' gateways answer on it through their own custom domain. DNS adds no
 * authentication, limits or validation: each cloud's gateway keeps its own.
 */
export class AwsGlobalEntry extends pulumi.ComponentResource {
  static readonly __pulumiType = "microagents:entry:AwsGlobalEntry";

  readonly url: pulumi.Output<string>;
  readonly clouds: ReadonlyArray<GlobalEntryCloud>;

  constructor(name: string, args: AwsGlobalEntryArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AwsGlobalEntry.__pulumiType, name, {}, opts);
    const { plan, settings } = args;
    const zoneId = settings.hostedZoneId;
    if (zoneId === undefined) throw new Error("unreachable: a Route 53 entry's settings carry its hosted zone (globalEntrySettings)");
    const aws = args.sides.filter((s) => CLOUD_OF_RUNTIME[s.target.runtime] === "aws").map((s) => ({ ...s, landing: awsLandings.get(s.gateway.platform), handle: awsGatewayHandles.get(s.gateway) }));
    const metrics = entryMetrics(name, plan, aws.map((s) => s.landing), this);
    const domains = new Map(regionalDomains(name, plan, settings.hostname, route53Validation(name, zoneId, metrics, this), aws, this).map((d, i) => [aws[i].gateway, d.domain]));

    this.clouds = args.sides.map((side) => {
      const { target } = side;
      const cloud = CLOUD_OF_RUNTIME[target.runtime] ?? "kubernetes";
      const measuredFrom = latencyRegion(target);
      if (!measuredFrom) throw new Error(`unreachable: ${describeTarget(target)} has no latency region (globalEntrySettings reports it)`);
      const probe = this.probe(side);
      const healthCheck = gatewayHealthCheck(name, plan, target.region, probe, metrics, this);
      const domain = domains.get(side.gateway);
      const record = new route53.Record(
        `${name}-${target.region}`,
        {
          zoneId,
          name: settings.hostname,
          type: "CNAME",
          ttl: GLOBAL_RECORD_TTL,
          records: [domain ? domain.regionalDomainName : probe.fqdn],
          setIdentifier: `${cloud}-${target.region}`,
          latencyRoutingPolicies: [{ region: measuredFrom }],
          healthCheckId: healthCheck.id,
        },
        { parent: this, provider: metrics.provider },
      );
      const description = `${plan.fleet.name} ${plan.fleet.environment}: the ${describeTarget(target)} gateway's health check fails (the global entry answers with the other clouds' gateways)`;
      const alarm = healthCheckAlarm(name, plan, target.region, healthCheck, description, metrics, this);
      return { cloud, region: target.region, latencyRegion: measuredFrom, healthCheck, record, alarm };
    });
    this.url = pulumi.output(`https://${settings.hostname}`);
    this.registerOutputs({ url: this.url, healthChecks: Object.fromEntries(this.clouds.map((c) => [`${c.cloud}-${c.region}`, c.healthCheck.id])) });
  }

  /** What a health check probes: an AWS gateway's execute-api host with its probe token, another cloud's gateway host and health route. */
  private probe(side: GlobalEntrySide): { fqdn: pulumi.Output<string>; resourcePath: pulumi.Output<string> } {
    if (CLOUD_OF_RUNTIME[side.target.runtime] === "aws") {
      const handle = awsGatewayHandles.get(side.gateway);
      const region = side.target.region;
      if (!handle.health) throw new Error(`unreachable: the ${region} gateway has no health route (the AWS gateway builds it for a public gateway behind an entry)`);
      return {
        fqdn: pulumi.interpolate`${handle.api.id}.execute-api.${region}.${dnsSuffixOf(region)}`,
        resourcePath: pulumi.interpolate`/${handle.stage.stageName}${HEALTH_PATH}?${HEALTH_TOKEN_PARAMETER}=${handle.health.token}`,
      };
    }
    const endpoint = gatewayEndpoint(side.gateway);
    return { fqdn: endpoint.host, resourcePath: endpoint.healthPath };
  }
}
