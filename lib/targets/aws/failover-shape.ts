import type { AgentPlan, FleetPlan } from "../../plan/types";
import { MicroAgentsConfigError, type SpecIssue } from "../../spec/errors";
import type { Fleet } from "../../spec/types";
import { entryHostname } from "../entry-hostname";
import { awsName, NAME_LIMITS } from "./names";

/**
 * The medium tier's failover entry on AWS, as plain data: which targets pair up,
 * where the entry's name and zone come from, and the settings of the health
 * checks, records and alarms (shared by the Pulumi entry and its tests).
 */

/** The two AWS targets of a primary-backup fleet, by index in `spec.targets`. */
export interface AwsFailoverPair {
  readonly primary: number;
  readonly backup: number;
}

const AWS_RUNTIMES: ReadonlySet<string> = new Set(["ecs", "eks"]);

/**
 * The fleet's AWS primary and backup, when it has exactly one of each on ECS or EKS.
 * Other shapes (one target, several primaries, a backup on another cloud) build no entry.
 * The two must be in different regions: a global table holds one replica per region.
 */
export function awsFailoverPair(fleet: Pick<Fleet, "targets">): AwsFailoverPair | undefined {
  const aws = fleet.targets.map((t, i) => ({ t, i })).filter(({ t }) => AWS_RUNTIMES.has(t.runtime));
  const primaries = aws.filter(({ t }) => t.role === "primary");
  const backups = aws.filter(({ t }) => t.role === "backup");
  if (primaries.length !== 1 || backups.length !== 1) return undefined;
  const [primary, backup] = [primaries[0], backups[0]];
  if (primary.t.region === backup.t.region) {
    throw new MicroAgentsConfigError([
      { path: `spec.targets[${backup.i}].region`, message: `the backup is in the primary's region (${primary.t.region}): it would not survive the region`, hint: "put the backup in another region, e.g. us-west-2 for us-east-1" },
    ]);
  }
  return { primary: primary.i, backup: backup.i };
}

import { HEALTH_PATH } from "../target";
export { HEALTH_PATH };
/** Query parameter the health checks send their probe token in (Route 53 sends no headers). */
export const HEALTH_TOKEN_PARAMETER = "probe";

/**
 * Route 53 health-check settings: HTTPS every 30 seconds (the standard interval),
 * unhealthy after 3 failed checks in a row, healthy again after 3 good ones.
 */
export const HEALTH_CHECK = { type: "HTTPS", port: 443, requestInterval: 30, failureThreshold: 3, enableSni: true, measureLatency: false } as const;
/** Route 53 publishes health-check metrics in us-east-1 only; their alarms live there. */
export const HEALTH_METRICS_REGION = "us-east-1";

/** The name of a region's health check and of its alarm (the Pulumi entry's and the CDK constructs'). */
export function healthCheckName(plan: FleetPlan, region: string): string {
  return awsName([plan.fleet.name, plan.fleet.environment, region, "health"], NAME_LIMITS.alarm);
}

/** The CloudWatch alarm on one region's health check: unhealthy for a minute. */
export const HEALTH_ALARM = {
  namespace: "AWS/Route53",
  metricName: "HealthCheckStatus",
  statistic: "Minimum",
  period: 60,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  threshold: 1,
  comparisonOperator: "LessThanThreshold",
  treatMissingData: "breaching",
} as const;

/**
 * The per-agent alarm the health route reads: the agent has run no replica for
 * three minutes. Only agents whose tier keeps at least one replica get one (an
 * agent that scales to zero is healthy at zero).
 */
export const RUNNING_ALARM = { period: 60, evaluationPeriods: 3, datapointsToAlarm: 3, threshold: 1, comparisonOperator: "LessThanThreshold", treatMissingData: "breaching", statistic: "Maximum" } as const;

/** Agents the health route counts: those that always keep a replica. */
export function healthAgents(agents: ReadonlyArray<AgentPlan>): AgentPlan[] {
  return agents.filter((a) => a.scaling.min >= 1);
}

/**
 * Where the entry's host name and zone come from when the fleet does not say:
 * Pulumi config, or (the zone) a value the program computes, such as a zone it creates.
 */
export interface EntryConfig<Z = never> {
  readonly hostname?: string;
  readonly hostedZoneId?: string | Z;
  /**
   * Where the program reads its settings, for the hints: Pulumi config, or CDK context (`cdk synth -c hostname=...`).
   * @default "pulumi"
   */
  readonly from?: "pulumi" | "cdk";
}

/** The entry's resolved host name and zone (`Z` when the program handed the zone in). */
export interface FailoverEntrySettings<Z = never> {
  readonly hostname: string;
  readonly hostedZoneId: string | Z;
}


/**
 * The entry's settings, or every problem at once: the host name and hosted zone
 * (fleet `spec.gateway`, else config `microagents:hostname` / `microagents:hostedZoneId`),
 * and a public gateway (Route 53's health checkers probe it from the internet).
 */
export function failoverEntrySettings<Z = never>(fleet: Pick<Fleet, "gateway" | "targets" | "agents">, config: EntryConfig<Z> = {}): FailoverEntrySettings<Z> {
  const issues: SpecIssue[] = [];
  const setting = (key: "hostname" | "hostedZoneId", value: string) => (config.from === "cdk" ? `\`cdk synth -c ${key}=${value}\`` : `\`pulumi config set microagents:${key} ${value}\``);
  const { hostname, issue } = entryHostname(
    fleet.gateway.hostname,
    { configured: config.hostname, setting: setting("hostname", "agents.example.com"), configPath: config.from === "cdk" ? "context hostname" : "config microagents:hostname" },
    "a primary and backup fleet on AWS needs the host name its failover entry answers on",
  );
  if (issue) issues.push(issue);
  const zone = fleet.gateway.hostedZoneId ?? config.hostedZoneId;
  if (!zone) {
    issues.push({
      path: "spec.gateway.hostedZoneId",
      message: "a primary and backup fleet on AWS needs the Route 53 public hosted zone that holds its host name",
      hint: `set spec.gateway.hostedZoneId (Z0123456789ABCDEFGHIJ) or ${setting("hostedZoneId", "Z0123456789ABCDEFGHIJ")}`,
    });
  } else if (typeof zone === "string" && !/^Z[A-Z0-9]{1,32}$/.test(zone)) {
    issues.push({ path: fleet.gateway.hostedZoneId !== undefined ? "spec.gateway.hostedZoneId" : config.from === "cdk" ? "context hostedZoneId" : "config microagents:hostedZoneId", message: `'${zone}' is not a Route 53 hosted zone id`, hint: "it looks like Z0123456789ABCDEFGHIJ (aws route53 list-hosted-zones)" });
  }
  if (!fleet.gateway.public) {
    issues.push({
      path: "spec.gateway.public",
      message: "the failover entry's health checks reach each region's gateway from the internet, and a private gateway cannot be reached",
      hint: "set spec.gateway.public: true (each gateway keeps its authentication, WAF and rate limits)",
    });
  }
  fleet.agents.forEach((a, i) => {
    if (a.route && (a.route.path === HEALTH_PATH || a.route.path.startsWith(`${HEALTH_PATH.slice(0, HEALTH_PATH.lastIndexOf("/"))}/`))) {
      issues.push({ path: `spec.agents[${i}].route.path`, message: `'${a.route.path}' is the failover entry's health route`, hint: "choose another path" });
    }
  });
  if (issues.length > 0) throw new MicroAgentsConfigError(issues);
  if (!hostname || zone === undefined) throw new Error("unreachable: missing entry settings were reported above");
  return { hostname, hostedZoneId: zone };
}
