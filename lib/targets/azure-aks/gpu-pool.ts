import * as containerservice from "@pulumi/azure-native/containerservice";
import type { GpuPoolOutputs, GpuPoolScope } from "../target";
import { azureLandings, childOpts } from "../azure/landing";
import { AKS_VERSION, aksMigProfile, aksPoolName, gpuPoolNodeSettings } from "./cluster-shape";
import { aksLandings } from "./landing";

/**
 * An AKS node pool per planned GPU pool: the packing's VM size and node bounds
 * with the cluster autoscaler, the GPU taint and the pool and device-plugin config
 * labels the Kubernetes target schedules by, spot (eviction Delete, pay up to the
 * on-demand price) where the plan allows, MIG through `gpuInstanceProfile`, the
 * NVIDIA driver installed by AKS, no public IPs, Azure Linux, encrypted temp disk.
 */
export function aksGpuPool(scope: GpuPoolScope): GpuPoolOutputs {
  const landing = azureLandings.get(scope.platform);
  const aks = aksLandings.get(scope.platform);
  const pool = scope.pool;
  const shape = pool.shapes.azure;
  if (!shape) throw new Error(`unreachable: GPU pool '${pool.name}' has no Azure VM size (the plan places pools on shapes every cloud of the fleet sells)`);
  const mig = aksMigProfile(pool);
  const settings = gpuPoolNodeSettings(scope.platform.plan.fleet.name, pool);
  const agentPool = new containerservice.AgentPool(
    scope.resourceName,
    {
      resourceGroupName: landing.resourceGroupName,
      resourceName: aks.cluster.name,
      agentPoolName: aksPoolName(pool.name),
      mode: "User",
      vmSize: shape.instanceType,
      osType: "Linux",
      osSKU: "AzureLinux",
      orchestratorVersion: AKS_VERSION,
      enableAutoScaling: true,
      minCount: pool.minNodes,
      maxCount: pool.maxNodes,
      count: pool.minNodes,
      vnetSubnetID: landing.network.workloadSubnetId,
      enableNodePublicIP: false,
      gpuProfile: { driver: "Install" },
      ...(mig ? { gpuInstanceProfile: mig } : {}),
      ...(pool.spot ? { scaleSetPriority: "Spot", scaleSetEvictionPolicy: "Delete", spotMaxPrice: -1 } : { scaleSetPriority: "Regular" }),
      nodeLabels: settings.nodeLabels,
      nodeTaints: settings.nodeTaints,
      tags: { ...pool.tags },
    },
    // The autoscaler moves the count between the bounds.
    childOpts(scope, landing, { ignoreChanges: ["count"] }),
  );
  return { capacityName: agentPool.name };
}
