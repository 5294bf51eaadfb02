import * as pulumi from "@pulumi/pulumi";
import { planFleet } from "../plan/plan-fleet";
import type { FleetPlan } from "../plan/types";
import type { FleetInput } from "../spec/schema";
import type { Fleet, FleetTarget } from "../spec/types";
import type { KubernetesAddons } from "../targets/kubernetes/addons";
import { AgentBroker } from "./agent-broker";
import { AgentGateway } from "./agent-gateway";
import { AgentPlatform } from "./agent-platform";
import { AgentStateStore } from "./agent-state-store";
import { GpuAgentPool } from "./gpu-agent-pool";
import { MicroAgentService } from "./micro-agent-service";
import { ObservabilityStack } from "./observability-stack";

export interface AgentFleetArgs {
  /** The fleet, parsed or as written. */
  readonly fleet: Fleet | FleetInput;
  /**
   * Cluster add-ons on Kubernetes runtimes; switch one off when the cluster has it.
   * @default every add-on the fleet needs
   */
  readonly addons?: Partial<KubernetesAddons>;
  /**
   * CIDRs allowed to reach a managed cluster's public API endpoint (EKS).
   * @default [] (private endpoint only)
   */
  readonly clusterEndpointCidrs?: ReadonlyArray<string>;
}

/** Everything built on one of the fleet's targets. */
export interface FleetDeployment {
  readonly target: FleetTarget;
  readonly platform: AgentPlatform;
  readonly broker: AgentBroker;
  readonly gpuPools: ReadonlyArray<GpuAgentPool>;
  readonly services: Readonly<Record<string, MicroAgentService>>;
  readonly stateStore?: AgentStateStore;
  readonly gateway?: AgentGateway;
  readonly observability?: ObservabilityStack;
}

/**
 * The whole fleet from a FleetSpec. On every target: the platform, a GpuAgentPool per
 * pool of the packing plan, the broker, every agent's service, the shared state,
 * the gateway (when an agent has a route) and observability.
 */
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
      const platform = new AgentPlatform(prefix, { fleet: plan.fleet, targetIndex: index, ...(args.addons ? { addons: args.addons } : {}), ...(args.clusterEndpointCidrs ? { clusterEndpointCidrs: args.clusterEndpointCidrs } : {}) }, { parent: this });
      const runtime = platform.runtime;
      const child = { parent: platform };
      // Targets gain these constructs one by one; a fleet builds what its target has.
      const gpuPools = runtime.gpuPool ? plan.gpuPools.map((p) => new GpuAgentPool(`${prefix}-${p.name}`, { platform, pool: p.name }, child)) : [];
      const broker = new AgentBroker(prefix, { platform }, child);
      const services: Record<string, MicroAgentService> = {};
      for (const agent of plan.agents) {
        services[agent.name] = new MicroAgentService(`${prefix}-${agent.name}`, { platform, agent: agent.name, broker }, child);
      }
      const all = Object.values(services);
      const stateStore = runtime.stateStore ? new AgentStateStore(`${prefix}-state`, { platform, services: all }, child) : undefined;
      const gateway = runtime.gateway && plan.agents.some((a) => a.route) ? new AgentGateway(`${prefix}-gateway`, { platform, services: all, broker }, child) : undefined;
      const observability = runtime.observability ? new ObservabilityStack(`${prefix}-observability`, { platform, services: all, broker }, child) : undefined;
      return { target, platform, broker, gpuPools, services, stateStore, gateway, observability };
    });
    this.registerOutputs({
      environments: this.deployments.map((d) => d.platform.environmentName),
      endpoints: Object.fromEntries(this.deployments.flatMap((d) => Object.entries(d.services).map(([agent, s]) => [`${d.target.runtime}/${d.target.region}/${agent}`, s.endpoint]))),
    });
  }
}
