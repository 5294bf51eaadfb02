import type * as pulumi from "@pulumi/pulumi";
import type { ComputedSecret, JwtSettingsInput } from "../components/inputs";
import type { AgentPlan, FleetPlan, GpuPoolPlan, Subscription } from "../plan/types";
import type { Runtime } from "../spec/schema";
import type { Fleet, FleetTarget, GatewaySettings } from "../spec/types";
import type { KubernetesAddons } from "./kubernetes/addons";

/** What an AgentPlatform exposes on every target. */
export interface PlatformOutputs {
  /** Where agents run: namespace, ECS cluster, Container Apps environment... */
  readonly environmentName: pulumi.Output<string>;
  /** Target-specific outputs for registerOutputs and stack exports. */
  readonly extra: Readonly<Record<string, pulumi.Input<unknown>>>;
}

/** One agent's queue, in cloud-neutral terms. */
export interface QueueOutputs {
  readonly queueName: pulumi.Output<string>;
  readonly deadLetterName: pulumi.Output<string>;
  /** ARN, resource id or URL: what identity policies and scalers refer to. */
  readonly queueId: pulumi.Output<string>;
  readonly eventsTopic: pulumi.Output<string>;
}

export interface BrokerOutputs {
  readonly queues: Readonly<Record<string, QueueOutputs>>;
}

export interface ServiceOutputs {
  readonly workloadName: pulumi.Output<string>;
  /** In-cluster or private URL of the agent. */
  readonly endpoint: pulumi.Output<string>;
  /** The workload identity: ServiceAccount, IAM role ARN, managed identity... */
  readonly identity: pulumi.Output<string>;
}

export interface GpuPoolOutputs {
  readonly capacityName: pulumi.Output<string>;
}

/**
 * The path every cloud's gateway serves for a failover entry's or global entry's
 * health checks. It answers 200 only while the region's always-on agents run, so
 * an entry fails over when the agents are down, not only when the gateway is.
 */
export const HEALTH_PATH = "/_microagents/health";

export interface GatewayOutputs {
  readonly url: pulumi.Output<string>;
}

export interface StateStoreOutputs {
  readonly taskTable: pulumi.Output<string>;
  readonly contextStore: pulumi.Output<string>;
  readonly resultsCacheEndpoint: pulumi.Output<string>;
}

export interface ObservabilityOutputs {
  readonly dashboardName: pulumi.Output<string>;
}

/*
 * What a target reads from the components it builds for. The components in
 * lib/components implement these; targets depend on them, never on the classes,
 * so data flows one way (components -> targets) and a target is testable with any
 * object of this shape.
 */

/** The landing zone a target builds: AgentPlatform. */
export interface PlatformScope extends pulumi.ComponentResource {
  readonly resourceName: string;
  /** This target's plan: only the agents placed on it. */
  readonly plan: FleetPlan;
  readonly fleet: Fleet;
  readonly target: FleetTarget;
  readonly addons: Partial<KubernetesAddons>;
  /** CIDRs allowed to reach a managed cluster's public API endpoint; empty means private only. */
  readonly clusterEndpointCidrs: ReadonlyArray<string>;
  /** The platform whose network this one joins (a GCP backup region joins its primary's global VPC network); undefined: its own. */
  readonly networkOf?: PlatformScope;
  /** The caller's azure-native provider for the Azure DNS zone's subscription; undefined: the target's own. */
  readonly azureDnsProvider?: pulumi.ProviderResource;
  readonly tags: Readonly<Record<string, string>>;
  readonly environmentName: pulumi.Output<string>;
  readonly outputs: PlatformOutputs;
  readonly runtime: Target;
  /** The GPU pool of one of the plan's pools on this platform, built on first use. */
  gpuPool(pool: string): GpuPoolScope;
}

