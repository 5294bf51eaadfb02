import { Aws, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as route53 from "aws-cdk-lib/aws-route53";
import * as sns from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";
import type { FleetPlan } from "../plan/types";
import { HEALTH_ALARM, HEALTH_CHECK, HEALTH_PATH, HEALTH_TOKEN_PARAMETER, healthCheckName } from "../targets/aws/failover-shape";
import { fleetKeyPolicy } from "../targets/aws/key-policy";
import { policyDocument } from "../targets/aws/iam";
import { dnsSuffixOf } from "../targets/aws/names";
import { tagAll } from "./tags";

/** One region's side of the failover entry (from failoverEntrySettings, shared with the Pulumi entry). */
export interface FailoverSide {
  readonly role: "PRIMARY" | "SECONDARY";
  readonly hostname: string;
  readonly hostedZoneId: string;
}

export interface FailoverRegionProps {
  readonly plan: FleetPlan;
  readonly side: FailoverSide;
  readonly apiId: string;
  readonly stage: apigw.CfnStage;
  readonly stageName: string;
  /** The probe token the region's health route admits. */
  readonly token: string;
}

/** What the entry's alarm stack needs of one region. */
export interface FailoverRegionParts {
  readonly region: string;
  readonly role: "PRIMARY" | "SECONDARY";
  readonly healthCheck: route53.CfnHealthCheck;
  readonly record: route53.CfnRecordSet;
  readonly domain: apigw.CfnDomainName;
}

/**
 * One region's side of the medium tier's entry through CDK, in that region's gateway
 * stack (Route 53 is global, so no value crosses regions here), as the Pulumi entry
 * builds it (aws/failover.ts, entry-parts.ts): an ACM certificate for the host name,
 * DNS-validated in the hosted zone; a regional API Gateway custom domain on TLS 1.2
 * with the stage mapped at its root; an HTTPS health check of the region's execute-api
 * health route (HEALTH_CHECK); and the failover alias record (PRIMARY or SECONDARY)
 * with that health check.
 */
export function failoverRegion(stack: Stack, props: FailoverRegionProps): FailoverRegionParts {
  const { plan, side } = props;
  const region = stack.region;
  const certificate = new acm.CfnCertificate(stack, "EntryCertificate", {
    domainName: side.hostname,
    validationMethod: "DNS",
    // CloudFormation writes the validation CNAME into the zone; ACM gives a domain the same record in every region.
    domainValidationOptions: [{ domainName: side.hostname, hostedZoneId: side.hostedZoneId }],
    keyAlgorithm: "RSA_2048",
    certificateTransparencyLoggingPreference: "ENABLED",
  });
  const domain = new apigw.CfnDomainName(stack, "EntryDomain", { domainName: side.hostname, regionalCertificateArn: certificate.ref, endpointConfiguration: { types: ["REGIONAL"] }, securityPolicy: "TLS_1_2" });
  const mapping = new apigw.CfnBasePathMapping(stack, "EntryMapping", { domainName: domain.ref, restApiId: props.apiId, stage: props.stageName });
  mapping.node.addDependency(props.stage);
  const name = healthCheckName(plan, region);
  const healthCheck = new route53.CfnHealthCheck(stack, "EntryHealthCheck", {
    healthCheckConfig: {
      type: HEALTH_CHECK.type,
      port: HEALTH_CHECK.port,
      requestInterval: HEALTH_CHECK.requestInterval,
      failureThreshold: HEALTH_CHECK.failureThreshold,
      enableSni: HEALTH_CHECK.enableSni,
      measureLatency: HEALTH_CHECK.measureLatency,
      // The execute-api host, not the entry's name, which would follow DNS to whichever region is active.
      fullyQualifiedDomainName: `${props.apiId}.execute-api.${region}.${dnsSuffixOf(region)}`,
      resourcePath: `/${props.stageName}${HEALTH_PATH}?${HEALTH_TOKEN_PARAMETER}=${props.token}`,
    },
    healthCheckTags: [...Object.entries(plan.tags).map(([key, value]) => ({ key, value })), { key: "Name", value: name }],
  });
  const record = new route53.CfnRecordSet(stack, "EntryRecord", {
    hostedZoneId: side.hostedZoneId,
    name: side.hostname,
    type: "A",
    setIdentifier: `${region}-${side.role.toLowerCase()}`,
    failover: side.role,
    healthCheckId: healthCheck.attrHealthCheckId,
    aliasTarget: { dnsName: domain.attrRegionalDomainName, hostedZoneId: domain.attrRegionalHostedZoneId, evaluateTargetHealth: false },
  });
  record.node.addDependency(mapping);
  return { region, role: side.role, healthCheck, record, domain };
}

export interface EntryAlarmsStackProps extends StackProps {
  readonly plan: FleetPlan;
  readonly prefix: string;
  readonly regions: ReadonlyArray<{ readonly region: string; readonly role: "PRIMARY" | "SECONDARY"; readonly healthCheckId: string }>;
  /**
   * The fleet's alarm topic in us-east-1, when one of its regions is there.
   * @default a key and an alarm topic of the entry's own in us-east-1, with the fleet's alert e-mails subscribed
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * The entry's alarms in us-east-1, where Route 53 publishes health-check metrics:
 * one per region's health check (HEALTH_ALARM: unhealthy for a minute, missing data
 * unhealthy) to the fleet's alarm topic there, or, when no region of the fleet is in
 * us-east-1, to a topic of the entry's own (`<fleet>-<env>-entry-alarms`, encrypted,
 * SSL-only) that mails the fleet's alert e-mails, as on Pulumi (entryMetrics).
 */
export class EntryAlarmsStack extends Stack {
  readonly alarmTopic: sns.ITopic;
  readonly alarms: ReadonlyArray<cloudwatch.CfnAlarm>;

  constructor(scope: Construct, id: string, props: EntryAlarmsStackProps) {
    super(scope, id, props);
    const { plan } = props;
    tagAll(this, plan.tags);
    this.alarmTopic = props.alarmTopic ?? this.ownTopic(plan, props.prefix);
    this.alarms = props.regions.map(
      (r) =>
        new cloudwatch.CfnAlarm(this, `Health-${r.region}`, {
          alarmName: healthCheckName(plan, r.region),
          alarmDescription: `${plan.fleet.name} ${plan.fleet.environment}: the ${r.region} gateway's health check fails (${r.role === "PRIMARY" ? "Route 53 answers with the backup region" : "the backup region cannot take traffic"})`,
          ...HEALTH_ALARM,
          dimensions: [{ name: "HealthCheckId", value: r.healthCheckId }],
          alarmActions: [this.alarmTopic.topicArn],
          okActions: [this.alarmTopic.topicArn],
        }),
    );
  }

  private ownTopic(plan: FleetPlan, prefix: string): sns.Topic {
    const key = new kms.Key(this, "Key", {
      description: `microagents entry alarms key for ${prefix} in ${this.region}`,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      pendingWindow: Duration.days(plan.fleet.environment === "prod" ? 30 : 7),
      policy: iam.PolicyDocument.fromJson(policyDocument(fleetKeyPolicy(this.region, Aws.ACCOUNT_ID, Aws.PARTITION, { autoScaling: false }))),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const topic = new sns.Topic(this, "Alarms", { topicName: `${prefix}-entry-alarms`, displayName: `${prefix} entry alarms`, masterKey: key, enforceSSL: true });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({ sid: "AlarmsPublish", principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")], actions: ["sns:Publish"], resources: [topic.topicArn], conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } } }),
    );
    plan.fleet.observability.alertEmails.forEach((email, i) => new sns.Subscription(this, `AlarmEmail${i}`, { topic, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: email }));
    return topic;
  }
}
