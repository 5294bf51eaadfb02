import { Annotations, type Environment, type Stack, type StackProps } from "aws-cdk-lib";
import type * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import { isFleet, planFleet } from "../plan/plan-fleet";
import { targetPlan } from "../plan/target-plan";
import { failoverPairs } from "../plan/topology";
import type { FleetPlan } from "../plan/types";
import { parseFleet } from "../spec/parse";
import { checkAwsFleet } from "../targets/aws/validate";
import { invalidProp } from "../spec/errors";
import type { FleetInput } from "../spec/schema";
import type { Fleet } from "../spec/types";
import { agentResourceCount } from "./agent-service";
import { AgentServicesStack } from "./agents-stack";
import { AgentEventsStack, EVENTS_RESOURCES_PER_AGENT, eventsShardLimit } from "./events-stack";
import { AgentGatewayStack } from "./gateway-stack";
import { EntryAlarmsStack, type FailoverSide } from "./failover-entry";
import { failoverEntrySettings, HEALTH_METRICS_REGION } from "../targets/aws/failover-shape";
import { AgentPlatformStack, tagCustomResourceProviders } from "./platform-stack";
import { AgentStateStack, type AgentStateStackProps, type StateReplication } from "./state-stack";
import { DEFAULT_SHARD_RESOURCES, shardItems } from "./sharding";

export interface AgentFleetStacksProps {
  /** The fleet: a parsed fleet, a typed `FleetInput`, or the text of a fleet file. */
  readonly fleet: Fleet | FleetInput | string;
  /**
   * The account to deploy to.
   * @default environment-agnostic: the account is resolved at deploy time
   */
  readonly account?: string;
  /**
   * Resources an agent stack or an events stack may hold (CloudFormation allows 500).
   * @default 450
   */
  readonly maxResourcesPerStack?: number;
  /**
   * The shared state (tables, results cache, database), or false for none.
   * @default built, with the database, RDS Proxy where the tier pools connections, results kept an hour
   */
  readonly stateStore?: false | Omit<AgentStateStackProps, "platform" | "agents" | "replication" | keyof StackProps>;
}

/** One region's stacks of the fleet: one `ecs` target's. */
export interface FleetRegionStacks {
  /** Index of the target in `spec.targets`. */
  readonly targetIndex: number;
  readonly region: string;
  /** `primary`, `backup`, or undefined for a fleet of one target. */
  readonly role?: "primary" | "backup";
  /** The target's view of the plan: the agents placed on it, their edges and GPU pools. */
  readonly plan: FleetPlan;
  readonly platform: AgentPlatformStack;
  readonly eventStacks: ReadonlyArray<AgentEventsStack>;
  readonly state?: AgentStateStack;
  readonly agentStacks: ReadonlyArray<AgentServicesStack>;
  readonly gateway?: AgentGatewayStack;
}

/**
 * A whole fleet on ECS as CDK stacks, sharded so no stack reaches CloudFormation's
 * 500-resource limit: `<fleet>-<env>-platform` (key, network, cluster, GPU
 * capacity, alarm topic, budget), `-events-<n>` (the agents' topics) and
 * `-agents-<n>` (whole agents, in fleet order, so adding an agent never moves
 * another), with `-state` (tables, results cache, database) between platform and
 * agents, and `-gateway` (API Gateway, with the legacy fallback) last. The fleet's
 * `ecs` target gives the region.
 *
 * A fleet with an `ecs` primary and an `ecs` backup (medium tier) gets both regions'
 * stacks, each named with its region (`<fleet>-<env>-<region>-platform`, ...), with
 * replicated state: the primary's tables are global tables with a replica in the
 * backup region, and the backup's Postgres is a read replica of the primary's
 * (docs/failover.md). Targets on other runtimes are not built here: the constructs
 * say so with a synth warning (`microagents:cdk-target-not-built`).
 */
