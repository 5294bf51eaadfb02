import type { AgentPlan, FleetPlan, GpuPoolPlan } from "../../plan/types";
import type { Accelerator } from "../../spec/accelerators";
import type { SpecIssue } from "../../spec/errors";

/**
 * Serverless (consumption) GPU workload profiles of Container Apps: one whole GPU
 * per replica. Source: learn.microsoft.com/azure/container-apps/workload-profiles-overview
 * ("Consumption-GPU-NC8as-T4", "Consumption-GPU-NC24-A100"), read 2026-12-06.
 */
export const SERVERLESS_GPU_PROFILES: Readonly<Partial<Record<Accelerator, { readonly type: string; readonly name: string; readonly vcpu: number; readonly memoryGi: number }>>> = {
  "nvidia-t4": { type: "Consumption-GPU-NC8as-T4", name: "gpu-t4", vcpu: 8, memoryGi: 56 },
  "nvidia-a100": { type: "Consumption-GPU-NC24-A100", name: "gpu-a100", vcpu: 24, memoryGi: 220 },
  "nvidia-a100-80gb": { type: "Consumption-GPU-NC24-A100", name: "gpu-a100", vcpu: 24, memoryGi: 220 },
};

/**
 * Regions with serverless GPUs. Source: learn.microsoft.com/azure/container-apps/workload-profiles-overview
 * ("Scale-to-zero serverless GPUs are available in West US 3, Australia East, and
 * Sweden Central regions"), read 2026-12-06. Unconfirmed whether more regions have
 * been added since that page was written.
 */
export const SERVERLESS_GPU_REGIONS: ReadonlyArray<string> = ["westus3", "australiaeast", "swedencentral"];

/** Dedicated general-purpose (D) and memory-optimised (E) profiles, for agents past the Consumption profile's 4 vCPU / 8 GiB. */
export const DEDICATED_PROFILES: ReadonlyArray<{ readonly type: string; readonly vcpu: number; readonly memoryGi: number }> = [
  { type: "D4", vcpu: 4, memoryGi: 16 },
  { type: "E4", vcpu: 4, memoryGi: 32 },
  { type: "D8", vcpu: 8, memoryGi: 32 },
  { type: "E8", vcpu: 8, memoryGi: 64 },
  { type: "D16", vcpu: 16, memoryGi: 64 },
  { type: "E16", vcpu: 16, memoryGi: 128 },
  { type: "D32", vcpu: 32, memoryGi: 128 },
  { type: "E32", vcpu: 32, memoryGi: 256 },
];

/** The Consumption profile: 0.25 vCPU steps, 2 GiB per vCPU, at most 4 vCPU. */
const CONSUMPTION_MAX_VCPU = 4;

export interface AcaSize {
  readonly cpu: number;
  /** `<n>Gi`, as ContainerApp resources take it. */
  readonly memory: string;
  readonly memoryGi: number;
  /** Workload profile the app runs on. */
  readonly profile: string;
  /** Set when the size differs from the plan's. */
  readonly note?: string;
}

const quarter = (v: number) => Math.ceil(v * 4) / 4;

/**
 * The plan's CPU and memory as Container Apps accepts them: on the Consumption
 * profile the pair is (c, 2c Gi) with c a multiple of 0.25, so both are rounded up
 * to the smallest pair that holds the request; GPU agents keep their size on their
 * serverless GPU profile; agents past 4 vCPU or 8 GiB run on the smallest
 * Dedicated profile that holds them (one replica per node, sized by the plan).
 */