/** AgentBroker. */
export interface BrokerScope extends pulumi.ComponentResource {
  readonly resourceName: string;
  readonly platform: PlatformScope;
  readonly agents: ReadonlyArray<AgentPlan>;
  readonly subscriptions: ReadonlyArray<Subscription>;
  readonly queues: Readonly<Record<string, QueueOutputs>>;
  queueFor(agent: string): QueueOutputs;
}

/** MicroAgentService. */
export interface ServiceScope extends pulumi.ComponentResource {
  readonly resourceName: string;
  readonly platform: PlatformScope;
  readonly agent: AgentPlan;
  readonly broker: BrokerScope;
  readonly gpuPool?: GpuPoolScope;
  readonly image: pulumi.Output<string>;
  readonly env: Readonly<Record<string, pulumi.Output<string>>>;
  readonly secrets: Readonly<Record<string, ComputedSecret>>;
  readonly workloadName: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly identity: pulumi.Output<string>;
}

/** GpuAgentPool. */
export interface GpuPoolScope extends pulumi.ComponentResource {
  readonly resourceName: string;
  readonly platform: PlatformScope;
  readonly pool: GpuPoolPlan;
}

/** AgentGateway. */
export interface GatewayScope extends pulumi.ComponentResource {
  readonly resourceName: string;
  readonly platform: PlatformScope;
  readonly services: ReadonlyArray<ServiceScope>;
  readonly broker: BrokerScope;
  readonly settings: GatewaySettings;
  readonly jwt?: JwtSettingsInput;
  readonly url: pulumi.Output<string>;
}

/** The resolved settings of a state store, exposed so targets and tests read one source. */
export interface StateStoreSettings {
  readonly resultsTtlSeconds: number;
  readonly database: boolean;
  readonly connectionPooling: boolean;
}

/** AgentStateStore. */
export interface StateStoreScope extends pulumi.ComponentResource {
  readonly resourceName: string;
  readonly platform: PlatformScope;
  readonly services: ReadonlyArray<ServiceScope>;
  readonly settings: StateStoreSettings;
  /** The backup regions' platforms a primary store replicates to. */
  readonly replicaPlatforms: ReadonlyArray<PlatformScope>;
  /** The primary's store, when this one is the backup region's replica. */
  readonly replicaOf?: StateStoreScope;
}

/** ObservabilityStack. */
export interface ObservabilityScope extends pulumi.ComponentResource {
  readonly resourceName: string;
  readonly platform: PlatformScope;
  readonly services: ReadonlyArray<ServiceScope>;
  readonly broker: BrokerScope;
  readonly otlpEndpoint?: string;
}

/**
 * A runtime the components can deploy to. Every folder under lib/targets has the
 * same shape: index.ts exports a Target built from platform.ts, broker.ts and
 * service.ts (and, where the target has them, gpu-pool.ts, gateway.ts,
 * state-store.ts and observability.ts). Targets keep their own handles per
 * component (see Registry) so no component needs to know a target's types.
 */
export interface Target {
  readonly runtime: Runtime;
  platform(scope: PlatformScope): PlatformOutputs;
  broker(scope: BrokerScope): BrokerOutputs;
  service(scope: ServiceScope): ServiceOutputs;
  /** Optional while targets are being completed; a component on a target without it fails with a clear error. */
  gpuPool?(scope: GpuPoolScope): GpuPoolOutputs;
  gateway?(scope: GatewayScope): GatewayOutputs;
  stateStore?(scope: StateStoreScope): StateStoreOutputs;
  observability?(scope: ObservabilityScope): ObservabilityOutputs;
}

/** Per-component handles a target keeps for itself, keyed by the component object. */
export class Registry<K extends object, V> {
  private readonly map = new WeakMap<K, V>();
  constructor(private readonly what: string) {}

  set(key: K, value: V): V {
    this.map.set(key, value);
    return value;
  }

  get(key: K): V {
    const v = this.map.get(key);
    if (v === undefined) throw new Error(`${this.what} was not built by this target: pass components built on the same AgentPlatform`);
    return v;
  }
}
