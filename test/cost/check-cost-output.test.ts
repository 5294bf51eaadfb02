import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { agentLinesOf } from "../../lib/spec/locations";
import { cli } from "../helpers/cli";

const FLEET = "test/fixtures/acme-support.fleet.yaml";

interface SarifLog {
  runs: Array<{ results: Array<{ ruleId: string; properties: { agent?: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }>;
}

describe("check --cost-output: one planning run for the check report and the cost report", () => {
  it("writes the cost estimate of the same fleet as `cost --json`, and SARIF results on each agent's line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "microagents-ci-"));
    // The fixture with one agent's image on a tag: MA-SEC-005 finds it on that agent's Deployment.
    const fleet = join(dir, "fleet.yaml");
    writeFileSync(fleet, readFileSync(FLEET, "utf8").replace(/image: (ghcr\.io\/acme\/doc-agent)@sha256:[0-9a-f]+/, "image: $1:1.4.2"));
    const sarif = join(dir, "check.sarif");
    const cost = join(dir, "cost.json");
    const r = await cli("check", "--fleet", fleet, "--format", "sarif", "--output", sarif, "--cost-output", cost);
    assert.equal(r.code, 1, r.stderr);
    const alone = await cli("cost", "--fleet", fleet, "--json");
    assert.equal(alone.code, 0, alone.stderr);
    assert.deepEqual(JSON.parse(readFileSync(cost, "utf8")), JSON.parse(alone.stdout));

    const log = JSON.parse(readFileSync(sarif, "utf8")) as SarifLog;
    const results = log.runs[0].results;
    const onAgent = results.filter((x) => x.ruleId === "MA-SEC-005" && x.properties.agent === "document-processor");
    assert.ok(onAgent.length > 0, `some finding is on the agent's resources: ${results.map((x) => x.ruleId).join(", ")}`);
    for (const x of onAgent) assert.equal(x.locations[0].physicalLocation.region.startLine, 13, "the line of `- name: document-processor`");
    for (const x of results.filter((y) => y.properties.agent === undefined)) assert.equal(x.locations[0].physicalLocation.region.startLine, 1);
  });

  it("a cost output directory that does not exist is bad input (exit 2), before planning", async () => {
    const r = await cli("check", "--fleet", FLEET, "--cost-output", "no-such-dir/cost.json");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no-such-dir\/cost\.json.*the cost output directory does not exist/s);
  });
});

describe("agent lines in a fleet file", () => {
  it("finds each agent's entry in YAML and JSON, and nothing in a file that does not parse", () => {
    assert.deepEqual(agentLinesOf("spec:\n  agents:\n    - name: a\n      image: x\n    - image: y\n      name: b\n"), { a: 3, b: 5 });
    assert.deepEqual(agentLinesOf('{"spec": {"agents": [\n  {"name": "a"},\n  {"name": "b"}\n]}}'), { a: 2, b: 3 });
    assert.deepEqual(agentLinesOf("spec: [unclosed"), {});
  });
});
