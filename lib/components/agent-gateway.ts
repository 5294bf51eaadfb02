import * as pulumi from "@pulumi/pulumi";
import type { GatewaySettings } from "../spec/types";
import { invalidProp } from "../spec/errors";
import type { AgentBroker } from "./agent-broker";
import type { AgentPlatform } from "./agent-platform";
import { checkedJwt, JWT_INPUT_RUNTIMES, type JwtSettingsInput } from "./inputs";
import type { MicroAgentService } from "./micro-agent-service";
import type { GatewayScope } from "../targets/target";

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
  /**
   * JWT settings the program computes (say, an identity provider it creates), in place
   * of the values of `settings.jwt`, which the fleet still declares (the plan decides
   * which routes need a token). Checked when they resolve, by the fleet file's rules.
   * Read by the kubernetes runtime; the others refuse it with a config error for now.
   * @default the values of `settings.jwt`
   */
  readonly jwt?: JwtSettingsInput;
}

/**
 * The entry: authentication on every route unless `auth: none` is explicit, rate
 * limits, request schema validation, the seed's retries, timeouts and circuit
 * breaker, routes to agents, and a fallback route to a legacy monolith with
 * per-route canary weights for gradual migration.
 */
export class AgentGateway extends pulumi.ComponentResource implements GatewayScope {
  static readonly __pulumiType = "microagents:gateway:AgentGateway";

  readonly resourceName: string;
  readonly platform: AgentPlatform;
  readonly services: ReadonlyArray<MicroAgentService>;
  readonly broker: AgentBroker;
  readonly settings: GatewaySettings;
  /** The computed JWT settings (`args.jwt`), checked; undefined when the gateway uses `settings.jwt`. */
  readonly jwt?: JwtSettingsInput;
  /** Base URL clients call. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: AgentGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    const gateway = args.platform.runtime.gateway;
    if (!gateway) invalidProp("platform", `AgentGateway is not available on runtime '${args.platform.target.runtime}' yet`);
    if (!args.services.some((s) => s.agent.route)) invalidProp("services", "no service has a route", "give at least one agent a `route`");
    const settings = args.settings ?? args.platform.fleet.gateway;
    if (args.jwt !== undefined) {
      if (!JWT_INPUT_RUNTIMES.has(args.platform.target.runtime)) invalidProp("jwt", `runtime '${args.platform.target.runtime}' does not read computed JWT settings yet`, `give the values in spec.gateway.jwt, or deploy on ${[...JWT_INPUT_RUNTIMES].join(", ")}`);
      if (!settings.jwt) invalidProp("jwt", "the fleet declares no spec.gateway.jwt, so no route asks for a token", "declare spec.gateway.jwt (its values are replaced by these) and give the routes auth: jwt");
    }
    super(AgentGateway.__pulumiType, name, {}, { ...opts, parent: opts?.parent ?? args.platform });
    this.resourceName = name;
    this.platform = args.platform;
    this.services = args.services;
    this.broker = args.broker;
    this.settings = settings;
    if (args.jwt !== undefined) this.jwt = checkedJwt(args.jwt, "jwt");
    this.url = gateway(this).url;
    this.registerOutputs({ url: this.url });
  }
}
