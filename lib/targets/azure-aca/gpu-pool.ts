import * as pulumi from "@pulumi/pulumi";
import type { GpuPoolOutputs, GpuPoolScope } from "../target";
import { acaLandings } from "./landing";

/**
 * A GPU pool on Container Apps is the serverless GPU workload profile the
 * environment declared when it was created (GPU profiles cannot be added later):
 * no resource of its own, no node counts (ARM rejects counts on consumption
 * profiles; replicas scale per app, one whole GPU each).
 */
export function acaGpuPool(scope: GpuPoolScope): GpuPoolOutputs {
  const profile = acaLandings.get(scope.platform).gpuProfiles.get(scope.pool.name);
  if (!profile) throw new Error(`GPU pool '${scope.pool.name}' has no serverless GPU profile on this environment: build the pool on the platform whose fleet plans it`);
  return { capacityName: pulumi.output(profile) };
}
