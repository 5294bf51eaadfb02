/**
 * GPU facts the spec and the plan need: memory, MIG support, and the node shapes
 * each cloud sells them in. Prices live in lib/prices/prices.json, never here.
 */

export const ACCELERATORS = [
  "nvidia-t4",
  "nvidia-l4",
  "nvidia-a10",
  "nvidia-a10g",
  "nvidia-l40s",
  "nvidia-a100",
  "nvidia-a100-80gb",
  "nvidia-h100",
] as const;
export type Accelerator = (typeof ACCELERATORS)[number];

export type Cloud = "aws" | "azure" | "gcp";

/** A machine shape that carries GPUs. */
export interface GpuNodeShape {
  readonly instanceType: string;
  readonly gpus: number;
  readonly vcpu: number;
  readonly memoryGiB: number;
}

/** A MIG profile: compute slices out of 7 and its memory. */
export interface MigProfile {
  readonly name: string;
  readonly computeSlices: number;
  readonly memoryGi: number;
}

export interface AcceleratorInfo {
  readonly name: Accelerator;
  readonly memoryGi: number;
  /** MIG profiles the GPU supports, smallest first; empty when it has no MIG. */
  readonly migProfiles: ReadonlyArray<MigProfile>;
  /** Node shapes per cloud, fewest GPUs first. */
  readonly shapes: Readonly<Partial<Record<Cloud, ReadonlyArray<GpuNodeShape>>>>;
  /** GKE accelerator type label value, where GKE sells this GPU. */
  readonly gkeAcceleratorType?: string;
}

const migProfiles = (memPerSlice: number): MigProfile[] => [
  { name: `1g.${memPerSlice}gb`, computeSlices: 1, memoryGi: memPerSlice },
  { name: `2g.${memPerSlice * 2}gb`, computeSlices: 2, memoryGi: memPerSlice * 2 },
  { name: `3g.${memPerSlice * 4}gb`, computeSlices: 3, memoryGi: memPerSlice * 4 },
  { name: `7g.${memPerSlice * 8}gb`, computeSlices: 7, memoryGi: memPerSlice * 8 },
];

