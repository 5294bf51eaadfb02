import { isDeepStrictEqual } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { AgentFleet } from "../lib/components/agent-fleet";
import { runOffline, type CapturedResource } from "../lib/offline/engine";
import { planFleet } from "../lib/plan/plan-fleet";
import { RUNTIMES, type Runtime } from "../lib/spec/schema";
import { prepareReplay, replay } from "./baseline";
import { largeFleet } from "./fleets";
import { mdTable, median, type BenchSection } from "./report";

const SIZES = [50, 100, 250, 500] as const;

/** CPU milliseconds this process has used (all threads: JS, GC helpers). */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** A full garbage collection, so no run pays for the previous run's garbage. */
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void; // V8's gc(), exposed by the flag just set

interface Timing {
  readonly cpu: number;
  readonly wall: number;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; timing: Timing }> {
  collect();
  const [c, w] = [cpuMs(), performance.now()];
  const result = await work();
  return { result, timing: { cpu: cpuMs() - c, wall: performance.now() - w } };
}

/** The offline plan, as `microagents plan --fleet` runs it: plan the fleet, run AgentFleet under mocks. */
async function planOnce(runtime: Runtime, agents: number): Promise<{ timing: Timing; resources: ReadonlyArray<CapturedResource> }> {
  const fleet = largeFleet(agents, runtime);
  const { result, timing } = await timed(async () => {
    const plan = planFleet(fleet);
    return (await runOffline(() => new AgentFleet(plan.fleet.name, { fleet: plan.fleet }))).resources;
  });
  return { timing, resources: result };
}

/**
 * The baseline: the same raw provider resources (types and inputs), registered directly
 * through their SDK classes and wired by their outputs; the wiring is worked out before
 * the clock starts.
 */
async function baselineOnce(resources: ReadonlyArray<CapturedResource>): Promise<Timing & { generic: number; mismatched: number }> {
  let generic = 0;
  const prepared = prepareReplay(resources);
  const { result, timing } = await timed(() =>
    runOffline(() => {
      generic = replay(prepared);
    }),
  );
  return { ...timing, generic, mismatched: mismatches(resources, result.resources) };
}

/** Custom resources the baseline registered with other inputs or another provider than the plan did, or left out. */
function mismatches(plan: ReadonlyArray<CapturedResource>, baseline: ReadonlyArray<CapturedResource>): number {
  const key = (r: CapturedResource) => `${r.type}::${r.name}`;
  const replayed = new Map(baseline.map((r) => [key(r), r]));
  const providerName = (urn?: string) => urn?.split("::").pop();
  return plan.filter((r) => {
    if (!r.custom) return false;
    const b = replayed.get(key(r));
    return !b || !isDeepStrictEqual(b.inputs, r.inputs) || providerName(b.providerUrn) !== providerName(r.providerUrn);
  }).length;
}

export async function p1PlanTime(log: (line: string) => void): Promise<BenchSection> {
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const runtimes = (process.env.BENCH_RUNTIMES ?? "kubernetes,ecs").split(",").map((r) => {
    const runtime = RUNTIMES.find((x) => x === r);
    if (!runtime) throw new Error(`BENCH_RUNTIMES: '${r}' is not a runtime (${RUNTIMES.join(", ")})`);
    return runtime;
  });
  const rows: Array<Array<string | number>> = [["runtime", "agents", "resources", "plan CPU ms (best)", "baseline CPU ms (best)", "ratio", "plan wall ms (median)", "baseline wall ms (median)"]];
  const goals: Array<{ goal: string; measured: string; met: boolean }> = [];
  for (const runtime of runtimes) {
    // Warm up module loading and the JIT on a small fleet, measured in neither column.
    await baselineOnce((await planOnce(runtime, 20)).resources);
    const plans: Record<number, number> = {};
    const ratios: number[] = [];
    for (const agents of SIZES) {
      const plan: Timing[] = [];
      const base: Timing[] = [];
      let count = 0;
      for (let r = 0; r < repeats; r++) {
        let p: { timing: Timing; resources: ReadonlyArray<CapturedResource> } | undefined = await planOnce(runtime, agents);
        plan.push(p.timing);
        count = p.resources.filter((x) => x.custom).length;
        const b = await baselineOnce(p.resources);
        if (b.generic > 0) log(`P1 note: ${b.generic} resources had no SDK class and were replayed as generic CustomResources`);
        if (b.mismatched > 0) throw new Error(`P1: the baseline registered ${b.mismatched} of ${count} resources differently from the plan (${runtime}, ${agents} agents)`);
        base.push(b);
        p = undefined; // let the graph go before the next run
      }
      const pc = Math.min(...plan.map((t) => t.cpu));
      const bc = Math.min(...base.map((t) => t.cpu));
      plans[agents] = pc;
      ratios.push(pc / bc);
      rows.push([runtime, agents, count, pc.toFixed(0), bc.toFixed(0), (pc / bc).toFixed(2), median(plan.map((t) => t.wall)).toFixed(0), median(base.map((t) => t.wall)).toFixed(0)]);
      log(`P1 ${runtime} ${agents} agents: ${count} resources, plan ${pc.toFixed(0)} CPU ms, baseline ${bc.toFixed(0)} CPU ms, ratio ${(pc / bc).toFixed(2)} (wall medians ${median(plan.map((t) => t.wall)).toFixed(0)} / ${median(base.map((t) => t.wall)).toFixed(0)} ms)`);
    }
    const growth = plans[500] / plans[50];
    const worst = Math.max(...ratios);
    log(`P1 ${runtime}: worst ratio ${worst.toFixed(2)}, growth 50→500 ${growth.toFixed(1)}×`);
    goals.push({ goal: `${runtime}: plan ÷ baseline ≤ 1.3 at every size`, measured: `worst ${worst.toFixed(2)}`, met: worst <= 1.3 });
    goals.push({ goal: `${runtime}: plan time growth 50 → 500 agents ≤ 11×`, measured: `${growth.toFixed(1)}×`, met: growth <= 11 });
  }
  const body = [
    `Fleets of 50, 100, 250 and 500 agents (bench/fleets.ts \`largeFleet\`: the seed's mix repeated: routed CPU agents, batch workers that scale to zero, active-passive coordinators, quarter- and half-GPU agents, each subscribing to the one before), enterprise tier, prod. **Plan** is what \`microagents plan --fleet\` does: \`planFleet\` plus \`AgentFleet\` under \`runOffline\`. **Baseline** is a program that registers the same custom resources directly, as a hand-written stack would: each through its provider SDK class (\`aws:sqs/queue:Queue\` → \`new Queue(...)\` from \`@pulumi/aws/sqs\`; Kubernetes custom resources through \`apiextensions.CustomResource\`) with its explicit provider, and wired by outputs: an input that holds another resource's computed ARN, URL or ID takes that resource's Output, and one that embeds such values (a policy document, a dashboard body) is interpolated from them (bench/baseline.ts; the wiring is worked out before the clock starts). Every run checks that the baseline's resources have exactly the plan's inputs and providers, and stops if not. Both run in the same process and the same run, so the ratio is what the components, the plan and the targets add. Each size runs ${repeats} times, plan and baseline alternating, after a 20-agent warm-up, each run after a full garbage collection. The figures are **CPU time of the process** (user + system, all threads: JavaScript and the garbage collector), the best of the runs: the machine is shared (other test suites ran alongside), and CPU time is far less disturbed by that than wall time; wall-time medians are shown for reference. Ratio and growth use the CPU figures.`,
    "",
    mdTable(rows),
  ].join("\n");
  return { title: "P1: plan time", body, goals };
}