export function acaSize(agent: AgentPlan, pool?: GpuPoolPlan): AcaSize {
  const memGi = agent.resources.memoryMiB / 1024;
  if (pool) {
    const gpu = SERVERLESS_GPU_PROFILES[pool.accelerator];
    if (!gpu) throw new Error(`unreachable: ${pool.accelerator} has no serverless GPU profile (validated before)`);
    return { cpu: quarter(agent.resources.cpu), memory: `${quarter(memGi)}Gi`, memoryGi: quarter(memGi), profile: gpu.name };
  }
  const c = quarter(Math.max(agent.resources.cpu, memGi / 2, 0.25));
  if (c <= CONSUMPTION_MAX_VCPU) {
    const changed = c !== agent.resources.cpu || c * 2 !== memGi;
    return {
      cpu: c,
      memory: `${c * 2}Gi`,
      memoryGi: c * 2,
      profile: "Consumption",
      ...(changed ? { note: `${agent.name}: ${agent.resources.cpu} vCPU / ${memGi} GiB rounded up to ${c} vCPU / ${c * 2} GiB (Container Apps Consumption sizes)` } : {}),
    };
  }
  const dedicated = DEDICATED_PROFILES.find((p) => p.vcpu >= agent.resources.cpu + 0.5 && p.memoryGi >= memGi + 1);
  if (!dedicated) throw new Error(`unreachable: ${agent.name} is larger than every Dedicated profile (validated before)`);
  return { cpu: quarter(agent.resources.cpu), memory: `${quarter(memGi)}Gi`, memoryGi: quarter(memGi), profile: dedicated.type.toLowerCase(), note: `${agent.name}: runs on a Dedicated ${dedicated.type} profile (past the Consumption profile's 4 vCPU / 8 GiB)` };
}

/** The Dedicated profiles a fleet needs: name, type and node bounds (one replica per node). */
export function dedicatedProfiles(plan: FleetPlan): Array<{ name: string; workloadProfileType: string; minimumCount: number; maximumCount: number }> {
  const byType = new Map<string, { min: number; max: number }>();
  for (const agent of plan.agents) {
    if (agent.gpu) continue;
    const size = acaSize(agent);
    if (size.profile === "Consumption") continue;
    const cur = byType.get(size.profile) ?? { min: 0, max: 0 };
    byType.set(size.profile, { min: cur.min + agent.scaling.min, max: cur.max + agent.scaling.max });
  }
  return [...byType].map(([name, n]) => ({ name, workloadProfileType: name.toUpperCase(), minimumCount: n.min, maximumCount: Math.max(n.max, 1) }));
}

/**
 * What Container Apps cannot run, before any resource: a fraction of a GPU or more
 * than one (serverless GPUs are whole, one per replica), an accelerator without a
 * serverless profile, a GPU in a region without serverless GPUs, and an agent
 * larger than the largest Dedicated profile.
 */
export function acaIssues(plan: FleetPlan, region: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  plan.agents.forEach((agent, i) => {
    const gpu = plan.fleet.agents[i]?.resources.gpu;
    const path = `spec.agents[${i}]`;
    if (gpu) {
      if (gpu.share !== 1) {
        issues.push({
          path: `${path}.resources.gpu.share`,
          message: gpu.share < 1 ? `Container Apps serverless GPUs are whole GPUs: a ${gpu.share} share cannot be served` : `Container Apps serverless GPU replicas have one GPU: ${gpu.share} cannot be served`,
          hint: "use share: 1 on aca, or run the fleet on aks (time-slicing and MIG node pools)",
        });
      }
      const pool = agent.gpu ? plan.gpuPools.find((p) => p.name === agent.gpu?.pool) : undefined;
      if (pool && !SERVERLESS_GPU_PROFILES[pool.accelerator]) {
        issues.push({ path: `${path}.resources.gpu`, message: `pool '${pool.name}' uses ${pool.accelerator}, which Container Apps has no serverless GPU for`, hint: "pin the pool to nvidia-t4 or nvidia-a100 in spec.gpuPools, or run on aks" });
      }
      if (!SERVERLESS_GPU_REGIONS.includes(region)) {
        issues.push({ path: `${path}.resources.gpu`, message: `region '${region}' has no Container Apps serverless GPUs`, hint: `use one of ${SERVERLESS_GPU_REGIONS.join(", ")} (Microsoft Learn, workload profiles overview, read 2026-12-06), or run on aks` });
      }
    } else if (agent.resources.cpu > 4 || agent.resources.memoryMiB > 8192) {
      const memGi = agent.resources.memoryMiB / 1024;
      if (!DEDICATED_PROFILES.some((p) => p.vcpu >= agent.resources.cpu + 0.5 && p.memoryGi >= memGi + 1)) {
        issues.push({ path: `${path}.resources`, message: `${agent.resources.cpu} vCPU / ${memGi} GiB is larger than Container Apps' largest Dedicated profile (E32)`, hint: "lower the agent's size, or run on aks" });
      }
    }
  });
  return issues;
}
