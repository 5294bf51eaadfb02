import * as compute from "@pulumi/gcp/compute";
import * as dns from "@pulumi/gcp/dns";
import * as monitoring from "@pulumi/gcp/monitoring";
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../../plan/types";
import { HEALTH_PATH, type GatewayScope } from "../target";
import { ENTRY_HEALTH_CHECK, ENTRY_TTL_SECONDS, HEALTH_SOURCE_REGIONS, type GcpFailoverEntrySettings } from "./failover-shape";
import { gcpGateways } from "./gateway";
import { gcpName, GCP_NAME_LIMITS } from "./names";

export interface GcpFailoverEntryArgs {
  readonly plan: FleetPlan;
  readonly settings: GcpFailoverEntrySettings<pulumi.Input<string>>;
  /** The primary region's gateway (the record's primary). */
  readonly primary: GatewayScope;
  /** The backup region's gateway (the record's backup). */
  readonly backup: GatewayScope;
}

/**
 * The medium tier's one entry on a GCP-only fleet: `https://<hostname>` answered by
 * a Cloud DNS record with a primary-backup routing policy, the primary region's
 * gateway address as primary and the backup's as backup, both health-checked by
 * one HTTPS health check on the health route (which answers 503 while an always-on
 * agent of its region does not answer: the gateway proxy's health route calls
 * them). Cloud DNS answers with the backup while the primary is unhealthy and
 * returns to it when it is healthy again: failover and failback need no one. An
 * uptime check per region on the same route and an alert policy on each, to the
 * fleet's alert e-mails, tell people.
 *
 * Why DNS and not one global load balancer with both regions' backends: the
 * regions are not equals. The backup's Postgres is a read replica until a person
 * promotes it, so traffic must go to the primary while it is healthy; a global
 * load balancer sends each client to its nearest region instead, and serverless
 * NEGs (Cloud Run) cannot be health-checked, only ejected on live errors. Each
 * region keeps its own global external load balancer, certificate and Cloud Armor
 * policy (the gateways must be public).
 */
export class GcpFailoverEntry extends pulumi.ComponentResource {
  static readonly __pulumiType = "microagents:entry:GcpFailoverEntry";

  readonly url: pulumi.Output<string>;
  readonly record: dns.RecordSet;
  readonly healthCheck: compute.HealthCheck;

  constructor(name: string, args: GcpFailoverEntryArgs, opts?: pulumi.ComponentResourceOptions) {
    super(GcpFailoverEntry.__pulumiType, name, {}, opts);
    const { plan, settings } = args;
    const sides = [
      { role: "primary" as const, gateway: args.primary },
      { role: "backup" as const, gateway: args.backup },
    ].map((s) => ({ ...s, handle: gcpGateways.get(s.gateway) }));
    for (const s of sides) {
      if (!s.handle.publicGateway) throw new Error(`unreachable: the ${s.handle.landing.region} gateway is internal (gcpFailoverEntrySettings requires public gateways)`);
    }
    const [primary, backup] = sides;
    const child = { parent: this, provider: primary.handle.landing.provider };
    const prefix = `${plan.fleet.name}-${plan.fleet.environment}`;
    const { port, requestPath, ...timing } = ENTRY_HEALTH_CHECK;
    this.healthCheck = new compute.HealthCheck(
      `${name}-health`,
      {
        name: gcpName([prefix, "entry-health"], GCP_NAME_LIMITS.compute),
        description: `Failover health of ${settings.hostname}: ${HEALTH_PATH} on each region's gateway`,
        ...timing,
        httpsHealthCheck: { port, requestPath, host: settings.hostname },
        sourceRegions: [...HEALTH_SOURCE_REGIONS],
        logConfig: { enable: true },
      },
      child,
    );
    this.record = new dns.RecordSet(
      `${name}-record`,
      {
        managedZone: settings.dnsZone,
        name: `${settings.hostname}.`,
        type: "A",
        ttl: ENTRY_TTL_SECONDS,
        routingPolicy: {
          healthCheck: this.healthCheck.id,
          primaryBackup: {
            primary: { externalEndpoints: [primary.handle.loadBalancer.address] },
            backupGeos: [{ location: backup.handle.landing.region, healthCheckedTargets: { externalEndpoints: [backup.handle.loadBalancer.address] } }],
            trickleRatio: 0,
          },
        },
      },
      child,
    );
    for (const s of sides) {
      const region = s.handle.landing.region;
      const check = new monitoring.UptimeCheckConfig(
        `${name}-${region}`,
        {
          displayName: `${prefix} gateway ${region} (${s.role})`,
          timeout: "10s",
          period: "60s",
          monitoredResource: { type: "uptime_url", labels: { project_id: s.handle.landing.project, host: s.handle.loadBalancer.address } },
          httpCheck: { path: HEALTH_PATH, port: 443, useSsl: true, validateSsl: false, requestMethod: "GET", headers: { Host: settings.hostname }, acceptedResponseStatusCodes: [{ statusValue: 200 }] },
          checkerType: "STATIC_IP_CHECKERS",
          userLabels: { ...plan.tags },
        },
        { parent: this, provider: s.handle.landing.provider },
      );
      new monitoring.AlertPolicy(
        `${name}-${region}`,
        {
          displayName: `${prefix}: the ${region} gateway's health route fails`,
          combiner: "OR",
          severity: "CRITICAL",
          documentation: { content: `The ${s.role} region's health route (${HEALTH_PATH}) fails: ${s.role === "primary" ? "Cloud DNS answers with the backup region; promote the backup's database if the outage lasts (docs/failover.md)" : "the backup region cannot take traffic"}.`, mimeType: "text/markdown" },
          conditions: [
            {
              displayName: `uptime ${region}`,
              conditionThreshold: {
                filter: pulumi.interpolate`metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND metric.label.check_id="${check.uptimeCheckId}" AND resource.type="uptime_url"`,
                comparison: "COMPARISON_GT",
                thresholdValue: 1,
                duration: "60s",
                aggregations: [{ alignmentPeriod: "1200s", perSeriesAligner: "ALIGN_NEXT_OLDER", crossSeriesReducer: "REDUCE_COUNT_FALSE", groupByFields: ["resource.label.*"] }],
                trigger: { count: 1 },
              },
            },
          ],
          notificationChannels: [...s.handle.landing.alertChannels],
          userLabels: { ...plan.tags },
        },
        { parent: this, provider: s.handle.landing.provider },
      );
    }
    this.url = pulumi.output(`https://${settings.hostname}`);
    this.registerOutputs({ url: this.url, healthCheck: this.healthCheck.id });
  }
}
