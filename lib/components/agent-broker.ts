import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan, Subscription } from "../plan/types";
import { MicroAgentsConfigError } from "../spec/errors";
import type { BrokerScope, QueueOutputs } from "../targets/target";
import type { AgentPlatform } from "./agent-platform";

export interface AgentBrokerArgs {
  readonly platform: AgentPlatform;
  /**
   * Agents that get an input queue, dead-letter queue and events topic: names of
   * the fleet's agents, or resolved agents.
   * @default every agent of the platform's fleet
   */
  readonly agents?: ReadonlyArray<string | AgentPlan>;
  /**
   * Which agents receive which agents' events.
   * @default the fleet's `subscribes` and pipelines, among these agents
   */
  readonly subscriptions?: ReadonlyArray<Subscription>;
}

/**
 * Per-agent queues with dead-letter queues, event topics with filtered
 * subscriptions, redrive, retries with exponential backoff, and encryption.
 */
export class AgentBroker extends pulumi.ComponentResource implements BrokerScope {
  static readonly __pulumiType = "microagents:broker:AgentBroker";

  readonly resourceName: string;
  readonly platform: AgentPlatform;
  readonly agents: ReadonlyArray<AgentPlan>;
  readonly subscriptions: ReadonlyArray<Subscription>;
  /** Per agent: queue, dead-letter queue and events topic. */
  readonly queues: Readonly<Record<string, QueueOutputs>>;

  constructor(name: string, args: AgentBrokerArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = args.platform.plan;
    const wanted = args.agents ?? plan.agents;
    const unknown = wanted.filter((n): n is string => typeof n === "string" && !plan.agents.some((a) => a.name === n));
    if (unknown.length > 0) {
      throw new MicroAgentsConfigError(unknown.map((n) => ({ path: "agents", message: `unknown agent '${n}'`, hint: `agents of fleet '${plan.fleet.name}': ${plan.agents.map((a) => a.name).join(", ")}` })));
    }
    super(AgentBroker.__pulumiType, name, {}, { ...opts, parent: opts?.parent ?? args.platform });
    this.resourceName = name;
    this.platform = args.platform;
    this.agents = wanted.map((n) => (typeof n === "string" ? plan.agent(n) : n));
    const included = new Set(this.agents.map((a) => a.name));
    this.subscriptions = (args.subscriptions ?? plan.subscriptions).filter((s) => included.has(s.subscriber) && included.has(s.publisher));
    this.queues = args.platform.runtime.broker(this).queues;
    this.registerOutputs({ queues: this.queues });
  }

  /** The queue of one agent; a clear error when the broker does not carry it. */
  queueFor(agent: string): QueueOutputs {
    const q = this.queues[agent];
    if (!q) throw new MicroAgentsConfigError([{ path: "broker", message: `broker '${this.resourceName}' has no queue for agent '${agent}'`, hint: "include the agent in the broker's agents" }]);
    return q;
  }
}
