import { readFileSync } from "node:fs";
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from "aws-cdk-lib";
import { factsFromStacks, type AssemblyStack } from "../../lib/facts/cloud-assembly";
import type { CloudFormationTemplate } from "../../lib/facts/cloudformation";
import type { Environment, Tier } from "../../lib/spec/tiers";
import type { PolicyConfig } from "../engine/config";
import { loadEstimator } from "../engine/cost";
import { evaluate, type CheckResult } from "../engine/evaluate";
import { rules } from "../rules";

export interface MicroAgentsChecksProps {
  /**
   * Tier whose defaults decide each rule's enforcement.
   * @default the policy config's, else the resources' `tier` tag, else small
   */
  readonly tier?: Tier;
  /**
   * Environment whose defaults decide each rule's enforcement.
   * @default the policy config's, else the resources' `environment` tag, else prod
   */
  readonly environment?: Environment;
  /**
   * The same policy config `microagents check --policy-config` and the Pulumi packs read: enforcement, allow-lists, budget, waivers.
   * @default the catalog's defaults for the tier and environment
   */
  readonly config?: PolicyConfig;
  /**
   * Monthly budget for MA-COST-004.
   * @default the policy config's, else the budgets the templates declare
   */
  readonly budgetMonthlyUsd?: number;
}

/**
 * The microagents rule catalog as a CDK policy validation plugin:
 * `Validations.of(app).addPlugins(new MicroAgentsChecks({ tier, environment }))`.
 * The synthesized templates become the same facts `microagents check` reads, so a
 * CDK app and a Pulumi stack are held to one set of rules. Mandatory violations
 * fail the synth; advisory ones are reported as warnings (severity `warning`, the way
 * cdk-nag 3 reports its warning rules): printed by the synth and kept in the
 * validation report, without failing it. Waivers are counted in the report's metadata.
 */
export class MicroAgentsChecks implements IPolicyValidationPlugin {
  readonly name = "microagents";
  readonly version = "0.1.0";
  readonly ruleIds = rules.map((r) => r.id);
  /** The last evaluation, for callers that want the advisory findings too. */
  lastResult?: CheckResult;

  constructor(private readonly props: MicroAgentsChecksProps = {}) {}

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const where = new Map<string, string>();
    const stacks: AssemblyStack[] = context.stackTemplates.map((stack) => {
      const template = JSON.parse(readFileSync(stack.templatePath, "utf8")) as CloudFormationTemplate;
      for (const id of Object.keys(template.Resources ?? {})) where.set(id, stack.templatePath);
      return { name: stack.stackConstructPath, ...(stack.region ? { region: stack.region } : {}), template };
    });
    // One graph over every stack, so references across stacks (exports and imports) link as within one.
    const facts = factsFromStacks(stacks);
    const result = evaluate(facts, {
      ...(this.props.config ? { config: this.props.config } : {}),
      ...(this.props.tier ? { tier: this.props.tier } : {}),
      ...(this.props.environment ? { environment: this.props.environment } : {}),
      ...(this.props.budgetMonthlyUsd !== undefined ? { budgetMonthlyUsd: this.props.budgetMonthlyUsd } : {}),
      estimateCost: loadEstimator(),
    });
    this.lastResult = result;
    const byRule = new Map<string, PolicyViolation>();
    for (const v of result.violations) {
      const mandatory = v.enforcement === "mandatory";
      const key = `${v.ruleId}:${v.enforcement}`;
      const rule = rules.find((r) => r.id === v.ruleId);
      const entry = byRule.get(key) ?? { ruleName: v.ruleId, description: mandatory ? v.title : `${v.title} (advisory)`, fix: rule?.remediation ?? "", severity: mandatory ? v.severity : "warning", violatingResources: [] };
      entry.violatingResources.push({ resourceLogicalId: v.resource, templatePath: where.get(v.resource) ?? "", locations: [v.message] });
      byRule.set(key, entry);
    }
    return {
      success: result.summary.mandatory === 0,
      violations: [...byRule.values()],
      pluginVersion: this.version,
      metadata: { tier: result.tier, environment: result.environment, mandatory: String(result.summary.mandatory), advisory: String(result.summary.advisory), waived: String(result.summary.waived), facts: String(result.facts) },
    };
  }
}
