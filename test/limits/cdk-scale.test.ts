import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { largeFleet } from "../../bench/fleets";
import { AgentFleetStacks } from "../../lib/cdk";
import { policyChars, templateLimitReport, type TemplateShape } from "../../lib/plan/limits";
import type { Tier } from "../../lib/spec";
import { MicroAgentsChecks } from "../../policies/cdk/microagents-checks";

/**
 * CDK at a size that used to fail: from 70 agents in medium and enterprise prod the
 * RDS Proxy role's policy (one ARN per agent) spilled into an untagged
 * OverflowPolicy that MA-COST-009 and cdk-nag rejected. 80 agents per tier, with
 * cdk-nag and MicroAgentsChecks; the 500-agent synth of each tier is in
 * bench/limits-500.ts (about 100 s of CPU each with the checks, too slow here).
 * The budget is raised so the cost rules (MA-COST-004 is mandatory in small prod)
 * judge limits, not the price of 80 agents.
 */
const AGENTS = 80;

interface Report {
  readonly pluginReports: ReadonlyArray<{ readonly pluginName: string; readonly violations: ReadonlyArray<{ readonly ruleName: string; readonly violatingConstructs: ReadonlyArray<{ readonly constructPath: string }> }> }>;
}

describe(`AgentFleetStacks at ${AGENTS} agents under cdk-nag and MicroAgentsChecks`, () => {
  for (const tier of ["small", "medium", "enterprise"] as const satisfies ReadonlyArray<Tier>) {
    it(`${tier} prod: synthesizes with no limit crossed, no unacknowledged finding, no mandatory violation and no role policy that grows`, () => {
      const f = largeFleet(AGENTS, "ecs");
      const outdir = mkdtempSync(join(tmpdir(), "cdk-scale-"));
      const app = new App({ outdir });
      new AgentFleetStacks(app, "fleet", { fleet: { ...f, metadata: { name: "scale" }, spec: { ...f.spec, tier, environment: "prod", budget: { monthlyUsd: 1_000_000 } } }, account: "123456789012" });
      const checks = new MicroAgentsChecks({ tier, environment: "prod" });
      Validations.of(app).addPlugins(checks, new AwsSolutionsChecks(app));
      const assembly = app.synth();
      assert.equal(checks.lastResult?.summary.mandatory, 0);
      const reportFile = join(outdir, "validation-report.json");
      const report: Report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, "utf8")) as Report) : { pluginReports: [] };
      const nag = report.pluginReports.filter((p) => p.pluginName !== "microagents").flatMap((p) => p.violations.map((v) => `${v.ruleName} ${v.violatingConstructs.map((c) => c.constructPath).join(" ")}`));
      assert.deepEqual(nag, [], "cdk-nag findings left unacknowledged");

      const templates = assembly.stacks.map((s) => ({ stack: s.stackName, template: s.template as TemplateShape & { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> } }));
      assert.deepEqual(templateLimitReport(templates).errors, []);
      const all = templates.flatMap((t) => Object.entries(t.template.Resources).map(([id, r]) => ({ id, ...r })));
      assert.deepEqual(all.filter((r) => r.Type === "AWS::IAM::ManagedPolicy").map((r) => r.id), [], "CDK spilled a policy into a managed OverflowPolicy");
      // No inline policy comes near IAM's limit: the proxy role's is one statement whatever the fleet's size.
      const largest = Math.max(...all.filter((r) => r.Type === "AWS::IAM::Policy").map((r) => policyChars(r.Properties?.PolicyDocument ?? {})));
      assert.ok(largest < 6_000, `largest inline policy: ${largest} characters`);
      const proxyPolicies = all.filter((r) => r.Type === "AWS::IAM::Policy" && JSON.stringify(r.Properties).includes("ConnectAsAgentUsers"));
      assert.equal(proxyPolicies.length, tier === "small" ? 0 : 1);
      for (const p of proxyPolicies) assert.match(JSON.stringify(p.Properties), /dbuser:",\{"Fn::GetAtt":\["[^"]+","DbiResourceId"\]\},"\/agent_\*"/);
    });
  }
});
