import { createHash } from "node:crypto";
import type { EnforcementLevel, PolicyPackArgs, PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { factsFromResources, type RawResource } from "../../lib/facts";
import { formatIssue, isConfigError } from "../../lib/spec/errors";
import { DEFAULT_LEVEL, fromPackShape, parsePolicyConfig, policyConfigSchema, SETTINGS_POLICY, WAIVERS_POLICY, type PolicyConfig } from "../engine/config";
import { loadEstimator } from "../engine/cost";
import { evaluate, type CheckResult } from "../engine/evaluate";
import { unreadLine } from "../report";
import { rulesOfKind, type Rule, type RuleKind } from "../rules";
import { onConfigure, type AnalyzerConfig } from "./configure";

/**
 * Builds the arguments of a Pulumi PolicyPack from the catalog. The pack's entry
 * file (policies/<kind>/index.ts) passes them to `new PolicyPack`, which starts the
 * analyzer's gRPC server: tests run the bundled pack over the analyzer protocol.
 *
 * The pack and `microagents check` share everything that decides a finding: the
 * config is the whole `--policy-pack-config` as the CLI sends it in Configure
 * (levels per rule, `all` already applied, and `microagents-settings`), read by the
 * same `fromPackShape` and `parsePolicyConfig` that `check` runs on the same file;
 * `evaluate` then picks tier, environment and each rule's level as `check` does.
 *
 * - Every rule is one stack policy named by its ID. Rule policies advertise
 *   `remediate`, which a stack policy cannot do: it means "the rule's default for
 *   the tier and environment", so a rule the config leaves alone takes its default
 *   from the stack's tags, as in `check`, and a level the config sets wins.
 * - Each finding is reported with its own level (mandatory or advisory).
 * - Values unknown during `pulumi preview` never make a violation: a finding that
 *   depends on one is advisory "cannot decide during preview" and decided at `pulumi up`.
 * - `microagents-settings` reports invalid settings and, under `strict`, resource
 *   types no rule reads. If `all` disabled it, the first policy that runs reports them
 *   in its name: the settings always apply.
 * - `microagents-waivers` (advisory) reports waivers that matched nothing.
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

interface ProxyExports {
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
const proxy = require("@pulumi/policy/proxy") as ProxyExports;
const UNKNOWNS = new Set<unknown>([
  proxy.unknownBooleanValue,
  proxy.unknownNumberValue,
  proxy.unknownStringValue,
  proxy.unknownArrayValue,
  proxy.unknownAssetValue,
  proxy.unknownArchiveValue,
  proxy.unknownObjectValue,
]);

/**
 * Values not known during preview become undefined (adapters never read a placeholder),
 * and their paths are collected: findings that may depend on them are not decided yet.
 */
export function stripUnknowns(v: unknown, unknownPaths: string[] = [], path = ""): unknown {
  if (UNKNOWNS.has(v)) {
    unknownPaths.push(path || ".");
    return undefined;
  }
  if (Array.isArray(v)) return v.map((x, i) => stripUnknowns(x, unknownPaths, `${path}[${i}]`));
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const y = stripUnknowns(x, unknownPaths, path ? `${path}.${k}` : k);
      if (y !== undefined) out[k] = y;
    }
    return out;
  }
  return v;
}

/** The object behind @pulumi/policy's unknown-checking proxy: reading it never throws. */
function targetOf(props: unknown): unknown {
  return typeof props === "object" && props !== null ? ((props as Record<string, unknown>)[proxy.getSpecialProxyTarget] ?? props) : props;
}

/** The region or location of the resource's provider (explicit, or the default provider's config), when known. */
function providerRegion(r: PolicyResource): string | undefined {
  const props = stripUnknowns(targetOf(r.provider?.props));
  const bag = typeof props === "object" && props !== null ? (props as Record<string, unknown>) : {};
  const value = bag.region ?? bag.location;
  return typeof value === "string" ? value : undefined;
}

