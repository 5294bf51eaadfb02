import * as pulumi from "@pulumi/pulumi";
import { invalidProp } from "../spec/errors";
import type { AgentBroker } from "./agent-broker";
import type { AgentPlatform } from "./agent-platform";
import type { MicroAgentService } from "./micro-agent-service";
import type { ObservabilityScope } from "../targets/target";

export interface ObservabilityStackArgs {
  readonly platform: AgentPlatform;
  readonly services: ReadonlyArray<MicroAgentService>;
  /** The broker, for queue-depth and dead-letter alerts. */
  readonly broker: AgentBroker;
  /**
   * Where traces go.
   * @default the fleet's spec.observability.otlpEndpoint, else the cloud's tracing service
   */
  readonly otlpEndpoint?: string;
}

/**
 * Metrics, logs, traces, a dashboard per fleet and the seed's alerts per agent:
 * memory > 90%, error rate > 10%, queue > 100, any dead letter, p95 latency over target.
 */
export class ObservabilityStack extends pulumi.ComponentResource implements ObservabilityScope {
  static readonly __pulumiType = "microagents:observability:ObservabilityStack";

  readonly resourceName: string;
  readonly platform: AgentPlatform;
  readonly services: ReadonlyArray<MicroAgentService>;
  readonly broker: AgentBroker;
  readonly otlpEndpoint?: string;
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: ObservabilityStackArgs, opts?: pulumi.ComponentResourceOptions) {
    const observability = args.platform.runtime.observability;
    if (!observability) invalidProp("platform", `ObservabilityStack is not available on runtime '${args.platform.target.runtime}' yet`);
    super(ObservabilityStack.__pulumiType, name, {}, { ...opts, parent: opts?.parent ?? args.platform });
    this.resourceName = name;
    this.platform = args.platform;
    this.services = args.services;
    this.broker = args.broker;
    const endpoint = args.otlpEndpoint ?? args.platform.fleet.observability.otlpEndpoint;
    if (endpoint !== undefined) this.otlpEndpoint = endpoint;
    this.dashboardName = observability(this).dashboardName;
    this.registerOutputs({ dashboardName: this.dashboardName });
  }
}
