import type { CliIO } from "./io";

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** The synopsis, e.g. `microagents plan (--fleet FILE | --stack FILE) [--json]`. */
  readonly usage: string;
  /** Longer help: options, one a line. */
  readonly help: string;
  run(argv: string[], io: CliIO): Promise<number>;
}
