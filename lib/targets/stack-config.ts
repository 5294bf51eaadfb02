import type { SpecIssue } from "../spec/errors";
import type { Fleet } from "../spec/types";
import type { FleetEntryConfig } from "./entry-settings";

/**
 * The settings a fleet may leave to the stack's Pulumi config, as `microagents validate`
 * sees them: the entry's host name and zones (entry-settings.ts) and a GCP target's
 * project and billing account (gcp/project.ts). The build reads them from config; validate
 * reads them from `--config key=value` when given, and otherwise reports a setting absent
 * from both the spec and config as a warning naming the key the stack will need.
 */

/** What the stack's config supplies to the checks made before any resource. */
export interface StackConfig extends FleetEntryConfig {
  /** `gcp:project`: the project of a GCP target that names none. */
  readonly gcpProject?: string;
  /** `microagents:billingAccount`: the billing account of the fleet's GCP budget. */
  readonly billingAccount?: string;
}

type Fields = Pick<Fleet, "gateway" | "targets">;

/**
 * The settings config can supply instead of the spec: the config key, the issue path a
 * missing value is reported at (a pattern for per-target settings), and whether the spec
 * left it out there (only then can config help; a value the spec gives is reported at
 * the same path when it is wrong).
 */
export const CONFIG_SUPPLIED: ReadonlyArray<{ readonly key: keyof StackConfig; readonly configKey: string; readonly path: RegExp; readonly absentFromSpec: (fleet: Fields, target: number) => boolean }> = [
  { key: "hostname", configKey: "microagents:hostname", path: /^spec\.gateway\.hostname$/, absentFromSpec: (f) => f.gateway.hostname === undefined },
  { key: "hostedZoneId", configKey: "microagents:hostedZoneId", path: /^spec\.gateway\.hostedZoneId$/, absentFromSpec: (f) => f.gateway.hostedZoneId === undefined },
  { key: "azureDnsZoneId", configKey: "microagents:azureDnsZoneId", path: /^spec\.gateway\.azureDnsZoneId$/, absentFromSpec: (f) => f.gateway.azureDnsZoneId === undefined },
  { key: "dnsZone", configKey: "microagents:dnsZone", path: /^config microagents:dnsZone$/, absentFromSpec: () => true },
  { key: "gcpProject", configKey: "gcp:project", path: /^spec\.targets\[(\d+)\]\.project$/, absentFromSpec: (f, i) => f.targets[i]?.project === undefined },
  { key: "billingAccount", configKey: "microagents:billingAccount", path: /^spec\.targets\[(\d+)\]\.billingAccount$/, absentFromSpec: (f, i) => f.targets[i]?.billingAccount === undefined },
];

/** The settings a stack's Pulumi config gives (`microagents:hostname=...`; a key without a namespace is taken as `microagents:`). */
export function stackConfigOf(config: Readonly<Record<string, string>>): StackConfig {
  const value = (configKey: string) => config[configKey] ?? (configKey.startsWith("microagents:") ? config[configKey.slice("microagents:".length)] : undefined);
  return Object.fromEntries(CONFIG_SUPPLIED.flatMap(({ key, configKey }) => (value(configKey) !== undefined ? [[key, value(configKey)]] : [])));
}

/** A problem that only says a setting is missing which the stack's config can still supply, with that config key. */
export interface DeferredIssue {
  readonly issue: SpecIssue;
  readonly deferredTo: string;
}

/** The config key that could still solve an issue when the stack's config is not known, if any. */
export function deferredConfigKey(fleet: Fields, issue: SpecIssue): string | undefined {
  for (const s of CONFIG_SUPPLIED) {
    const m = s.path.exec(issue.path);
    if (m && s.absentFromSpec(fleet, Number(m[1] ?? -1))) return s.configKey;
  }
  return undefined;
}

/**
 * Issues split for validate. With the stack's config known (given, even empty), every
 * problem is an error. Without it, a setting absent from the spec is a warning naming
 * the config key the stack will need; every other problem (host name format, a private
 * gateway, a route on the health path, a Route 53 entry without an AWS target or a
 * latency region, a zone given in the spec that does not hold the host name) is still
 * an error.
 */
export function splitDeferred(fleet: Fields, issues: ReadonlyArray<SpecIssue>, configKnown: boolean): { readonly errors: SpecIssue[]; readonly warnings: DeferredIssue[] } {
  const errors: SpecIssue[] = [];
  const warnings: DeferredIssue[] = [];
  for (const issue of issues) {
    const deferredTo = configKnown ? undefined : deferredConfigKey(fleet, issue);
    if (deferredTo) warnings.push({ issue, deferredTo });
    else errors.push(issue);
  }
  return { errors, warnings };
}
