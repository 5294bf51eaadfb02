import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { AgentFleet } from "../components/agent-fleet";
import { runOffline, type ResourceGraph } from "../offline/engine";
import { UnmockedInvokeError } from "../offline/invokes";
import { assertGraphWithinLimits, templateLimitReport } from "../plan/limits/graph";
import type { TemplateShape } from "../plan/limits/cloudformation";
import { planFleet } from "../plan/plan-fleet";
import type { FleetPlan } from "../plan/types";
import { isConfigError, MicroAgentsConfigError } from "../spec/errors";
import { loadFleetFile } from "../spec/parse";
import { factsFromGraph } from "../facts";
import { factsFromCloudAssembly } from "../facts/cloud-assembly";
import type { Fact } from "../facts/types";
import type { FactSource, Source } from "./args";
import type { CliIO } from "./io";
import { describeProgramError } from "./program-error";

/** A program that failed while loading or running: bad input, reported with exit 2. */
export class ProgramError extends Error {
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(describeProgramError(path, cause));
    this.name = "ProgramError";
  }
}

export interface LoadedSource {
  readonly graph: ResourceGraph;
  /** The fleet plan, when the source was a fleet file. */
  readonly plan?: FleetPlan;
}

/** Shows progress on stderr once a run has taken more than a second. */
function progress(io: CliIO): { onResource: (n: number) => void; done: () => void } {
  const started = Date.now();
  let count = 0;
  let shown = 0;
  const timer = setInterval(() => {
    if (Date.now() - started < 1000) return;
    const line = `planning… ${count} resources registered`;
    if (io.interactive) io.err(`\r${line}`);
    else if (count !== shown) io.err(`${line}\n`);
    shown = count;
  }, 250);
  timer.unref();
  return {
    onResource: (n) => {
      count = n;
    },
    done: () => {
      clearInterval(timer);
      if (io.interactive && shown > 0) io.err("\r\x1b[K");
    },
  };
}

/** Cloud limits the resources cross (policy sizes, names, counts): errors stop the command (exit 2), quotas are warnings. */
function withinLimits(loaded: LoadedSource, io: CliIO): LoadedSource {
  for (const warning of assertGraphWithinLimits(loaded.graph.resources)) io.err(`warning: ${warning}\n`);
  return loaded;
}

/** A synthesized CDK app's templates against CloudFormation's limits and AWS's name rules (exit 2 on a crossing). */
function cdkOutWithinLimits(dir: string, io: CliIO): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return; // the facts reader reports a missing cloud assembly
  const templates = readdirSync(dir)
    .filter((f) => f.endsWith(".template.json"))
    .map((f) => ({ stack: f.replace(/\.template\.json$/, ""), template: JSON.parse(readFileSync(join(dir, f), "utf8")) as TemplateShape }));
  const report = templateLimitReport(templates);
  if (report.errors.length > 0) throw new MicroAgentsConfigError(report.errors, dir);
  for (const warning of report.warnings) io.err(`warning: ${warning}\n`);
}

/** Runs a fleet file or a stack program offline and returns its resource graph. */
export async function loadSource(source: Source, io: CliIO): Promise<LoadedSource> {
  const p = progress(io);
  try {
    if (source.kind === "fleet") {
      const plan = planFleet(loadFleetFile(source.path));
      const graph = await runOffline(() => new AgentFleet(plan.fleet.name, { fleet: plan.fleet }), { config: source.config, onResource: p.onResource });
      return withinLimits({ graph, plan }, io);
    }
    try {
      return withinLimits({ graph: await runOffline(source.path, { config: source.config, onResource: p.onResource }) }, io);
    } catch (e) {
      if (isConfigError(e) || e instanceof UnmockedInvokeError) throw e;
      throw new ProgramError(source.path, e);
    }
  } finally {
    p.done();
  }
}

export interface LoadedFacts {
  readonly facts: ReadonlyArray<Fact>;
  /** The fleet plan, when the source was a fleet file. */
  readonly plan?: FleetPlan;
  /** What was read, for report titles: `project acme, stack dev` or `CDK app cdk.out`. */
  readonly label: string;
}

/** Facts of a fleet file, a stack program (run offline) or a synthesized CDK app. */
export async function loadFacts(source: FactSource, io: CliIO): Promise<LoadedFacts> {
  if (source.kind === "cdk-out") {
    cdkOutWithinLimits(source.path, io);
    return { facts: factsFromCloudAssembly(source.path), label: `CDK app ${source.path}` };
  }
  const { graph, plan } = await loadSource(source, io);
  return { facts: factsFromGraph(graph), ...(plan ? { plan } : {}), label: `project ${graph.project}, stack ${graph.stack}` };
}
