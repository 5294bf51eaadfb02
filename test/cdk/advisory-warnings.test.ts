import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { App, Validations } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { emailFleet } from "../../agents";
import { AgentFleetStacks } from "../../lib/cdk";
import { tagAll } from "../../lib/cdk/tags";
import { MicroAgentsChecks } from "../../policies/cdk/microagents-checks";

interface ValidationReport {
  pluginReports: Array<{ pluginName: string; summary: { status: string }; violations: Array<{ ruleName: string; severity?: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
}

/** An email fleet with a hand-written queue that has no dead-letter queue (MA-SEC-023), the rule set to `enforcement`. */
function synthWithHandWrittenQueue(enforcement: "advisory" | "mandatory"): { app: App; synth: () => void } {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), "cdk-warn-")) });
  const fleet = new AgentFleetStacks(app, "fleet", { fleet: emailFleet({ tier: "small", environment: "prod", targets: [{ runtime: "ecs", region: "us-east-1" }] }) });
  // Tagged like the fleet's own resources, so MA-SEC-023 is its only finding.
  tagAll(new sqs.CfnQueue(fleet.agentStacks[0], "HandWritten", { queueName: "hand-written" }), fleet.plan.agents[0].tags);
  Validations.of(app).addPlugins(new MicroAgentsChecks({ tier: "small", environment: "prod", config: { rules: { "MA-SEC-023": enforcement } } }));
  return { app, synth: () => app.synth() };
}

const ours = (app: App) => (JSON.parse(readFileSync(join(app.outdir, "validation-report.json"), "utf8")) as ValidationReport).pluginReports.find((r) => r.pluginName === "microagents");

describe("MicroAgentsChecks in a CDK app", () => {
  it("reports an advisory finding as a synth warning, naming the construct, without failing the synth", () => {
    const { app, synth } = synthWithHandWrittenQueue("advisory");
    synth();
    const warning = ours(app)?.violations.find((v) => v.ruleName === "MA-SEC-023");
    assert.equal(warning?.severity, "warning");
    assert.deepEqual(warning?.violatingConstructs.map((c) => c.constructPath), ["acme-email-prod-agents-1/HandWritten"]);
  });

  it("still fails the synth on the same finding when the rule is mandatory", () => {
    const { app, synth } = synthWithHandWrittenQueue("mandatory");
    assert.throws(synth, /Validation failed/);
    assert.notEqual(ours(app)?.violations.find((v) => v.ruleName === "MA-SEC-023")?.severity, "warning");
  });
});
