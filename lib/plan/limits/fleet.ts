import { MicroAgentsConfigError, type SpecIssue } from "../../spec/errors";
import type { Runtime } from "../../spec/schema";
import { filterPolicy } from "../events";
import type { FleetPlan } from "../types";
import { checkRestApi, restApiResources } from "./apigateway";
import { AWS_NAME_RULES, awsName, nameProblems, safeAwsName, type AwsIdentifier } from "./aws-names";
import { describeFinding, findingIssue, isError, type LimitFinding } from "./check";
import { checkUserGroup } from "./elasticache";
import { checkAccountFilterPolicies, checkFilterPolicy, checkTopicSubscriptions } from "./sns";

/** What a fleet's plan crosses before any resource exists: errors stop it, warnings become plan notes. */
export interface PlanLimitReport {
  readonly errors: ReadonlyArray<SpecIssue>;
  readonly warnings: ReadonlyArray<string>;
}

/** One target runtime's plan-level limits. */
export type TargetLimitCheck = (plan: FleetPlan) => { readonly findings: ReadonlyArray<LimitFinding>; readonly issues: ReadonlyArray<SpecIssue> };

/** The index of an agent in the fleet file, for paths. */
function agentPath(plan: FleetPlan, agent: string, field = "name"): string {
  const i = plan.fleet.agents.findIndex((a) => a.name === agent);
  return `spec.agents[${i}].${field}`;
}

/** A name some AWS identifier is built from: the rule it must meet, the name, and the fleet field it comes from. */
interface PlannedName {
  readonly kind: AwsIdentifier;
  readonly name: string;
  readonly path: string;
  /** The same name with a valid fleet part: problems it shares are the agent name's, the rest the fleet name's. */
  readonly own?: string;
}

/**
 * The AWS identifiers whose rules (leading letter, no `--`, reserved prefixes) the
 * fleet's and agents' names decide. Names the targets build from the same parts
 * (`<fleet>-<env>` then a suffix) with `awsName`/`safeAwsName`; queue, topic and
 * role names take any DNS label and are checked on the resources themselves.
 */
export function plannedAwsNames(plan: FleetPlan): PlannedName[] {
  const prefix = `${plan.fleet.name}-${plan.fleet.environment}`;
  const fleetPath = "metadata.name";
  const n = (kind: AwsIdentifier, parts: ReadonlyArray<string>, path: string): PlannedName => ({ kind, name: awsName(parts, AWS_NAME_RULES[kind].max), path });
  const perAgent = (kind: AwsIdentifier, agent: string): PlannedName => ({ ...n(kind, [prefix, agent], agentPath(plan, agent)), own: awsName(["a", agent], AWS_NAME_RULES[kind].max) });
  const names: PlannedName[] = [
    n("rdsInstance", [prefix, "shared"], fleetPath),
    n("rdsParameterGroup", [prefix, "shared"], fleetPath),
    n("rdsSnapshot", [prefix, "shared", "final"], fleetPath),
    n("rdsProxy", [prefix, "shared"], fleetPath),
    n("elasticacheUser", [prefix, "default"], fleetPath),
    n("elasticacheUserGroup", [prefix, "results"], fleetPath),
    n("serverlessCache", [prefix, "results"], fleetPath),
    { kind: "loadBalancer", name: safeAwsName("loadBalancer", [prefix, "edge"]), path: fleetPath },
    ...plan.gpuPools.map((p) => ({ kind: "capacityProvider" as const, name: safeAwsName("capacityProvider", [prefix, p.name]), path: fleetPath })),
  ];
  // Agents own a cache user while the fleet has room in one user group.
  if (plan.agents.length + 1 <= 100) for (const a of plan.agents) names.push(perAgent("elasticacheUser", a.name));
  for (const a of plan.agents) if (a.route?.invoke === "sync") names.push(perAgent("targetGroup", a.name));
  return names;
}

function awsNameIssues(plan: FleetPlan): SpecIssue[] {
  // One issue per field and broken rule, listing every identifier it breaks.
  const grouped = new Map<string, { path: string; problem: string; names: string[]; sources: Set<string> }>();
  for (const planned of plannedAwsNames(plan)) {
    const rule = AWS_NAME_RULES[planned.kind];
    const own = planned.own === undefined ? undefined : new Set(nameProblems(rule, planned.own));
    for (const problem of nameProblems(rule, planned.name)) {
      if (own && !own.has(problem)) continue;
      const key = `${planned.path}|${problem}`;
      const g = grouped.get(key) ?? { path: planned.path, problem, names: [], sources: new Set<string>() };
      g.names.push(`the ${rule.what} '${planned.name}'`);
      g.sources.add(rule.source);
      grouped.set(key, g);
    }
  }
  return [...grouped.values()].map((g) => ({
    path: g.path,
    message: `AWS rejects ${g.names.join(", ")} built from it: it ${g.problem} (${[...g.sources].join(" ")})`,
    hint: "start fleet and agent names with a letter and do not use '--' in them",
  }));
}

