import { planFleet } from "../../plan/plan-fleet";
import type { FleetPlan } from "../../plan/types";
import { formatIssue, isConfigError, type SpecIssue } from "../../spec/errors";
import { loadFleetFile } from "../../spec/parse";
import { preflightIssues } from "../../targets/preflight";
import { parse } from "../args";
import type { Command } from "../command";
import { EXIT, UsageError } from "../io";

/** A fleet file's plan, or every problem that stops it: the spec's, the plan's, then each target's. */
function check(path: string): { plan?: FleetPlan; issues: ReadonlyArray<SpecIssue> } {
  let plan: FleetPlan;
  try {
    plan = planFleet(loadFleetFile(path));
  } catch (e) {
    if (isConfigError(e)) return { issues: e.issues };
    throw e;
  }
  return { plan, issues: preflightIssues(plan) };
}

export const validateCommand: Command = {
  name: "validate",
  summary: "check fleet files as plan and the targets would, and print every problem with its path",
  usage: "microagents validate --fleet FILE [--fleet FILE ...]",
  help: [
    "  --fleet FILE   a fleet file (YAML or JSON) to check; repeat to check several",
    "",
    "Runs every check a build runs before its first resource: the schema, the plan (GPU packing,",
    "references), each target's availability and its cloud's limits (API Gateway canary weights,",
    "FIFO subscriptions, Fargate sizes, Service Bus locks, GPU regions and shapes), for every target.",
    "Exit 0 when valid; 2 with one line per problem, `path: message (hint)`, prefixed with the file",
    "when several are checked.",
  ].join("\n"),
  async run(argv, io) {
    const { values } = parse(argv, { fleet: { type: "string", multiple: true } });
    const files = values.fleet ?? [];
    if (files.length === 0) throw new UsageError("give --fleet FILE");
    const several = files.length > 1;
    let failed = false;
    for (const file of files) {
      const { plan, issues } = check(file);
      const head = several ? `${file}: ` : "";
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