export class AgentFleetStacks extends Construct {
  /** The plan of the primary's (or the only) `ecs` target. */
  readonly plan: FleetPlan;
  /** The primary's (or the only) region's stacks, as below, for one-region use. */
  readonly platform: AgentPlatformStack;
  readonly eventStacks: ReadonlyArray<AgentEventsStack>;
  readonly state?: AgentStateStack;
  readonly agentStacks: ReadonlyArray<AgentServicesStack>;
  /** The gateway, when some agent has a route or the fleet a legacy backend. */
  readonly gateway?: AgentGatewayStack;
  /** Every region's stacks: the primary's first, then the backup's. */
  readonly regions: ReadonlyArray<FleetRegionStacks>;
  /** The limit the shards were cut at. */
  readonly maxResourcesPerStack: number;
  /** A pair's failover entry alarms in us-east-1 (its records and health checks are in each region's gateway stack). */
  readonly entry?: EntryAlarmsStack;

  constructor(scope: Construct, id: string, props: AgentFleetStacksProps) {
    super(scope, id);
    const fleet = typeof props.fleet !== "string" && isFleet(props.fleet) ? props.fleet : parseFleet(props.fleet);
    const built = cdkTargets(fleet);
    const fleetPlan = planFleet(fleet);
    this.maxResourcesPerStack = props.maxResourcesPerStack ?? DEFAULT_SHARD_RESOURCES;
    const prefix = `${fleet.name}-${fleet.environment}`;
    const pair = built.length === 2 ? { primary: fleet.targets[built[0]].region, backup: fleet.targets[built[1]].region } : undefined;
    // The entry's settings before any stack: a pair with a gateway needs its host name, zone and a public gateway.
    const entry = pair && hasGateway(fleet, built.map((i) => targetPlan(fleetPlan, i))) ? failoverEntrySettings<never>(fleet, { hostname: this.context("hostname"), hostedZoneId: this.context("hostedZoneId"), from: "cdk" }) : undefined;

    const regions: FleetRegionStacks[] = [];
    for (const targetIndex of built) {
      const target = fleet.targets[targetIndex];
      const role = pair ? (regions.length === 0 ? "primary" : "backup") : undefined;
      // The target's view: only the agents placed on it (spec.targets[].agents), their edges and GPU pools.
      const plan = targetPlan(fleetPlan, targetIndex);
      checkAwsFleet(plan);
      const replication: StateReplication | undefined = !pair ? undefined : role === "primary" ? { role: "primary", backupRegion: pair.backup } : { role: "backup", primaryRegion: pair.primary, databasePromoted: this.node.tryGetContext("backupDatabasePromoted") === true || this.node.tryGetContext("backupDatabasePromoted") === "true" };
      regions.push(
        this.regionStacks(scope, props, fleet, plan, {
          targetIndex,
          region: target.region,
          ...(role ? { role } : {}),
          // One region keeps the stack names it always had; a pair's stacks carry their region.
          stackPrefix: pair ? `${prefix}-${target.region}` : prefix,
          prefix,
          ...(replication ? { replication } : {}),
          ...(entry && role ? { failover: { role: role === "primary" ? ("PRIMARY" as const) : ("SECONDARY" as const), hostname: entry.hostname, hostedZoneId: entry.hostedZoneId } } : {}),
        }),
      );
    }
    const [primary, backup] = regions;
    if (backup?.state && primary.state) {
      // The primary's global tables need the backup's key alias; the backup's replicas need the primary's tables and database.
      primary.state.addStackDependency(backup.platform, "the global tables' replica is encrypted with the backup region's fleet key");
      backup.state.addStackDependency(primary.state, "the backup's table replicas and read replica have their source in the primary's state stack");
    }
    this.regions = regions;
    if (entry) {
      this.entry = this.entryAlarms(scope, props, primary.plan, prefix, regions);
      for (const stack of [this.entry, ...regions.flatMap((r) => (r.gateway ? [r.gateway] : []))]) tagCrossRegionProviders(stack, primary.plan.tags);
    }
    this.plan = primary.plan;
    this.platform = primary.platform;
    this.eventStacks = primary.eventStacks;
    this.agentStacks = primary.agentStacks;
    if (primary.state) this.state = primary.state;
    if (primary.gateway) this.gateway = primary.gateway;
    const skipped = fleet.targets.map((t, i) => ({ t, i })).filter(({ i }) => !built.includes(i));
    if (skipped.length > 0) {
      Annotations.of(primary.platform).addWarningV2(
        "microagents:cdk-target-not-built",
        `the CDK constructs build ${built.map((i) => `spec.targets[${i}] (ecs ${fleet.targets[i].region})`).join(" and ")} only; not built here: ${skipped.map(({ t, i }) => `spec.targets[${i}] (${t.runtime} ${t.region})`).join(", ")} (deploy those with the Pulumi components)`,
      );
    }
  }

