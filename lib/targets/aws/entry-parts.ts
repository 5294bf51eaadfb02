import * as acm from "@pulumi/aws/acm";
import * as apigateway from "@pulumi/aws/apigateway";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { Provider } from "@pulumi/aws/provider";
import * as route53 from "@pulumi/aws/route53";
import type * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../../plan/types";
import type { EntryDnsRecord, EntryDnsWriter } from "../front-door-entry";
import { alarmTopic } from "./alarms";
import { HEALTH_ALARM, HEALTH_CHECK, HEALTH_METRICS_REGION, healthCheckName } from "./failover-shape";
import type { AwsGatewayHandle } from "./health";
import { fleetKey } from "./kms";
import type { AwsLanding } from "./landing";
import { partitionOf } from "./names";
import { awsTags } from "./tags";

/**
 * The pieces a Route 53 entry is made of, shared by the medium tier's failover entry
 * (failover.ts) and the enterprise tier's global entry (global-entry.ts; the Front
 * Door global entry uses regionalDomains with an Azure DNS writer): where the
 * health checks' alarms live, an API Gateway custom domain for the entry's host name,
 * an HTTPS health check of one gateway, and the alarm on it.
 */

/** Where health checks, records and their alarms are managed: us-east-1. */
export interface EntryMetrics {
  readonly provider: Provider;
  readonly topic: sns.Topic;
}

/**
 * Route 53 health-check metrics exist in us-east-1 only: the provider and alarm topic
 * of the fleet's us-east-1 region when it has one, else a provider, key and topic of
 * the entry's own there (the fleet's alert e-mails subscribe to it).
 */
export function entryMetrics(name: string, plan: FleetPlan, landings: ReadonlyArray<AwsLanding>, scope: pulumi.ComponentResource): EntryMetrics {
  const home = landings.find((l) => l.region === HEALTH_METRICS_REGION);
  if (home) return { provider: home.provider, topic: home.alarmTopic };
  const first = landings[0];
  if (!first) throw new Error("unreachable: a Route 53 entry is built with at least one AWS region (validated by the entry's settings)");
  const region = HEALTH_METRICS_REGION;
  const provider = new Provider(`${name}-${region}`, { region }, { parent: scope });
  const opts = { parent: scope, provider };
  const prefix = `${first.prefix}-entry`;
  const key = fleetKey({ name, prefix, region, partition: partitionOf(region), accountId: first.accountId, tags: plan.tags, prod: plan.fleet.environment === "prod" }, opts);
  const topic = alarmTopic({ name, prefix, accountId: first.accountId, key, tags: plan.tags, emails: plan.fleet.observability.alertEmails }, opts);
  return { provider, topic };
}

/** One AWS region's gateway answering on the entry's host name. */
export interface RegionalDomain {
  readonly domain: apigateway.DomainName;
}

/** A certificate's DNS validation record, as ACM gives it (the name ends with a dot): the shape every entry's record writer takes. */
export type ValidationRecord = EntryDnsRecord;

/**
 * Writes a certificate's DNS validation record into the zone that holds the entry's
 * host name, and answers the record's name for `acm.CertificateValidation` (resolved
 * once the record exists). Route 53 (route53Validation) for the failover and Route 53
 * global entries; Azure DNS for the Front Door global entry (azure/global-entry.ts).
 */
export type ValidationRecordWriter = (record: pulumi.Output<ValidationRecord>) => pulumi.Output<string>;

/**
 * One record set in a Route 53 hosted zone from records of one name and type (the
 * values of all of them, each once), written from the entry's us-east-1 provider;
 * answers its name once it exists. TXT values are quoted by the provider.
 */
export function route53RecordSet(logicalName: string, zoneId: pulumi.Input<string>, records: ReadonlyArray<pulumi.Output<EntryDnsRecord>>, metrics: EntryMetrics, scope: pulumi.ComponentResource): pulumi.Output<string> {
  const first = records[0];
  if (!first) throw new Error(`unreachable: record set ${logicalName} has no records`);
  const values = pulumi.all([...records]).apply((rs) => [...new Set(rs.map((r) => r.value))]);
  return new route53.Record(
    logicalName,
    { zoneId, name: first.apply((r) => r.name), type: first.apply((r) => r.type), records: values, ttl: 300, allowOverwrite: false },
    { parent: scope, provider: metrics.provider },
  ).fqdn;
}

