import { cdkSynth } from "./cdk-synth";
import { p1PlanTime } from "./p1-plan-time";
import { p2Packing } from "./p2-packing";
import { p3Cost } from "./p3-cost";
import { goalTable, machine, writeResults, type BenchSection } from "./report";

/**
 * `npm run bench`: P1 plan time, P2 packing efficiency, P3 cost against a naive
 * deployment, CDK synth time (against aws-ecs-patterns, and 500 agents under cdk-nag).
 * Prints every figure and writes bench/RESULTS.md with the machine and date.
 * BENCH_ONLY=p1,cdk runs a subset (the other sections of RESULTS.md are kept);
 * BENCH_REPEATS and BENCH_RUNTIMES tune P1 and the CDK rows.
 */
async function main(): Promise<void> {
  const started = new Date();
  const only = process.env.BENCH_ONLY?.split(",");
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`microagents benchmarks, ${started.toISOString()}, ${machine()}`);
  const all: ReadonlyArray<[string, (log: (line: string) => void) => Promise<BenchSection>]> = [
    ["p1", p1PlanTime],
    ["p2", p2Packing],
    ["p3", p3Cost],
    ["cdk", cdkSynth],
  ];
  const sections: BenchSection[] = [];
  for (const [id, bench] of all) {
    if (only && !only.includes(id)) continue;
    const section = await bench(log);
    sections.push(section);
    log(`\n${section.title}\n${goalTable(section)}\n`);
  }
  writeResults(sections, started);
  log("wrote bench/RESULTS.md");
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
