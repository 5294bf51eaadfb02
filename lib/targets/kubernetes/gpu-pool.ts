import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { costLabels } from "../../plan/tags";
import type { FleetPlan, GpuPoolPlan } from "../../plan/types";
import type { GpuPoolOutputs, GpuPoolScope } from "../target";
import { DEVICE_PLUGIN_RESOURCES } from "./addon-resources";
import { DEFAULT_ADDONS, helmRelease, type KubernetesAddons } from "./addons";
import { GPU_POOL_LABEL, GPU_TAINT } from "./gpu-scheduling";
import { childOpts, landings } from "./landing";

/** Node label the NVIDIA device plugin reads to pick a named config for the node. */
export const DEVICE_PLUGIN_CONFIG_LABEL = "nvidia.com/device-plugin.config";

/**
 * Nodes the device plugin runs on, any one term suffices. The chart's default affinity
 * (values.yaml `affinity`) wants node-feature-discovery's NVIDIA labels or
 * `nvidia.com/gpu.present=true`; the fleet runs no feature discovery, so a pool node is
 * also recognised by its pool label, and the pool's labelling command sets
 * `nvidia.com/gpu.present=true` as well. The feature-discovery terms stay for clusters that run it.
 */
export const DEVICE_PLUGIN_NODE_TERMS = [
  { key: GPU_POOL_LABEL, operator: "Exists" },
  { key: "nvidia.com/gpu.present", operator: "In", values: ["true"] },
  { key: "feature.node.kubernetes.io/pci-10de.present", operator: "In", values: ["true"] },
] as const;

/** Node label that makes the device plugin's default affinity match a node without feature discovery. */
export const GPU_PRESENT_LABEL = "nvidia.com/gpu.present";

/** Name of a pool's device-plugin config (one key of the plugin's ConfigMap). */
export function devicePluginConfigName(fleet: string, pool: string): string {
  return `${fleet}-${pool}`;
}

/**
 * The device plugin's config file for one pool, from the plan: time-sliced pools
 * advertise each GPU as `slicesPerGpu` `nvidia.com/gpu` replicas (the packing's
 * shares: a 1/4 share asks for 1 of 4 slices); MIG pools use the `mixed` strategy,
 * so each MIG profile is its own resource (`nvidia.com/mig-1g.10gb`); whole-GPU
 * pools share nothing.
 */
export function devicePluginConfig(pool: Pick<GpuPoolPlan, "sharing" | "slicesPerGpu">): Record<string, unknown> {
  if (pool.sharing === "mig") return { version: "v1", flags: { migStrategy: "mixed" } };
  if (pool.sharing === "time-slicing" && pool.slicesPerGpu > 1) {
    return {
      version: "v1",
      flags: { migStrategy: "none" },
      sharing: { timeSlicing: { renameByDefault: false, failRequestsGreaterThanOne: false, resources: [{ name: "nvidia.com/gpu", replicas: pool.slicesPerGpu }] } },
    };
  }
  return { version: "v1", flags: { migStrategy: "none" } };
}

/**
 * Helm values of the NVIDIA device plugin for a fleet's pools: one named config per
 * pool (nodes pick theirs with the `nvidia.com/device-plugin.config` label), and a
 * `default` that shares nothing for unlabelled GPU nodes.
 */
export function devicePluginValues(fleet: string, pools: ReadonlyArray<Pick<GpuPoolPlan, "name" | "sharing" | "slicesPerGpu">>): Record<string, unknown> {
  const map: Record<string, string> = { default: stringify(devicePluginConfig({ sharing: "none", slicesPerGpu: 1 })) };
  for (const pool of pools) map[devicePluginConfigName(fleet, pool.name)] = stringify(devicePluginConfig(pool));
  return {
    config: { map, default: "default" },
    resources: DEVICE_PLUGIN_RESOURCES,
    tolerations: [{ ...GPU_TAINT }, { key: "CriticalAddonsOnly", operator: "Exists" }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: DEVICE_PLUGIN_NODE_TERMS.map((t) => ({ matchExpressions: ["values" in t ? { ...t, values: [...t.values] } : { ...t }] })) } } },
  };
}

