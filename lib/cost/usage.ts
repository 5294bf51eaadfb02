import type { Tier } from "../spec/tiers";
import type { UsageOverrides } from "../spec/types";

/**
 * Usage the estimate assumes for what is billed by use (requests, messages, log
 * and storage GB, busy hours), like Infracost's small, medium and large usage
 * defaults. Figures are for the whole fleet and a month; a fleet file's
 * `spec.usage` overrides any of them.
 */
export interface Usage {
  /** Requests through the gateway, split evenly over the routes (or gateways) found. */
  readonly requestsPerMonth: number;
  /** Messages through the broker, split evenly over the agents' input queues. */
  readonly messagesPerMonth: number;
  /** Log GB ingested, split evenly over the log groups. */
  readonly logsGbPerMonth: number;
  /** GB kept in the shared state stores (task table, context store, database). */
  readonly storageGb: number;
  /**
   * Hours a month an agent that scales on its queue runs above its minimum; the
   * estimate assumes it runs at its maximum for those hours.
   */
  readonly busyHoursPerMonth: number;
}

export interface ResolvedUsage extends Usage {
  /** Which figures came from the fleet file; the rest are the tier preset. */
  readonly overridden: ReadonlyArray<keyof Usage>;
  readonly tier?: Tier;
}

/**
 * The presets. Chosen, not measured: a small team's handful of agents at about one
 * request every few seconds; a medium enterprise at tens of millions of requests;
 * an enterprise at hundreds of millions. Every request fans out into about three
 * queue messages along a pipeline. Busy hours: 4, 8 and 12 hours a day.
 */
export const usagePresets: Readonly<Record<Tier, Usage>> = {
  small: { requestsPerMonth: 1_000_000, messagesPerMonth: 3_000_000, logsGbPerMonth: 5, storageGb: 10, busyHoursPerMonth: 120 },
  medium: { requestsPerMonth: 20_000_000, messagesPerMonth: 60_000_000, logsGbPerMonth: 100, storageGb: 200, busyHoursPerMonth: 240 },
  enterprise: { requestsPerMonth: 500_000_000, messagesPerMonth: 1_500_000_000, logsGbPerMonth: 2_000, storageGb: 5_000, busyHoursPerMonth: 360 },
};

const USAGE_KEYS: ReadonlyArray<keyof Usage> = ["requestsPerMonth", "messagesPerMonth", "logsGbPerMonth", "storageGb", "busyHoursPerMonth"];

/** The tier's preset with the fleet file's overrides on top. */
export function resolveUsage(tier: Tier, overrides: UsageOverrides = {}): ResolvedUsage {
  const preset = usagePresets[tier];
  const overridden = USAGE_KEYS.filter((k) => overrides[k] !== undefined);
  const pick = (k: keyof Usage): number => overrides[k] ?? preset[k];
  return {
    requestsPerMonth: pick("requestsPerMonth"),
    messagesPerMonth: pick("messagesPerMonth"),
    logsGbPerMonth: pick("logsGbPerMonth"),
    storageGb: pick("storageGb"),
    busyHoursPerMonth: Math.min(730, pick("busyHoursPerMonth")),
    overridden,
    tier,
  };
}
