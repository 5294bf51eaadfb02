import type { AgentPlan } from "../../plan/types";
import { invalidProp } from "../../spec/errors";
import { formatMemory } from "../../spec/quantities";

/** Cloud Run vCPU sizes (whole vCPU; fractions below 1 force concurrency 1, so they are rounded up) and the most memory each allows, in MiB. */
export const RUN_CPU_SIZES: ReadonlyArray<{ cpu: number; maxMemoryMiB: number; minMemoryMiB: number }> = [
  { cpu: 1, maxMemoryMiB: 4096, minMemoryMiB: 512 },
  { cpu: 2, maxMemoryMiB: 8192, minMemoryMiB: 512 },
  { cpu: 4, maxMemoryMiB: 16384, minMemoryMiB: 2048 },
  { cpu: 6, maxMemoryMiB: 24576, minMemoryMiB: 4096 },
  { cpu: 8, maxMemoryMiB: 32768, minMemoryMiB: 4096 },
];
/** A Cloud Run GPU instance needs at least 4 vCPU and 16 GiB. */
export const RUN_GPU_MIN = { cpu: 4, memoryMiB: 16384 } as const;
/** Cloud Run's highest request concurrency per instance. */
export const RUN_MAX_CONCURRENCY = 1000;
/** Cloud Run's longest request timeout, in seconds. */
export const RUN_MAX_TIMEOUT_SECONDS = 3600;

export interface RunShape {
  readonly cpu: string;
  readonly memory: string;
  readonly cpuCount: number;
  readonly memoryMiB: number;
  /** What was rounded, for the README and the plan's reader. */
  readonly notes: ReadonlyArray<string>;
}

/**
 * The plan's CPU and memory as Cloud Run accepts them: the smallest whole vCPU
 * size that holds the CPU and whose memory ceiling holds the memory, memory
 * rounded up to the size's floor and to whole 256 MiB; GPU instances at least
 * 4 vCPU and 16 GiB. Beyond 8 vCPU or 32 GiB is an error.
 */
export function runShape(agent: AgentPlan): RunShape {
  const wantCpu = Math.max(agent.resources.cpu, agent.gpu ? RUN_GPU_MIN.cpu : 0);
  const wantMem = Math.max(agent.resources.memoryMiB, agent.gpu ? RUN_GPU_MIN.memoryMiB : 0);
  const size = RUN_CPU_SIZES.find((s) => s.cpu >= wantCpu && s.maxMemoryMiB >= wantMem);
  if (!size) invalidProp(`agent.resources`, `agent '${agent.name}' asks for ${agent.resources.cpu} vCPU and ${formatMemory(agent.resources.memoryMiB)}: more than a Cloud Run instance has (8 vCPU, 32 GiB)`, "lower the resources, or use runtime 'gke'");
  const memoryMiB = Math.ceil(Math.max(wantMem, size.minMemoryMiB) / 256) * 256;
  const notes: string[] = [];
  if (size.cpu !== agent.resources.cpu) notes.push(`cpu ${agent.resources.cpu} -> ${size.cpu} (Cloud Run size${agent.gpu ? ", GPU minimum 4" : ""})`);
  if (memoryMiB !== agent.resources.memoryMiB) notes.push(`memory ${formatMemory(agent.resources.memoryMiB)} -> ${formatMemory(memoryMiB)}`);
  return { cpu: String(size.cpu), memory: `${memoryMiB}Mi`, cpuCount: size.cpu, memoryMiB, notes };
}
