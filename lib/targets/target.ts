import type * as pulumi from "@pulumi/pulumi";
import type { AgentBroker } from "../components/agent-broker";
import type { AgentPlatform } from "../components/agent-platform";
import type { AgentGateway } from "../components/agent-gateway";
import type { AgentStateStore } from "../components/agent-state-store";
import type { GpuAgentPool } from "../components/gpu-agent-pool";
import type { MicroAgentService } from "../components/micro-agent-service";
import type { ObservabilityStack } from "../components/observability-stack";
import type { Runtime } from "../spec/schema";

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

/**
 * A runtime the components can deploy to. Every folder under lib/targets has the
 * same shape: index.ts exports a Target built from platform.ts, broker.ts and
 * service.ts (and, where the target has them, gpu-pool.ts, gateway.ts,
 * state-store.ts and observability.ts). Targets keep their own handles per
 * component (see Registry) so no component needs to know a target's types.
 */
export interface Target {
  readonly runtime: Runtime;
  platform(scope: AgentPlatform): PlatformOutputs;
  broker(scope: AgentBroker): BrokerOutputs;
  service(scope: MicroAgentService): ServiceOutputs;
  /** Optional while targets are being completed; a component on a target without it fails with a clear error. */
  gpuPool?(scope: GpuAgentPool): GpuPoolOutputs;
  gateway?(scope: AgentGateway): GatewayOutputs;
  stateStore?(scope: AgentStateStore): StateStoreOutputs;
  observability?(scope: ObservabilityStack): ObservabilityOutputs;
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
