import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { binary, cli } from "../helpers/cli";

const dir = mkdtempSync(join(tmpdir(), "microagents-check-"));
const write = (name: string, body: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof body === "string" ? body : JSON.stringify(body));
  return path;
};

describe("microagents check", () => {
  it("exits 0 when no mandatory rule is violated", async () => {
    const r = await cli("check", "--stack", "test/policies/programs/clean.ts");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^microagents check test\/policies\/programs\/clean\.ts: tier small \(resource tags\), prod \(resource tags\), 41 rules on \d+ facts$/m);
    assert.match(r.stdout, /^0 mandatory, 0 advisory, 0 waived$/m);
  });

  it("exits 1 on a mandatory violation, and prints it", async () => {
    const r = await cli("check", "--stack", "test/policies/programs/privileged.ts");
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^MANDATORY MA-SEC-001 \[critical\] worker \(kubernetes:apps\/v1:Deployment\): container 'agent' runs privileged$/m);
    // A privileged container can always escalate: MA-SEC-002 says so too.
    assert.match(r.stdout, /^MANDATORY MA-SEC-002 \[high\] worker \(kubernetes:apps\/v1:Deployment\): container 'agent' allows privilege escalation$/m);
    assert.match(r.stdout, /^2 mandatory, 0 advisory, 0 waived$/m);
  });

  it("exits 0 when the policy config makes that rule advisory, and 0 when a waiver covers it", async () => {
    const advisory = await cli("check", "--stack", "test/policies/programs/privileged.ts", "--policy-config", write("advisory.json", { rules: { "MA-SEC-001": "advisory", "MA-SEC-002": { enforcement: "advisory" } } }));
    assert.equal(advisory.code, 0);
    assert.match(advisory.stdout, /^advisory  MA-SEC-001/m);
    const waived = await cli("check", "--stack", "test/policies/programs/privileged.ts", "--policy-config", write("waived.json", { waivers: ["MA-SEC-001", "MA-SEC-002"].map((rule) => ({ rule, resource: "work*", reason: "GPU driver debugging on the canary", expires: "2999-12-31" })) }));
    assert.equal(waived.code, 0);
    assert.match(waived.stdout, /^0 mandatory, 0 advisory, 2 waived$/m);
  });

  it("counts a violation whose waiver has expired (exit 1)", async () => {
    const r = await cli("check", "--stack", "test/policies/programs/privileged.ts", "--policy-config", write("expired.json", { rules: { "MA-SEC-002": "advisory" }, waivers: [{ rule: "MA-SEC-001", resource: "worker", reason: "GPU driver debugging on the canary", expires: "2020-01-31" }] }));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^MANDATORY MA-SEC-001 .*runs privileged \(waiver expired 2020-01-31: GPU driver debugging on the canary\)$/m);
    assert.match(r.stdout, /^1 mandatory, 1 advisory, 0 waived$/m);
  });

  it("reads a Pulumi policy-pack config and checks that pack's rules", async () => {
    const r = await cli("check", "--stack", "test/policies/programs/privileged.ts", "--policy-config", write("pack.json", { "microagents-settings": { tier: "small", environment: "dev" }, "MA-COST-001": "mandatory" }), "--format", "json");
    assert.equal(r.code, 0);
    const body = JSON.parse(r.stdout) as { violations: Array<{ ruleId: string }>; context: { rules: number } };
    assert.equal(body.context.rules, 12, "the cost pack's rules (all run in dev), nothing of the security pack");
    assert.ok(body.violations.every((v) => v.ruleId.startsWith("MA-COST-")));
  });

  it("writes JSON, SARIF and JUnit to --output and a summary to stderr", async () => {
    for (const format of ["json", "sarif", "junit"]) {
      const out = join(dir, `report.${format}`);
      const r = await cli("check", "--stack", "test/policies/programs/privileged.ts", "--format", format, "--output", out);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, "");
      assert.equal(r.stderr, "microagents check: 2 mandatory, 0 advisory, 0 waived\n");
      const text = readFileSync(out, "utf8");
      if (format === "junit") assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="microagents check"/);
      else assert.equal((JSON.parse(text) as { version?: string }).version, format === "sarif" ? "2.1.0" : undefined);
    }
  });

  it("exits 2 on bad flags, one line naming the problem", async () => {
    const format = await cli("check", "--stack", "test/policies/programs/clean.ts", "--format", "xml");
    assert.equal(format.code, 2);
    assert.match(format.stderr, /^microagents check: --format must be one of text, json, sarif, junit, got 'xml'\n/);
    const both = await cli("check", "--stack", "a.ts", "--fleet", "b.yaml");
    assert.equal(both.code, 2);
    assert.match(both.stderr, /give --fleet or --stack, not both/);
    const output = await cli("check", "--stack", "test/policies/programs/clean.ts", "--output", "/no/such/dir/report.json");
    assert.equal(output.code, 2);
    assert.equal(output.stderr, "/no/such/dir/report.json: the output directory does not exist (create it or pick another --output path)\n");
  });

  it("exits 2 on a bad policy config, every problem with its path, before running the program", async () => {
    const r = await cli("check", "--stack", "test/policies/programs/throws-if-run.ts", "--policy-config", write("bad.json", { tier: "huge", rules: { "MA-SEC-999": "mandatory", "MA-SEC-001": "sometimes" }, waivers: [{ rule: "MA-SEC-001", resource: "x", reason: "short", expires: "31/12/2026" }], extra: 1 }));
    assert.equal(r.code, 2);
    assert.deepEqual(r.stderr.trim().split("\n").sort(), [
      "extra: unknown field 'extra' (remove it; allowed here: $schema, tier, environment, rules, allowedRegistries, allowedRegions, allowedAccelerators, budgetMonthlyUsd, waivers, strict)",
      "rules.MA-SEC-001: 'sometimes' is not an enforcement (use advisory, mandatory, disabled or { \"enforcement\": ... })",
      "rules.MA-SEC-999: no rule 'MA-SEC-999' (rule IDs look like MA-SEC-001; see docs/rules.md)",
      "tier: 'huge' is not allowed (use one of small, medium, enterprise)",
      "waivers[0].expires: expires must be a date written YYYY-MM-DD",
      "waivers[0].reason: give the reason (at least 10 characters)",
    ]);
    const day = await cli("check", "--stack", "test/policies/programs/throws-if-run.ts", "--policy-config", write("day.json", { waivers: [{ rule: "MA-SEC-001", resource: "x", reason: "a reason long enough", expires: "2026-02-30" }] }));
    assert.equal(day.stderr, "waivers[0].expires: '2026-02-30' is not a calendar date\n");
    const json = await cli("check", "--stack", "test/policies/programs/clean.ts", "--policy-config", write("broken.json", "{ nope"));
    assert.equal(json.code, 2);
    assert.match(json.stderr, /broken\.json: not valid JSON: /);
    const pack = await cli("check", "--stack", "test/policies/programs/clean.ts", "--policy-config", write("badpack.json", { "MA-SEC-001": "loud", "not-a-policy": "advisory" }));
    assert.equal(pack.code, 2);
    assert.deepEqual(pack.stderr.trim().split("\n").sort(), [
      "MA-SEC-001: 'loud' is not an enforcement level (use advisory, mandatory or disabled)",
      "not-a-policy: no policy 'not-a-policy' in the microagents packs (keys are rule IDs (MA-SEC-001), all, microagents-settings or microagents-waivers)",
    ]);
  });

  it("runs as a binary with the documented exit codes", () => {
    assert.equal(binary("check", "--stack", "test/policies/programs/clean.ts").code, 0);
    assert.equal(binary("check", "--stack", "test/policies/programs/privileged.ts", "--format", "sarif").code, 1);
    assert.equal(binary("check", "--fleet", "test/fixtures/nope.yaml").code, 2);
  });
});
