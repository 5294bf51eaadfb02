import { formatIssue, isConfigError } from "../spec/errors";
import type { Command } from "./command";
import { EXIT, processIO, UsageError, type CliIO } from "./io";
import { packageVersion } from "./version";

/**
 * Every command, each in lib/cli/commands/<name>.ts, loaded when it runs: `validate`
 * never loads the Pulumi runtime, the provider SDKs or the Kubernetes schemas that
 * `plan`, `render` and `check` need (they dominated the CLI's start-up).
 */
const loaders: ReadonlyArray<readonly [string, () => Command]> = [
  ["validate", () => (require("./commands/validate") as typeof import("./commands/validate")).validateCommand],
  ["plan", () => (require("./commands/plan") as typeof import("./commands/plan")).planCommand],
  ["diagram", () => (require("./commands/diagram") as typeof import("./commands/diagram")).diagramCommand],
  ["render", () => (require("./commands/render") as typeof import("./commands/render")).renderCommand],
  ["check", () => (require("./commands/check") as typeof import("./commands/check")).checkCommand],
  ["cost", () => (require("./commands/cost") as typeof import("./commands/cost")).costCommand],
];

/** Every command, loaded (for the overview and tests). */
export function allCommands(): ReadonlyArray<Command> {
  return loaders.map(([, load]) => load());
}

/** Errors of a run that are the user's input, by name: they may come from another copy of the package. */
function isInputError(e: unknown): e is Error {
  return e instanceof Error && (e.name === "ProgramError" || e.name === "UnmockedInvokeError");
}

function overview(): string {
  const commands = allCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: microagents <command> [options]",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `microagents <command> --help` for a command's options.",
    "",
  ].join("\n");
}

function commandHelp(c: Command): string {
  return `usage: ${c.usage}\n\n${c.summary}\n\n${c.help}\n`;
}

/** Runs the CLI and returns its exit code; never lets a stack trace reach the user for bad input. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(overview());
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  if (name === "--version") {
    io.out(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  const command = loaders.find(([n]) => n === name)?.[1]();
  if (!command) {
    io.err(`microagents: unknown command '${name}'\n${overview()}`);
    return EXIT.badInput;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`microagents ${command.name}: ${e.message}\nusage: ${command.usage}\n`);
      return EXIT.badInput;
    }
    if (isConfigError(e)) {
      for (const issue of e.issues) io.err(`${formatIssue(issue)}\n`);
      return EXIT.badInput;
    }
    if (isInputError(e)) {
      io.err(`microagents ${command.name}: ${e.message}\n`);
      if (process.env.MICROAGENTS_DEBUG && e.cause instanceof Error) io.err(`${e.cause.stack}\n`);
      return EXIT.badInput;
    }
    throw e;
  }
}
