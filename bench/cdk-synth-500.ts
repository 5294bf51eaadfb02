import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { AgentFleetStacks } from "../lib/cdk";
import { MicroAgentsChecks } from "../policies/cdk/microagents-checks";
import { largeFleet } from "./fleets";

/**
 * C2 of bench/cdk-synth.ts, in its own process (a larger heap): a 500-agent
 * medium-prod fleet synthesized with cdk-nag and MicroAgentsChecks. Prints one JSON
 * line: { ok, cpu, wall, stacks, resources, mandatory, advisory, nagFindings } or
 * { ok: false, error }.
 */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const outdir = mkdtempSync(join(tmpdir(), "bench-cdk-500-"));
const input = largeFleet(500, "ecs");
const fleetInput = { ...input, spec: { ...input.spec, tier: "medium" as const, environment: "prod" as const } };
const [c, w] = [cpuMs(), performance.now()];
const app = new App({ outdir });
const fleet = new AgentFleetStacks(app, "fleet", { fleet: fleetInput, account: "123456789012" });
const checks = new MicroAgentsChecks({ tier: "medium", environment: "prod" });
Validations.of(app).addPlugins(checks, new AwsSolutionsChecks(app));
let error: string | undefined;
let resources = 0;
let stacks = 0;
try {
  const assembly = app.synth();
  stacks = assembly.stacks.length;
  for (const s of assembly.stacks) resources += Object.keys((s.template as { Resources?: Record<string, unknown> }).Resources ?? {}).length;
} catch (e) {
  error = e instanceof Error ? e.message.split("\n")[0] : String(e);
}
const timing = { cpu: cpuMs() - c, wall: performance.now() - w };
let nagFindings = 0;
// The synth writes the report only when some plugin found something.
const reportFile = join(outdir, "validation-report.json");
if (existsSync(reportFile)) {
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as { pluginReports: Array<{ pluginName: string; violations: Array<{ violatingConstructs: unknown[] }> }> };
  for (const p of report.pluginReports) if (p.pluginName !== "microagents") nagFindings += p.violations.reduce((s, v) => s + v.violatingConstructs.length, 0);
}
const summary = checks.lastResult?.summary;
const out = error
  ? { ok: false, error: `${error} (${fleet.agentStacks.length} agent stacks built; MicroAgentsChecks: ${summary?.mandatory ?? "?"} mandatory)`, ...timing }
  : { ok: true, ...timing, stacks, resources, mandatory: summary?.mandatory ?? 0, advisory: summary?.advisory ?? 0, nagFindings };
rmSync(outdir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(out)}\n`);