  private context(key: string): string | undefined {
    const value: unknown = this.node.tryGetContext(key);
    return typeof value === "string" && value.length > 0 ? value : undefined;
  }

  /** The health checks' alarms in us-east-1, where Route 53's metrics are: to the alarm topic of the fleet's region there, or the entry's own. */
  private entryAlarms(scope: Construct, props: AgentFleetStacksProps, plan: FleetPlan, prefix: string, regions: ReadonlyArray<FleetRegionStacks>): EntryAlarmsStack {
    const sides = regions.flatMap((r) => (r.gateway?.failover ? [{ region: r.region, role: r.gateway.failover.role, healthCheckId: r.gateway.failover.healthCheck.attrHealthCheckId }] : []));
    const home = regions.find((r) => r.region === HEALTH_METRICS_REGION);
    return new EntryAlarmsStack(scope, `${prefix}-entry`, {
      plan,
      prefix,
      regions: sides,
      ...(home ? { alarmTopic: home.platform.alarmTopic } : {}),
      env: { region: HEALTH_METRICS_REGION, ...(props.account ? { account: props.account } : {}) },
      // A health check id from a gateway stack in another region arrives through CDK's SSM-backed cross-region references.
      crossRegionReferences: regions.some((r) => r.region !== HEALTH_METRICS_REGION),
      description: `microagents ${prefix}: failover entry health-check alarms (Route 53 metrics live in ${HEALTH_METRICS_REGION})`,
    });
  }

  private regionStacks(
    scope: Construct,
    props: AgentFleetStacksProps,
    fleet: Fleet,
    plan: FleetPlan,
    where: { readonly targetIndex: number; readonly region: string; readonly role?: "primary" | "backup"; readonly stackPrefix: string; readonly prefix: string; readonly replication?: StateReplication; readonly failover?: FailoverSide },
  ): FleetRegionStacks {
    const { region, stackPrefix, prefix } = where;
    const env: Environment = { region, ...(props.account ? { account: props.account } : {}) };
    const where_ = where.role ? ` (${where.role}, ${region})` : "";
    const platform = new AgentPlatformStack(scope, `${stackPrefix}-platform`, {
      plan,
      region,
      prefix,
      env,
      ...(where.role ? { vpcCidr: `10.${where.targetIndex}.0.0/16`, budget: where.role === "primary" } : {}),
      description: `microagents ${prefix}${where_}: key, network, cluster, GPU capacity, alarms${where.role === "backup" ? "" : ", budget"}`,
    });
    const topicShards = shardItems(plan.agents.map((a) => ({ name: a.name, resources: EVENTS_RESOURCES_PER_AGENT, agent: a })), eventsShardLimit(this.maxResourcesPerStack));
    const eventStacks = topicShards.map(
      (shard, i) => new AgentEventsStack(scope, `${stackPrefix}-events-${i + 1}`, { platform, agents: shard.map((s) => s.agent), env, description: `microagents ${prefix}${where_}: agent event topics, part ${i + 1}` }),
    );
    const topics = new Map<string, sns.ITopic>(eventStacks.flatMap((s) => [...s.topics.entries()]));

    const state =
      props.stateStore === false
        ? undefined
        : new AgentStateStack(scope, `${stackPrefix}-state`, {
            ...props.stateStore,
            platform,
            agents: plan.agents,
            env,
            ...(where.replication ? { replication: where.replication } : {}),
            description: `microagents ${prefix}${where_}: tasks, context, results cache, database${where.replication?.role === "backup" ? " (replicas of the primary's)" : ""}`,
          });

    const agentShards = shardItems(plan.agents.map((a) => ({ name: a.name, resources: agentResourceCount(plan, a), agent: a })), this.maxResourcesPerStack);
    const agentStacks = agentShards.map(
      (shard, i) => new AgentServicesStack(scope, `${stackPrefix}-agents-${i + 1}`, { platform, agents: shard.map((s) => s.agent), topics, ...(state ? { state } : {}), env, description: `microagents ${prefix}${where_}: agents ${shard[0].name} to ${shard[shard.length - 1].name}` }),
    );
    const gateway =
      hasGateway(fleet, [plan])
        ? new AgentGatewayStack(scope, `${stackPrefix}-gateway`, {
            platform,
            services: agentStacks.flatMap((st) => st.services),
            env,
            ...(where.failover ? { failover: where.failover, crossRegionReferences: region !== HEALTH_METRICS_REGION } : {}),
            description: `microagents ${prefix}${where_}: API Gateway, authorizer, WAF${where.failover ? `, failover entry (${where.failover.role})` : ""}`,
          })
        : undefined;
    return { targetIndex: where.targetIndex, region, ...(where.role ? { role: where.role } : {}), plan, platform, eventStacks, ...(state ? { state } : {}), agentStacks, ...(gateway ? { gateway } : {}) };
  }
}

