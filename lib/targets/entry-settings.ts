import type * as pulumi from "@pulumi/pulumi";
import { failoverPair, type FailoverPair } from "../plan/topology";
import { isConfigError, MicroAgentsConfigError, type SpecIssue } from "../spec/errors";
import type { Fleet, GatewaySettings } from "../spec/types";
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

/**
 * The entry settings Pulumi config can supply instead of the spec: the config key, the
 * spec field (none for the Cloud DNS zone) and the path a missing value is reported at.
 */
export const CONFIG_SUPPLIED: ReadonlyArray<{ readonly key: keyof FleetEntryConfig; readonly configKey: string; readonly inSpec: (gateway: GatewaySettings) => string | undefined; readonly path: string }> = [
  { key: "hostname", configKey: "microagents:hostname", inSpec: (g) => g.hostname, path: "spec.gateway.hostname" },
  { key: "hostedZoneId", configKey: "microagents:hostedZoneId", inSpec: (g) => g.hostedZoneId, path: "spec.gateway.hostedZoneId" },
  { key: "azureDnsZoneId", configKey: "microagents:azureDnsZoneId", inSpec: (g) => g.azureDnsZoneId, path: "spec.gateway.azureDnsZoneId" },
  { key: "dnsZone", configKey: "microagents:dnsZone", inSpec: () => undefined, path: "config microagents:dnsZone" },
];

/** The entry settings of a stack's Pulumi config (`microagents:hostname=...`; a key without a namespace is taken as `microagents:`). */
export function entryConfigOf(config: Readonly<Record<string, string>>): FleetEntryConfig {
  const value = (configKey: string) => config[configKey] ?? config[configKey.slice("microagents:".length)];
  return Object.fromEntries(CONFIG_SUPPLIED.flatMap(({ key, configKey }) => (value(configKey) !== undefined ? [[key, value(configKey)]] : [])));
}

/** A problem and, when it is only that a setting is missing which the stack's config can still supply, that config key. */
export interface ClassifiedIssue {
  readonly issue: SpecIssue;
  /** Set when the problem is a setting absent from the spec that config key `deferredTo` can supply. */
  readonly deferredTo?: string;
}

/**
 * Which config key, if any, could still solve an issue when the stack's config is not
 * known: the issue sits at the path where a setting absent from the spec is reported.
 * (A setting the spec gives is reported at the same path only when it is wrong, and
 * then config cannot help.)
 */
export function deferredConfigKey(fleet: Pick<Fleet, "gateway">, issue: SpecIssue): string | undefined {
  return CONFIG_SUPPLIED.find((s) => s.path === issue.path && s.inSpec(fleet.gateway) === undefined)?.configKey;
}

/** Every problem of the fleet's entry settings (empty when AgentFleet would build its entry): what validate reports. */
export function fleetEntryIssues(fleet: Fleet, config: FleetEntryConfig = {}): SpecIssue[] {
  return collect(() => fleetEntrySettings(fleet, config)).issues;
}

/**
 * Issues split for validate. With the stack's config known (given, even empty), every
 * problem is an error. Without it, a setting absent from the spec is a warning naming
 * the config key the stack will need; every other problem (host name format, a private
 * gateway, a route on the health path, a Route 53 entry without an AWS target or a
 * latency region, a zone given in the spec that does not hold the host name) is still
 * an error.
 */
export function splitDeferred(fleet: Pick<Fleet, "gateway">, issues: ReadonlyArray<SpecIssue>, configKnown: boolean): { readonly errors: SpecIssue[]; readonly warnings: ClassifiedIssue[] } {
  const errors: SpecIssue[] = [];
  const warnings: ClassifiedIssue[] = [];
  for (const issue of issues) {
    const deferredTo = configKnown ? undefined : deferredConfigKey(fleet, issue);
    if (deferredTo) warnings.push({ issue, deferredTo });
    else errors.push(issue);
  }
  return { errors, warnings };
}
