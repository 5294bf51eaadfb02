import type { PolicyPackArgs, PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { factsFromResources, type RawResource } from "../../lib/facts";
import { formatIssue, isConfigError } from "../../lib/spec/errors";
import { fromPackShape, parsePolicyConfig, policyConfigSchema, SETTINGS_POLICY, WAIVERS_POLICY, type PolicyConfig } from "../engine/config";
import { loadEstimator } from "../engine/cost";
import { evaluate, type CheckResult } from "../engine/evaluate";
import { rulesOfKind, type Rule, type RuleKind } from "../rules";

/**
 * Builds the arguments of a Pulumi PolicyPack from the catalog. The pack's entry
 * file (policies/<kind>/index.ts) passes them to `new PolicyPack`, which starts the
 * analyzer's gRPC server: tests import this module, never an entry file.
 *
 * Every rule is one stack policy named by its ID (so `--policy-pack-config` sets its
 * enforcement), reading facts built from all of the stack's resources at once.
 * `microagents-settings` (first, mandatory) parses the shared settings: tier,
 * environment, allow-lists, budget, waivers; `microagents-waivers` (advisory) reports
 * waivers that matched nothing and the 80% budget warning.
 */

/** Where a pack reports, for the entry files and docs. */
export const PACK_NAMES: Readonly<Record<RuleKind, string>> = { security: "microagents-security", cost: "microagents-cost" };

/** The policy config's JSON schema, as Pulumi's configSchema for the settings policy. */
export function settingsConfigSchema(): NonNullable<StackValidationPolicy["configSchema"]> {
  const json = z.toJSONSchema(policyConfigSchema, { target: "draft-7", unrepresentable: "any" }) as { properties?: Record<string, object> };
  const { $schema: _ignored, ...properties } = json.properties ?? {};
  // Pulumi types config properties as JSON schema objects; zod's output is one.
  return { properties: properties as NonNullable<StackValidationPolicy["configSchema"]>["properties"] };
}

interface UnknownSentinels {
  readonly unknownBooleanValue: unknown;
  readonly unknownNumberValue: unknown;
  readonly unknownStringValue: unknown;
  readonly unknownArrayValue: unknown;
  readonly unknownAssetValue: unknown;
  readonly unknownArchiveValue: unknown;
  readonly unknownObjectValue: unknown;
  readonly getSpecialProxyTarget: string;
}
// @pulumi/policy/proxy ships no type declarations for these exports.
const proxy = require("@pulumi/policy/proxy") as UnknownSentinels;
const UNKNOWNS = new Set<unknown>([
  proxy.unknownBooleanValue,
  proxy.unknownNumberValue,
  proxy.unknownStringValue,
  proxy.unknownArrayValue,
  proxy.unknownAssetValue,
  proxy.unknownArchiveValue,
  proxy.unknownObjectValue,
]);

/** Values not known during preview become undefined: adapters then see "not stated", never a placeholder. */
export function stripUnknowns(v: unknown): unknown {
  if (UNKNOWNS.has(v)) return undefined;
  if (Array.isArray(v)) return v.map(stripUnknowns);
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const y = stripUnknowns(x);
      if (y !== undefined) out[k] = y;
    }
    return out;
  }
  return v;
}

/** The region or location of the resource's explicit provider, when stated. */
function providerRegion(r: PolicyResource): string | undefined {
  const raw = r.provider?.props as Record<string, unknown> | undefined;
  const props = stripUnknowns(raw?.[proxy.getSpecialProxyTarget] ?? raw);
  const bag = typeof props === "object" && props !== null ? (props as Record<string, unknown>) : {};
  const value = bag.region ?? bag.location;
  return typeof value === "string" ? value : undefined;
}

/** A policy resource as a raw resource, read through the proxy's target so unknowns do not throw. */
export function rawResource(r: PolicyResource): RawResource {
  const props = (r.props as Record<string, unknown>)[proxy.getSpecialProxyTarget] ?? r.props;
  const inputs = stripUnknowns(props);
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    ...(r.parent ? { parentUrn: r.parent.urn, parent: r.parent.name } : {}),
    inputs: typeof inputs === "object" && inputs !== null ? (inputs as Record<string, unknown>) : {},
    custom: !r.type.startsWith("microagents:"),
    ...(r.opts.protect ? { protect: true } : {}),
    ...(providerRegion(r) ? { providerRegion: providerRegion(r) } : {}),
  };
}

