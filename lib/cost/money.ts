import type { Price } from "../prices/catalog";

/** What pricing one resource came to. */
export type Outcome =
  | { readonly kind: "priced"; readonly usd: number; readonly basis: string }
  | { readonly kind: "free"; readonly basis: string }
  | { readonly kind: "unpriced"; readonly reason: string };

export const priced = (usd: number, basis: string): Outcome => ({ kind: "priced", usd, basis });
export const free = (why: string): Outcome => ({ kind: "free", basis: `no charge: ${why}` });
export const unpriced = (reason: string): Outcome => ({ kind: "unpriced", reason });

/** `$0.0247`, `$12.50`: enough digits to show small unit prices. */
export function usd(n: number): string {
  if (n === 0) return "$0";
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 2 : abs >= 0.01 ? 4 : 6;
  return `$${n.toFixed(digits).replace(/(\.\d*?[1-9])0+$|\.0+$/, "$1")}`;
}

/** `1.2M`, `3,000`: quantities in a basis. */
export function qty(n: number): string {
  if (n >= 1e9) return `${+(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${+(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${+(n / 1e3).toFixed(1)}k`;
  return `${+n.toFixed(2)}`;
}

/** " (approximate price)" when any price used is an estimate or an undated copy. */
export function approx(prices: ReadonlyArray<Price>): string {
  const keys = prices.filter((p) => p.confidence === "approximate").map((p) => p.key);
  return keys.length > 0 ? ` [approximate: ${keys.join(", ")}]` : "";
}

/** Whole cents, so that item figures add up to the total exactly. */
export const cents = (n: number): number => Math.round(n * 100);
