import { parseArgs, type ParseArgsConfig } from "node:util";
import { closest } from "../spec/zod-issues";
import { UsageError } from "./io";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Options every command that reads a fleet or a stack shares. */
export const sourceOptions = {
  fleet: { type: "string" },
  stack: { type: "string" },
  config: { type: "string", multiple: true },
} as const satisfies OptionSpec;

/** What `check` and `cost` also read: a synthesized CDK app. */
export const factSourceOptions = {
  ...sourceOptions,
  "cdk-out": { type: "string" },
} as const satisfies OptionSpec;

export interface Source {
  readonly kind: "fleet" | "stack";
  readonly path: string;
  readonly config: Record<string, string>;
}

/** A fleet, a stack, or a synthesized CDK app's cloud assembly. */
export type FactSource = Source | { readonly kind: "cdk-out"; readonly path: string };

/** What `parse` returns for a command's options (named, so the declarations can spell it). */
export type ParsedArgs<O extends OptionSpec> = ReturnType<typeof parseArgs<{ args: string[]; options: O & { help: { type: "boolean"; short: "h" } }; strict: true; allowPositionals: false }>>;

/** Parses argv strictly; any unknown flag or stray argument is a UsageError. */
export function parse<O extends OptionSpec>(argv: string[], options: O): ParsedArgs<O> {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS")) throw e;
    const message = (e as Error).message.split(". ")[0];
    const unknown = /Unknown option '--([^']+)'/.exec(message)?.[1];
    const guess = unknown ? closest(unknown, [...Object.keys(options), "help"]) : undefined;
    throw new UsageError(guess ? `${message}; did you mean --${guess}?` : message);
  }
}

/** `--config key=value` pairs; the key may carry a namespace (`microagents:stack`). */
export function parseConfigPairs(pairs: ReadonlyArray<string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--config expects key=value, got '${pair}'`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** Exactly one of --fleet, --stack and --cdk-out. */
export function factSourceFrom(values: { fleet?: string; stack?: string; config?: string[]; "cdk-out"?: string }): FactSource {
  const cdkOut = values["cdk-out"];
  if (cdkOut === undefined) {
    if (!values.fleet && !values.stack) throw new UsageError("give --fleet FILE, --stack FILE or --cdk-out DIR");
    return sourceFrom(values);
  }
  if (values.fleet || values.stack) throw new UsageError("give one of --fleet, --stack and --cdk-out");
  if (values.config && values.config.length > 0) throw new UsageError("--config applies to --stack programs only");
  return { kind: "cdk-out", path: cdkOut };
}

/** Exactly one of --fleet and --stack. */
export function sourceFrom(values: { fleet?: string; stack?: string; config?: string[] }): Source {
  if (values.fleet && values.stack) throw new UsageError("give --fleet or --stack, not both");
  if (!values.fleet && !values.stack) throw new UsageError("give --fleet FILE or --stack FILE");
  // A fleet file reads the config AgentFleet reads (microagents:hostname, hostedZoneId, ...), as its stack would.
  const config = parseConfigPairs(values.config);
  return values.fleet ? { kind: "fleet", path: values.fleet, config } : { kind: "stack", path: values.stack as string, config };
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: ReadonlyArray<T>, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as ReadonlyArray<string>).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(", ")}, got '${value}'`);
  return value as T;
}
