import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { App, Stack } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as ecsPatterns from "aws-cdk-lib/aws-ecs-patterns";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { AgentFleetStacks } from "../lib/cdk";
import type { AgentInput, FleetInput } from "../lib/spec";
import { parseFleet } from "../lib/spec/parse";
import { largeFleet } from "./fleets";
import { mdTable, type BenchSection } from "./report";

/**
 * CDK rows: C1 the synth time of 20 agents with AgentFleetStacks against
 * aws-ecs-patterns' QueueProcessingFargateService (one per agent, one stack), side by
 * side in one run; C2 a 500-agent medium-prod fleet synthesized with cdk-nag and
 * MicroAgentsChecks (in a child process with a larger heap: bench/cdk-synth-500.ts).
 */

setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void; // V8's gc(), exposed by the flag just set

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Synth {
  readonly cpu: number;
  readonly wall: number;
  readonly stacks: number;
  readonly resources: number;
}

function resourcesOf(assembly: CloudAssembly): { stacks: number; resources: number } {
  let resources = 0;
  for (const s of assembly.stacks) resources += Object.keys((s.template as { Resources?: Record<string, unknown> }).Resources ?? {}).length;
  return { stacks: assembly.stacks.length, resources };
}

/** Builds the app and synthesizes it; the clock covers both, as `cdk synth` does. */
function timedSynth(build: (app: App) => void): Synth {
  const outdir = mkdtempSync(join(tmpdir(), "bench-cdk-"));
  collect();
  const [c, w] = [cpuMs(), performance.now()];
  const app = new App({ outdir });
  build(app);
  const assembly = app.synth();
  const timing = { cpu: cpuMs() - c, wall: performance.now() - w };
  const counts = resourcesOf(assembly);
  rmSync(outdir, { recursive: true, force: true });
  return { ...timing, ...counts };
}

/**
 * The 20-agent fleet: bench/fleets.ts `largeFleet`'s mix without its GPU agents (the
 * pattern runs on Fargate only), small tier, prod, one ECS target.
 */
export function cpuFleet(count: number): FleetInput {
  const base = largeFleet(count, "ecs");
  const agents: AgentInput[] = base.spec.agents.map((a) => (a.resources?.gpu ? { ...a, resources: { cpu: 1, memory: "2Gi" } } : a));
  return { ...base, metadata: { name: `cdk-bench-${count}` }, spec: { ...base.spec, tier: "small", environment: "prod", agents } };
}

/** Fargate CPU units and MiB for the pattern, from the agent's resources. */
function fargateSize(cpu: number, memoryMiB: number): { cpu: number; memoryLimitMiB: number } {
  return { cpu: Math.round(cpu * 1024), memoryLimitMiB: memoryMiB };
}

