import type * as ecs from "@pulumi/aws/ecs";
import type * as servicediscovery from "@pulumi/aws/servicediscovery";
import type * as pulumi from "@pulumi/pulumi";
import type { GpuPoolPlan } from "../../plan/types";
import type { GpuNodeShape } from "../../spec/accelerators";
import { Registry } from "../target";
import type { PlatformScope } from "../target";

/** A GPU pool on ECS: its own cluster, whose only capacity is the pool's EC2 capacity provider. */
export interface EcsGpuCapacity {
  readonly pool: GpuPoolPlan;
  readonly shape: GpuNodeShape;
  readonly cluster: ecs.Cluster;
  readonly capacityProviderName: pulumi.Output<string>;
}

/** What the ECS platform adds to the shared AWS landing. */
export interface EcsLanding {
  /** The Fargate cluster of the CPU agents. */
  readonly cluster: ecs.Cluster;
  readonly namespace: servicediscovery.PrivateDnsNamespace;
  readonly namespaceName: string;
  /** GPU capacity per pool, filled in as GpuAgentPools are built. */
  readonly gpuPools: Map<string, EcsGpuCapacity>;
}

export const ecsLandings = new Registry<PlatformScope, EcsLanding>("PlatformScope");
