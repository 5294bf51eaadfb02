/** Left-aligned columns, numbers right-aligned. */
export function table(rows: ReadonlyArray<ReadonlyArray<string | number>>, indent = "  "): string {
  if (rows.length === 0) return "";
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? "").length)));
  return rows
    .map((r) => indent + r.map((cell, c) => (typeof cell === "number" ? String(cell).padStart(widths[c]) : String(cell).padEnd(widths[c]))).join("  ").trimEnd())
    .join("\n") + "\n";
}

export function countBy<T>(items: ReadonlyArray<T>, key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return new Map([...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}
