import type { Cloud } from "../spec/accelerators";
import catalogFile from "./prices.json";

/**
 * The price catalog (lib/prices/prices.json): every price with its source, the date it
 * was read and a confidence. `approximate` prices are estimates or undated copies of
 * list prices; the estimator says so in an item's basis.
 */

export type Confidence = "list" | "approximate";

export interface Price {
  /** `<cloud>.<service>.<dimension>`, e.g. `aws.ec2.g5.xlarge.hour`. */
  readonly key: string;
  readonly cloud: Cloud;
  /** The region the price was read for; estimates use it for every region of the cloud. */
  readonly region: string;
  /** What one `usd` buys: `instance-hour`, `1M requests`, `GB-month`... */
  readonly unit: string;
  readonly usd: number;
  readonly source: string;
  /** ISO date the price was read or published. */
  readonly date: string;
  readonly confidence: Confidence;
  readonly note?: string;
}

export interface PriceCatalog {
  /** 730: the hours in the average month. */
  readonly hoursPerMonth: number;
  readonly currency: "USD";
  /** Fraction off on-demand for spot or preemptible capacity (0.6 = 60% off). */
  readonly spotDiscount: number;
  readonly spotDiscountSource: string;
  readonly prices: ReadonlyArray<Price>;
  /** The price under a key, or undefined when the catalog has none. */
  find(key: string): Price | undefined;
}

interface RawCatalog {
  readonly hoursPerMonth: number;
  readonly currency: string;
  readonly defaults: { readonly spotDiscount: number; readonly spotDiscountSource: string };
  readonly prices: ReadonlyArray<Record<string, unknown>>;
}

const CLOUDS: ReadonlyArray<string> = ["aws", "azure", "gcp"];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Problems with one catalog entry; an empty list means the entry is usable. */
export function priceProblems(entry: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const str = (k: string) => typeof entry[k] === "string" && (entry[k] as string).length > 0;
  if (!str("key")) problems.push("no key");
  if (!str("cloud") || !CLOUDS.includes(entry.cloud as string)) problems.push(`cloud '${String(entry.cloud)}' is not aws, azure or gcp`);
  if (!str("region")) problems.push("no region");
  if (!str("unit")) problems.push("no unit");
  if (typeof entry.usd !== "number" || !Number.isFinite(entry.usd) || entry.usd < 0) problems.push(`usd '${String(entry.usd)}' is not a non-negative number`);
  if (!str("source") || !/^https?:\/\//.test(entry.source as string)) problems.push("no source URL");
  if (!str("date") || !ISO_DATE.test(entry.date as string) || Number.isNaN(Date.parse(entry.date as string))) problems.push(`date '${String(entry.date)}' is not an ISO date`);
  if (entry.confidence !== "list" && entry.confidence !== "approximate") problems.push(`confidence '${String(entry.confidence)}' is not list or approximate`);
  if (entry.confidence === "approximate" && !str("note")) problems.push("an approximate price needs a note saying why");
  return problems;
}

/** Builds a catalog from the file's shape; throws on any entry without source, date or a sane price. */
export function buildCatalog(raw: RawCatalog): PriceCatalog {
  const problems: string[] = [];
  const byKey = new Map<string, Price>();
  for (const entry of raw.prices) {
    const found = priceProblems(entry);
    const key = typeof entry.key === "string" ? entry.key : "(no key)";
    if (found.length > 0) problems.push(`${key}: ${found.join("; ")}`);
    else if (byKey.has(key)) problems.push(`${key}: listed twice`);
    else byKey.set(key, entry as unknown as Price); // checked field by field by priceProblems above
  }
  if (raw.hoursPerMonth !== 730) problems.push(`hoursPerMonth is ${raw.hoursPerMonth}, not 730`);
  if (!(raw.defaults.spotDiscount >= 0 && raw.defaults.spotDiscount < 1)) problems.push(`spotDiscount ${raw.defaults.spotDiscount} is not in [0, 1)`);
  if (problems.length > 0) throw new Error(`lib/prices/prices.json is invalid:\n  ${problems.join("\n  ")}`);
  return {
    hoursPerMonth: raw.hoursPerMonth,
    currency: "USD",
    spotDiscount: raw.defaults.spotDiscount,
    spotDiscountSource: raw.defaults.spotDiscountSource,
    prices: [...byKey.values()],
    find: (key) => byKey.get(key),
  };
}

let loaded: PriceCatalog | undefined;

/** The package's catalog, checked once on first use. */
export function priceCatalog(): PriceCatalog {
  loaded ??= buildCatalog(catalogFile);
  return loaded;
}

/** Hours in a month for every estimate. */
export const HOURS_PER_MONTH = 730;
