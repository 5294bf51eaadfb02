import type { SpecIssue } from "./errors";
import { formatPath } from "./errors";

/**
 * Placement checks on the raw fleet file (`spec.targets[].agents`): every name is an
 * agent of the fleet, named once per target, and every agent runs on some target.
 * They read the input defensively, like the other reference checks.
 */

type Raw = Record<string, unknown>;
const isRaw = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function checkPlacement(spec: Raw, agentNames: ReadonlySet<string>): SpecIssue[] {
  const targets = list(spec.targets).filter(isRaw);
  if (!targets.some((t) => Array.isArray(t.agents))) return [];
  const issues: SpecIssue[] = [];
  const known = [...agentNames].join(", ");
  const placed = new Set<string>();
  list(spec.targets).forEach((t, i) => {
    if (!isRaw(t)) return;
    if (!Array.isArray(t.agents)) {
      for (const n of agentNames) placed.add(n);
      return;
    }
    const seen = new Set<string>();
    t.agents.forEach((name, j) => {
      if (typeof name !== "string") return;
      const at = formatPath(["spec", "targets", i, "agents", j]);
      if (!agentNames.has(name)) issues.push({ path: at, message: `unknown agent '${name}'`, hint: `a target runs agents of this fleet: ${known}` });
      else if (seen.has(name)) issues.push({ path: at, message: `'${name}' is listed twice`, hint: "name each agent once per target" });
      seen.add(name);
      placed.add(name);
    });
  });
  list(spec.agents).forEach((a, i) => {
    const name = isRaw(a) && typeof a.name === "string" ? a.name : undefined;
    if (name === undefined || placed.has(name)) return;
    issues.push({
      path: formatPath(["spec", "agents", i]),
      message: `agent '${name}' runs on no target: every target lists its agents and none lists '${name}'`,
      hint: "add it to a target's agents, or leave agents out of a target to run every agent there",
    });
  });
  return issues;
}
