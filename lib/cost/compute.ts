import { ACCELERATOR_INFO, ACCELERATORS, type Accelerator, type Cloud } from "../spec/accelerators";

/**
 * Pure price functions for compute: instance and node hours by type, Fargate task
 * hours, and the share of a node a pod needs. No facts, no Pulumi: numbers in,
 * numbers out, with the catalog entries used so a basis can name them.
 */

/**
 * The cloud a region name belongs to, for Kubernetes clusters whose cloud the stack
 * does not say: `us-east-1` is AWS, `europe-west4` GCP, `westeurope` Azure.
 */
export function cloudOfRegion(region: string | undefined): Cloud | undefined {
  if (!region) return undefined;
  if (/^(us|eu|ap|ca|sa|me|af|il|mx)-[a-z]+-\d+$/.test(region)) return "aws";
  if (/^[a-z]+-[a-z]+\d+$/.test(region)) return "gcp";
  if (/^[a-z]+\d?$/.test(region) && region !== "local") return "azure";
  return undefined;
}

/** A machine shape pods are apportioned against. */
export interface NodeShape {
  readonly cloud: Cloud;
  readonly instanceType: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly gpus: number;
  readonly accelerator?: Accelerator;
}

/**
 * General-purpose nodes that CPU-only pods are priced against when the stack
 * declares no node pool: 4 vCPU and 16 GiB on each cloud.
 */
export const REFERENCE_NODES: Readonly<Record<Cloud, NodeShape>> = {
  aws: { cloud: "aws", instanceType: "m6i.xlarge", vcpu: 4, memoryGiB: 16, gpus: 0 },
  azure: { cloud: "azure", instanceType: "Standard_D4s_v5", vcpu: 4, memoryGiB: 16, gpus: 0 },
  gcp: { cloud: "gcp", instanceType: "n2-standard-4", vcpu: 4, memoryGiB: 16, gpus: 0 },
};

/** vCPU and memory of general-purpose machine types the catalog prices. */
const GENERAL_SHAPES: Readonly<Record<string, { vcpu: number; memoryGiB: number }>> = {
  "m6i.large": { vcpu: 2, memoryGiB: 8 },
  "m6i.xlarge": { vcpu: 4, memoryGiB: 16 },
  "m6i.2xlarge": { vcpu: 8, memoryGiB: 32 },
  "m7i.large": { vcpu: 2, memoryGiB: 8 },
  "m7i.xlarge": { vcpu: 4, memoryGiB: 16 },
  "m7i.2xlarge": { vcpu: 8, memoryGiB: 32 },
  "m7i.4xlarge": { vcpu: 16, memoryGiB: 64 },
  "c6i.xlarge": { vcpu: 4, memoryGiB: 8 },
  "t3.medium": { vcpu: 2, memoryGiB: 4 },
  Standard_D4s_v5: { vcpu: 4, memoryGiB: 16 },
  Standard_D8s_v5: { vcpu: 8, memoryGiB: 32 },
  "e2-standard-4": { vcpu: 4, memoryGiB: 16 },
  "n2-standard-2": { vcpu: 2, memoryGiB: 8 },
  "n2-standard-4": { vcpu: 4, memoryGiB: 16 },
  "n2-standard-8": { vcpu: 8, memoryGiB: 32 },
  "n2-standard-16": { vcpu: 16, memoryGiB: 64 },
  "n1-standard-4": { vcpu: 4, memoryGiB: 15 },
  "n1-standard-8": { vcpu: 8, memoryGiB: 30 },
};

/** The shape of a machine type: GPU shapes from the accelerator table, general ones from a small table. */
export function nodeShape(cloud: Cloud, instanceType: string): NodeShape | undefined {
  for (const acc of ACCELERATORS) {
    const shape = ACCELERATOR_INFO[acc].shapes[cloud]?.find((s) => s.instanceType === instanceType);
    if (shape) return { cloud, instanceType, vcpu: shape.vcpu, memoryGiB: shape.memoryGiB, gpus: shape.gpus, accelerator: acc };
  }
  const general = GENERAL_SHAPES[instanceType];
  return general ? { cloud, instanceType, ...general, gpus: 0 } : undefined;
}

/** The smallest shape a cloud sells an accelerator in, for pods on a GPU pool the stack does not declare. */
export function smallestGpuShape(cloud: Cloud, accelerator: Accelerator): NodeShape | undefined {
  const shape = ACCELERATOR_INFO[accelerator].shapes[cloud]?.[0];
  return shape ? { cloud, instanceType: shape.instanceType, vcpu: shape.vcpu, memoryGiB: shape.memoryGiB, gpus: shape.gpus, accelerator } : undefined;
}

/** What one replica asks of a node. */
export interface PodRequest {
  readonly cpu: number;
  readonly memoryMiB: number;
  /** GPUs, fractional for time-sliced or MIG shares. */
  readonly gpus: number;
}

/**
 * The fraction of a node one replica takes: its dominant resource (the largest of
 * its cpu, memory and GPU fractions), because whichever runs out first decides how
 * many replicas fit. System reservations are ignored; at most 1.
 */
export function nodeFraction(pod: PodRequest, node: NodeShape): number {
  const cpu = pod.cpu / node.vcpu;
  const mem = pod.memoryMiB / 1024 / node.memoryGiB;
  const gpu = node.gpus > 0 ? pod.gpus / node.gpus : pod.gpus > 0 ? Infinity : 0;
  return Math.min(1, Math.max(cpu, mem, gpu, 0));
}

/** Price after the spot discount, when the capacity is spot. */
export function withSpot(usd: number, spot: boolean, spotDiscount: number): number {
  return spot ? usd * (1 - spotDiscount) : usd;
}
