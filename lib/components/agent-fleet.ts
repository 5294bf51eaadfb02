import * as pulumi from "@pulumi/pulumi";
import { planFleet } from "../plan/plan-fleet";
import type { FleetPlan } from "../plan/types";
import type { FleetInput } from "../spec/schema";
import type { Fleet, FleetTarget } from "../spec/types";
import type { KubernetesAddons } from "../targets/kubernetes/addons";
import { AgentBroker } from "./agent-broker";
import { AgentPlatform } from "./agent-platform";
import { MicroAgentService } from "./micro-agent-service";

export interface AgentFleetArgs {
  /** The fleet, parsed or as written. */
  readonly fleet: Fleet | FleetInput;
  /**
   * Cluster add-ons on Kubernetes runtimes; switch one off when the cluster has it.
   * @default every add-on the fleet needs
   */
  readonly addons?: Partial<KubernetesAddons>;
}

/** Everything built on one of the fleet's targets. */
export interface FleetDeployment {
  readonly target: FleetTarget;
  readonly platform: AgentPlatform;
  readonly broker: AgentBroker;
  readonly services: Readonly<Record<string, MicroAgentService>>;
}

/** The whole fleet from a FleetSpec: on every target, a platform, a broker and every agent's service. */
export class AgentFleet extends pulumi.ComponentResource {
  static readonly __pulumiType = "microagents:fleet:AgentFleet";

  readonly plan: FleetPlan;
  readonly deployments: ReadonlyArray<FleetDeployment>;

  constructor(name: string, args: AgentFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planFleet(args.fleet);
    super(AgentFleet.__pulumiType, name, {}, opts);
    this.plan = plan;
    const multi = plan.fleet.targets.length > 1;
    this.deployments = plan.fleet.targets.map((target, index) => {
      const prefix = multi ? `${name}-${target.runtime}-${target.region}` : name;
      const platform = new AgentPlatform(prefix, { fleet: plan.fleet, targetIndex: index, ...(args.addons ? { addons: args.addons } : {}) }, { parent: this });
      const broker = new AgentBroker(prefix, { platform }, { parent: platform });
      const services: Record<string, MicroAgentService> = {};
      for (const agent of plan.agents) {
        services[agent.name] = new MicroAgentService(`${prefix}-${agent.name}`, { platform, agent: agent.name, broker }, { parent: platform });
      }
      return { target, platform, broker, services };
    });
    this.registerOutputs({
      environments: this.deployments.map((d) => d.platform.environmentName),
      endpoints: Object.fromEntries(this.deployments.flatMap((d) => Object.entries(d.services).map(([agent, s]) => [`${d.target.runtime}/${d.target.region}/${agent}`, s.endpoint]))),
    });
  }
}
