import * as pulumi from "@pulumi/pulumi";
import { planFleet } from "../plan/plan-fleet";
import type { FleetPlan } from "../plan/types";
import type { FleetInput } from "../spec/schema";
import type { Fleet, FleetTarget } from "../spec/types";
import { awsFailoverPair, failoverEntrySettings } from "../targets/aws/failover-shape";
import type { KubernetesAddons } from "../targets/kubernetes/addons";
import { AgentBroker } from "./agent-broker";
import { AgentGateway } from "./agent-gateway";
import { AgentPlatform } from "./agent-platform";
import { AgentStateStore } from "./agent-state-store";
import { GpuAgentPool } from "./gpu-agent-pool";
import { MicroAgentService } from "./micro-agent-service";
import { ObservabilityStack } from "./observability-stack";
import { checkTargetProviders, targetProviderOpts, type TargetProviders } from "./target-providers";

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
  /**
   * Providers per target, for a fleet across regions, accounts or clusters: an array
   * indexed like `spec.targets`, or a function of the target and its index, giving a
   * provider, several, or a map keyed by package (`aws`, `azure-native`, `gcp`,
   * `kubernetes`). They become that target's AgentPlatform `providers` and win, per
   * package, over the fleet's own `provider`/`providers` options. An AWS provider must
   * be for the target's region.
   * @default the fleet's own providers on every target; a target with none for its cloud gets one of the package's (region-only)
   */
  readonly targetProviders?: TargetProviders;
  /**
   * Route 53 hosted zone of the failover entry (a primary and a backup on AWS),
   * such as a zone this program creates.
   * @default spec.gateway.hostedZoneId, else config `microagents:hostedZoneId`
   */
  readonly hostedZoneId?: pulumi.Input<string>;
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

/** The medium tier's failover entry, when the fleet has a primary and a backup on AWS. */
export interface FleetEntry {
  readonly url: pulumi.Output<string>;
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
  /** The one health-checked entry of a primary-backup fleet on AWS (Route 53 failover). */
  readonly entry?: FleetEntry;

  constructor(name: string, args: AgentFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planFleet(args.fleet);
    checkTargetProviders(args.targetProviders, plan.fleet.targets);
    // A primary and a backup on AWS: one failover entry and replicated state (lib/targets/aws/failover*.ts, replication.ts).
    const pair = awsFailoverPair(plan.fleet);
    const entrySettings = pair && plan.agents.some((a) => a.route) ? failoverEntrySettings<pulumi.Input<string>>(plan.fleet, { hostname: new pulumi.Config("microagents").get("hostname"), hostedZoneId: args.hostedZoneId ?? new pulumi.Config("microagents").get("hostedZoneId") }) : undefined;
    super(AgentFleet.__pulumiType, name, {}, opts);
    this.plan = plan;
    const multi = plan.fleet.targets.length > 1;
    const prefixOf = (index: number) => (multi ? `${name}-${plan.fleet.targets[index].runtime}-${plan.fleet.targets[index].region}` : name);
    // Every platform first: the primary's global tables name the backup region's key.
    const platforms = plan.fleet.targets.map((_, index) => new AgentPlatform(prefixOf(index), { fleet: plan.fleet, targetIndex: index, ...(args.addons ? { addons: args.addons } : {}), ...(args.clusterEndpointCidrs ? { clusterEndpointCidrs: args.clusterEndpointCidrs } : {}) }, { parent: this, ...targetProviderOpts(args.targetProviders, plan.fleet.targets[index], index) }));
    const built = new Map<number, FleetDeployment>();
    const deploy = (target: FleetTarget, index: number): FleetDeployment => {
      const prefix = prefixOf(index);
      const platform = platforms[index];
      const runtime = platform.runtime;
      const child = { parent: platform };
      // Targets gain these constructs one by one; a fleet builds what its target has.
      const gpuPools = runtime.gpuPool ? plan.gpuPools.map((p) => platform.gpuPool(p.name)) : [];
      const broker = new AgentBroker(prefix, { platform }, child);
      const services: Record<string, MicroAgentService> = {};
      for (const agent of plan.agents) {
        services[agent.name] = new MicroAgentService(`${prefix}-${agent.name}`, { platform, agent: agent.name, broker }, child);
      }
      const all = Object.values(services);
      const replication = pair?.primary === index ? { replicaPlatforms: [platforms[pair.backup]] } : pair?.backup === index ? { replicaOf: built.get(pair.primary)?.stateStore } : {};
      const stateStore = runtime.stateStore ? new AgentStateStore(`${prefix}-state`, { platform, services: all, ...replication }, child) : undefined;
      const gateway = runtime.gateway && plan.agents.some((a) => a.route) ? new AgentGateway(`${prefix}-gateway`, { platform, services: all, broker }, child) : undefined;
      const observability = runtime.observability ? new ObservabilityStack(`${prefix}-observability`, { platform, services: all, broker }, child) : undefined;
      return { target, platform, broker, gpuPools, services, stateStore, gateway, observability };
    };
    // The primary before the backup: the backup's store replicates the primary's.
    const order = plan.fleet.targets.map((_, i) => i).sort((a, b) => Number(b === pair?.primary) - Number(a === pair?.primary));
    for (const index of order) built.set(index, deploy(plan.fleet.targets[index], index));
    this.deployments = [...built.entries()].sort(([a], [b]) => a - b).map(([, d]) => d);
    const primaryGateway = pair ? this.deployments[pair.primary].gateway : undefined;
    const backupGateway = pair ? this.deployments[pair.backup].gateway : undefined;
    if (entrySettings && primaryGateway && backupGateway) {
      // Loaded here, like the targets, so fleets elsewhere never load the AWS SDK.
      const { AwsFailoverEntry } = require("../targets/aws/failover") as typeof import("../targets/aws/failover");
      this.entry = new AwsFailoverEntry(`${name}-entry`, { plan, settings: entrySettings, primary: primaryGateway, backup: backupGateway }, { parent: this });
    }
    this.registerOutputs({
      environments: this.deployments.map((d) => d.platform.environmentName),
      ...(this.entry ? { entry: this.entry.url } : {}),
      endpoints: Object.fromEntries(this.deployments.flatMap((d) => Object.entries(d.services).map(([agent, s]) => [`${d.target.runtime}/${d.target.region}/${agent}`, s.endpoint]))),
    });
  }
}