/**
 * The device plugin on a managed cluster (EKS, AKS) when the fleet has GPU pools and
 * the add-on is on: its nodes carry the pool label, not node-feature-discovery's
 * labels the chart's default affinity asks for, so it is scheduled by that label.
 */
export function managedClusterDevicePlugin(name: string, plan: Pick<FleetPlan, "fleet" | "gpuPools">, addons: Partial<KubernetesAddons>, opts: pulumi.CustomResourceOptions): void {
  if (plan.gpuPools.length === 0 || !(addons.nvidiaDevicePlugin ?? DEFAULT_ADDONS.nvidiaDevicePlugin)) return;
  helmRelease(
    `${name}-nvidia-device-plugin`,
    "nvidia-device-plugin",
    {
      ...devicePluginValues(plan.fleet.name, plan.gpuPools),
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: GPU_POOL_LABEL, operator: "Exists" }] }] } } },
    },
    opts,
  );
}

/** What nodes of a pool must carry, and how many the packing plan needs. */
export function poolNodeRequirements(fleet: string, pool: GpuPoolPlan): Record<string, unknown> {
  return {
    labels: { [GPU_POOL_LABEL]: pool.name, [DEVICE_PLUGIN_CONFIG_LABEL]: devicePluginConfigName(fleet, pool.name), [GPU_PRESENT_LABEL]: "true" },
    taint: `${GPU_TAINT.key}=present:${GPU_TAINT.effect}`,
    accelerator: pool.accelerator,
    sharing: pool.sharing,
    slicesPerGpu: pool.slicesPerGpu,
    gpusPerNode: pool.gpusPerNode,
    gpuMemoryGi: pool.gpuMemoryGi,
    minNodes: pool.minNodes,
    maxNodes: pool.maxNodes,
    nodesAtMaxReplicas: pool.packing.atMax.nodes,
    nodesAtMinReplicas: pool.packing.atMin.nodes,
    spot: pool.spot,
    agents: [...pool.agents],
    ...(pool.sharing === "mig" ? { migProfiles: { ...pool.migProfiles } } : {}),
  };
}

/**
 * A GPU pool on plain Kubernetes is a label over nodes the cluster already has:
 * agents require `microagents.io/gpu-pool=<pool>` and tolerate the GPU taint, the
 * device plugin slices GPUs by the node's `nvidia.com/device-plugin.config` label.
 * The pool's ConfigMap records what its nodes must carry and how many the packing
 * needs, for the people (or the node provisioner) that label them.
 */
export function kubernetesGpuPool(scope: GpuPoolScope): GpuPoolOutputs {
  const landing = landings.get(scope.platform);
  const fleet = scope.platform.fleet.name;
  const pool = scope.pool;
  const requirements = poolNodeRequirements(fleet, pool);
  new k8s.core.v1.ConfigMap(
    scope.resourceName,
    {
      metadata: { name: `gpu-pool-${pool.name}`, namespace: landing.namespace, labels: { ...costLabels(pool.tags), [GPU_POOL_LABEL]: pool.name } },
      data: {
        "requirements.yaml": stringify(requirements),
        "label-nodes.sh": `# Label (and taint) each of at least ${pool.minNodes} and at most ${pool.maxNodes} ${pool.accelerator} nodes:\nkubectl label node <node> ${GPU_POOL_LABEL}=${pool.name} ${DEVICE_PLUGIN_CONFIG_LABEL}=${devicePluginConfigName(fleet, pool.name)} ${GPU_PRESENT_LABEL}=true --overwrite\nkubectl taint node <node> ${GPU_TAINT.key}=present:${GPU_TAINT.effect} --overwrite\n`,
      },
    },
    childOpts(scope, landing),
  );
  return { capacityName: pulumi.output(`${GPU_POOL_LABEL}=${pool.name}`) };
}
