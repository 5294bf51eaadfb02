import { readFileSync } from "node:fs";
import { isMap, isSeq, LineCounter, parseDocument } from "yaml";

/**
 * Where each agent is written in a fleet file (YAML or JSON): the 1-based line of its
 * entry under `spec.agents`, keyed by agent name. Reports (SARIF) pin a finding on an
 * agent's resources to that line. Agents without a literal name are left out; a file
 * that does not parse gives no lines (the parser reports it elsewhere).
 */
export function agentLinesOf(text: string): Record<string, number> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) return {};
  const agents = doc.getIn(["spec", "agents"], true);
  const out: Record<string, number> = {};
  if (!isSeq(agents)) return out;
  for (const item of agents.items) {
    if (!isMap(item) || !item.range) continue;
    const name = item.get("name");
    if (typeof name === "string" && !(name in out)) out[name] = lineCounter.linePos(item.range[0]).line;
  }
  return out;
}

/** {@link agentLinesOf} for a file on disk. */
export function agentLines(path: string): Record<string, number> {
  return agentLinesOf(readFileSync(path, "utf8"));
}
