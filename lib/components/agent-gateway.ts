import * as pulumi from "@pulumi/pulumi";
import type { GatewaySettings } from "../spec/types";
import { invalidProp } from "../spec/errors";
import type { AgentBroker } from "./agent-broker";
import type { AgentPlatform } from "./agent-platform";
import type { MicroAgentService } from "./micro-agent-service";

export interface AgentGatewayArgs {
  readonly platform: AgentPlatform;
  /** The services to route to; only agents with a `route` get one. */
  readonly services: ReadonlyArray<MicroAgentService>;
  /** The broker, for async routes that enqueue straight to an agent's queue. */
  readonly broker: AgentBroker;
  /**
   * Authentication, legacy backend, host name and exposure.
   * @default the fleet's spec.gateway
   */
  readonly settings?: GatewaySettings;
}

/**
 * The entry: authentication on every route unless `auth: none` is explicit, rate
 * limits, request schema validation, the seed's retries, timeouts and circuit
 * breaker, routes to agents, and a fallback route to a legacy monolith with
 * per-route canary weights for gradual migration.
 */
export class AgentGateway extends pulumi.ComponentResource {
  static readonly __pulumiType = "microagents:gateway:AgentGateway";

  readonly resourceName: string;
  readonly platform: AgentPlatform;
  readonly services: ReadonlyArray<MicroAgentService>;
  readonly broker: AgentBroker;
  readonly settings: GatewaySettings;
  /** Base URL clients call. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: AgentGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    const gateway = args.platform.runtime.gateway;
    if (!gateway) invalidProp("platform", `AgentGateway is not available on runtime '${args.platform.target.runtime}' yet`);
    if (!args.services.some((s) => s.agent.route)) invalidProp("services", "no service has a route", "give at least one agent a `route`");
    super(AgentGateway.__pulumiType, name, {}, { ...opts, parent: opts?.parent ?? args.platform });
    this.resourceName = name;
    this.platform = args.platform;
    this.services = args.services;
    this.broker = args.broker;
    this.settings = args.settings ?? args.platform.fleet.gateway;
    this.url = gateway(this).url;
    this.registerOutputs({ url: this.url });
  }
}
