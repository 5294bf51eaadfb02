import { readFileSync } from "node:fs";
import { z } from "zod";
import { ACCELERATORS } from "../../lib/spec/accelerators";
import { MicroAgentsConfigError, type SpecIssue } from "../../lib/spec/errors";
import { ENVIRONMENTS, TIERS } from "../../lib/spec/tiers";
import { toSpecIssues } from "../../lib/spec/zod-issues";
import { rules } from "../rules";

/**
 * The policy config: one file for `microagents check --policy-config` and, under the
 * `microagents-settings` key, for the Pulumi packs. Every field is optional; the tier
 * and environment default to the stack's own tags, then small and prod.
 */

const ENFORCEMENT = ["advisory", "mandatory", "disabled"] as const;
const RULE_IDS = rules.map((r) => r.id);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const ruleId = z.string().refine((id) => RULE_IDS.includes(id), { message: "no such rule", params: { hint: "rule IDs look like MA-SEC-001 or MA-COST-004; see docs/rules.md" } });

export const waiverSchema = z.strictObject({
  /** The rule waived. */
  rule: ruleId,
  /** Resource name (logical name) or glob (`acme-*-stream`); `*` matches within a name, `**` anything. */
  resource: z.string().min(1),
  /** Why the violation is accepted; shows in every report. */
  reason: z.string().trim().min(10, { message: "give the reason (at least 10 characters)" }),
  /** `YYYY-MM-DD`; from that day on the waiver no longer applies and the violation counts again. */
  expires: z.string().superRefine((d, ctx) => {
    if (!ISO_DATE.test(d)) ctx.addIssue({ code: "custom", message: "expires must be a date written YYYY-MM-DD" });
    else if (Number.isNaN(Date.parse(`${d}T00:00:00Z`)) || new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d) ctx.addIssue({ code: "custom", message: `'${d}' is not a calendar date` });
  }),
});

export const ruleSettingSchema = z.union([z.enum(ENFORCEMENT), z.strictObject({ enforcement: z.enum(ENFORCEMENT) })]);

export const policyConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  /** small | medium | enterprise: caps, allowed GPUs, budget. */
  tier: z.enum(TIERS).optional(),
  /** dev | staging | prod: default enforcement, retention caps, spot and scale-to-zero. */
  environment: z.enum(ENVIRONMENTS).optional(),
  /** Enforcement per rule, over the tier/environment default. */
  rules: z
    .record(z.string(), z.unknown())
    .superRefine((value, ctx) => {
      for (const [key, setting] of Object.entries(value)) {
        if (!RULE_IDS.includes(key)) ctx.addIssue({ code: "custom", path: [key], message: `no rule '${key}'`, params: { hint: "rule IDs look like MA-SEC-001; see docs/rules.md" } });
        else if (!ruleSettingSchema.safeParse(setting).success) ctx.addIssue({ code: "custom", path: [key], message: `'${typeof setting === "string" ? setting : JSON.stringify(setting)}' is not an enforcement`, params: { hint: `use ${ENFORCEMENT.join(", ")} or { "enforcement": ... }` } });
      }
    })
    .transform((value) => value as Record<string, z.output<typeof ruleSettingSchema>>) // every entry was checked against ruleSettingSchema above
    .optional(),
  /** Registry prefixes images may come from (`ghcr.io/acme/`); empty or absent allows any. */
  allowedRegistries: z.array(z.string().min(1)).optional(),
  /** Regions resources may live in; empty or absent allows any. */
  allowedRegions: z.array(z.string().min(1)).optional(),
  /** GPU models allowed; absent takes the tier's list. */
  allowedAccelerators: z.array(z.enum(ACCELERATORS)).optional(),
  /** Monthly budget in USD for MA-COST-004; absent takes a budget resource in the stack, then the tier's. */
  budgetMonthlyUsd: z.number().positive().optional(),
  waivers: z.array(waiverSchema).optional(),
  /** Resource types no rule reads (listed in every report) fail the check. */
  strict: z.boolean().optional(),
});

export type PolicyConfig = z.output<typeof policyConfigSchema>;
export type Waiver = z.output<typeof waiverSchema>;

/** Parses a policy config, reporting every problem with its path (`waivers[0].expires`). */
export function parsePolicyConfig(raw: unknown, source = "policy config"): PolicyConfig {
  const result = policyConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues: SpecIssue[] = toSpecIssues(result.error, policyConfigSchema, raw);
  throw new MicroAgentsConfigError(issues, source);
}