export const ACCELERATOR_INFO: Readonly<Record<Accelerator, AcceleratorInfo>> = {
  "nvidia-t4": {
    name: "nvidia-t4",
    memoryGi: 16,
    migProfiles: [],
    gkeAcceleratorType: "nvidia-tesla-t4",
    shapes: {
      aws: [
        { instanceType: "g4dn.xlarge", gpus: 1, vcpu: 4, memoryGiB: 16 },
        { instanceType: "g4dn.12xlarge", gpus: 4, vcpu: 48, memoryGiB: 192 },
      ],
      azure: [
        { instanceType: "Standard_NC4as_T4_v3", gpus: 1, vcpu: 4, memoryGiB: 28 },
        { instanceType: "Standard_NC64as_T4_v3", gpus: 4, vcpu: 64, memoryGiB: 440 },
      ],
      // N1 with one attached T4; n1-standard-4 keeps the T4 the cheapest GPU per hour on GCP (test/cost/catalog.test.ts).
      gcp: [{ instanceType: "n1-standard-4", gpus: 1, vcpu: 4, memoryGiB: 15 }],
    },
  },
  "nvidia-l4": {
    name: "nvidia-l4",
    memoryGi: 24,
    migProfiles: [],
    gkeAcceleratorType: "nvidia-l4",
    shapes: {
      aws: [
        { instanceType: "g6.xlarge", gpus: 1, vcpu: 4, memoryGiB: 16 },
        { instanceType: "g6.2xlarge", gpus: 1, vcpu: 8, memoryGiB: 32 },
        { instanceType: "g6.12xlarge", gpus: 4, vcpu: 48, memoryGiB: 192 },
      ],
      gcp: [
        { instanceType: "g2-standard-4", gpus: 1, vcpu: 4, memoryGiB: 16 },
        { instanceType: "g2-standard-8", gpus: 1, vcpu: 8, memoryGiB: 32 },
        { instanceType: "g2-standard-48", gpus: 4, vcpu: 48, memoryGiB: 192 },
      ],
    },
  },
  "nvidia-a10": {
    name: "nvidia-a10",
    memoryGi: 24,
    migProfiles: [],
    shapes: { azure: [{ instanceType: "Standard_NV36ads_A10_v5", gpus: 1, vcpu: 36, memoryGiB: 440 }] },
  },
  "nvidia-a10g": {
    name: "nvidia-a10g",
    memoryGi: 24,
    migProfiles: [],
    shapes: {
      aws: [
        { instanceType: "g5.xlarge", gpus: 1, vcpu: 4, memoryGiB: 16 },
        { instanceType: "g5.2xlarge", gpus: 1, vcpu: 8, memoryGiB: 32 },
        { instanceType: "g5.12xlarge", gpus: 4, vcpu: 48, memoryGiB: 192 },
      ],
    },
  },
  "nvidia-l40s": {
    name: "nvidia-l40s",
    memoryGi: 48,
    migProfiles: [],
    shapes: {
      aws: [
        { instanceType: "g6e.xlarge", gpus: 1, vcpu: 4, memoryGiB: 32 },
        { instanceType: "g6e.12xlarge", gpus: 4, vcpu: 48, memoryGiB: 384 },
      ],
    },
  },
  "nvidia-a100": {
    name: "nvidia-a100",
    memoryGi: 40,
    migProfiles: migProfiles(5),
    gkeAcceleratorType: "nvidia-tesla-a100",
    shapes: {
      aws: [{ instanceType: "p4d.24xlarge", gpus: 8, vcpu: 96, memoryGiB: 1152 }],
      gcp: [{ instanceType: "a2-highgpu-1g", gpus: 1, vcpu: 12, memoryGiB: 85 }],
    },
  },
  "nvidia-a100-80gb": {
    name: "nvidia-a100-80gb",
    memoryGi: 80,
    migProfiles: migProfiles(10),
    gkeAcceleratorType: "nvidia-a100-80gb",
    shapes: {
      azure: [{ instanceType: "Standard_NC24ads_A100_v4", gpus: 1, vcpu: 24, memoryGiB: 220 }],
      gcp: [{ instanceType: "a2-ultragpu-1g", gpus: 1, vcpu: 12, memoryGiB: 170 }],
    },
  },
  "nvidia-h100": {
    name: "nvidia-h100",
    memoryGi: 80,
    migProfiles: migProfiles(10),
    gkeAcceleratorType: "nvidia-h100-80gb",
    shapes: {
      aws: [{ instanceType: "p5.48xlarge", gpus: 8, vcpu: 192, memoryGiB: 2048 }],
      azure: [
        { instanceType: "Standard_NC40ads_H100_v5", gpus: 1, vcpu: 40, memoryGiB: 320 },
        { instanceType: "Standard_ND96isr_H100_v5", gpus: 8, vcpu: 96, memoryGiB: 1900 },
      ],
      gcp: [{ instanceType: "a3-highgpu-8g", gpus: 8, vcpu: 208, memoryGiB: 1872 }],
    },
  },
};

/**
 * GPU shares an agent may ask for. Fractions are served by time-slicing (1/share
 * slices per GPU) or by a MIG profile (1/8 -> 1g, 1/4 -> 2g, 1/2 -> 3g); whole
 * numbers are dedicated GPUs on one node.
 */
export const FRACTIONAL_SHARES = [0.125, 0.25, 0.5] as const;
export const WHOLE_SHARES = [1, 2, 4, 8] as const;
export const ALLOWED_SHARES: ReadonlyArray<number> = [...FRACTIONAL_SHARES, ...WHOLE_SHARES];

/** MIG compute slices for a fractional share, on GPUs with 7 slices. */
export function migProfileForShare(info: AcceleratorInfo, share: number): MigProfile | undefined {
  const slices = share >= 1 ? 7 : share === 0.5 ? 3 : share === 0.25 ? 2 : 1;
  return info.migProfiles.find((p) => p.computeSlices === slices);
}
