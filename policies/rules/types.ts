import type { Fact, ResourceRef } from "../../lib/facts";
import { ENVIRONMENTS, TIERS, type Environment, type EnvironmentPreset, type Tier, type TierPreset } from "../../lib/spec/tiers";

export type Severity = "low" | "medium" | "high" | "critical";
export type RuleKind = "security" | "cost";
export type Enforcement = "advisory" | "mandatory" | "disabled";

/** Default enforcement for every tier and environment. */
export type EnforcementMatrix = Readonly<Record<Tier, Readonly<Record<Environment, Enforcement>>>>;

/** Where a rule comes from: the public checks it follows. */
export interface RuleAnchors {
  /** Checkov check IDs (CKV_K8S_16, CKV_AWS_27...). */
  readonly checkov?: ReadonlyArray<string>;
  /** kube-linter check names (privileged-container...). */
  readonly kubeLinter?: ReadonlyArray<string>;
}

/** A monthly cost estimate, as `lib/cost` `estimateCost` returns it. */
export interface CostEstimate {
  readonly totalMonthlyUsd: number;
  readonly budgetMonthlyUsd?: number;
  readonly items: ReadonlyArray<{ readonly resource: string; readonly type: string; readonly agent?: string; readonly monthlyUsd: number; readonly basis: string }>;
  readonly unpriced: ReadonlyArray<{ readonly resource: string; readonly type: string; readonly reason: string }>;
}

export type CostEstimator = (facts: ReadonlyArray<Fact>) => CostEstimate;

/** Everything a rule may read besides the facts: presets from lib/spec/tiers.ts and the policy config. */
export interface RuleContext {
  readonly tier: TierPreset;
  readonly environment: EnvironmentPreset;
  /** Registry prefixes images may come from; empty allows any registry. */
  readonly allowedRegistries: ReadonlyArray<string>;
  /** Regions resources may live in; empty allows any region. */
  readonly allowedRegions: ReadonlyArray<string>;
  /** GPU models GPU capacity may use (the tier's `allowedAccelerators` unless configured). */
  readonly allowedAccelerators: ReadonlyArray<string>;
  /** Monthly budget: the policy config's, else a budget resource's, else the tier's. */
  readonly budgetMonthlyUsd?: number;
  /** Today, for support windows and waiver expiry. */
  readonly now: Date;
  /** Monthly cost of the facts (MA-COST-004). */
  readonly estimateCost?: CostEstimator;
}

/** One problem a rule found on one resource. */
export interface Finding {
  readonly resource: ResourceRef;
  readonly message: string;
  readonly agent?: string;
  /** Report at most as advisory whatever the rule's enforcement (MA-COST-004's 80% warning). */
  readonly advisoryOnly?: boolean;
}

export interface Rule {
  /** `MA-SEC-001`; stable, used in config, waivers and reports. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly kind: RuleKind;
  /** What the rule checks and why, in a few sentences (docs). */
  readonly description: string;
  readonly remediation: string;
  readonly anchors: RuleAnchors;
  readonly enforcement: EnforcementMatrix;
  /** Fact kinds the rule reads. */
  readonly reads: ReadonlyArray<Fact["kind"]>;
  check(facts: ReadonlyArray<Fact>, ctx: RuleContext): Finding[];
}

/** The same level everywhere. */
export function everywhere(level: Enforcement): EnforcementMatrix {
  return byEnvironment({ dev: level, staging: level, prod: level });
}

/** By environment, the same in every tier. */
export function byEnvironment(levels: Readonly<Record<Environment, Enforcement>>): EnforcementMatrix {
  return Object.fromEntries(TIERS.map((t) => [t, { ...levels }])) as Record<Tier, Record<Environment, Enforcement>>; // fromEntries over TIERS builds exactly the Tier keys
}

/** Severity decides the default: critical blocks everywhere, high and medium outside dev, low only advises. */
export function bySeverity(severity: Severity): EnforcementMatrix {
  switch (severity) {
    case "critical":
      return everywhere("mandatory");
    case "high":
      return byEnvironment({ dev: "advisory", staging: "mandatory", prod: "mandatory" });
    case "medium":
      return byEnvironment({ dev: "advisory", staging: "advisory", prod: "mandatory" });
    case "low":
      return everywhere("advisory");
  }
}

/** The same matrix with some tiers' levels changed: `override(bySeverity("medium"), { enterprise: { staging: "mandatory" } })`. */
export function override(matrix: EnforcementMatrix, changes: Partial<Record<Tier, Partial<Record<Environment, Enforcement>>>>): EnforcementMatrix {
  return Object.fromEntries(TIERS.map((t) => [t, { ...matrix[t], ...changes[t] }])) as Record<Tier, Record<Environment, Enforcement>>; // fromEntries over TIERS builds exactly the Tier keys
}

export function defaultEnforcement(rule: Pick<Rule, "enforcement">, tier: Tier, environment: Environment): Enforcement {
  return rule.enforcement[tier][environment];
}

export const ALL_TIERS = TIERS;
export const ALL_ENVIRONMENTS = ENVIRONMENTS;

/** A finding on a fact's resource. */
export function finding(f: Pick<Fact, "resource" | "agent">, message: string, extra: Partial<Pick<Finding, "advisoryOnly">> = {}): Finding {
  return { resource: f.resource, message, ...(f.agent ? { agent: f.agent } : {}), ...extra };
}

/** Facts of one kind, typed. */
export function only<K extends Fact["kind"]>(facts: ReadonlyArray<Fact>, kind: K): Array<Extract<Fact, { kind: K }>> {
  return facts.filter((f): f is Extract<Fact, { kind: K }> => f.kind === kind);
}
