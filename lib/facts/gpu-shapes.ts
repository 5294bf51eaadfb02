import { ACCELERATOR_INFO, ACCELERATORS } from "../spec/accelerators";

/** GPUs of a machine type: from the accelerator catalog, else from the family name. */
export interface MachineGpu {
  readonly type: string;
  readonly count?: number;
}

const known = new Map<string, MachineGpu>();
for (const name of ACCELERATORS) {
  for (const shapes of Object.values(ACCELERATOR_INFO[name].shapes)) {
    for (const s of shapes ?? []) known.set(s.instanceType.toLowerCase(), { type: name, count: s.gpus });
  }
}

/** Instance families whose GPU is fixed, for sizes the catalog does not list. */
const FAMILIES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^g4dn\./, "nvidia-t4"],
  [/^g5\./, "nvidia-a10g"],
  [/^g6e\./, "nvidia-l40s"],
  [/^g6\./, "nvidia-l4"],
  [/^gr6\./, "nvidia-l4"],
  [/^p4de\./, "nvidia-a100-80gb"],
  [/^p4d\./, "nvidia-a100"],
  [/^p5e?n?\./, "nvidia-h100"],
  [/^standard_nc\d+as_t4_v3$/, "nvidia-t4"],
  [/^standard_nv\d+ads_a10_v5$/, "nvidia-a10"],
  [/^standard_nc\d+ads_a100_v4$/, "nvidia-a100-80gb"],
  [/^standard_nd\d+asr_v4$/, "nvidia-a100"],
  [/^standard_nd\d+amsr_a100_v4$/, "nvidia-a100-80gb"],
  [/^standard_nc\d+ads_h100_v5$/, "nvidia-h100"],
  [/^standard_nd\d+isr_h100_v5$/, "nvidia-h100"],
  [/^g2-standard-/, "nvidia-l4"],
  [/^a2-highgpu-/, "nvidia-a100"],
  [/^a2-ultragpu-/, "nvidia-a100-80gb"],
  [/^a3-/, "nvidia-h100"],
];

/** GKE, Cloud Run and GCE accelerator names to the catalog's names. */
const GCP_ACCELERATORS: Readonly<Record<string, string>> = Object.fromEntries(
  ACCELERATORS.flatMap((a) => (ACCELERATOR_INFO[a].gkeAcceleratorType ? [[ACCELERATOR_INFO[a].gkeAcceleratorType as string, a]] : [])),
);

export function gpuOfMachine(machineType: string | undefined): MachineGpu | undefined {
  if (!machineType) return undefined;
  const key = machineType.toLowerCase();
  const hit = known.get(key);
  if (hit) return hit;
  const family = FAMILIES.find(([re]) => re.test(key));
  return family ? { type: family[1] } : undefined;
}

/** `nvidia-tesla-t4` -> `nvidia-t4`; names already in the catalog pass through. */
export function normalizeAccelerator(name: string | undefined): string | undefined {
  if (!name) return undefined;
  return GCP_ACCELERATORS[name] ?? name;
}