/** A policy resource as a raw resource, read through the proxy's target so unknowns do not throw. */
export function rawResource(r: PolicyResource): RawResource {
  const unknowns: string[] = [];
  const inputs = stripUnknowns(targetOf(r.props), unknowns);
  const region = providerRegion(r);
  const dependencies = [...new Set([...r.dependencies, ...Object.values(r.propertyDependencies).flat()].map((d) => d.urn))];
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    ...(r.parent ? { parentUrn: r.parent.urn, parent: r.parent.name } : {}),
    inputs: typeof inputs === "object" && inputs !== null ? (inputs as Record<string, unknown>) : {},
    custom: !r.type.startsWith("microagents:"),
    ...(r.opts.protect ? { protect: true } : {}),
    ...(region ? { providerRegion: region } : {}),
    // The provider's own resource (when the stack holds it) places a managed cluster's workloads in the cluster's region.
    ...(r.provider?.urn ? { providerUrn: r.provider.urn } : {}),
    ...(unknowns.length > 0 ? { unknowns } : {}),
    ...(dependencies.length > 0 ? { dependencies } : {}),
  };
}

/**
 * The pack config as `check` reads a `--policy-pack-config` file: each policy's level
 * (`remediate`, the advertised default, is left out: the tier and environment decide)
 * and the settings' properties.
 */
export function packShapeOf(configured: AnalyzerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(configured)) {
    if (name === SETTINGS_POLICY) out[name] = c.properties;
    else if (c.enforcementLevel !== DEFAULT_LEVEL) out[name] = c.enforcementLevel;
  }
  return out;
}

/** What one analysis computed, shared by the pack's policies (they run in order, in one process). */
interface Analysis {
  readonly key: string;
  readonly problems: ReadonlyArray<string>;
  readonly result: CheckResult | undefined;
  /** The settings' report (invalid settings, strict) was made in this analysis. */
  settingsReported: boolean;
}

interface PackState {
  configured: AnalyzerConfig;
  analysis: Analysis | undefined;
}

/**
 * One AnalyzeStack call runs every policy over freshly deserialized resources; the key is
 * their content, so `pulumi up`'s update (values known) is not answered from its preview.
 */
function keyOf(args: StackValidationArgs): string {
  const hash = createHash("sha256");
  for (const r of args.resources) hash.update(JSON.stringify([r.urn, targetOf(r.props), r.dependencies.map((d) => d.urn)]));
  return hash.digest("hex");
}

function configOf(configured: AnalyzerConfig): { config?: PolicyConfig; problems: string[] } {
  try {
    return { config: parsePolicyConfig(fromPackShape(packShapeOf(configured), "--policy-pack-config"), SETTINGS_POLICY), problems: [] };
  } catch (e) {
    if (!isConfigError(e)) throw e;
    return { problems: e.issues.map(formatIssue) };
  }
}

/** Runs the pack's rules once per analysis with the configured settings and levels, as `check` would. */
function analyse(kind: RuleKind, args: StackValidationArgs, state: PackState, now: () => Date): Analysis {
  const key = keyOf(args);
  if (state.analysis && state.analysis.key === key) return state.analysis;
  const { config, problems } = configOf(state.configured);
  let result: CheckResult | undefined;
  if (config) {
    const facts = factsFromResources(args.resources.map(rawResource));
    result = evaluate(facts, { config, rules: rulesOfKind(kind), now: now(), ...(kind === "cost" ? { estimateCost: loadEstimator() } : {}) });
  }
  state.analysis = { key, problems, result, settingsReported: false };
  return state.analysis;
}

/** One diagnostic, with its own level: @pulumi/policy's reportViolation takes this object too. */
interface Diagnostic {
  readonly name?: string;
  readonly message: string;
  readonly urn?: string;
  readonly enforcementLevel: EnforcementLevel;
}

