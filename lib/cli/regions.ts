import type { Fact } from "../facts/types";
import { table } from "./table";

/**
 * The stack by cloud and region (the unified control plane's view of a fleet on
 * several): resources per cloud and region from their facts, and, for `check`, the
 * findings on them. Empty when everything is in one region.
 */
export function cloudRegionTable(facts: ReadonlyArray<Fact>, violations?: ReadonlyArray<{ readonly urn: string; readonly enforcement: "mandatory" | "advisory" }>): string {
  const where = new Map<string, string>();
  for (const f of facts) if (!where.has(f.resource.urn)) where.set(f.resource.urn, `${f.cloud}|${(f.region ?? "global").toLowerCase()}`);
  const places = [...new Set(where.values())].sort();
  if (places.length < 2) return "";
  const counts = new Map(places.map((p) => [p, { resources: 0, mandatory: 0, advisory: 0 }]));
  for (const p of where.values()) {
    const c = counts.get(p);
    if (c) c.resources++;
  }
  for (const v of violations ?? []) {
    const p = where.get(v.urn);
    const c = p ? counts.get(p) : undefined;
    if (c) c[v.enforcement]++;
  }
  const head = violations ? ["cloud", "region", "resources", "mandatory", "advisory"] : ["cloud", "region", "resources"];
  const rows = [...counts.entries()].map(([p, c]) => [...p.split("|"), c.resources, ...(violations ? [c.mandatory, c.advisory] : [])]);
  return `\nBy cloud and region\n${table([head, ...rows])}`;
}
