import * as pulumi from "@pulumi/pulumi";
import { planAgent } from "../plan/plan-fleet";
import type { AgentPlan } from "../plan/types";
import type { DefaultsContext } from "../spec/defaults";
import { parseAgent } from "../spec/parse";
import { invalidProp } from "../spec/errors";
import type { AgentInput } from "../spec/schema";
import type { AgentBroker } from "./agent-broker";
import type { AgentPlatform } from "./agent-platform";
import { AgentBroker as Broker } from "./agent-broker";
import type { GpuAgentPool } from "./gpu-agent-pool";
import { checkedEnv, checkedImage, checkedSecrets, INPUT_RUNTIMES, SECRET_INPUT_RUNTIMES, type ComputedSecret, type SecretInput } from "./inputs";
import type { ServiceScope } from "../targets/target";

export interface MicroAgentServiceArgs {
  readonly platform: AgentPlatform;
  /**
   * The agent: the name of one of the fleet's agents, or a spec written here
   * (validated like a fleet file entry, errors under `agent.`).
   */
  readonly agent: string | AgentInput;
  /**
   * The broker holding the agent's queue.
   * @default a broker of its own, for this agent alone
   */
  readonly broker?: AgentBroker;
  /**
   * The GPU pool a GPU agent runs in (its `resources.gpu.pool`, or the one the plan's
   * packing chose), built on the same platform.
   * @default the platform's pool for the agent, built on first use (`platform.gpuPool(name)`)
   */
  readonly gpuPool?: GpuAgentPool;
  /**
   * The image to run, such as the digest of an image this program builds and pushes;
   * checked like the fleet file's `image` when it resolves.
   * @default the agent's `image`
   */
  readonly image?: pulumi.Input<string>;
  /**
   * Environment values this program computes (endpoints, names of resources it
   * creates), added to the agent's `env` (a name may not be in both).
   * @default {}
   */
  readonly env?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Secrets whose reference the program computes (a secret it creates), added to the
   * agent's `secrets` (on the runtimes in SECRET_INPUT_RUNTIMES); a name may not be in both.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, SecretInput>>;
}

/**
 * One agent: its container, input queue with dead-letter queue, scaling,
 * workload identity with least privilege, health checks, logs and secrets.
 */
export class MicroAgentService extends pulumi.ComponentResource implements ServiceScope {
  static readonly __pulumiType = "microagents:service:MicroAgentService";

  readonly resourceName: string;
  readonly platform: AgentPlatform;
  /** The agent with every setting resolved. */
  readonly agent: AgentPlan;
  readonly broker: AgentBroker;
  /** The pool a GPU agent runs in; undefined for CPU agents and on runtimes without GPU pools. */
  readonly gpuPool?: GpuAgentPool;
  /** The image the workload runs: `args.image` once resolved and checked, else the agent's. */
  readonly image: pulumi.Output<string>;
  /** The environment values given as Inputs (`args.env`), checked; the agent's own `env` stays on `agent.env`. */
  readonly env: Readonly<Record<string, pulumi.Output<string>>>;
  /** The secret references given as Inputs (`args.secrets`), checked; the agent's own stay on `agent.secrets`. */
  readonly secrets: Readonly<Record<string, ComputedSecret>>;
  readonly workloadName: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly identity: pulumi.Output<string>;

  constructor(name: string, args: MicroAgentServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const agent = resolveAgent(args.platform, args.agent);
    if ((args.image !== undefined || args.env !== undefined) && !INPUT_RUNTIMES.has(args.platform.target.runtime)) {
      invalidProp(args.image !== undefined ? "image" : "env", `runtime '${args.platform.target.runtime}' does not read a computed image or environment yet`, `give the image and env in the agent's spec, or deploy on ${[...INPUT_RUNTIMES].join(", ")}`);
    }
    const image = checkedImage(args.image ?? agent.image, args.image !== undefined ? "image" : "agent.image");
    const own = { ...Object.fromEntries(Object.keys(agent.env).map((k) => [k, "env" as const])), ...Object.fromEntries(Object.keys(agent.secrets).map((k) => [k, "secrets" as const])) };
    const env = checkedEnv(args.env ?? {}, "env", own);
    if (args.secrets !== undefined && !SECRET_INPUT_RUNTIMES.has(args.platform.target.runtime)) {
      invalidProp("secrets", `runtime '${args.platform.target.runtime}' does not read computed secret references yet`, `name the secrets in the agent's spec, or deploy on ${[...SECRET_INPUT_RUNTIMES].join(", ")}`);
    }
    const secrets = checkedSecrets(args.secrets ?? {}, "secrets", { ...own, ...Object.fromEntries(Object.keys(args.env ?? {}).map((k) => [k, "env" as const])) });
    const pool = agent.gpu?.pool;
    if (args.gpuPool && (args.gpuPool.platform !== args.platform || args.gpuPool.pool.name !== pool)) {
      invalidProp("gpuPool", `GpuAgentPool '${args.gpuPool.resourceName}' is pool '${args.gpuPool.pool.name}' on platform '${args.gpuPool.platform.resourceName}'`, pool ? `agent '${agent.name}' runs in pool '${pool}' on platform '${args.platform.resourceName}'` : `agent '${agent.name}' has no GPU: leave gpuPool out`);
    }
    super(MicroAgentService.__pulumiType, name, {}, { ...opts, parent: opts?.parent ?? args.platform });
    this.resourceName = name;
    this.platform = args.platform;
    this.agent = agent;
    this.broker = args.broker ?? new Broker(`${name}-broker`, { platform: args.platform, agents: [agent] }, { parent: this });
    this.image = image;
    this.env = env;
    this.secrets = secrets;
    this.broker.queueFor(agent.name);
    // The pool first: a target may place the service on its capacity (ECS capacity providers).
    const gpuPool = args.gpuPool ?? (pool && args.platform.runtime.gpuPool ? args.platform.gpuPool(pool) : undefined);
    if (gpuPool) this.gpuPool = gpuPool;
    const out = args.platform.runtime.service(this);
    this.workloadName = out.workloadName;
    this.endpoint = out.endpoint;
    this.identity = out.identity;
    this.registerOutputs({ workloadName: this.workloadName, endpoint: this.endpoint, identity: this.identity });
  }
}

function resolveAgent(platform: AgentPlatform, agent: string | AgentInput): AgentPlan {
  if (typeof agent === "string") return platform.plan.agent(agent);
  const ctx: DefaultsContext = { tier: platform.plan.tier, environment: platform.plan.environment, team: platform.fleet.team };
  const parsed = parseAgent(agent, ctx);
  if (parsed.resources.gpu) {
    invalidProp("agent.resources.gpu", "a GPU agent built outside the fleet cannot be placed in a GPU pool", "declare it in the fleet's agents so the plan packs it, and pass its name");
  }
  return planAgent(platform.fleet, parsed);
}