/** Reads a policy config file (JSON). */
export function loadPolicyConfig(path: string): PolicyConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") throw new MicroAgentsConfigError([{ path, message: code === "ENOENT" ? "no such file" : "cannot read the file", hint: "check the --policy-config path" }]);
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    if (e instanceof SyntaxError) throw new MicroAgentsConfigError([{ path, message: `not valid JSON: ${e.message}`, hint: "the policy config is a JSON object" }]);
    throw e;
  }
  return parsePolicyConfig(fromPackShape(raw, path), path);
}

/** The level a pack's rule policies advertise: the tier and environment default (see fromPackShape). */
export const DEFAULT_LEVEL = "remediate";

/** Keys of a Pulumi policy-pack config besides rule IDs. */
export const SETTINGS_POLICY = "microagents-settings";
export const WAIVERS_POLICY = "microagents-waivers";
const PACK_KEYS = ["all", SETTINGS_POLICY, WAIVERS_POLICY];
const PULUMI_LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A Pulumi policy-pack config (`--policy-pack-config`) keeps the settings under
 * `microagents-settings` and levels per rule ID (`"MA-SEC-005": "advisory"` or
 * `{ "enforcementLevel": "advisory" }`, and `"all"`). The same file works for
 * `microagents check`: this turns it into the plain shape, and a file that names one
 * pack's rules only checks that pack's rules. A plain config passes through.
 */
export function fromPackShape(raw: unknown, source = "policy config"): unknown {
  if (!isObject(raw) || !Object.keys(raw).some((k) => PACK_KEYS.includes(k) || RULE_IDS.includes(k))) return raw;
  const issues: SpecIssue[] = [];
  const levelOf = (key: string, v: unknown): Enforcement | undefined => {
    const level = typeof v === "string" ? v : isObject(v) ? v.enforcementLevel : undefined;
    if (level === undefined) return undefined;
    if (typeof level !== "string" || !PULUMI_LEVELS.includes(level)) {
      issues.push({ path: typeof v === "string" ? key : `${key}.enforcementLevel`, message: `'${String(level)}' is not an enforcement level`, hint: "use advisory, mandatory or disabled" });
      return undefined;
    }
    // Stack policies cannot remediate: the packs advertise `remediate` as each rule's level to mean
    // "the rule's default for the tier and environment", so a config that leaves a rule alone and
    // the level the Pulumi CLI fills in for it read the same.
    return level === "remediate" ? undefined : (level as Enforcement);
  };
  const rulesOut: Record<string, Enforcement> = {};
  const all = levelOf("all", raw.all);
  if (all) for (const id of RULE_IDS) rulesOut[id] = all;
  for (const [key, value] of Object.entries(raw)) {
    if (key === "all" || key === SETTINGS_POLICY || key === WAIVERS_POLICY) continue;
    if (!RULE_IDS.includes(key)) {
      issues.push({ path: key, message: `no policy '${key}' in the microagents packs`, hint: "keys are rule IDs (MA-SEC-001), all, microagents-settings or microagents-waivers" });
      continue;
    }
    const level = levelOf(key, value);
    if (level) rulesOut[key] = level;
  }
  levelOf(WAIVERS_POLICY, raw[WAIVERS_POLICY]);
  if (issues.length > 0) throw new MicroAgentsConfigError(issues, source);
  // A pack's config checks that pack's rules: the other kind's rules are off unless the settings name them.
  const kinds = new Set(Object.keys(raw).filter((k) => RULE_IDS.includes(k)).map((k) => (k.startsWith("MA-SEC-") ? "security" : "cost")));
  if (kinds.size === 1) for (const id of RULE_IDS) if (!(id in rulesOut) && !kinds.has(id.startsWith("MA-SEC-") ? "security" : "cost")) rulesOut[id] = "disabled";
  const settings = isObject(raw[SETTINGS_POLICY]) ? Object.fromEntries(Object.entries(raw[SETTINGS_POLICY]).filter(([k]) => k !== "enforcementLevel")) : {};
  const own = isObject(settings.rules) ? settings.rules : {};
  return { ...settings, ...(Object.keys(rulesOut).length + Object.keys(own).length > 0 ? { rules: { ...rulesOut, ...own } } : {}) };
}

type Enforcement = (typeof ENFORCEMENT)[number];
