import * as acm from "@pulumi/aws/acm";
import * as apigateway from "@pulumi/aws/apigateway";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { Provider } from "@pulumi/aws/provider";
import * as route53 from "@pulumi/aws/route53";
import type * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";
import type { AgentGateway } from "../../components/agent-gateway";
import type { FleetPlan } from "../../plan/types";
import { alarmTopic } from "./alarms";
import { HEALTH_ALARM, HEALTH_CHECK, HEALTH_METRICS_REGION, HEALTH_PATH, HEALTH_TOKEN_PARAMETER, type FailoverEntrySettings } from "./failover-shape";
import { awsGatewayHandles } from "./health";
import { fleetKey } from "./kms";
import { awsLandings, type AwsLanding } from "./landing";
import { awsName, dnsSuffixOf, NAME_LIMITS, partitionOf } from "./names";
import { awsTags } from "./tags";

export interface AwsFailoverEntryArgs {
  readonly plan: FleetPlan;
  readonly settings: FailoverEntrySettings<pulumi.Input<string>>;
  /** The primary region's gateway (the PRIMARY record). */
  readonly primary: AgentGateway;
  /** The backup region's gateway (the SECONDARY record). */
  readonly backup: AgentGateway;
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
    const tags = plan.tags;
    const sides = [
      { role: "PRIMARY" as const, gateway: args.primary },
      { role: "SECONDARY" as const, gateway: args.backup },
    ].map((s) => ({ ...s, landing: awsLandings.get(s.gateway.platform), handle: awsGatewayHandles.get(s.gateway) }));
    const metrics = metricsRegion(name, plan, sides.map((s) => s.landing), this);

    // ACM gives a domain the same validation record in every region: one record validates both certificates.
    const certificates = sides.map(
      (s) =>
        new acm.Certificate(
          `${name}-${s.landing.region}`,
          { domainName: settings.hostname, validationMethod: "DNS", keyAlgorithm: "RSA_2048", options: { certificateTransparencyLoggingPreference: "ENABLED" }, tags: awsTags(tags, settings.hostname) },
          { parent: this, provider: s.landing.provider },
        ),
    );
    const option = certificates[0].domainValidationOptions.apply((o) => o[0]);
    const validationRecord = new route53.Record(
      `${name}-validation`,
      { zoneId: settings.hostedZoneId, name: option.apply((o) => o.resourceRecordName ?? ""), type: option.apply((o) => o.resourceRecordType ?? "CNAME"), records: [option.apply((o) => o.resourceRecordValue ?? "")], ttl: 300, allowOverwrite: false },
      { parent: this, provider: metrics.provider },
    );

    this.regions = sides.map((s, i) => {
      const region = s.landing.region;
      const child = { parent: this, provider: s.landing.provider };
      const validation = new acm.CertificateValidation(`${name}-${region}`, { certificateArn: certificates[i].arn, validationRecordFqdns: [validationRecord.fqdn] }, child);
      const domain = new apigateway.DomainName(
        `${name}-${region}`,
        { domainName: settings.hostname, regionalCertificateArn: validation.certificateArn, endpointConfiguration: { types: "REGIONAL" }, securityPolicy: "TLS_1_2", tags: awsTags(tags, settings.hostname) },
        child,
      );
      new apigateway.BasePathMapping(`${name}-${region}`, { restApi: s.handle.api.id, stageName: s.handle.stage.stageName, domainName: domain.domainName }, child);
      const health = s.handle.health;
      if (!health) throw new Error(`unreachable: the ${region} gateway has no health route (AgentFleet builds it for a public primary-backup gateway)`);
      const checkName = awsName([plan.fleet.name, plan.fleet.environment, region, "health"], NAME_LIMITS.alarm);
      const healthCheck = new route53.HealthCheck(
        `${name}-${region}`,
        {
          ...HEALTH_CHECK,
          fqdn: pulumi.interpolate`${s.handle.api.id}.execute-api.${region}.${dnsSuffixOf(region)}`,
          resourcePath: pulumi.interpolate`/${s.handle.stage.stageName}${HEALTH_PATH}?${HEALTH_TOKEN_PARAMETER}=${health.token}`,
          tags: awsTags(tags, checkName),
        },
        { parent: this, provider: metrics.provider },
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
      const alarm = new cloudwatch.MetricAlarm(
        `${name}-${region}`,
        {
          name: checkName,
          alarmDescription: `${plan.fleet.name} ${plan.fleet.environment}: the ${region} gateway's health check fails (${s.role === "PRIMARY" ? "Route 53 answers with the backup region" : "the backup region cannot take traffic"})`,
          namespace: HEALTH_ALARM.namespace,
          metricName: HEALTH_ALARM.metricName,
          dimensions: { HealthCheckId: healthCheck.id },
          statistic: HEALTH_ALARM.statistic,
          period: HEALTH_ALARM.period,
          evaluationPeriods: HEALTH_ALARM.evaluationPeriods,
          datapointsToAlarm: HEALTH_ALARM.datapointsToAlarm,
          threshold: HEALTH_ALARM.threshold,
          comparisonOperator: HEALTH_ALARM.comparisonOperator,
          treatMissingData: HEALTH_ALARM.treatMissingData,
          alarmActions: [metrics.topic.arn],
          okActions: [metrics.topic.arn],
          tags: awsTags(tags),
        },
        { parent: this, provider: metrics.provider },
      );
      return { region, role: s.role, healthCheck, record, alarm, domain };
    });
    this.url = pulumi.output(`https://${settings.hostname}`);
    this.registerOutputs({ url: this.url, healthChecks: Object.fromEntries(this.regions.map((r) => [r.region, r.healthCheck.id])) });
  }
}

/**
 * Where the health checks' alarms live: us-east-1, with the provider and alarm
 * topic of the fleet's us-east-1 region when it has one, else a provider, key and
 * topic of the entry's own there (the fleet's alert e-mails subscribe to it).
 */
function metricsRegion(name: string, plan: FleetPlan, landings: ReadonlyArray<AwsLanding>, scope: pulumi.ComponentResource): { provider: Provider; topic: sns.Topic } {
  const home = landings.find((l) => l.region === HEALTH_METRICS_REGION);
  if (home) return { provider: home.provider, topic: home.alarmTopic };
  const first = landings[0];
  const region = HEALTH_METRICS_REGION;
  const provider = new Provider(`${name}-${region}`, { region }, { parent: scope });
  const opts = { parent: scope, provider };
  const prefix = `${first.prefix}-entry`;
  const key = fleetKey({ name, prefix, region, partition: partitionOf(region), accountId: first.accountId, tags: plan.tags, prod: plan.fleet.environment === "prod" }, opts);
  const topic = alarmTopic({ name, prefix, accountId: first.accountId, key, tags: plan.tags, emails: plan.fleet.observability.alertEmails }, opts);
  return { provider, topic };
}
