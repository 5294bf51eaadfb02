import { planFleet } from "../../plan/plan-fleet";
import type { FleetPlan } from "../../plan/types";
import { formatIssue, isConfigError, type SpecIssue } from "../../spec/errors";
import { loadFleetFile } from "../../spec/parse";
import { preflightIssues } from "../../targets/preflight";
import { splitDeferred, stackConfigOf, type DeferredIssue } from "../../targets/stack-config";
import { parse, parseConfigPairs } from "../args";
import type { Command } from "../command";
import { EXIT, UsageError } from "../io";

/**
 * A fleet file's plan, or every problem that stops it: the spec's, the plan's, then each
 * target's and the entry's. `config` is the stack's Pulumi config when given: without it,
 * a setting the spec leaves to config (host name, zones) is a warning naming the key.
 */
function check(path: string, config: Readonly<Record<string, string>> | undefined): { plan?: FleetPlan; issues: ReadonlyArray<SpecIssue>; warnings: ReadonlyArray<DeferredIssue> } {
  let plan: FleetPlan;
  try {
    plan = planFleet(loadFleetFile(path));
  } catch (e) {
    if (isConfigError(e)) return { issues: e.issues, warnings: [] };
    throw e;
  }
  const { errors, warnings } = splitDeferred(plan.fleet, preflightIssues(plan, undefined, config ? stackConfigOf(config) : {}), config !== undefined);
  return { plan, issues: errors, warnings };
}

export const validateCommand: Command = {
  name: "validate",
  summary: "check fleet files as plan and the targets would, and print every problem with its path",
  usage: "microagents validate --fleet FILE [--fleet FILE ...] [--config key=value]...",
  help: [
    "  --fleet FILE         a fleet file (YAML or JSON) to check; repeat to check several",
    "  --config key=value   the stack's Pulumi config, repeatable (microagents:hostname=agents.example.com,",
    "                       microagents:hostedZoneId, microagents:azureDnsZoneId, microagents:dnsZone,",
    "                       gcp:project, microagents:billingAccount)",
    "",
    "Runs every check a build runs before its first resource: the schema, the plan (GPU packing,",
    "references), each target's availability and its cloud's limits (API Gateway canary weights,",
    "FIFO subscriptions, Fargate sizes, Service Bus locks, GPU regions and shapes), for every target,",
    "and the failover or global entry's settings (host name, zone, public gateway, health path).",
    "Exit 0 when valid; 2 with one line per problem, `path: message (hint)`, prefixed with the file",
    "when several are checked. A setting the spec leaves to Pulumi config (host name, zone, GCP",
    "project or billing account) is a warning naming the config key, unless --config is given: then",
    "the config is taken as the stack's whole config and a missing setting is a problem.",
  ].join("\n"),
  async run(argv, io) {
    const { values } = parse(argv, { fleet: { type: "string", multiple: true }, config: { type: "string", multiple: true } });
    const files = values.fleet ?? [];
    if (files.length === 0) throw new UsageError("give --fleet FILE");
    const config = values.config && values.config.length > 0 ? parseConfigPairs(values.config) : undefined;
    const several = files.length > 1;
    let failed = false;
    for (const file of files) {
      const { plan, issues, warnings } = check(file, config);
      const head = several ? `${file}: ` : "";
      for (const { issue, deferredTo } of warnings) io.err(`${head}warning: ${formatIssue(issue)}; left to the stack's config: it needs ${deferredTo} (--config ${deferredTo}=... checks it here)\n`);
      if (issues.length > 0 || !plan) {
        failed = true;
        for (const issue of issues) io.err(`${several && issue.path !== file ? head : ""}${formatIssue(issue)}\n`);
        continue;
      }
      const f = plan.fleet;
      io.out(`${head}ok: fleet ${f.name}: tier ${f.tier}, ${f.environment}, ${f.agents.length} agents, ${plan.gpuPools.length} GPU pools, ${f.targets.map((t) => `${t.runtime}/${t.region}`).join(" + ")}\n`);
      for (const note of plan.notes) io.out(`${head}note: ${note}\n`);
    }
    return failed ? EXIT.badInput : EXIT.ok;
  },
};
