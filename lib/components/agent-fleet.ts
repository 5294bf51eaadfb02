import * as pulumi from "@pulumi/pulumi";
import { planFleet } from "../plan/plan-fleet";
import type { FleetPlan } from "../plan/types";
import type { FleetInput } from "../spec/schema";
import type { Fleet, FleetTarget } from "../spec/types";
import { CLOUD_OF_RUNTIME, failoverPairs, type FailoverPair } from "../plan/topology";
import { fleetEntrySettings } from "../targets/entry-settings";
import { pairEntry, type PairEntrySettings } from "../targets/failover-pair";
import type { GlobalEntrySettings } from "../targets/global-entry-shape";
import type { FrontDoorEdge } from "../targets/azure/global-entry";
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
   * Route 53 hosted zone of the failover entry (a primary and a backup on AWS) or of
   * the Route 53 global entry (several clouds), such as a zone this program creates.
   * @default spec.gateway.hostedZoneId, else config `microagents:hostedZoneId`
   */
  readonly hostedZoneId?: pulumi.Input<string>;
  /**
   * Cloud DNS managed zone (its name) of the failover entry of a primary and a backup on
   * GCP, such as a zone this program creates.
   * @default config `microagents:dnsZone`
   */
  readonly dnsZone?: pulumi.Input<string>;
  /**
   * An azure-native provider for the subscription of the Azure DNS zone
   * (`spec.gateway.azureDnsZoneId`, else config `microagents:azureDnsZoneId`) when it
   * sits outside the Azure targets' subscription: Front Door's `_dnsauth` and host
   * records, and the AWS and GCP certificates' validation records behind a Front Door
   * global entry, are written with it. Every Azure target's platform gets it.
   * @default each Azure target's own provider; a zone in another subscription is then an error at preview
   */
  readonly azureDnsProvider?: pulumi.ProviderResource;
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

/** The fleet's one entry: the medium tier's failover entry, or the enterprise tier's global entry. */
export interface FleetEntry {
  readonly url: pulumi.Output<string>;
}

/**
 * The whole fleet from a FleetSpec. On every target: the platform, a GpuAgentPool per
 * pool of the target's packing plan, the broker, the service of every agent placed on
 * the target, the shared state, the gateway (when a placed agent has a route) and
 * observability. A primary and a backup on one cloud replicate their state and get a
 * failover entry; an enterprise fleet on several clouds gets one global entry.
 */
export class AgentFleet extends pulumi.ComponentResource {
  static readonly __pulumiType = "microagents:fleet:AgentFleet";

  readonly plan: FleetPlan;
  readonly deployments: ReadonlyArray<FleetDeployment>;
  /** The fleet's one health-checked entry: failover (a primary and a backup on one cloud) or global (several clouds). */
  readonly entry?: FleetEntry;