/** The AWS targets' counts that grow with the fleet: REST API resources, topic subscriptions and filter policies, cache users. */
function awsCountFindings(plan: FleetPlan): LimitFinding[] {
  const prefix = `${plan.fleet.name}-${plan.fleet.environment}`;
  const findings: LimitFinding[] = [];
  const paths: string[] = [];
  for (const a of plan.agents) {
    if (!a.route) continue;
    paths.push(a.route.path);
    if (a.route.invoke === "sync" || a.route.weight === 0) paths.push(`${a.route.path.replace(/\/$/, "")}/{proxy+}`);
  }
  if (plan.fleet.gateway.legacyBackend) paths.push("/{proxy+}");
  if (paths.length > 0) findings.push(...checkRestApi(`REST API ${awsName([prefix, "agents"], 1024)}`, restApiResources(paths)));

  let filtered = 0;
  for (const publisher of plan.agents) {
    const edges = plan.subscriptions.filter((s) => s.publisher === publisher.name);
    const subscribers = [...new Set(edges.map((e) => e.subscriber))];
    let topicFiltered = 0;
    for (const subscriber of subscribers) {
      const policy = filterPolicy(edges.filter((e) => e.subscriber === subscriber));
      if (!policy) continue;
      topicFiltered++;
      findings.push(...checkFilterPolicy(`subscription of ${subscriber} to ${publisher.name}'s events (${agentPath(plan, subscriber, "subscribes")})`, policy));
    }
    filtered += topicFiltered;
    findings.push(...checkTopicSubscriptions(`events topic of ${publisher.name} (${agentPath(plan, publisher.name)})`, { subscriptions: subscribers.length, filtered: topicFiltered, fifo: publisher.queue.fifo }));
  }
  findings.push(...checkAccountFilterPolicies(`filter policies of ${prefix}`, filtered));
  // The default user plus one per agent, or one shared user from 100 agents on (state-shape.ts cacheUsers).
  const cacheUsers = plan.agents.length + 1 <= 100 ? plan.agents.length + 1 : 2;
  findings.push(...checkUserGroup(`ElastiCache user group ${awsName([prefix, "results"], 40)}`, cacheUsers));
  return findings;
}

const awsLimits: TargetLimitCheck = (plan) => ({ findings: awsCountFindings(plan), issues: awsNameIssues(plan) });

/**
 * Plan-level limits per runtime. EXTENSION POINT: Azure (aca, aks: Service Bus
 * namespaces, queues and topic subscriptions per namespace, message size) and GCP
 * (run, gke: Pub/Sub subscriptions per topic, filter length) add their checks
 * here, with their limits in sources.ts, when those targets land.
 */
export const TARGET_LIMIT_CHECKS: Readonly<Record<Runtime, ReadonlyArray<TargetLimitCheck>>> = {
  ecs: [awsLimits],
  eks: [awsLimits],
  aca: [],
  aks: [],
  run: [],
  gke: [],
  kubernetes: [],
};

/** Every plan-level limit of the fleet's targets (each check once, however many targets share it). */
export function planLimitReport(plan: FleetPlan): PlanLimitReport {
  const checks = new Set(plan.fleet.targets.flatMap((t) => TARGET_LIMIT_CHECKS[t.runtime]));
  const errors: SpecIssue[] = [];
  const warnings: string[] = [];
  for (const check of checks) {
    const { findings, issues } = check(plan);
    errors.push(...issues);
    for (const f of findings) {
      if (isError(f)) errors.push(findingIssue(f));
      else warnings.push(`${f.resource}: ${describeFinding(f)}; ${f.hint}`);
    }
  }
  return { errors, warnings };
}

/** Throws every plan-level limit error at once, with fleet paths. */
export function assertPlanWithinLimits(plan: FleetPlan): void {
  const { errors } = planLimitReport(plan);
  if (errors.length > 0) throw new MicroAgentsConfigError(errors);
}
