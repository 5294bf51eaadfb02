import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Every `from "..."` specifier of the TypeScript files under a folder. */
function importsUnder(dir: string): Array<{ file: string; spec: string }> {
  const found: Array<{ file: string; spec: string }> = [];
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!entry.endsWith(".ts")) continue;
    const file = join(dir, entry);
    for (const m of readFileSync(file, "utf8").matchAll(/\bfrom\s+"([^"]+)"|\brequire\("([^"]+)"\)|\bimport\("([^"]+)"\)/g)) {
      found.push({ file, spec: m[1] ?? m[2] ?? m[3] ?? "" });
    }
  }
  return found;
}

test("the plan reads prices from lib/prices, never from the cost estimator above it", () => {
  const upward = importsUnder("lib/plan").filter((i) => /(^|\/)cost(\/|$)/.test(i.spec));
  assert.deepEqual(upward, []);
  assert.ok(importsUnder("lib/plan").some((i) => i.spec === "../prices/rates"), "the plan's cheapest-shape choice prices shapes through lib/prices");
});

test("lib/prices imports neither the plan nor the cost estimator", () => {
  const upward = importsUnder("lib/prices").filter((i) => /(^|\/)(cost|plan|facts|targets|components)(\/|$)/.test(i.spec));
  assert.deepEqual(upward, []);
});
