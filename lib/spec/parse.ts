import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { applyAgentDefaults, applyFleetDefaults, type DefaultsContext } from "./defaults";
import { formatPath, MicroAgentsConfigError, type SpecIssue } from "./errors";
import { checkAgent, checkReferences } from "./references";
import { agentSchema, fleetFileSchema, type AgentInput, type FleetInput } from "./schema";
import type { Agent, Fleet } from "./types";
import { toSpecIssues } from "./zod-issues";

/** Parses YAML or JSON text into plain data, reporting syntax errors with their line. */
export function parseFleetText(text: string, source = "fleet file"): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => ({
      path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "(file)",
      message: e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, ""),
      hint: "fix the YAML syntax",
    }));
    throw new MicroAgentsConfigError(issues, source);
  }
  return doc.toJS();
}

/**
 * Parses a fleet (YAML/JSON text, or an object written in TypeScript) into the typed,
 * defaulted fleet. Throws one MicroAgentsConfigError listing every problem as
 * `path: message (hint)`.
 */
export function parseFleet(input: FleetInput | string | unknown, source?: string): Fleet {
  const raw = typeof input === "string" ? parseFleetText(input, source) : input;
  const result = fleetFileSchema.safeParse(raw);
  const issues: SpecIssue[] = result.success ? [] : toSpecIssues(result.error, fleetFileSchema, raw);
  const seen = new Set(issues.map((i) => `${i.path}|${i.message}`));
  for (const issue of checkReferences(raw)) {
    if (!seen.has(`${issue.path}|${issue.message}`)) issues.push(issue);
  }
  if (issues.length > 0 || !result.success) throw new MicroAgentsConfigError(issues, source);
  return applyFleetDefaults(result.data);
}

/** Reads and parses a fleet file from disk. */
export function loadFleetFile(path: string): Fleet {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MicroAgentsConfigError([{ path, message: code === "ENOENT" ? "no such file" : `cannot read (${code ?? String(e)})`, hint: "check the --fleet path" }]);
  }
  return parseFleet(text, path);
}

/**
 * Parses one agent outside a fleet file (a MicroAgentService built by hand),
 * reporting problems under `prefix`, e.g. `agent.scaling.max`.
 */
export function parseAgent(input: AgentInput | unknown, ctx: DefaultsContext, prefix = "agent"): Agent {
  const result = agentSchema.safeParse(input);
  const issues = result.success ? [] : toSpecIssues(result.error, agentSchema, input, [prefix]);
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    issues.push(...checkAgent(input as Record<string, unknown>, (...p) => formatPath([prefix, ...p])));
  }
  if (issues.length > 0 || !result.success) throw new MicroAgentsConfigError(issues);
  return applyAgentDefaults(result.data, ctx);
}

/** Identity with types: lets agents/*.ts and stacks write fleets with editor completion. */
export function defineFleet(input: FleetInput): FleetInput {
  return input;
}