function report(reportViolation: ReportViolation, d: Diagnostic): void {
  // @pulumi/policy's server accepts a violation object with its own enforcement level and
  // policy name (server.js makeReportViolationFun); its ReportViolation type declares strings only.
  (reportViolation as unknown as (d: Diagnostic) => void)(d);
}

/** Invalid settings and, under strict, unread resource types: once per analysis, from whichever policy runs first. */
function reportSettings(analysis: Analysis, reportViolation: ReportViolation): void {
  if (analysis.settingsReported) return;
  analysis.settingsReported = true;
  for (const p of analysis.problems) report(reportViolation, { name: SETTINGS_POLICY, message: `invalid policy settings: ${p}`, enforcementLevel: "mandatory" });
  const result = analysis.result;
  if (result && result.unread.length > 0) {
    report(reportViolation, {
      name: SETTINGS_POLICY,
      message: `${unreadLine(result)}${result.strict ? "" : "; set strict to fail on them"}`,
      enforcementLevel: result.strict ? "mandatory" : "advisory",
    });
  }
}

function settingsPolicy(kind: RuleKind, state: PackState, now: () => Date): StackValidationPolicy {
  return {
    name: SETTINGS_POLICY,
    description: "microagents policy settings: tier, environment, levels per rule, allow-lists, budget, waivers and strict, shared by every rule of the pack",
    enforcementLevel: "mandatory",
    configSchema: settingsConfigSchema(),
    validateStack: (args, reportViolation) => reportSettings(analyse(kind, args, state, now), reportViolation),
  };
}

function rulePolicy(kind: RuleKind, rule: Rule, state: PackState, now: () => Date): StackValidationPolicy {
  return {
    name: rule.id,
    description: rule.title,
    enforcementLevel: DEFAULT_LEVEL,
    severity: rule.severity,
    remediationSteps: rule.remediation,
    tags: [rule.kind, ...(rule.anchors.checkov ?? []), ...(rule.anchors.kubeLinter ?? [])],
    validateStack: (args, reportViolation) => {
      const analysis = analyse(kind, args, state, now);
      reportSettings(analysis, reportViolation);
      for (const v of analysis.result?.violations.filter((x) => x.ruleId === rule.id) ?? []) {
        report(reportViolation, { message: `${v.resource}: ${v.message}`, urn: v.urn, enforcementLevel: v.enforcement });
      }
    },
  };
}

function waiversPolicy(kind: RuleKind, state: PackState, now: () => Date): StackValidationPolicy {
  return {
    name: WAIVERS_POLICY,
    description: "Waivers that matched nothing",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
      const analysis = analyse(kind, args, state, now);
      reportSettings(analysis, reportViolation);
      const mine = new Set(rulesOfKind(kind).map((r) => r.id));
      for (const w of analysis.result?.unusedWaivers.filter((x) => mine.has(x.rule)) ?? []) reportViolation(`unused waiver: ${w.rule} on '${w.resource}' (expires ${w.expires}) matched nothing`);
    },
  };
}

export interface PackOptions {
  /** @default the clock */
  readonly now?: () => Date;
}

/** The PolicyPack arguments for the security or cost pack; the config arrives with the analyzer's Configure call. */
export function packArgs(kind: RuleKind, options: PackOptions = {}): PolicyPackArgs {
  const state: PackState = { configured: {}, analysis: undefined };
  onConfigure((configured) => {
    state.configured = configured;
    state.analysis = undefined;
  });
  const now = options.now ?? (() => new Date());
  return {
    description: kind === "security" ? "microagents security rules (MA-SEC-*) over normalized facts" : "microagents cost rules (MA-COST-*) over normalized facts",
    enforcementLevel: "advisory",
    policies: [settingsPolicy(kind, state, now), ...rulesOfKind(kind).map((r) => rulePolicy(kind, r, state, now)), waiversPolicy(kind, state, now)],
  };
}
