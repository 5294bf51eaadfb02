import { sizeSystemNodes } from "../../plan/system-nodes";
import type { FleetPlan, GpuPoolPlan } from "../../plan/types";
import { devicePluginConfigName, DEVICE_PLUGIN_CONFIG_LABEL, GPU_PRESENT_LABEL } from "../kubernetes/gpu-pool";
import { GPU_POOL_LABEL, GPU_TAINT } from "../kubernetes/gpu-scheduling";
import { shortHash } from "../azure/names";

/** A Kubernetes minor version in AKS standard support through 2027 (policies/rules/data/kubernetes-support.json). */
export const AKS_VERSION = "1.35";

/** The taint AKS puts on every spot node (it cannot be removed): spot GPU agents tolerate it. */
export const AKS_SPOT_TAINT = { key: "kubernetes.azure.com/scalesetpriority", operator: "Equal", value: "spot", effect: "NoSchedule" } as const;

/** Service and pod ranges of the overlay network (outside the VNet's 10.x space). */
export const AKS_NETWORK = { podCidr: "192.168.0.0/16", serviceCidr: "172.20.0.0/16", dnsServiceIP: "172.20.0.10" } as const;

/** The system pool's VM sizes, smallest first (each priced in lib/prices/prices.json). */
export const AKS_SYSTEM_SHAPES = [
  { vmSize: "Standard_D4s_v5", vcpu: 4, memoryGiB: 16 },
  { vmSize: "Standard_D8s_v5", vcpu: 8, memoryGiB: 32 },
] as const;

/**
 * The system pool: add-ons and the CPU agents. The smallest D-series size that holds
 * the largest CPU agent with room for node daemons, autoscaling between 1 (2 in prod)
 * and what every CPU agent at its maximum needs, within the tier's node cap.
 */
export function aksSystemPool(plan: Pick<FleetPlan, "agents" | "tier" | "fleet">): { vmSize: string; min: number; max: number } {
  const minNodes = plan.fleet.environment === "prod" ? 2 : 1;
  const { shape, min, max } = sizeSystemNodes(plan, AKS_SYSTEM_SHAPES, { usable: 0.8, firstShape: 0, minNodes });
  return { vmSize: shape.vmSize, min, max };
}

/** AKS node pool names: lowercase letters and digits, at most 12, starting with a letter. */
export function aksPoolName(pool: string): string {
  const clean = pool.toLowerCase().replace(/[^a-z0-9]/g, "");
  return clean.length <= 12 && /^[a-z]/.test(clean) ? clean : `gpu${shortHash(pool).slice(0, 8)}`;
}

/** `MIG1g` ... `MIG7g` from the pool's MIG profiles (`1g.10gb`): AKS partitions every GPU of a pool alike, so the smallest profile wins. */
export function aksMigProfile(pool: Pick<GpuPoolPlan, "sharing" | "migProfiles">): string | undefined {
  if (pool.sharing !== "mig") return undefined;
  const slices = Object.values(pool.migProfiles).map((p) => Number(/^(\d)g/.exec(p)?.[1] ?? "7"));
  return slices.length > 0 ? `MIG${Math.min(...slices)}g` : undefined;
}

/** Labels and taints of a GPU pool's nodes, as the Kubernetes target's scheduling and device plugin expect. */
export function gpuPoolNodeSettings(fleet: string, pool: Pick<GpuPoolPlan, "name">) {
  return {
    nodeLabels: { [GPU_POOL_LABEL]: pool.name, [DEVICE_PLUGIN_CONFIG_LABEL]: devicePluginConfigName(fleet, pool.name), [GPU_PRESENT_LABEL]: "true" },
    nodeTaints: [`${GPU_TAINT.key}=present:${GPU_TAINT.effect}`],
  };
}
