import * as eks from "@pulumi/aws/eks";
import { invalidProp } from "../../spec/errors";
import type { GpuPoolOutputs, GpuPoolScope } from "../target";
import { awsLandings, childOpts } from "../aws/landing";
import { awsName, NAME_LIMITS } from "../aws/names";
import { nodeLaunchTemplate } from "../aws/nodes";
import { awsTags } from "../aws/tags";
import { DEVICE_PLUGIN_CONFIG_LABEL, devicePluginConfigName } from "../kubernetes/gpu-pool";
import { GPU_POOL_LABEL, GPU_TAINT } from "../kubernetes/gpu-scheduling";
import { eksLandings } from "./landing";

/**
 * A managed node group per GPU pool: the AL2023 NVIDIA AMI, the plan's instance
 * type and node bounds, spot where the plan says, tainted `nvidia.com/gpu:NoSchedule`
 * so only the pool's agents land there, labelled with the pool and its device-plugin
 * config (time-slicing or MIG, from the packing), IMDSv2 with hop limit 1.
 */
export function eksGpuPool(scope: GpuPoolScope): GpuPoolOutputs {
  const landing = awsLandings.get(scope.platform);
  const eksLanding = eksLandings.get(scope.platform);
  const pool = scope.pool;
  const shape = pool.shapes.aws;
  if (!shape) invalidProp("pool", `GPU pool '${pool.name}' has no AWS instance type for ${pool.accelerator}`, "pick an accelerator AWS sells");
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const template = nodeLaunchTemplate(name, { name: awsName([eksLanding.clusterName, pool.name], NAME_LIMITS.launchTemplate), tags: pool.tags, diskGiB: 200 }, opts);
  const group = new eks.NodeGroup(
    name,
    {
      clusterName: eksLanding.cluster.name,
      nodeGroupName: awsName([pool.name], NAME_LIMITS.nodeGroup),
      nodeRoleArn: eksLanding.nodeRole.arn,
      subnetIds: [...landing.network.privateSubnetIds],
      amiType: "AL2023_x86_64_NVIDIA",
      capacityType: pool.spot ? "SPOT" : "ON_DEMAND",
      instanceTypes: [shape.instanceType],
      scalingConfig: { minSize: pool.minNodes, maxSize: pool.maxNodes, desiredSize: pool.minNodes },
      updateConfig: { maxUnavailable: 1 },
      taints: [{ key: GPU_TAINT.key, value: "present", effect: "NO_SCHEDULE" }],
      labels: { [GPU_POOL_LABEL]: pool.name, [DEVICE_PLUGIN_CONFIG_LABEL]: devicePluginConfigName(scope.platform.fleet.name, pool.name), "nvidia.com/gpu.present": "true" },
      launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
      tags: awsTags(pool.tags, `${eksLanding.clusterName}-${pool.name}`),
    },
    { ...opts, ignoreChanges: ["scalingConfig.desiredSize"] },
  );
  return { capacityName: group.nodeGroupName };
}
