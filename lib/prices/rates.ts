import { ACCELERATOR_INFO, ACCELERATORS, type Accelerator, type Cloud } from "../spec/accelerators";
import { priceCatalog, type Price, type PriceCatalog } from "./catalog";

/**
 * Hourly rates read from the catalog: a machine type by cloud, a Fargate task size.
 * Below the plan (which picks the cheapest GPU shape) and the cost estimator alike.
 */

/** An hourly rate and the catalog entries it came from. */
export interface HourlyRate {
  readonly usd: number;
  readonly prices: ReadonlyArray<Price>;
}

const INSTANCE_KEY: Readonly<Record<Cloud, (type: string) => string>> = {
  aws: (t) => `aws.ec2.${t}.hour`,
  azure: (t) => `azure.vm.${t}.hour`,
  gcp: (t) => `gcp.gce.${t}.hour`,
};

/** The catalog key of a machine type's on-demand hour. */
export function instanceKey(cloud: Cloud, instanceType: string): string {
  return INSTANCE_KEY[cloud](instanceType);
}

/** GPUs a machine type carries, from the accelerator table; 0 when it carries none there. */
export function gpusOfInstanceType(cloud: Cloud, instanceType: string): { count: number; accelerator?: Accelerator } {
  for (const acc of ACCELERATORS) {
    const shape = ACCELERATOR_INFO[acc].shapes[cloud]?.find((s) => s.instanceType === instanceType);
    if (shape) return { count: shape.gpus, accelerator: acc };
  }
  return { count: 0 };
}

/** GCP machine types that carry no GPU of their own: an attached GPU is billed on top. */
const GCP_ATTACHED_GPU_KEY: Readonly<Partial<Record<Accelerator, string>>> = { "nvidia-t4": "gcp.gpu.nvidia-tesla-t4.hour" };

/**
 * On-demand price of one machine of a type, GPUs included (on GCP N1 machines the
 * attached GPUs are added). Undefined when the catalog has no price for it.
 */
export function instanceHourly(cloud: Cloud, instanceType: string, catalog: PriceCatalog = priceCatalog()): HourlyRate | undefined {
  const machine = catalog.find(instanceKey(cloud, instanceType));
  if (!machine) return undefined;
  const gpus = gpusOfInstanceType(cloud, instanceType);
  const attachedKey = cloud === "gcp" && gpus.accelerator ? GCP_ATTACHED_GPU_KEY[gpus.accelerator] : undefined;
  if (attachedKey) {
    const gpu = catalog.find(attachedKey);
    if (!gpu) return undefined;
    return { usd: machine.usd + gpu.usd * gpus.count, prices: [machine, gpu] };
  }
  return { usd: machine.usd, prices: [machine] };
}

/** Fargate (Linux/x86) per task-hour for a task size. */
export function fargateHourly(vcpu: number, memoryGiB: number, catalog: PriceCatalog = priceCatalog()): HourlyRate | undefined {
  const cpu = catalog.find("aws.fargate.vcpu-hour");
  const mem = catalog.find("aws.fargate.gb-hour");
  if (!cpu || !mem) return undefined;
  return { usd: vcpu * cpu.usd + memoryGiB * mem.usd, prices: [cpu, mem] };
}
