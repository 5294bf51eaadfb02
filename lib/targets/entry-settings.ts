import type * as pulumi from "@pulumi/pulumi";
import { failoverPair, type FailoverPair } from "../plan/topology";
import { isConfigError, MicroAgentsConfigError, type SpecIssue } from "../spec/errors";
import type { Fleet } from "../spec/types";
import { pairEntrySettings, type PairEntryConfig, type PairEntrySettings } from "./failover-pair";
import { globalEntrySettings, type GlobalEntrySettings } from "./global-entry-shape";

/**
 * The fleet's one entry's settings (the enterprise tier's global entry, or the failover
 * entry of its primary-backup pair), checked in one place for AgentFleet and for
 * `microagents validate`: AgentFleet resolves them before any resource, validate asks
 * for the same problems without building, so a fleet the entry would refuse never gets
 * "ok". The checks themselves stay in each entry's shape module (global-entry-shape.ts,
 * aws/azure/gcp failover-shape.ts).
 */

/** Where the entry's host name and zones come from when the fleet does not say: Pulumi config, or values the program computes. */
export type FleetEntryConfig = PairEntryConfig;

export interface FleetEntrySettings {
  /** The global entry in front of several clouds. */
  readonly global?: GlobalEntrySettings<pulumi.Input<string>>;
  /** The failover entry of the fleet's one primary-backup pair (only when the fleet has no global entry and an agent has a route). */
  readonly pair?: { readonly pair: FailoverPair; readonly settings: PairEntrySettings };
}

/** Issues of a check that throws MicroAgentsConfigError. */
function collect<T>(check: () => T): { value?: T; issues: SpecIssue[] } {
  try {
    return { value: check(), issues: [] };
  } catch (e) {
    if (isConfigError(e)) return { issues: [...e.issues] };
    throw e;
  }
}

/**
 * The fleet's entry settings, or every problem of them at once (MicroAgentsConfigError):
 * what AgentFleet builds its entry from. A fleet without a routed agent, pair or global
 * entry has none.
 */
export function fleetEntrySettings(fleet: Fleet, config: FleetEntryConfig = {}): FleetEntrySettings {
  const pair = failoverPair(fleet);
  const routed = fleet.agents.some((a) => a.route);
  const paired = pair && routed ? collect(() => pairEntrySettings(pair, fleet, config)) : { issues: [] };
  const global = collect(() => globalEntrySettings<pulumi.Input<string>>(fleet, { hostname: config.hostname, hostedZoneId: config.hostedZoneId, azureDnsZoneId: config.azureDnsZoneId }));
  const issues = [...paired.issues, ...global.issues];
  if (issues.length > 0) throw new MicroAgentsConfigError(issues);
  return { ...(global.value ? { global: global.value } : {}), ...(pair && paired.value ? { pair: { pair, settings: paired.value } } : {}) };
}

/** Every problem of the fleet's entry settings (empty when AgentFleet would build its entry): what validate reports. */
export function fleetEntryIssues(fleet: Fleet, config: FleetEntryConfig = {}): SpecIssue[] {
  return collect(() => fleetEntrySettings(fleet, config)).issues;
}
