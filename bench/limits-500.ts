import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { AgentFleet } from "../lib/components/agent-fleet";
import { AgentFleetStacks } from "../lib/cdk";
import { runOffline } from "../lib/offline/engine";
import { graphLimitReport, policyChars, templateLimitReport, type TemplateShape } from "../lib/plan/limits";
import type { Runtime, Tier } from "../lib/spec";
import { MicroAgentsChecks } from "../policies/cdk/microagents-checks";
import { largeFleet } from "./fleets";

/**
 * The 500-agent scale check of issue 12, too slow for npm test (test/limits/scale.test.ts
 * checks the plan at 500 and the resources by growth): the full fleet planned through
 * the offline engine on Pulumi ECS and EKS, and synthesized with AWS CDK under cdk-nag
 * and MicroAgentsChecks, in every tier (prod). Each configuration runs in its own
 * process and prints one JSON line; with no arguments every configuration runs.
 *
 *   node --import tsx bench/limits-500.ts                  # all nine
 *   node --import tsx bench/limits-500.ts pulumi ecs medium [agents]
 *   node --import tsx bench/limits-500.ts cdk - enterprise [agents]
 */
const TIERS: ReadonlyArray<Tier> = ["small", "medium", "enterprise"];
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function fleetOf(n: number, runtime: Runtime, tier: Tier) {
  const f = largeFleet(n, runtime);
  return { ...f, metadata: { name: `scale-${runtime}` }, spec: { ...f.spec, tier, environment: "prod" as const } };
}

async function pulumiRun(runtime: Runtime, tier: Tier, n: number): Promise<Record<string, unknown>> {
  const fleet = fleetOf(n, runtime, tier);
  const [c, w] = [cpuMs(), performance.now()];
  const graph = await runOffline(() => new AgentFleet(fleet.metadata.name, { fleet }));
  const timing = { cpuMs: Math.round(cpuMs() - c), wallMs: Math.round(performance.now() - w) };
  const report = graphLimitReport(graph.resources);
  const roles = new Map<string, number>();
  for (const r of graph.resources) if (r.type === "aws:iam/rolePolicy:RolePolicy" && typeof r.inputs.policy === "string") roles.set(String(r.inputs.role), (roles.get(String(r.inputs.role)) ?? 0) + policyChars(r.inputs.policy));
  const largest = [...roles.entries()].sort((a, b) => b[1] - a[1])[0];
  return { ok: report.errors.length === 0, ...timing, resources: graph.resources.length, errors: report.errors.map((e) => `${e.path}: ${e.message}`), warnings: report.warnings.length, largestRolePolicy: largest ? { role: largest[0], chars: largest[1] } : null };
}

function cdkRun(tier: Tier, n: number): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), "bench-limits-cdk-"));
  const [c, w] = [cpuMs(), performance.now()];
  const app = new App({ outdir });
  new AgentFleetStacks(app, "fleet", { fleet: fleetOf(n, "ecs", tier), account: "123456789012" });
  const checks = new MicroAgentsChecks({ tier, environment: "prod" });
  Validations.of(app).addPlugins(checks, new AwsSolutionsChecks(app));
  let error: string | undefined;
  let templates: Array<{ stack: string; template: TemplateShape }> = [];
  try {
    templates = app.synth().stacks.map((s) => ({ stack: s.stackName, template: s.template as TemplateShape }));
  } catch (e) {
    error = e instanceof Error ? e.message.split("\n").slice(0, 5).join(" | ") : String(e);
  }
  const timing = { cpuMs: Math.round(cpuMs() - c), wallMs: Math.round(performance.now() - w) };
  const findings: string[] = [];
  const reportFile = join(outdir, "validation-report.json");
  if (existsSync(reportFile)) {
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as { pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }> };
    for (const p of report.pluginReports) for (const v of p.violations) findings.push(`${p.pluginName} ${v.ruleName}: ${v.violatingConstructs.length} (${v.violatingConstructs[0]?.constructPath ?? ""})`);
  }
  rmSync(outdir, { recursive: true, force: true });
  const limits = templateLimitReport(templates);
  const resources = templates.reduce((s, t) => s + Object.keys(t.template.Resources ?? {}).length, 0);
  return { ok: !error && limits.errors.length === 0 && (checks.lastResult?.summary.mandatory ?? 0) === 0, ...timing, stacks: templates.length, resources, error, limitErrors: limits.errors.map((e) => `${e.path}: ${e.message}`), mandatory: checks.lastResult?.summary.mandatory, advisory: checks.lastResult?.summary.advisory, findings };
}

async function main(): Promise<void> {
  const [kind, runtime, tier, count] = process.argv.slice(2);
  const n = Number(count ?? 500);
  if (kind === "pulumi") process.stdout.write(`${JSON.stringify({ kind, runtime, tier, agents: n, ...(await pulumiRun(runtime as Runtime, tier as Tier, n)) })}\n`);
  else if (kind === "cdk") process.stdout.write(`${JSON.stringify({ kind, runtime: "ecs", tier, agents: n, ...cdkRun(tier as Tier, n) })}\n`);
  else {
    for (const [k, r] of [["pulumi", "ecs"], ["pulumi", "eks"], ["cdk", "-"]] as const) {
      for (const t of TIERS) {
        const child = spawnSync(process.execPath, ["--max-old-space-size=6144", "--import", "tsx", __filename, k, r, t, String(n)], { encoding: "utf8" });
        process.stdout.write(child.stdout || `${JSON.stringify({ kind: k, runtime: r, tier: t, ok: false, error: child.stderr.split("\n").slice(-5).join(" | ") })}\n`);
      }
    }
  }
}

void main();
