import type { Fact, FactCloud } from "../../lib/facts";
import { ENVIRONMENTS, TIERS, environments, tiers, type Environment, type Tier } from "../../lib/spec/tiers";
import { rules as catalog, type CostEstimator, type Enforcement, type Rule, type RuleContext, type Severity, type RuleKind } from "../rules";
import type { PolicyConfig, Waiver } from "./config";
import { waiverExpired, waiverMatches } from "./waivers";

/** One reported problem. */
export interface Violation {
  readonly ruleId: string;
  readonly title: string;
  readonly kind: RuleKind;
  readonly severity: Severity;
  readonly enforcement: "mandatory" | "advisory";
  /** Logical name of the resource. */
  readonly resource: string;
  readonly type: string;
  readonly urn: string;
  readonly agent?: string;
  readonly message: string;
  /** The waiver that covers it (waived), or that covered it and has expired. */
  readonly waiver?: Waiver & { readonly expired: boolean };
  /**
   * Values not known yet (first `pulumi preview`) that could change the finding: it is
   * reported as advisory "cannot decide during preview" and decided when they are known.
   */
  readonly undecided?: ReadonlyArray<string>;
}

/** Resources of one type that no adapter reads, so no rule judged them. */
export interface UnreadType {
  readonly type: string;
  readonly cloud: FactCloud;
  readonly count: number;
}

export interface CheckResult {
  readonly tier: Tier;
  readonly environment: Environment;
  /** Where tier and environment came from. */
  readonly contextSource: { readonly tier: ContextSource; readonly environment: ContextSource };
  /** Rules that ran, with the enforcement they ran at. */
  readonly rules: ReadonlyArray<{ readonly rule: Rule; readonly enforcement: Exclude<Enforcement, "disabled"> }>;
  /** Not waived (including those whose waiver has expired), mandatory first. */
  readonly violations: ReadonlyArray<Violation>;
  readonly waived: ReadonlyArray<Violation>;
  /** Waivers that matched nothing: stale, or written for the wrong name. */
  readonly unusedWaivers: ReadonlyArray<Waiver>;
  readonly summary: { readonly mandatory: number; readonly advisory: number; readonly waived: number; readonly undecided: number; readonly unread: number };
  readonly facts: number;
  /** Resource types no adapter reads (so no rule judged them), most resources first. */
  readonly unread: ReadonlyArray<UnreadType>;
  /** Unread types of a known cloud fail the check (`--strict`, or `strict` in the policy config). */
  readonly strict: boolean;
}

/** Whether the result fails a gate: a mandatory violation, or under strict, a resource type no rule read. */
export function failed(result: CheckResult): boolean {
  return result.summary.mandatory > 0 || (result.strict && result.unread.length > 0);
}

