import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as consumption from "@pulumi/azure-native/consumption";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as pulumi from "@pulumi/pulumi";
import { cloudBudgetUsd } from "../../plan/budget-split";
import type { FleetPlan } from "../../plan/types";
import { azureName } from "./names";

/** Pay-as-you-go Log Analytics keeps data 30 to 730 days; shorter retention is the Free SKU's alone. */
export const LOG_ANALYTICS_MIN_RETENTION_DAYS = 30;

export function workspaceRetention(days: number): number {
  return Math.min(Math.max(days, LOG_ANALYTICS_MIN_RETENTION_DAYS), 730);
}

interface MonitoringParams {
  readonly name: string;
  readonly prefix: string;
  readonly plan: FleetPlan;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The fleet's Log Analytics workspace (retention per environment, raised to the
 * 30-day floor of the PerGB2018 SKU), Application Insights on it with local
 * (instrumentation-key) auth off, and the action group that e-mails alerts.
 */
export function fleetMonitoring(p: MonitoringParams, opts: pulumi.CustomResourceOptions) {
  const base = { resourceGroupName: p.resourceGroupName, location: p.location };
  const retentionDays = workspaceRetention(p.plan.logRetentionDays);
  const workspace = new operationalinsights.Workspace(
    `${p.name}-logs`,
    {
      ...base,
      workspaceName: azureName([p.prefix, p.location, "logs"], 63),
      sku: { name: "PerGB2018" },
      retentionInDays: retentionDays,
      features: { enableLogAccessUsingOnlyResourcePermissions: true, disableLocalAuth: true },
      tags: { ...p.tags },
    },
    opts,
  );
  const appInsights = new applicationinsights.Component(
    `${p.name}-appinsights`,
    {
      ...base,
      resourceName: azureName([p.prefix, p.location, "appinsights"], 255),
      kind: "web",
      applicationType: "web",
      workspaceResourceId: workspace.id,
      ingestionMode: "LogAnalytics",
      disableLocalAuth: true,
      retentionInDays: retentionDays,
      tags: { ...p.tags },
    },
    opts,
  );
  const emails = [...new Set([...p.plan.fleet.observability.alertEmails, ...p.plan.fleet.budget.alertEmails])];
  const actionGroup = new monitor.ActionGroup(
    `${p.name}-alerts`,
    {
      resourceGroupName: p.resourceGroupName,
      location: "global",
      actionGroupName: azureName([p.prefix, "alerts"], 260),
      // At most 12 characters: shown in the SMS and e-mail subject.
      groupShortName: p.plan.fleet.name.slice(0, 12),
      enabled: true,
      emailReceivers: emails.map((address, i) => ({ name: `email-${i}`, emailAddress: address, useCommonAlertSchema: true })),
      tags: { ...p.tags },
    },
    opts,
  );
  return { workspace, appInsights, actionGroup, retentionDays };
}

/** The first day of the current month (UTC), as Azure budgets want their start. */
export function budgetStart(now: Date = new Date()): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}-01T00:00:00Z`;
}

/**
 * The fleet's monthly budget over its resource groups (its Azure targets' part of the
 * fleet's budget, lib/plan/budget-split.ts): e-mails and the action
 * group at 80% and 100% of actual cost and at 100% forecast (plus any other
 * percents the fleet asks for, actual). One budget per fleet, on its first Azure
 * target: scoped to that resource group, or to the subscription filtered on every
 * Azure resource group of the fleet when it has several.
 */
export function fleetBudget(
  name: string,
  args: { readonly plan: FleetPlan; readonly prefix: string; readonly scope: pulumi.Input<string>; readonly resourceGroups?: ReadonlyArray<string>; readonly actionGroupId: pulumi.Input<string> },
  opts: pulumi.CustomResourceOptions,
): consumption.Budget {
  const { plan } = args;
  const emails = [...new Set([...plan.fleet.budget.alertEmails, ...plan.fleet.observability.alertEmails])];
  const actual = [...new Set([80, 100, ...plan.fleet.budget.alertPercents])].sort((a, b) => a - b).slice(0, 4);
  const notify = (threshold: number, thresholdType: "Actual" | "Forecasted") => ({
    enabled: true,
    operator: "GreaterThanOrEqualTo",
    threshold,
    thresholdType,
    contactEmails: emails,
    contactGroups: [args.actionGroupId],
  });
  const notifications: Record<string, ReturnType<typeof notify>> = Object.fromEntries(actual.map((t) => [`actual${t}`, notify(t, "Actual")]));
  notifications.forecast100 = notify(100, "Forecasted");
  return new consumption.Budget(
    name,
    {
      budgetName: azureName([args.prefix, "budget"], 63),
      scope: args.scope,
      amount: cloudBudgetUsd(plan, "azure"),
      category: "Cost",
      timeGrain: "Monthly",
      timePeriod: { startDate: budgetStart() },
      ...(args.resourceGroups ? { filter: { dimensions: { name: "ResourceGroupName", operator: "In", values: [...args.resourceGroups] } } } : {}),
      notifications,
    },
    // The start month is fixed at creation; later runs must not move it.
    { ...opts, ignoreChanges: ["timePeriod"] },
  );
}
