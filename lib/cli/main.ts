import { UnmockedInvokeError } from "../offline/invokes";
import { formatIssue, isConfigError } from "../spec/errors";
import type { Command } from "./command";
import { checkCommand } from "./commands/check";
import { costCommand } from "./commands/cost";
import { diagramCommand } from "./commands/diagram";
import { planCommand } from "./commands/plan";
import { renderCommand } from "./commands/render";
import { validateCommand } from "./commands/validate";
import { EXIT, processIO, UsageError, type CliIO } from "./io";
import { ProgramError } from "./source";
import { packageVersion } from "./version";

/** Every command; each lives in lib/cli/commands/<name>.ts. */
export const commands: ReadonlyArray<Command> = [validateCommand, planCommand, diagramCommand, renderCommand, checkCommand, costCommand];

function overview(): string {
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
  const command = commands.find((c) => c.name === name);
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
    if (e instanceof ProgramError || e instanceof UnmockedInvokeError) {
      io.err(`microagents ${command.name}: ${e.message}\n`);
      if (process.env.MICROAGENTS_DEBUG && e instanceof ProgramError && e.cause instanceof Error) io.err(`${e.cause.stack}\n`);
      return EXIT.badInput;
    }
    throw e;
  }
}
