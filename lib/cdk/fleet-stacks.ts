import type { Environment, StackProps } from "aws-cdk-lib";
import type * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import { isFleet, planFleet } from "../plan/plan-fleet";
import { targetPlan } from "../plan/target-plan";
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
import { AgentPlatformStack } from "./platform-stack";
import { AgentStateStack, type AgentStateStackProps } from "./state-stack";
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
  readonly stateStore?: false | Omit<AgentStateStackProps, "platform" | "agents" | keyof StackProps>;
}

/**
 * A whole fleet on ECS as CDK stacks, sharded so no stack reaches CloudFormation's
 * 500-resource limit: `<fleet>-<env>-platform` (key, network, cluster, GPU
 * capacity, alarm topic, budget), `-events-<n>` (the agents' topics) and
 * `-agents-<n>` (whole agents, in fleet order, so adding an agent never moves
 * another), with `-state` (tables, results cache, database) between platform and
 * agents, and `-gateway` (API Gateway, with the legacy fallback) last. The fleet's
 * `ecs` target gives the region.
 */
export class AgentFleetStacks extends Construct {
  readonly plan: FleetPlan;
  readonly platform: AgentPlatformStack;
  readonly eventStacks: ReadonlyArray<AgentEventsStack>;
  readonly state?: AgentStateStack;
  readonly agentStacks: ReadonlyArray<AgentServicesStack>;
  /** The gateway, when some agent has a route or the fleet a legacy backend. */
  readonly gateway?: AgentGatewayStack;
  /** The limit the shards were cut at. */
  readonly maxResourcesPerStack: number;

  constructor(scope: Construct, id: string, props: AgentFleetStacksProps) {
    super(scope, id);
    const fleet = typeof props.fleet !== "string" && isFleet(props.fleet) ? props.fleet : parseFleet(props.fleet);
    const targetIndex = fleet.targets.findIndex((t) => t.runtime === "ecs");
    if (targetIndex < 0) invalidProp("spec.targets", "the CDK constructs deploy to ECS, and the fleet has no `ecs` target", "add { runtime: ecs, region: <aws region> } to spec.targets");
    const region = fleet.targets[targetIndex].region;
    // The ECS target's view: only the agents placed on it (spec.targets[].agents), their edges and GPU pools.
    this.plan = targetPlan(planFleet(fleet), targetIndex);
    checkAwsFleet(this.plan);
    this.maxResourcesPerStack = props.maxResourcesPerStack ?? DEFAULT_SHARD_RESOURCES;
    const env: Environment = { region, ...(props.account ? { account: props.account } : {}) };
    const prefix = `${fleet.name}-${fleet.environment}`;

    this.platform = new AgentPlatformStack(scope, `${prefix}-platform`, { plan: this.plan, region, prefix, env, description: `microagents ${prefix}: key, network, cluster, GPU capacity, alarms, budget` });
    const topicShards = shardItems(this.plan.agents.map((a) => ({ name: a.name, resources: EVENTS_RESOURCES_PER_AGENT, agent: a })), eventsShardLimit(this.maxResourcesPerStack));
    this.eventStacks = topicShards.map(
      (shard, i) => new AgentEventsStack(scope, `${prefix}-events-${i + 1}`, { platform: this.platform, agents: shard.map((s) => s.agent), env, description: `microagents ${prefix}: agent event topics, part ${i + 1}` }),
    );
    const topics = new Map<string, sns.ITopic>(this.eventStacks.flatMap((s) => [...s.topics.entries()]));

    if (props.stateStore !== false) {
      this.state = new AgentStateStack(scope, `${prefix}-state`, { ...props.stateStore, platform: this.platform, agents: this.plan.agents, env, description: `microagents ${prefix}: tasks, context, results cache, database` });
    }
    const state = this.state;

    const agentShards = shardItems(this.plan.agents.map((a) => ({ name: a.name, resources: agentResourceCount(this.plan, a), agent: a })), this.maxResourcesPerStack);
    this.agentStacks = agentShards.map(
      (shard, i) => new AgentServicesStack(scope, `${prefix}-agents-${i + 1}`, { platform: this.platform, agents: shard.map((s) => s.agent), topics, ...(state ? { state } : {}), env, description: `microagents ${prefix}: agents ${shard[0].name} to ${shard[shard.length - 1].name}` }),
    );
    if (this.plan.agents.some((a) => a.route) || fleet.gateway.legacyBackend) {
      this.gateway = new AgentGatewayStack(scope, `${prefix}-gateway`, { platform: this.platform, services: this.agentStacks.flatMap((st) => st.services), env, description: `microagents ${prefix}: API Gateway, authorizer, WAF` });
    }
  }
}
