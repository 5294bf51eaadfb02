import * as container from "@pulumi/gcp/container";
import { ACCELERATOR_INFO } from "../../spec/accelerators";
import type { GpuPoolPlan } from "../../plan/types";
import { invalidProp } from "../../spec/errors";
import { childOpts, gcpLandings } from "../gcp/landing";
import { gcpName, GCP_NAME_LIMITS } from "../gcp/names";
import { GPU_POOL_LABEL, GPU_TAINT } from "../kubernetes/gpu-scheduling";
import type { GpuPoolOutputs, GpuPoolScope } from "../target";
import { gkeLandings } from "./landing";
import { nodeConfig } from "./node-config";

/** GKE's GPU sharing for a planned pool: time-sharing with the packing's slices, a MIG partition, or none. */
export function gkeSharing(pool: Pick<GpuPoolPlan, "name" | "sharing" | "slicesPerGpu" | "migProfiles">): { gpuSharingConfig?: { gpuSharingStrategy: string; maxSharedClientsPerGpu: number }; gpuPartitionSize?: string } {
  if (pool.sharing === "time-slicing" && pool.slicesPerGpu > 1) return { gpuSharingConfig: { gpuSharingStrategy: "TIME_SHARING", maxSharedClientsPerGpu: pool.slicesPerGpu } };
  if (pool.sharing === "mig") {
    const profiles = [...new Set(Object.values(pool.migProfiles))];
    if (profiles.length > 1) invalidProp("pool", `GPU pool '${pool.name}' mixes MIG profiles ${profiles.join(", ")}; a GKE node pool has one partition size`, "split the agents into pools by profile (spec.gpuPools with the same share), or use time-slicing");
    if (profiles.length === 1) return { gpuPartitionSize: profiles[0] };
  }
  return {};
}

/**
 * A GKE node pool per planned GPU pool: the pool's machine type with its GPUs as
 * guest accelerators (drivers installed by GKE), time-sharing or MIG from the
 * packing, spot where the plan allows, autoscaling between the packing's node
 * bounds (total, across zones), tainted `nvidia.com/gpu=present:NoSchedule` and
 * labelled with the pool as the Kubernetes target's workloads expect, GKE
 * metadata server, Shielded VM, encrypted boot disk.
 */
export function gkeGpuPool(scope: GpuPoolScope): GpuPoolOutputs {
  const landing = gcpLandings.get(scope.platform);
  const gke = gkeLandings.get(scope.platform);
  const pool = scope.pool;
  const shape = pool.shapes.gcp;
  const type = ACCELERATOR_INFO[pool.accelerator].gkeAcceleratorType;
  if (!shape || !type) invalidProp("pool", `GPU pool '${pool.name}' has no GKE machine type for ${pool.accelerator}`, "pick an accelerator GKE sells: nvidia-t4, nvidia-l4, nvidia-a100, nvidia-a100-80gb, nvidia-h100");
  const nodePool = new container.NodePool(
    scope.resourceName,
    {
      name: gcpName([pool.name], GCP_NAME_LIMITS.nodePool),
      cluster: gke.cluster.id,
      location: landing.region,
      autoscaling: { totalMinNodeCount: pool.minNodes, totalMaxNodeCount: pool.maxNodes, locationPolicy: "ANY" },
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
      nodeConfig: nodeConfig({
        machineType: shape.instanceType,
        serviceAccount: gke.nodeAccount.email,
        keyId: landing.key.id,
        labels: pool.tags,
        nodeLabels: { [GPU_POOL_LABEL]: pool.name },
        diskSizeGb: 200,
        spot: pool.spot,
        taints: [{ key: GPU_TAINT.key, value: "present", effect: "NO_SCHEDULE" }],
        guestAccelerators: [{ type, count: shape.gpus, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" }, ...gkeSharing(pool) }],
      }),
    },
    { ...childOpts(scope, landing), dependsOn: [gke.diskKeyGrant], ignoreChanges: ["initialNodeCount"] },
  );
  return { capacityName: nodePool.name };
}
