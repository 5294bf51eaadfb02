import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

let cached: string | undefined;

/**
 * The package's version, from its package.json: the nearest one above this file named
 * `microagents` (the sources sit one level nearer the root than the compiled dist/lib).
 */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (json.name === "microagents" && json.version) return (cached = json.version);
  }
  throw new Error(`no microagents package.json above ${__dirname}`);
}
