import { Stack, type StackProps } from "aws-cdk-lib";
import * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import type { AgentPlan } from "../plan/types";
import type { AgentPlatformStack } from "./platform-stack";
import { tagAll } from "./tags";
import { CFN_STACK_OUTPUT_LIMIT } from "./sharding";

/** CloudFormation resources one agent's events topic adds: the topic and its SSL-only policy. */
export const EVENTS_RESOURCES_PER_AGENT = 2;

/**
 * Resources an events stack may hold: each topic is exported once (its ARN, read by
 * the agent stacks), so a stack also stays under CloudFormation's 200 outputs, with
 * room for ten more.
 */
export function eventsShardLimit(maxResourcesPerStack: number): number {
  return Math.min(maxResourcesPerStack, (CFN_STACK_OUTPUT_LIMIT - 10) * EVENTS_RESOURCES_PER_AGENT);
}

export interface AgentEventsStackProps extends StackProps {
  readonly platform: AgentPlatformStack;
  readonly agents: ReadonlyArray<AgentPlan>;
}

/**
 * The agents' event topics (the seed's "notify other agents"), encrypted with the
 * fleet key and SSL-only. They live in stacks of their own, deployed before the
 * agents, so an agent may subscribe to any other agent's topic, whichever agent
 * stack each is in, without two agent stacks depending on each other.
 */
export class AgentEventsStack extends Stack {
  readonly topics: ReadonlyMap<string, sns.Topic>;

  constructor(scope: Construct, id: string, props: AgentEventsStackProps) {
    super(scope, id, props);
    tagAll(this, props.platform.plan.tags);
    const topics = new Map<string, sns.Topic>();
    for (const agent of props.agents) {
      const scopeOf = new Construct(this, agent.name);
      tagAll(scopeOf, agent.tags);
      topics.set(
        agent.name,
        new sns.Topic(scopeOf, "Events", {
          displayName: `${agent.name} events`,
          masterKey: props.platform.key,
          enforceSSL: true,
          ...(agent.queue.fifo ? { fifo: true, contentBasedDeduplication: false } : {}),
        }),
      );
    }
    this.topics = topics;
  }
}
