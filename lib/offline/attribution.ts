import type { CapturedResource } from "./engine";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The cost-allocation tags or labels on a resource, whatever the provider calls them. */
export function allocationTags(inputs: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  const take = (bag: unknown, prefix = "") => {
    if (!isRecord(bag)) return;
    for (const [k, v] of Object.entries(bag)) {
      if (typeof v !== "string") continue;
      if (prefix === "" || k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
    }
  };
  take(inputs.tags);
  take(inputs.labels);
  if (isRecord(inputs.metadata)) take(inputs.metadata.labels, "microagents.io/");
  return out;
}

/** The agent a resource belongs to, from its tags or labels; undefined for shared resources. */
export function agentOf(r: Pick<CapturedResource, "inputs">): string | undefined {
  const agent = allocationTags(r.inputs).agent;
  return agent && agent !== "shared" ? agent : undefined;
}

/** The nearest microagents component above a resource. */
export function componentOf(r: CapturedResource, byUrn: ReadonlyMap<string, CapturedResource>): CapturedResource | undefined {
  let parent = r.parentUrn ? byUrn.get(r.parentUrn) : undefined;
  while (parent && !parent.type.startsWith("microagents:")) parent = parent.parentUrn ? byUrn.get(parent.parentUrn) : undefined;
  return parent;
}
