import * as pulumi from "@pulumi/pulumi";
import { planFleet } from "../plan/plan-fleet";
import { targetPlan } from "../plan/target-plan";
import type { FleetPlan } from "../plan/types";
import { MicroAgentsConfigError } from "../spec/errors";
import type { FleetInput } from "../spec/schema";
import type { Fleet, FleetTarget } from "../spec/types";
import { targetFor } from "../targets/registry";
import type { PlatformOutputs, PlatformScope, Target } from "../targets/target";
import type { KubernetesAddons } from "../targets/kubernetes/addons";
import { GpuAgentPool } from "./gpu-agent-pool";

export interface AgentPlatformArgs {
  /** The fleet, parsed (`parseFleet`) or as written. */
  readonly fleet: Fleet | FleetInput;
  /**
   * Which of the fleet's targets this platform lands on, by index.
   * @default 0 (the first target)
   */
  readonly targetIndex?: number;
  /**
   * Cluster add-ons to install on Kubernetes runtimes; switch one off when the
   * cluster already has it.
   * @default every add-on the fleet needs
   */
  readonly addons?: Partial<KubernetesAddons>;
  /**
   * CIDRs that may reach a managed cluster's public API endpoint (EKS). With none,
   * the endpoint is private: deploy from inside the VPC (a CI runner, a bastion).
   * @default [] (private endpoint only)
   */
  readonly clusterEndpointCidrs?: ReadonlyArray<string>;
  /**
   * Another platform of the fleet whose network this one joins. On GCP a network is
   * global: a backup region joins its primary's VPC network with a subnet, router and
   * NAT of its own, so its Cloud SQL replica and agents share the primary's private
   * services access (AgentFleet passes the pair's primary). AWS and Azure networks
   * are regional and ignore it.
   * @default undefined (a network of its own)
   */
  readonly networkOf?: AgentPlatform;
  /**
   * An azure-native provider for the subscription of the Azure DNS zone the host name
   * lives in (`spec.gateway.azureDnsZoneId`), when that zone sits outside this target's
   * subscription (a central DNS subscription). Front Door's validation and host records
   * are written with it.
   * @default the target's own provider; a zone in another subscription is then an error at preview
   */
  readonly azureDnsProvider?: pulumi.ProviderResource;
}

/**
 * The landing zone for one target: network, cluster or container environment,
 * shared tags and tier defaults. Every other construct takes `platform`.
 */
export class AgentPlatform extends pulumi.ComponentResource implements PlatformScope {
  static readonly __pulumiType = "microagents:platform:AgentPlatform";

  readonly resourceName: string;
  /** The resolved plan of this target: every default taken once from the tier preset, and only the agents placed here. */
  readonly plan: FleetPlan;
  readonly fleet: Fleet;
  readonly target: FleetTarget;
  readonly addons: Partial<KubernetesAddons>;
  /** CIDRs allowed to reach a managed cluster's public API endpoint; empty means private only. */
  readonly clusterEndpointCidrs: ReadonlyArray<string>;
  /** The platform whose network this one joins, if any. */
  readonly networkOf?: AgentPlatform;
  /** The provider of the Azure DNS zone's subscription, if the caller gave one. */
  readonly azureDnsProvider?: pulumi.ProviderResource;
  /** Cost-allocation tags every child carries. */
  readonly tags: Readonly<Record<string, string>>;
  readonly environmentName: pulumi.Output<string>;
  readonly outputs: PlatformOutputs;
  /** @internal the runtime implementation, used by the other components. */
  readonly runtime: Target;
  private readonly gpuPools = new Map<string, GpuAgentPool>();

  constructor(name: string, args: AgentPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    const fleetPlan = planFleet(args.fleet);
    const index = args.targetIndex ?? 0;
    const target = fleetPlan.fleet.targets[index];
    if (!target) {
      throw new MicroAgentsConfigError([{ path: "targetIndex", message: `fleet '${fleetPlan.fleet.name}' has no target ${index}`, hint: `use 0..${fleetPlan.fleet.targets.length - 1}` }]);
    }
    // The target's view: only the agents placed on it (spec.targets[].agents), their GPU pools and edges.
    const plan = targetPlan(fleetPlan, index);
    super(AgentPlatform.__pulumiType, name, {}, opts);
    this.resourceName = name;
    this.plan = plan;
    this.fleet = plan.fleet;
    this.target = target;
    this.addons = args.addons ?? {};
    this.clusterEndpointCidrs = args.clusterEndpointCidrs ?? [];
    if (args.networkOf) this.networkOf = args.networkOf;
    if (args.azureDnsProvider) this.azureDnsProvider = args.azureDnsProvider;
    this.tags = plan.tags;
    this.runtime = targetFor(target.runtime);
    this.outputs = this.runtime.platform(this);
    this.environmentName = this.outputs.environmentName;
    this.registerOutputs({ environmentName: this.environmentName, ...this.outputs.extra });
  }

  /**
   * The GpuAgentPool of one of the plan's pools on this platform: the one built for it,
   * else a new one named `<platform>-<pool>` (services of GPU agents call this, so no
   * pool needs building before them).
   */
  gpuPool(pool: string): GpuAgentPool {
    return this.gpuPools.get(pool) ?? new GpuAgentPool(`${this.resourceName}-${pool}`, { platform: this, pool }, { parent: this });
  }

  /** @internal the name of the GpuAgentPool built for a pool on this platform, if any. */
  gpuPoolBuilt(pool: string): string | undefined {
    return this.gpuPools.get(pool)?.resourceName;
  }

  /** @internal GpuAgentPool's constructor records itself here (it has checked gpuPoolBuilt first). */
  addGpuPool(pool: GpuAgentPool): void {
    this.gpuPools.set(pool.pool.name, pool);
  }
}