/** The Route 53 writer of the entry's records, the shape the Front Door entry's Azure DNS writer has (front-door-entry.ts EntryDnsWriter). */
export function route53Writer(zoneId: pulumi.Input<string>, metrics: EntryMetrics, scope: pulumi.ComponentResource): EntryDnsWriter {
  return (logicalName, record) => route53RecordSet(logicalName, zoneId, [record], metrics, scope);
}

/** The validation record in a Route 53 hosted zone, written from the entry's us-east-1 provider. */
export function route53Validation(name: string, zoneId: pulumi.Input<string>, metrics: EntryMetrics, scope: pulumi.ComponentResource): ValidationRecordWriter {
  const write = route53Writer(zoneId, metrics, scope);
  return (record) => write(`${name}-validation`, record);
}

/**
 * The entry's host name on each AWS region's REST API: an ACM certificate per region
 * (DNS-validated through `writeValidation`; ACM gives a domain the same validation
 * record in every region, so one record validates them all), a regional custom domain
 * on TLS 1.2, and the stage mapped at its root.
 */
export function regionalDomains(
  name: string,
  plan: FleetPlan,
  hostname: string,
  writeValidation: ValidationRecordWriter,
  sides: ReadonlyArray<{ readonly landing: AwsLanding; readonly handle: AwsGatewayHandle }>,
  scope: pulumi.ComponentResource,
): RegionalDomain[] {
  const tags = plan.tags;
  const certificates = sides.map(
    (s) =>
      new acm.Certificate(
        `${name}-${s.landing.region}`,
        { domainName: hostname, validationMethod: "DNS", keyAlgorithm: "RSA_2048", options: { certificateTransparencyLoggingPreference: "ENABLED" }, tags: awsTags(tags, hostname) },
        { parent: scope, provider: s.landing.provider },
      ),
  );
  if (certificates.length === 0) return [];
  const validationFqdn = writeValidation(
    certificates[0].domainValidationOptions.apply((o) => ({ name: o[0]?.resourceRecordName ?? "", type: o[0]?.resourceRecordType ?? "CNAME", value: o[0]?.resourceRecordValue ?? "" })),
  );
  return sides.map((s, i) => {
    const region = s.landing.region;
    const child = { parent: scope, provider: s.landing.provider };
    const validation = new acm.CertificateValidation(`${name}-${region}`, { certificateArn: certificates[i].arn, validationRecordFqdns: [validationFqdn] }, child);
    const domain = new apigateway.DomainName(
      `${name}-${region}`,
      { domainName: hostname, regionalCertificateArn: validation.certificateArn, endpointConfiguration: { types: "REGIONAL" }, securityPolicy: "TLS_1_2", tags: awsTags(tags, hostname) },
      child,
    );
    new apigateway.BasePathMapping(`${name}-${region}`, { restApi: s.handle.api.id, stageName: s.handle.stage.stageName, domainName: domain.domainName }, child);
    return { domain };
  });
}

export { healthCheckName };

/**
 * An HTTPS health check of one gateway's health route (HEALTH_CHECK's interval and
 * thresholds). With `ipAddress`, Route 53 connects to that address and sends `fqdn`
 * as Host and SNI; without, it resolves `fqdn` and sends it.
 */
export function gatewayHealthCheck(
  name: string,
  plan: FleetPlan,
  region: string,
  probe: { readonly fqdn: pulumi.Input<string>; readonly resourcePath: pulumi.Input<string>; readonly ipAddress?: pulumi.Input<string> },
  metrics: EntryMetrics,
  scope: pulumi.ComponentResource,
): route53.HealthCheck {
  return new route53.HealthCheck(
    `${name}-${region}`,
    { ...HEALTH_CHECK, ...(probe.ipAddress ? { ipAddress: probe.ipAddress } : {}), fqdn: probe.fqdn, resourcePath: probe.resourcePath, tags: awsTags(plan.tags, healthCheckName(plan, region)) },
    { parent: scope, provider: metrics.provider },
  );
}

/** The alarm on one health check, to the fleet's alarm topic in us-east-1 (alarm and recovery). */
export function healthCheckAlarm(name: string, plan: FleetPlan, region: string, healthCheck: route53.HealthCheck, description: string, metrics: EntryMetrics, scope: pulumi.ComponentResource): cloudwatch.MetricAlarm {
  return new cloudwatch.MetricAlarm(
    `${name}-${region}`,
    {
      name: healthCheckName(plan, region),
      alarmDescription: description,
      ...HEALTH_ALARM,
      dimensions: { HealthCheckId: healthCheck.id },
      alarmActions: [metrics.topic.arn],
      okActions: [metrics.topic.arn],
      tags: awsTags(plan.tags),
    },
    { parent: scope, provider: metrics.provider },
  );
}
