import { writeFileSync } from "node:fs";
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

export function writeResults(sections: ReadonlyArray<BenchSection>, started: Date, file = join(__dirname, "RESULTS.md")): void {
  const md = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\` (bench/run.ts) on ${started.toISOString()}.`,
    "",
    `Machine: ${machine()}.`,
    "",
    ...sections.flatMap((s) => [`## ${s.title}`, "", goalTable(s), "", s.body, ""]),
  ].join("\n");
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
