import * as pulumi from "@pulumi/pulumi";
import type { GpuPoolPlan } from "../plan/types";
import { invalidProp } from "../spec/errors";
import type { AgentPlatform } from "./agent-platform";
import type { GpuPoolScope } from "../targets/target";

export interface GpuAgentPoolArgs {
  readonly platform: AgentPlatform;
  /** A pool of the fleet's plan: declared under spec.gpuPools or made by the plan's packing. */
  readonly pool: string;
}

/**
 * GPU capacity for the agents the plan packed into one pool: node groups or pools
 * of the pool's GPU, fractional sharing (time-slicing or MIG), spot or on-demand,
 * node bounds from the packing plan.
 */
export class GpuAgentPool extends pulumi.ComponentResource implements GpuPoolScope {
  static readonly __pulumiType = "microagents:gpu:GpuAgentPool";

  readonly resourceName: string;
  readonly platform: AgentPlatform;
  readonly pool: GpuPoolPlan;
  /** The node group, node pool or capacity provider that holds the GPUs. */
  readonly capacityName: pulumi.Output<string>;

  constructor(name: string, args: GpuAgentPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    const pool = args.platform.plan.gpuPools.find((p) => p.name === args.pool);
    if (!pool) invalidProp("pool", `fleet '${args.platform.fleet.name}' has no GPU pool '${args.pool}'`, `pools: ${args.platform.plan.gpuPools.map((p) => p.name).join(", ") || "(none)"}`);
    const gpuPool = args.platform.runtime.gpuPool;
    if (!gpuPool) invalidProp("platform", `GpuAgentPool is not available on runtime '${args.platform.target.runtime}' yet`);
    const existing = args.platform.gpuPoolBuilt(pool.name);
    if (existing) invalidProp("pool", `platform '${args.platform.resourceName}' already has GpuAgentPool '${existing}' for pool '${pool.name}'`, `build each pool once; platform.gpuPool('${pool.name}') returns the one built (services build their pool on first use)`);
    super(GpuAgentPool.__pulumiType, name, {}, { ...opts, parent: opts?.parent ?? args.platform });
    this.resourceName = name;
    this.platform = args.platform;
    this.pool = pool;
    args.platform.addGpuPool(this);
    this.capacityName = gpuPool(this).capacityName;
    this.registerOutputs({ capacityName: this.capacityName });
  }
}
