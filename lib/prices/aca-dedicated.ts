import { priceCatalog, type PriceCatalog } from "./catalog";
import type { HourlyRate } from "./rates";

/**
 * Container Apps Dedicated workload profiles the targets use: general purpose (D)
 * and memory optimised (E), vCPU and GiB per instance. Source:
 * learn.microsoft.com/azure/container-apps/workload-profiles-overview (profile table),
 * read 2026-12-06.
 */
export const ACA_DEDICATED_SHAPES: Readonly<Record<string, { readonly vcpu: number; readonly memoryGiB: number }>> = {
  D4: { vcpu: 4, memoryGiB: 16 },
  D8: { vcpu: 8, memoryGiB: 32 },
  D16: { vcpu: 16, memoryGiB: 64 },
  D32: { vcpu: 32, memoryGiB: 128 },
  E4: { vcpu: 4, memoryGiB: 32 },
  E8: { vcpu: 8, memoryGiB: 64 },
  E16: { vcpu: 16, memoryGiB: 128 },
  E32: { vcpu: 32, memoryGiB: 256 },
};

/**
 * One instance-hour of a Dedicated profile: its vCPUs and GiB at the Dedicated plan's
 * meters (`azure.aca.dedicated.vcpu-hour`, `.gib-hour`). The environment's Dedicated
 * plan management fee is separate (`azure.aca.dedicated.management-hour`).
 */
export function acaDedicatedHourly(profileType: string, catalog: PriceCatalog = priceCatalog()): HourlyRate | undefined {
  const shape = ACA_DEDICATED_SHAPES[profileType.toUpperCase()];
  const cpu = catalog.find("azure.aca.dedicated.vcpu-hour");
  const mem = catalog.find("azure.aca.dedicated.gib-hour");
  if (!shape || !cpu || !mem) return undefined;
  return { usd: shape.vcpu * cpu.usd + shape.memoryGiB * mem.usd, prices: [cpu, mem] };
}
