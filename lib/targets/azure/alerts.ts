import * as monitor from "@pulumi/azure-native/monitor";
import type * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import type { AzureLanding } from "./landing";
import { azureName } from "./names";

/** Azure Monitor severities: 1 error, 2 warning. */
export const SEVERITY = { error: 1, warning: 2 } as const;

/** Metric alert rule names: up to 260 characters, no `<>*%&:\?+/`. */
const RULE_NAME_LIMIT = 260;

/** One static-threshold metric on one resource, as an alert criterion. */
export interface MetricCriterion {
  readonly metricNamespace: string;
  readonly metricName: string;
  readonly timeAggregation: "Maximum" | "Average" | "Total";
  readonly threshold: number;
  readonly dimensions?: ReadonlyArray<{ readonly name: string; readonly values: ReadonlyArray<pulumi.Input<string>> }>;
}

/** Where an agent's alerts go and what they are tagged with. */
export interface AlertContext {
  readonly landing: Pick<AzureLanding, "prefix" | "resourceGroupName" | "location" | "actionGroup" | "workspace">;
  readonly agent: AgentPlan;
  readonly opts: pulumi.CustomResourceOptions;
}

const description = (ctx: AlertContext, what: string) => `microagents ${ctx.landing.prefix}: agent ${ctx.agent.name}: ${what}`;

/**
 * A metric alert on one resource (global, as Azure Monitor metric alerts are),
 * evaluated every minute over five, firing and resolving to the fleet's action group.
 */
export function metricAlert(logical: string, ctx: AlertContext, spec: { readonly id: string; readonly what: string; readonly scope: pulumi.Input<string>; readonly severity: number; readonly criterion: MetricCriterion }): monitor.MetricAlert {
  const c = spec.criterion;
  return new monitor.MetricAlert(
    logical,
    {
      resourceGroupName: ctx.landing.resourceGroupName,
      location: "global",
      ruleName: azureName([ctx.landing.prefix, ctx.agent.name, spec.id], RULE_NAME_LIMIT),
      description: description(ctx, spec.what),
      enabled: true,
      severity: spec.severity,
      scopes: [spec.scope],
      evaluationFrequency: "PT1M",
      windowSize: "PT5M",
      autoMitigate: true,
      criteria: {
        odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
        allOf: [
          {
            criterionType: "StaticThresholdCriterion",
            name: spec.id,
            metricNamespace: c.metricNamespace,
            metricName: c.metricName,
            timeAggregation: c.timeAggregation,
            operator: "GreaterThan",
            threshold: c.threshold,
            ...(c.dimensions ? { dimensions: c.dimensions.map((d) => ({ name: d.name, operator: "Include", values: [...d.values] })) } : {}),
          },
        ],
      },
      actions: [{ actionGroupId: ctx.landing.actionGroup.id }],
      tags: { ...ctx.agent.tags },
    },
    ctx.opts,
  );
}

/**
 * A log search alert over the fleet's workspace: the query returns one row with the
 * measured column, checked every five minutes over the last five. Query validation is
 * skipped: the agents' log tables appear only once the first lines arrive, and ARM
 * rejects a rule over a table the workspace does not have yet.
 */
export function logAlert(logical: string, ctx: AlertContext, spec: { readonly id: string; readonly what: string; readonly severity: number; readonly query: string; readonly column: string; readonly threshold: number }): monitor.ScheduledQueryRule {
  return new monitor.ScheduledQueryRule(
    logical,
    {
      resourceGroupName: ctx.landing.resourceGroupName,
      location: ctx.landing.location,
      ruleName: azureName([ctx.landing.prefix, ctx.agent.name, spec.id], RULE_NAME_LIMIT),
      displayName: `${ctx.landing.prefix} ${ctx.agent.name}: ${spec.what}`,
      description: description(ctx, spec.what),
      kind: "LogAlert",
      enabled: true,
      severity: spec.severity,
      scopes: [ctx.landing.workspace.id],
      evaluationFrequency: "PT5M",
      windowSize: "PT5M",
      autoMitigate: true,
      skipQueryValidation: true,
      criteria: {
        allOf: [
          {
            query: spec.query,
            timeAggregation: "Maximum",
            metricMeasureColumn: spec.column,
            operator: "GreaterThan",
            threshold: spec.threshold,
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
          },
        ],
      },
      actions: { actionGroups: [ctx.landing.actionGroup.id] },
      tags: { ...ctx.agent.tags },
    },
    ctx.opts,
  );
}
