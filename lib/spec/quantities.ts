/**
 * Memory and CPU quantities as users write them in fleet files, converted once to
 * the numbers the plan works in (MiB and vCPU).
 */

const MEMORY_UNITS_MIB: Record<string, number> = {
  Mi: 1,
  Gi: 1024,
  Ti: 1024 * 1024,
  M: 1e6 / 1048576,
  G: 1e9 / 1048576,
  T: 1e12 / 1048576,
};

const MEMORY_PATTERN = /^(\d+(?:\.\d+)?)(Mi|Gi|Ti|M|G|T)$/;

/** Parses `4Gi`, `512Mi`, `4G` into MiB; returns undefined when the text is not a memory quantity. */
export function parseMemoryMiB(text: string): number | undefined {
  const m = MEMORY_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[1]) * MEMORY_UNITS_MIB[m[2]];
  return Math.round(value);
}

const CPU_PATTERN = /^(\d+(?:\.\d+)?)(m?)$/;

/** Parses `2`, `0.5` or `500m` into vCPU; returns undefined when the value is not a CPU quantity. */
export function parseCpu(value: number | string): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  const m = CPU_PATTERN.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === "m" ? n / 1000 : n;
}

/** Kubernetes quantity for a vCPU figure: whole cores stay whole, fractions become millicores. */
export function formatCpu(vcpu: number): string {
  return Number.isInteger(vcpu) ? String(vcpu) : `${Math.round(vcpu * 1000)}m`;
}

/** Kubernetes quantity for a MiB figure: whole GiB as `Gi`, otherwise `Mi`. */
export function formatMemory(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}
