import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { describeProgramError } from "../../lib/cli/program-error";
import { cli } from "../helpers/cli";

function program(name: string, source: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "program-")), name);
  writeFileSync(path, source);
  return path;
}

describe("errors in a --stack program keep their location", () => {
  it("a TypeScript syntax error: file:line:col and the compiler's message, exit 2, no stack", async () => {
    const path = program("syntax.ts", ["const x: number = 1;", "", "const y = x +* 2;", "export default y;", ""].join("\n"));
    const r = await cli("plan", "--stack", path);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `microagents plan: ${path}:3:14: Unexpected "*"\n`);
  });

  it("a run-time error: the program's own line and column (source-mapped), and the message", async () => {
    const path = program(
      "runtime.ts",
      ["interface Settings { name: string }", "function load(): Settings {", "  return (JSON.parse('{}') as { inner: Settings }).inner;", "}", "export const upper = load().name.toUpperCase();", ""].join("\n"),
    );
    const r = await cli("plan", "--stack", path);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^microagents plan: ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:5:\\d+: Cannot read properties of undefined \\(reading 'name'\\)\\n$`));
  });

  it("picks the program's frame over the package's and node_modules' frames", () => {
    const e = new TypeError("boom");
    e.stack = ["TypeError: boom", "    at f (/srv/app/node_modules/microagents/dist/lib/x.js:1:2)", "    at g (/srv/app/stacks/prod.ts:12:7)", "    at Object.<anonymous> (/srv/app/index.ts:3:1)"].join("\n");
    assert.equal(describeProgramError("/srv/app/index.ts", e), "/srv/app/stacks/prod.ts:12:7: boom");
    assert.equal(describeProgramError("/srv/app/index.ts", "text"), "/srv/app/index.ts: text");
  });
});
