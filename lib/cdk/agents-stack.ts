import { Stack, type StackProps } from "aws-cdk-lib";
import type * as sns from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";
import type { AgentPlan } from "../plan/types";
import { AgentService } from "./agent-service";
import type { AgentPlatformStack } from "./platform-stack";
import type { AgentStateStack } from "./state-stack";

export interface AgentServicesStackProps extends StackProps {
  readonly platform: AgentPlatformStack;
  readonly agents: ReadonlyArray<AgentPlan>;
  readonly topics: ReadonlyMap<string, sns.ITopic>;
  /** @default no shared state */
  readonly state?: AgentStateStack;
}

/** One shard of the fleet's agents: a stack holding whole agents, under CloudFormation's resource limit. */
export class AgentServicesStack extends Stack {
  readonly services: ReadonlyArray<AgentService>;

  constructor(scope: Construct, id: string, props: AgentServicesStackProps) {
    super(scope, id, props);
    this.services = props.agents.map((agent) => new AgentService(this, agent.name, { platform: props.platform, agent, topics: props.topics, ...(props.state ? { state: props.state } : {}) }));
  }
}
