import * as pulumi from "@pulumi/pulumi";
import { AgentFleet } from "../lib/components/agent-fleet";
import { runOffline, type CapturedResource } from "../lib/offline/engine";
import { planFleet } from "../lib/plan/plan-fleet";
import type { Runtime } from "../lib/spec";
import { largeFleet } from "./fleets";
import { mdTable, median, type BenchSection } from "./report";

const SIZES = [50, 100, 250, 500] as const;

/** The offline plan, as `microagents plan --fleet` runs it: plan the fleet, run AgentFleet under mocks. */
async function planOnce(runtime: Runtime, agents: number): Promise<{ ms: number; resources: ReadonlyArray<CapturedResource> }> {
  const fleet = largeFleet(agents, runtime);
  const t = performance.now();
  const plan = planFleet(fleet);
  const graph = await runOffline(() => new AgentFleet(plan.fleet.name, { fleet: plan.fleet }));
  return { ms: performance.now() - t, resources: graph.resources };
}

/** A raw resource registered by type token, as a provider SDK class would (the SDK's classes are thin wrappers). */
class RawResource extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs) {
    super(type, name, props);
  }
}
class RawProvider extends pulumi.ProviderResource {
  constructor(pkg: string, name: string, props: pulumi.Inputs) {
    super(pkg, name, props);
  }
}

/** The baseline: the same raw provider resources (types and inputs), registered directly, no components. */
async function baselineOnce(resources: ReadonlyArray<CapturedResource>): Promise<number> {
  const custom = resources.filter((r) => r.custom);
  const t = performance.now();
  await runOffline(() => {
    for (const r of custom) {
      if (r.type.startsWith("pulumi:providers:")) new RawProvider(r.type.slice("pulumi:providers:".length), r.name, { ...r.inputs });
      else new RawResource(r.type, r.name, { ...r.inputs });
    }
  });
  return performance.now() - t;
}

export async function p1PlanTime(log: (line: string) => void): Promise<BenchSection> {
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const runtimes = (process.env.BENCH_RUNTIMES ?? "kubernetes,ecs").split(",") as Runtime[];
  const rows: Array<Array<string | number>> = [["runtime", "agents", "resources", "plan (ms, median)", "baseline (ms, median)", "ratio"]];
  const goals: Array<{ goal: string; measured: string; met: boolean }> = [];
  for (const runtime of runtimes) {
    // Warm up module loading and the JIT on a small fleet, measured in neither column.
    const warm = await planOnce(runtime, 20);
    await baselineOnce(warm.resources);
    const plans: Record<number, number> = {};
    const ratios: number[] = [];
    for (const agents of SIZES) {
      const planMs: number[] = [];
      const baseMs: number[] = [];
      let count = 0;
      for (let r = 0; r < repeats; r++) {
        const p = await planOnce(runtime, agents);
        planMs.push(p.ms);
        baseMs.push(await baselineOnce(p.resources));
        count = p.resources.filter((x) => x.custom).length;
      }
      const [pm, bm] = [median(planMs), median(baseMs)];
      plans[agents] = pm;
      ratios.push(pm / bm);
      rows.push([runtime, agents, count, pm.toFixed(0), bm.toFixed(0), (pm / bm).toFixed(2)]);
      log(`P1 ${runtime} ${agents} agents: ${count} resources, plan ${pm.toFixed(0)} ms, baseline ${bm.toFixed(0)} ms, ratio ${(pm / bm).toFixed(2)}`);
    }
    const growth = plans[500] / plans[50];
    const worst = Math.max(...ratios);
    log(`P1 ${runtime}: worst ratio ${worst.toFixed(2)}, growth 50→500 ${growth.toFixed(1)}×`);
    goals.push({ goal: `${runtime}: plan ÷ baseline ≤ 1.3 at every size`, measured: `worst ${worst.toFixed(2)}`, met: worst <= 1.3 });
    goals.push({ goal: `${runtime}: plan time growth 50 → 500 agents ≤ 11×`, measured: `${growth.toFixed(1)}×`, met: growth <= 11 });
  }
  const body = [
    `Fleets of 50, 100, 250 and 500 agents (bench/fleets.ts \`largeFleet\`: the seed's mix repeated: routed CPU agents, batch workers that scale to zero, active-passive coordinators, quarter- and half-GPU agents, each subscribing to the one before), enterprise tier, prod. **Plan** is what \`microagents plan --fleet\` does: \`planFleet\` plus \`AgentFleet\` under \`runOffline\`. **Baseline** is a program that registers the same custom resources (same types, same inputs, providers included) directly with \`new pulumi.CustomResource\`, in the same process and the same run. Each size runs ${repeats} times, plan and baseline alternating, after a 20-agent warm-up; the table shows medians.`,
    "",
    mdTable(rows),
  ].join("\n");
  return { title: "P1: plan time", body, goals };
}