  constructor(name: string, args: AgentFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planFleet(args.fleet);
    checkTargetProviders(args.targetProviders, plan.fleet.targets);
    const config = new pulumi.Config("microagents");
    // Primary-backup pairs on one cloud replicate their state (lib/plan/topology.ts); the fleet's one pair, if any, gets a failover
    // entry, a fleet on several clouds a global entry: their settings are checked as `microagents validate` checks them (entry-settings.ts).
    const pairs = failoverPairs(plan.fleet);
    const entrySettings = fleetEntrySettings(plan.fleet, {
      hostname: config.get("hostname"),
      hostedZoneId: args.hostedZoneId ?? config.get("hostedZoneId"),
      azureDnsZoneId: config.get("azureDnsZoneId"),
      dnsZone: args.dnsZone ?? config.get("dnsZone"),
    });
    super(AgentFleet.__pulumiType, name, {}, opts);
    this.plan = plan;
    const multi = plan.fleet.targets.length > 1;
    const prefixOf = (index: number) => (multi ? `${name}-${plan.fleet.targets[index].runtime}-${plan.fleet.targets[index].region}` : name);
    // Primaries before backups, everywhere below: a backup's store replicates its primary's, and a GCP backup joins its primary's (global) VPC network.
    const backups = new Set(pairs.map((p) => p.backup));
    const order = plan.fleet.targets.map((_, i) => i).sort((a, b) => Number(backups.has(a)) - Number(backups.has(b)) || a - b);
    // Every platform first: a primary's replicas name the backup region's platform.
    const platforms: AgentPlatform[] = [];
    for (const index of order) {
      const joins = pairs.find((p) => p.cloud === "gcp" && p.backup === index);
      const azureDns = args.azureDnsProvider && CLOUD_OF_RUNTIME[plan.fleet.targets[index].runtime] === "azure" ? { azureDnsProvider: args.azureDnsProvider } : {};
      platforms[index] = new AgentPlatform(
        prefixOf(index),
        { fleet: plan.fleet, targetIndex: index, ...(args.addons ? { addons: args.addons } : {}), ...(args.clusterEndpointCidrs ? { clusterEndpointCidrs: args.clusterEndpointCidrs } : {}), ...(joins ? { networkOf: platforms[joins.primary] } : {}), ...azureDns },
        { parent: this, ...targetProviderOpts(args.targetProviders, plan.fleet.targets[index], index) },
      );
    }
    // A Front Door global entry's profile comes before the gateways: each gateway behind it admits its id (lib/targets/front-door-entry.ts).
    const edge = entrySettings.global?.kind === "frontdoor" ? this.frontDoorEdge(name, entrySettings.global, platforms) : undefined;
    const built = new Map<number, FleetDeployment>();
    const deploy = (target: FleetTarget, index: number): FleetDeployment => {
      const prefix = prefixOf(index);
      const platform = platforms[index];
      const runtime = platform.runtime;
      // The target's own view of the plan: its placed agents and the GPU pools packed from them.
      const own = platform.plan;
      const child = { parent: platform };
      // Targets gain these constructs one by one; a fleet builds what its target has.
      const gpuPools = runtime.gpuPool ? own.gpuPools.map((p) => platform.gpuPool(p.name)) : [];
      const broker = new AgentBroker(prefix, { platform }, child);
      const services: Record<string, MicroAgentService> = {};
      for (const agent of own.agents) {
        services[agent.name] = new MicroAgentService(`${prefix}-${agent.name}`, { platform, agent: agent.name, broker }, child);
      }
      const all = Object.values(services);
      const asPrimary = pairs.find((p) => p.primary === index);
      const asBackup = pairs.find((p) => p.backup === index);
      const replicaOf = asBackup ? built.get(asBackup.primary)?.stateStore : undefined;
      const replication = asPrimary ? { replicaPlatforms: [platforms[asPrimary.backup]] } : replicaOf ? { replicaOf } : {};
      const stateStore = runtime.stateStore ? new AgentStateStore(`${prefix}-state`, { platform, services: all, ...replication }, child) : undefined;
      const gateway = runtime.gateway && own.agents.some((a) => a.route) ? new AgentGateway(`${prefix}-gateway`, { platform, services: all, broker }, child) : undefined;
      const observability = runtime.observability ? new ObservabilityStack(`${prefix}-observability`, { platform, services: all, broker }, child) : undefined;
      return { target, platform, broker, gpuPools, services, stateStore, gateway, observability };
    };
    for (const index of order) built.set(index, deploy(plan.fleet.targets[index], index));
    this.deployments = [...built.entries()].sort(([a], [b]) => a - b).map(([, d]) => d);
    this.entry = entrySettings.global ? this.globalEntry(name, entrySettings.global, edge) : entrySettings.pair ? this.failoverEntry(name, entrySettings.pair.pair, entrySettings.pair.settings) : undefined;
    this.registerOutputs({
      environments: this.deployments.map((d) => d.platform.environmentName),
      ...(this.entry ? { entry: this.entry.url } : {}),
      endpoints: Object.fromEntries(this.deployments.flatMap((d) => Object.entries(d.services).map(([agent, s]) => [`${d.target.runtime}/${d.target.region}/${agent}`, s.endpoint]))),
    });
  }

  /** The failover entry of the fleet's primary-backup pair, on the pair's cloud (loaded on use, so fleets elsewhere never load that cloud's SDK). */
  private failoverEntry(name: string, pair: FailoverPair, settings: PairEntrySettings): FleetEntry | undefined {
    const primary = this.deployments[pair.primary].gateway;
    const backup = this.deployments[pair.backup].gateway;
    if (!primary || !backup) return undefined;
    return pairEntry(`${name}-entry`, this.plan, settings, primary, backup, { parent: this });
  }

  /** The Front Door global entry's profile and WAF, in the first Azure target behind the entry (globalEntrySettings requires one). */
  private frontDoorEdge(name: string, settings: GlobalEntrySettings<pulumi.Input<string>>, platforms: ReadonlyArray<AgentPlatform>): FrontDoorEdge | undefined {
    const home = settings.targets.find((i) => CLOUD_OF_RUNTIME[this.plan.fleet.targets[i].runtime] === "azure");
    if (home === undefined) return undefined;
    const { FrontDoorEdge } = require("../targets/azure/global-entry") as typeof import("../targets/azure/global-entry");
    return new FrontDoorEdge(`${name}-entry`, { plan: this.plan, home: platforms[home], platforms: settings.targets.map((i) => platforms[i]) }, { parent: this });
  }

  /** The global entry in front of every cloud's gateway: Route 53 latency records, or Azure Front Door with an origin per cloud. */
  private globalEntry(name: string, settings: GlobalEntrySettings<pulumi.Input<string>>, edge: FrontDoorEdge | undefined): FleetEntry | undefined {
    const sides = settings.targets.flatMap((i) => {
      const d = this.deployments[i];
      return d.gateway ? [{ target: d.target, gateway: d.gateway }] : [];
    });
    if (sides.length < 2) return undefined;
    if (settings.kind === "frontdoor") {
      if (!edge) throw new Error("unreachable: a Front Door entry's edge is built before the gateways");
      const { AzureGlobalEntry } = require("../targets/azure/global-entry") as typeof import("../targets/azure/global-entry");
      return new AzureGlobalEntry(`${name}-entry`, { plan: this.plan, settings, edge, sides }, { parent: this });
    }
    const { AwsGlobalEntry } = require("../targets/aws/global-entry") as typeof import("../targets/aws/global-entry");
    return new AwsGlobalEntry(`${name}-entry`, { plan: this.plan, settings, sides }, { parent: this });
  }
}
