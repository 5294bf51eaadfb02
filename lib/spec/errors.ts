/** One problem in a fleet file, spec or CLI argument. */
export interface SpecIssue {
  /** Where the problem is, written like `spec.agents[1].scaling.max`. */
  readonly path: string;
  readonly message: string;
  /** How to fix it. */
  readonly hint?: string;
}

/** Formats a path array the way users write it: `spec.agents[1].scaling.max`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(root)" : out;
}

export function formatIssue(issue: SpecIssue): string {
  return `${issue.path}: ${issue.message}${issue.hint ? ` (${issue.hint})` : ""}`;
}

/**
 * Thrown for invalid input, before any resource exists. It carries every problem
 * found, so a user fixes them all in one pass.
 */
export class MicroAgentsConfigError extends Error {
  readonly issues: ReadonlyArray<SpecIssue>;

  constructor(issues: ReadonlyArray<SpecIssue>, source?: string) {
    const head = source ? `${source}: ` : "";
    const noun = issues.length === 1 ? "problem" : "problems";
    super(`${head}${issues.length} ${noun}:\n${issues.map((i) => `  ${formatIssue(i)}`).join("\n")}`);
    this.name = "MicroAgentsConfigError";
    this.issues = issues;
  }
}

/**
 * A MicroAgentsConfigError from any copy of the package: a program run by the CLI may
 * import another copy (an installed package next to the CLI's, or the sources next to
 * the built dist/), so this checks the name and the issues rather than the class.
 */
export function isConfigError(e: unknown): e is MicroAgentsConfigError {
  return e instanceof MicroAgentsConfigError || (e instanceof Error && e.name === "MicroAgentsConfigError" && Array.isArray((e as { issues?: unknown }).issues));
}

/** Throws a one-issue config error: for construct props checked outside a fleet file. */
export function invalidProp(path: string, message: string, hint?: string): never {
  throw new MicroAgentsConfigError([{ path, message, hint }]);
}

/**
 * The process event a failed Input check is announced on, besides the throw: a value
 * checked inside an apply can fail where no one awaits it (a nested property of a
 * resource), and the run would then wait for it forever. The offline engine ends the
 * run with the error on this event.
 */
export const INPUT_ERROR_EVENT = "microagents:input-error";

/** Throws, from inside an apply, the same `path: message (hint)` issues a fleet file gets: for values checked when they resolve. */
export function failResolvedInput(issues: ReadonlyArray<SpecIssue>): never {
  const error = new MicroAgentsConfigError(issues);
  // Process declares emit for its own events only; as an EventEmitter it takes every event name.
  (process as NodeJS.EventEmitter).emit(INPUT_ERROR_EVENT, error);
  throw error;
}