/**
 * CDK creates the providers of its cross-region references (Custom::CrossRegionExportWriter
 * and -Reader: a Lambda and its role) only when it resolves references, after aspects
 * (and so the tag aspect) ran; they get the cost-allocation tags at validation, the one
 * step between resolving references and writing the templates.
 */
function tagCrossRegionProviders(stack: Stack, tags: Readonly<Record<string, string>>): void {
  stack.node.addValidation({
    validate: () => {
      tagCustomResourceProviders(stack, tags);
      return [];
    },
  });
}

/** Whether a region builds a gateway: some agent has a route, or the fleet a legacy backend. */
function hasGateway(fleet: Fleet, plans: ReadonlyArray<FleetPlan>): boolean {
  return plans.some((p) => p.agents.some((a) => a.route)) || fleet.gateway.legacyBackend !== undefined;
}

/**
 * The `ecs` targets the constructs build, in order: the one `ecs` target, or an `ecs`
 * primary and `ecs` backup (primary first). Other shapes are refused, naming the target.
 */
export function cdkTargets(fleet: Fleet): number[] {
  const ecs = fleet.targets.map((t, i) => ({ t, i })).filter(({ t }) => t.runtime === "ecs");
  if (ecs.length === 0) invalidProp("spec.targets", "the CDK constructs deploy to ECS, and the fleet has no `ecs` target", "add { runtime: ecs, region: <aws region> } to spec.targets");
  const pair = failoverPairs(fleet).find((p) => p.cloud === "aws");
  if (pair) {
    const other = [pair.primary, pair.backup].find((i) => fleet.targets[i].runtime !== "ecs");
    if (other !== undefined) invalidProp(`spec.targets[${other}].runtime`, `the fleet's AWS ${fleet.targets[other].role} is on ${fleet.targets[other].runtime}, and the CDK constructs build ECS only`, "make both the primary and the backup `ecs`, or deploy the fleet with the Pulumi components");
    const extra = ecs.find(({ i }) => i !== pair.primary && i !== pair.backup);
    if (extra) invalidProp(`spec.targets[${extra.i}]`, "the CDK constructs build one `ecs` target or one primary and backup pair, and this is a third `ecs` target", "remove it, or deploy the fleet with the Pulumi components");
    return [pair.primary, pair.backup];
  }
  if (ecs.length > 1) {
    // Without one primary and one backup: name the second primary (a target's role defaults to primary), else the second target.
    const primaries = ecs.filter(({ t }) => t.role !== "backup");
    const extra = primaries.length > 1 ? primaries[1] : ecs[1];
    invalidProp(`spec.targets[${extra.i}]`, `the CDK constructs build one \`ecs\` target or one primary and one backup, and this is another \`ecs\` ${extra.t.role ?? "primary"} (${ecs.length} \`ecs\` targets)`, "give one `role: primary` and another `role: backup` (in another region), or keep one `ecs` target");
  }
  return [ecs[0].i];
}
