import { spawnSync } from "node:child_process";
import { main } from "../../lib/cli/main";
import type { CliIO } from "../../lib/cli/io";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { out: (t) => (stdout += t), err: (t) => (stderr += t), interactive: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Runs bin/microagents as a user would, in a child process. */
export function binary(...argv: string[]): CliResult {
  const r = spawnSync(process.execPath, ["bin/microagents", ...argv], { encoding: "utf8", env: { ...process.env, MICROAGENTS_DEBUG: "" } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
