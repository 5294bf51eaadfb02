import type { AgentPlan } from "../../plan/types";

/**
 * Fargate task sizes: each CPU size allows a memory range in fixed steps
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
 */
const FARGATE_SIZES: ReadonlyArray<{ readonly cpu: number; readonly memory: ReadonlyArray<number> }> = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: range(1024, 4096, 1024) },
  { cpu: 1024, memory: range(2048, 8192, 1024) },
  { cpu: 2048, memory: range(4096, 16384, 1024) },
  { cpu: 4096, memory: range(8192, 30720, 1024) },
  { cpu: 8192, memory: range(16384, 61440, 4096) },
  { cpu: 16384, memory: range(32768, 122880, 8192) },
];

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
}

/** The smallest Fargate task size with at least `cpuUnits` (1024 = 1 vCPU) and `memoryMiB`; undefined when none is that large. */
export function fargateTaskSize(cpuUnits: number, memoryMiB: number): { cpu: number; memory: number } | undefined {
  for (const size of FARGATE_SIZES) {
    if (size.cpu < cpuUnits) continue;
    const memory = size.memory.find((m) => m >= memoryMiB);
    if (memory !== undefined) return { cpu: size.cpu, memory };
  }
  return undefined;
}

/** vCPU to ECS CPU units. */
export function cpuUnits(vcpu: number): number {
  return Math.ceil(vcpu * 1024);
}

/** Agents the plan lets run on spot take Fargate Spot for most tasks; sync-routed ones stay on Fargate (an interruption would fail callers). */
export function fargateStrategy(agent: AgentPlan): Array<{ capacityProvider: string; weight: number; base: number }> {
  if (agent.spotEligible && agent.route?.invoke !== "sync") {
    return [
      { capacityProvider: "FARGATE_SPOT", weight: 4, base: 0 },
      { capacityProvider: "FARGATE", weight: 1, base: 0 },
    ];
  }
  return [{ capacityProvider: "FARGATE", weight: 1, base: 0 }];
}
