import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem, platform, release } from "node:os";
import { join } from "node:path";

/** One benchmark's findings: printed as it runs, and a section of bench/RESULTS.md. */
export interface BenchSection {
  readonly title: string;
  /** Markdown: what was measured, how, and the figures. */
  readonly body: string;
  readonly goals: ReadonlyArray<{ readonly goal: string; readonly measured: string; readonly met: boolean }>;
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? "unknown CPU"} × ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${platform()} ${release()}, Node ${process.version}`;
}

export function goalTable(section: BenchSection): string {
  return ["| goal | measured | met |", "|---|---|---|", ...section.goals.map((g) => `| ${g.goal} | ${g.measured} | ${g.met ? "yes" : "**no**"} |`)].join("\n");
}

/**
 * Writes bench/RESULTS.md: the sections of this run, and those of an earlier run that
 * this one did not repeat (`BENCH_ONLY=cdk` keeps P1 to P3 as they were), each marked
 * with the run it came from.
 */
export function writeResults(sections: ReadonlyArray<BenchSection>, started: Date, file = join(__dirname, "RESULTS.md")): void {
  const previous = existsSync(file) ? readFileSync(file, "utf8") : "";
  // A kept section keeps the date it was measured on, through later partial runs too.
  const earlierRun = /Kept from the run of (\S+?),/.exec(previous)?.[1] ?? /\(bench\/run\.ts\) on (\d{4}-\d{2}-\d{2}T[\d:.]+Z)/.exec(previous)?.[1];
  const earlier = previous
    .split(/^(?=## )/m)
    .filter((chunk) => chunk.startsWith("## "))
    .map((chunk) => ({ title: chunk.slice(3, chunk.indexOf("\n")).trim(), text: chunk.trimEnd() }));
  const fresh = (s: BenchSection) => [`## ${s.title}`, "", goalTable(s), "", s.body].join("\n");
  const byTitle = new Map(sections.map((s) => [s.title, s]));
  const kept = earlier.filter((e) => !byTitle.has(e.title));
  const rerun = (e: { title: string; text: string }) => {
    const s = byTitle.get(e.title);
    return s ? fresh(s) : e.text;
  };
  const ordered = [...earlier.map(rerun), ...sections.filter((s) => !earlier.some((e) => e.title === s.title)).map(fresh)];
  const keptNote = kept.length > 0 ? ` Kept from the run of ${earlierRun ?? "an earlier date"}, not repeated in this one: ${kept.map((k) => k.title.split(":")[0]).join(", ")}.` : "";
  const md = ["# Benchmark results", "", `Written by \`npm run bench\` (bench/run.ts) on ${started.toISOString()}.${keptNote}`, "", `Machine: ${machine()}.`, "", ...ordered.flatMap((t) => [t, ""])].join("\n");
  writeFileSync(file, md);
}

/** A Markdown table from rows (first row is the header). */
export function mdTable(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const [head, ...rest] = rows;
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rest.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

export const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
