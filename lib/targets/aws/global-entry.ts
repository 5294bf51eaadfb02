import type * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { CLOUD_OF_RUNTIME, describeTarget } from "../../plan/topology";
import type { FleetPlan } from "../../plan/types";
import type { FleetTarget } from "../../spec/types";
import { gatewayEndpoint, type EntryRecord } from "../entry-probe";
import { latencyRegion, type GlobalEntrySettings } from "../global-entry-shape";
import { HEALTH_PATH } from "../target";
import { entryMetrics, gatewayHealthCheck, healthCheckAlarm, regionalDomains, route53RecordSet, route53Validation } from "./entry-parts";
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
  /** The A record `<cloud>-<region>.<hostname>` the latency record points at, for a gateway reached by its address (GCP). */
  readonly address?: route53.Record;
  readonly alarm: cloudwatch.MetricAlarm;
}

/** Seconds resolvers keep an answer: short, so a failed cloud leaves the answers within a minute of its check failing. */
export const GLOBAL_RECORD_TTL = 60;

/** Seconds resolvers keep a gateway's own A record: its load balancer's address is reserved and does not change. */
export const GATEWAY_ADDRESS_TTL = 300;

/** The name of the A record of a gateway reached by its address: `<cloud>-<region>.<hostname>`, in the entry's zone. */
export function gatewayAddressName(cloud: string, region: string, hostname: string): string {
  return `${cloud}-${region}.${hostname}`;
}

/**
 * The enterprise tier's one entry on Route 53: `https://<hostname>` answered by
 * latency records, one per cloud's gateway (CNAME, `setIdentifier` `<cloud>-<region>`,
 * measured from the AWS region nearest the gateway's region, global-entry-shape.ts),
 * each tied to an HTTPS health check of that gateway's health route. Route 53 answers
 * with the lowest-latency gateway whose check passes, so a failed cloud drops out and
 * comes back by itself. Each check has a CloudWatch alarm to the fleet's alert
 * e-mails (us-east-1, where Route 53's metrics are). Every gateway answers on the
 * host name with a certificate for it, and the record points at a name other than
 * the host name's own: an AWS gateway through a regional API Gateway custom domain
 * (ACM certificate, validated in the zone); a GCP gateway's load balancer through
 * an A record `gcp-<region>.<hostname>` of its address, probed at that address with
 * the host name as Host and SNI (its Certificate Manager DNS authorization CNAME
 * written in the zone); an Azure gateway through its own Front Door's endpoint,
 * whose custom domain for the host name has a managed certificate validated by the
 * `_dnsauth` TXT written in the zone (the check probes the endpoint's own domain,
 * on the same route). DNS adds no authentication, limits or validation: each
 * cloud's gateway keeps its own.
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

    const needed: EntryRecord[] = [];
    this.clouds = args.sides.map((side) => {
      const { target } = side;
      const cloud = CLOUD_OF_RUNTIME[target.runtime] ?? "kubernetes";
      const measuredFrom = latencyRegion(target);
      if (!measuredFrom) throw new Error(`unreachable: ${describeTarget(target)} has no latency region (globalEntrySettings reports it)`);
      const endpoint = cloud === "aws" ? undefined : gatewayEndpoint(side.gateway);
      needed.push(...(endpoint?.records ?? []));
      // A gateway whose certificate is for the entry's host name and whose address is fixed (GCP): an A record of its own for the latency record to point at (a CNAME from the host name to itself would loop), probed by address with the host name as Host and SNI.
      const address = endpoint?.address
        ? new route53.Record(
            `${name}-${target.region}-address`,
            { zoneId, name: gatewayAddressName(cloud, target.region, settings.hostname), type: "A", ttl: GATEWAY_ADDRESS_TTL, records: [endpoint.address] },
            { parent: this, provider: metrics.provider },
          )
        : undefined;
      const probe = endpoint ? { fqdn: endpoint.host, resourcePath: endpoint.healthPath, ...(endpoint.address ? { ipAddress: endpoint.address } : {}) } : this.awsProbe(side);
      const healthCheck = gatewayHealthCheck(name, plan, target.region, probe, metrics, this);
      const domain = domains.get(side.gateway);
      const record = new route53.Record(
        `${name}-${target.region}`,
        {
          zoneId,
          name: settings.hostname,
          type: "CNAME",
          ttl: GLOBAL_RECORD_TTL,
          records: [domain ? domain.regionalDomainName : address ? address.name : probe.fqdn],
          setIdentifier: `${cloud}-${target.region}`,
          latencyRoutingPolicies: [{ region: measuredFrom }],
          healthCheckId: healthCheck.id,
        },
        { parent: this, provider: metrics.provider },
      );
      const description = `${plan.fleet.name} ${plan.fleet.environment}: the ${describeTarget(target)} gateway's health check fails (the global entry answers with the other clouds' gateways)`;
      const alarm = healthCheckAlarm(name, plan, target.region, healthCheck, description, metrics, this);
      return { cloud, region: target.region, latencyRegion: measuredFrom, healthCheck, record, alarm, ...(address ? { address } : {}) };
    });
    // What the other clouds' certificates need in the zone: a GCP DNS authorization's CNAME (once per project), the Front Doors' `_dnsauth` TXT (one set, every token).
    const byKey = new Map<string, EntryRecord[]>();
    for (const r of needed) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    for (const [key, records] of byKey) route53RecordSet(`${name}-${key}`, zoneId, records.map((r) => r.record), metrics, this);
    this.url = pulumi.output(`https://${settings.hostname}`);
    this.registerOutputs({ url: this.url, healthChecks: Object.fromEntries(this.clouds.map((c) => [`${c.cloud}-${c.region}`, c.healthCheck.id])) });
  }

  /** What an AWS gateway's health check probes: its execute-api host with its probe token. */
  private awsProbe(side: GlobalEntrySide): { fqdn: pulumi.Output<string>; resourcePath: pulumi.Output<string> } {
    const handle = awsGatewayHandles.get(side.gateway);
    const region = side.target.region;
    if (!handle.health) throw new Error(`unreachable: the ${region} gateway has no health route (the AWS gateway builds it for a public gateway behind an entry)`);
    return {
      fqdn: pulumi.interpolate`${handle.api.id}.execute-api.${region}.${dnsSuffixOf(region)}`,
      resourcePath: pulumi.interpolate`/${handle.stage.stageName}${HEALTH_PATH}?${HEALTH_TOKEN_PARAMETER}=${handle.health.token}`,
    };
  }
}
