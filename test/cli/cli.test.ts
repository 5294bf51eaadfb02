import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { binary, cli } from "../helpers/cli";

describe("microagents validate", () => {
  it("exits 0 on a valid fleet", async () => {
    const r = await cli("validate", "--fleet", "test/fixtures/acme-support.fleet.yaml");
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^ok: fleet acme-support: tier small, prod, 1 agents/);
  });
  it("exits 2 with one `path: message` line per problem", async () => {
    const r = await cli("validate", "--fleet", "test/fixtures/broken.fleet.yaml");
    assert.equal(r.code, 2);
    assert.deepEqual(r.stderr.trim().split("\n"), [
      "spec.agents[0].image: image 'ghcr.io/acme/worker' has neither a tag nor a digest (pin it: append @sha256:<digest> (best) or :<version>)",
      "spec.agents[0].scaling.max: min is greater than max (raise max or lower min)",
    ]);
  });
  it("exits 2 on a missing file", async () => {
    const r = await cli("validate", "--fleet", "test/fixtures/nope.yaml");
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "test/fixtures/nope.yaml: no such file (check the --fleet path)\n");
  });
});

describe("microagents plan", () => {
  it("--json prints every resource in a stable order", async () => {
    const a = await cli("plan", "--fleet", "test/fixtures/acme-support.fleet.yaml", "--json");
    const b = await cli("plan", "--fleet", "test/fixtures/acme-support.fleet.yaml", "--json");
    assert.equal(a.code, 0);
    assert.equal(a.stdout, b.stdout);
    const parsed = JSON.parse(a.stdout) as { resources: Array<{ type: string; name: string; parent: string | null; inputs: object }> };
    assert.deepEqual(Object.keys(parsed.resources[0]).sort(), ["inputs", "name", "parent", "type"]);
    const deployment = parsed.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment");
    assert.equal(deployment?.name, "acme-support-document-processor");
    assert.equal(deployment?.parent, "acme-support-document-processor");
  });
  it("prints resources per component, per agent and by type for a stack", async () => {
    const r = await cli("plan", "--stack", "stacks/index.ts", "--config", "stack=small");
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Plan for stacks\/index\.ts \(project microagents, stack offline\)/);
    assert.match(r.stdout, /\nComponents\n/);
    assert.match(r.stdout, /\nAgents\n/);
    assert.match(r.stdout, /\nTotals by type\n/);
    assert.match(r.stdout, /\nTotal: \d+ resources in \d+ components\n/);
  });
  it("exits 2 on bad input", async () => {
    for (const argv of [
      ["plan"],
      ["plan", "--fleet", "a.yaml", "--stack", "b.ts"],
      ["plan", "--stak", "x"],
      ["plan", "--stack", "stacks/index.ts", "--config", "novalue"],
      ["plan", "--stack", "stacks/index.ts", "--config", "stack=huge"],
      ["plan", "--stack", "test/fixtures/programs/throws.ts"],
      ["plan", "--fleet", "test/fixtures/broken.fleet.yaml"],
      ["frobnicate"],
    ]) {
      const r = await cli(...argv);
      assert.equal(r.code, 2, `${argv.join(" ")} exited ${r.code}: ${r.stderr}`);
      assert.ok(r.stderr.length > 0);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    }
  });
  it("names the usage on bad arguments", async () => {
    const r = await cli("plan", "--stak", "x");
    assert.match(r.stderr, /^microagents plan: Unknown option '--stak'.*\nusage: microagents plan \(--fleet FILE \| --stack FILE\)/s);
  });
  it("--help on every command exits 0", async () => {
    for (const c of ["validate", "plan"]) {
      const r = await cli(c, "--help");
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^usage: microagents ${c}`));
    }
  });
});

describe("bin/microagents", () => {
  it("runs as an executable: 0 for a valid fleet, 2 with no stack trace for a broken one", () => {
    assert.equal(binary("validate", "--fleet", "test/fixtures/acme-support.fleet.yaml").code, 0);
    const bad = binary("validate", "--fleet", "test/fixtures/broken.fleet.yaml");
    assert.equal(bad.code, 2);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
    const noArgs = binary();
    assert.equal(noArgs.code, 2);
    assert.match(noArgs.stdout, /^usage: microagents <command>/);
  });
});