/** What one analysis computed, shared by the pack's policies (they run in order, in one process). */
interface Analysis {
  readonly key: string;
  readonly config: PolicyConfig | undefined;
  readonly result: CheckResult;
}

export interface PackState {
  settings: { config?: PolicyConfig; problems: string[] } | undefined;
  analysis: Analysis | undefined;
}

function keyOf(args: StackValidationArgs): string {
  return `${args.resources.length}:${args.resources.map((r) => r.urn).join("|")}`;
}

/**
 * Runs every rule of the pack once per analysis. Enforcement is Pulumi's (per policy),
 * so every rule is evaluated as mandatory here and each policy reports its own findings.
 */
function analyse(kind: RuleKind, args: StackValidationArgs, state: PackState, now: () => Date): Analysis {
  const key = keyOf(args);
  if (state.analysis && state.analysis.key === key) return state.analysis;
  const config = state.settings?.config;
  const rules = rulesOfKind(kind);
  const facts = factsFromResources(args.resources.map(rawResource));
  const forced: PolicyConfig = { ...config, rules: Object.fromEntries(rules.map((r) => [r.id, "mandatory" as const])) };
  const result = evaluate(facts, { config: forced, rules, now: now(), ...(kind === "cost" ? { estimateCost: loadEstimator() } : {}) });
  state.analysis = { key, config, result };
  return state.analysis;
}

function settingsPolicy(state: PackState): StackValidationPolicy {
  return {
    name: SETTINGS_POLICY,
    description: "microagents policy settings: tier, environment, allow-lists, budget and waivers shared by every rule of the pack",
    enforcementLevel: "mandatory",
    configSchema: settingsConfigSchema(),
    validateStack: (args, reportViolation) => {
      state.analysis = undefined;
      try {
        state.settings = { config: parsePolicyConfig(fromPackShape(args.getConfig<Record<string, unknown>>()), SETTINGS_POLICY), problems: [] };
      } catch (e) {
        if (!isConfigError(e)) throw e;
        state.settings = { problems: e.issues.map(formatIssue) };
        for (const p of state.settings.problems) reportViolation(`invalid policy settings: ${p}`);
      }
    },
  };
}

function rulePolicy(kind: RuleKind, rule: Rule, state: PackState, now: () => Date): StackValidationPolicy {
  return {
    name: rule.id,
    description: rule.title,
    // Without a config file the pack enforces the small tier's prod defaults; dev.json and prod.json set each level.
    enforcementLevel: rule.enforcement.small.prod,
    severity: rule.severity,
    remediationSteps: rule.remediation,
    tags: [rule.kind, ...(rule.anchors.checkov ?? []), ...(rule.anchors.kubeLinter ?? [])],
    validateStack: (args, reportViolation: ReportViolation) => {
      const { result } = analyse(kind, args, state, now);
      for (const v of result.violations.filter((x) => x.ruleId === rule.id && x.enforcement === "mandatory")) reportViolation(`${v.resource}: ${v.message}`, v.urn);
    },
  };
}

function waiversPolicy(kind: RuleKind, state: PackState, now: () => Date): StackValidationPolicy {
  return {
    name: WAIVERS_POLICY,
    description: "Waivers that matched nothing, and warnings below the failure line (80% of the budget)",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
      const { result } = analyse(kind, args, state, now);
      const mine = new Set(rulesOfKind(kind).map((r) => r.id));
      for (const w of result.unusedWaivers.filter((x) => mine.has(x.rule))) reportViolation(`unused waiver: ${w.rule} on '${w.resource}' (expires ${w.expires}) matched nothing`);
      for (const v of result.violations.filter((x) => x.enforcement === "advisory")) reportViolation(`${v.ruleId} ${v.resource}: ${v.message}`, v.urn);
    },
  };
}

/** The PolicyPack arguments for the security or cost pack. */
export function packArgs(kind: RuleKind, options: { readonly now?: () => Date } = {}): PolicyPackArgs {
  const state: PackState = { settings: undefined, analysis: undefined };
  const now = options.now ?? (() => new Date());
  return {
    description: kind === "security" ? "microagents security rules (MA-SEC-*) over normalized facts" : "microagents cost rules (MA-COST-*) over normalized facts",
    enforcementLevel: "advisory",
    policies: [settingsPolicy(state), ...rulesOfKind(kind).map((r) => rulePolicy(kind, r, state, now)), waiversPolicy(kind, state, now)],
  };
}