/** One QueueProcessingFargateService per agent in one stack, sized and scaled as the agent (its own queue and dead-letter queue). */
export function patternApp(app: App, input: FleetInput): void {
  const fleet = parseFleet(input);
  const stack = new Stack(app, "patterns", { env: { account: "123456789012", region: "us-east-1" } });
  const vpc = new ec2.Vpc(stack, "Vpc", { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, "Cluster", { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  for (const agent of fleet.agents) {
    const scaling = agent.scaling;
    new ecsPatterns.QueueProcessingFargateService(stack, agent.name, {
      cluster,
      image: ecs.ContainerImage.fromRegistry(agent.image),
      ...fargateSize(agent.resources.cpu, agent.resources.memoryMiB),
      minScalingCapacity: scaling.min,
      maxScalingCapacity: Math.max(1, scaling.max),
      maxReceiveCount: 4,
    });
  }
}

export function fleetApp(app: App, input: FleetInput): void {
  new AgentFleetStacks(app, "fleet", { fleet: input, account: "123456789012" });
}

const ms = (n: number) => n.toFixed(0);
const per = (n: number, d: number) => (d > 0 ? (n / d).toFixed(2) : "-");

export async function cdkSynth(log: (line: string) => void): Promise<BenchSection> {
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const load = loadavg().map((x) => x.toFixed(2)).join(", ");
  log(`C1: 20 agents, AgentFleetStacks vs QueueProcessingFargateService, ${repeats} runs each (load average ${load})`);
  const input = cpuFleet(20);
  // Warm-up: both libraries loaded and their first synth paid once.
  timedSynth((a) => fleetApp(a, cpuFleet(2)));
  timedSynth((a) => patternApp(a, cpuFleet(2)));
  const runs: { ours: Synth[]; pattern: Synth[] } = { ours: [], pattern: [] };
  for (let i = 0; i < repeats; i++) {
    runs.ours.push(timedSynth((a) => fleetApp(a, input)));
    runs.pattern.push(timedSynth((a) => patternApp(a, input)));
    log(`  run ${i + 1}: microagents ${ms(runs.ours[i].cpu)} ms CPU, pattern ${ms(runs.pattern[i].cpu)} ms CPU`);
  }
  const best = (xs: Synth[]) => xs.reduce((b, x) => (x.cpu < b.cpu ? x : b));
  const [o, p] = [best(runs.ours), best(runs.pattern)];
  const c1 = mdTable([
    ["construct library", "stacks", "resources", "synth CPU ms (best)", "synth wall ms", "CPU ms per resource", "CPU ms per agent"],
    ["microagents AgentFleetStacks", o.stacks, o.resources, ms(o.cpu), ms(o.wall), per(o.cpu, o.resources), per(o.cpu, 20)],
    ["aws-ecs-patterns QueueProcessingFargateService ×20", p.stacks, p.resources, ms(p.cpu), ms(p.wall), per(p.cpu, p.resources), per(p.cpu, 20)],
  ]);

  log("C2: 500 agents, medium prod, cdk-nag AwsSolutions + MicroAgentsChecks (child process)");
  const c2 = synth500();
  const c2Line = c2.ok
    ? `${c2.stacks} stacks, ${c2.resources} resources; construct + synth + validation ${ms(c2.cpu ?? 0)} ms CPU, ${ms(c2.wall ?? 0)} ms wall; MicroAgentsChecks: ${c2.mandatory} mandatory, ${c2.advisory} advisory; cdk-nag: ${c2.nagFindings} findings`
    : `failed after ${ms(c2.wall ?? 0)} ms wall: ${c2.error}`;
  log(`  ${c2Line}`);

  const body = [
    `Run at load average ${load} (1, 5, 15 min) on a machine shared with other work; ${repeats} runs each, alternating, after a warm-up; each run builds the app and synthesizes it (what \`cdk synth\` times), after a full garbage collection. Figures are CPU time of the process (user + system), the best run; wall time of that run for reference.`,
    "",
    "### C1: 20 agents, AgentFleetStacks against QueueProcessingFargateService",
    "",
    "The fleet is bench/fleets.ts `largeFleet(20)`'s mix without its GPU agents (the pattern runs on Fargate only; the 4 GPU agents become 1 vCPU / 2 GiB), small tier, prod, one ECS target (bench/cdk-synth.ts `cpuFleet`). The pattern side is one stack with a VPC, a cluster and one `QueueProcessingFargateService` per agent, sized and scaled as the agent (its queue and dead-letter queue, queue-depth scaling). AgentFleetStacks builds what the package deploys for the same agents: sharded stacks, per-agent queues, topics, alarms, roles, KMS, the gateway, the shared state and the budget; so per agent it synthesizes more, and per resource is the fairer figure.",
    "",
    c1,
    "",
    "### C2: 500 agents, medium prod, with cdk-nag and MicroAgentsChecks",
    "",
    "bench/fleets.ts `largeFleet(500, \"ecs\")` at the medium tier, prod, synthesized by AgentFleetStacks with `Validations.of(app).addPlugins(new MicroAgentsChecks(...), new AwsSolutionsChecks(app))`, in a child process with an 8 GiB heap (bench/cdk-synth-500.ts).",
    "",
    c2.ok ? c2Line : `**Did not synthesize**: ${c2Line}`,
  ].join("\n");
  return {
    title: "CDK: synth time against aws-ecs-patterns, and 500 agents under cdk-nag",
    body,
    goals: [
      { goal: "C1: both synthesize 20 agents in one run", measured: `microagents ${ms(o.cpu)} ms (${per(o.cpu, o.resources)} ms/resource), pattern ${ms(p.cpu)} ms (${per(p.cpu, p.resources)} ms/resource)`, met: true },
      { goal: "C2: 500 agents, medium prod, synthesize with cdk-nag and MicroAgentsChecks, no mandatory violation", measured: c2.ok ? `${ms(c2.wall ?? 0)} ms wall, ${c2.mandatory} mandatory` : "failed", met: c2.ok && c2.mandatory === 0 },
    ],
  };
}

interface Synth500 {
  readonly ok: boolean;
  readonly error?: string;
  readonly cpu?: number;
  readonly wall?: number;
  readonly stacks?: number;
  readonly resources?: number;
  readonly mandatory?: number;
  readonly advisory?: number;
  readonly nagFindings?: number;
}

function synth500(): Synth500 {
  const started = performance.now();
  const r = spawnSync(process.execPath, ["--max-old-space-size=8192", "--import", "tsx", join(__dirname, "cdk-synth-500.ts")], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const wall = performance.now() - started;
  const line = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status === 0 && line.startsWith("{")) return JSON.parse(line) as Synth500;
  const why = (r.stderr || r.stdout || `exit ${r.status}`).split("\n").find((l) => l.trim().length > 0) ?? `exit ${r.status}`;
  return { ok: false, wall, error: why.slice(0, 400) };
}