/** Resources no adapter reads, counted by type. */
export function unreadTypes(facts: ReadonlyArray<Fact>): UnreadType[] {
  const counts = new Map<string, UnreadType>();
  for (const f of facts) {
    if (f.kind !== "resource" || f.known) continue;
    const type = f.resource.type;
    const seen = counts.get(type);
    counts.set(type, { type, cloud: f.cloud, count: (seen?.count ?? 0) + 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

export type ContextSource = "policy config" | "caller" | "resource tags" | "default";

export interface EvaluateOptions {
  readonly config?: PolicyConfig;
  /** Tier and environment known to the caller (a fleet file's); the policy config wins over them. */
  readonly tier?: Tier;
  readonly environment?: Environment;
  /** Monthly budget known to the caller (a fleet's `spec.budget`). */
  readonly budgetMonthlyUsd?: number;
  /** @default today */
  readonly now?: Date;
  readonly estimateCost?: CostEstimator;
  /** Which rules to consider. @default the whole catalog */
  readonly rules?: ReadonlyArray<Rule>;
  /** Unread resource types fail the check (the policy config's `strict` also sets it). @default false */
  readonly strict?: boolean;
}

/** The tag value most resources carry, when it is a valid choice. */
function fromTags<T extends string>(facts: ReadonlyArray<Fact>, key: string, allowed: ReadonlyArray<T>): T | undefined {
  const counts = new Map<string, number>();
  for (const f of facts) if (f.kind === "resource" && f.tags[key]) counts.set(f.tags[key], (counts.get(f.tags[key]) ?? 0) + 1);
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return best !== undefined && (allowed as ReadonlyArray<string>).includes(best) ? (best as T) : undefined;
}

function pick<T extends string>(config: T | undefined, caller: T | undefined, tagged: T | undefined, fallback: T): { value: T; source: ContextSource } {
  if (config) return { value: config, source: "policy config" };
  if (caller) return { value: caller, source: "caller" };
  if (tagged) return { value: tagged, source: "resource tags" };
  return { value: fallback, source: "default" };
}

/** The enforcement a rule runs at: the policy config's, else its default for the tier and environment. */
export function enforcementOf(rule: Rule, tier: Tier, environment: Environment, config?: PolicyConfig): Enforcement {
  const setting = config?.rules?.[rule.id];
  if (setting !== undefined) return typeof setting === "string" ? setting : setting.enforcement;
  return rule.enforcement[tier][environment];
}

/** The rule context for a tier, environment and policy config. */
export function ruleContext(tier: Tier, environment: Environment, options: EvaluateOptions = {}): RuleContext {
  const config = options.config;
  const budget = config?.budgetMonthlyUsd ?? options.budgetMonthlyUsd;
  return {
    tier: tiers[tier],
    environment: environments[environment],
    allowedRegistries: config?.allowedRegistries ?? [],
    allowedRegions: config?.allowedRegions ?? [],
    allowedAccelerators: config?.allowedAccelerators ?? tiers[tier].allowedAccelerators,
    ...(budget !== undefined ? { budgetMonthlyUsd: budget } : {}),
    now: options.now ?? new Date(),
    ...(options.estimateCost ? { estimateCost: options.estimateCost } : {}),
  };
}

/** "cannot decide during preview", with the first values not known yet. */
function undecidedMessage(message: string, undecided: ReadonlyArray<string>): string {
  const shown = undecided.slice(0, 3).join(", ");
  const more = undecided.length > 3 ? ` and ${undecided.length - 3} more` : "";
  return `cannot decide during preview: ${message}; decided at \`pulumi up\`, once ${shown}${more} ${undecided.length > 1 ? "are" : "is"} known`;
}

/** Runs every enabled rule over the facts, applies waivers, and counts. */
export function evaluate(facts: ReadonlyArray<Fact>, options: EvaluateOptions = {}): CheckResult {
  const config = options.config;
  const tier = pick(config?.tier, options.tier, fromTags(facts, "tier", TIERS), "small");
  const environment = pick(config?.environment, options.environment, fromTags(facts, "environment", ENVIRONMENTS), "prod");
  const ctx = ruleContext(tier.value, environment.value, options);
  const waivers = config?.waivers ?? [];
  const used = new Set<Waiver>();
  const ran: Array<{ rule: Rule; enforcement: "mandatory" | "advisory" }> = [];
  const violations: Violation[] = [];
  const waived: Violation[] = [];

  for (const rule of options.rules ?? catalog) {
    const level = enforcementOf(rule, tier.value, environment.value, config);
    if (level === "disabled") continue;
    ran.push({ rule, enforcement: level });
    for (const f of rule.check(facts, ctx)) {
      const undecided = f.resource.undecided;
      const base = {
        ruleId: rule.id,
        title: rule.title,
        kind: rule.kind,
        severity: rule.severity,
        enforcement: f.advisoryOnly || undecided ? ("advisory" as const) : level,
        resource: f.resource.name,
        type: f.resource.type,
        urn: f.resource.urn,
        ...(f.agent ? { agent: f.agent } : {}),
        message: undecided ? undecidedMessage(f.message, undecided) : f.message,
        ...(undecided ? { undecided } : {}),
      };
      const waiver = waivers.find((w) => waiverMatches(w, rule.id, f.resource));
      if (!waiver) {
        violations.push(base);
        continue;
      }
      used.add(waiver);
      const expired = waiverExpired(waiver, ctx.now);
      const v: Violation = { ...base, waiver: { ...waiver, expired } };
      if (expired) violations.push({ ...v, message: `${base.message} (waiver expired ${waiver.expires}: ${waiver.reason})` });
      else waived.push(v);
    }
  }
  violations.sort((a, b) => (a.enforcement === b.enforcement ? 0 : a.enforcement === "mandatory" ? -1 : 1));
  const unread = unreadTypes(facts);
  return {
    tier: tier.value,
    environment: environment.value,
    contextSource: { tier: tier.source, environment: environment.source },
    rules: ran,
    violations,
    waived,
    unusedWaivers: waivers.filter((w) => !used.has(w)),
    summary: {
      mandatory: violations.filter((v) => v.enforcement === "mandatory").length,
      advisory: violations.filter((v) => v.enforcement === "advisory").length,
      waived: waived.length,
      undecided: violations.filter((v) => v.undecided).length,
      unread: unread.reduce((n, u) => n + u.count, 0),
    },
    facts: facts.length,
    unread,
    strict: (options.strict ?? false) || (config?.strict ?? false),
  };
}
