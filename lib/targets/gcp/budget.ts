import * as billing from "@pulumi/gcp/billing";
import * as monitoring from "@pulumi/gcp/monitoring";
import type * as pulumi from "@pulumi/pulumi";
import { cloudBudgetUsd } from "../../plan/budget-split";
import type { FleetPlan } from "../../plan/types";

/** Budget thresholds: the fleet's alert percents (80% and 100% by default) of actual spend, and 100% of forecast spend. */
export function budgetThresholds(alertPercents: ReadonlyArray<number>): Array<{ thresholdPercent: number; spendBasis: "CURRENT_SPEND" | "FORECASTED_SPEND" }> {
  return [...alertPercents.map((p) => ({ thresholdPercent: p / 100, spendBasis: "CURRENT_SPEND" as const })), { thresholdPercent: 1, spendBasis: "FORECASTED_SPEND" as const }];
}

/** A budget amount as Google's Money: whole dollars in `units`, cents in `nanos` (omitted when none). */
export function budgetMoney(usd: number): { currencyCode: "USD"; units: string; nanos?: number } {
  const cents = Math.round(usd * 100);
  const nanos = (cents % 100) * 10_000_000;
  return { currencyCode: "USD", units: String(Math.floor(cents / 100)), ...(nanos > 0 ? { nanos } : {}) };
}

/** E-mail notification channels, one per address (alerts and budget). */
export function emailChannels(name: string, emails: ReadonlyArray<string>, labels: Readonly<Record<string, string>>, opts: pulumi.CustomResourceOptions): monitoring.NotificationChannel[] {
  return [...new Set(emails)].map(
    (email, i) =>
      new monitoring.NotificationChannel(
        `${name}-email-${i}`,
        { displayName: `microagents ${labels.fleet ?? ""} ${email}`, type: "email", labels: { email_address: email }, userLabels: { ...labels }, enabled: true },
        opts,
      ),
  );
}

/**
 * The fleet's monthly budget on the billing account (its GCP targets' part of the fleet's
 * budget, lib/plan/budget-split.ts), filtered to the GCP targets' projects and
 * to resources labelled `fleet=<name>` (a budget filter takes one label): 80% and
 * 100% of actual spend, 100% of forecast. Alerts go to the budget's e-mails
 * through Monitoring channels, and to the billing account's admins.
 */
export function fleetBudget(
  name: string,
  plan: FleetPlan,
  args: { billingAccount: string; projectNumbers: ReadonlyArray<pulumi.Output<string>>; channels: ReadonlyArray<monitoring.NotificationChannel> },
  opts: pulumi.CustomResourceOptions,
): billing.Budget {
  return new billing.Budget(
    name,
    {
      billingAccount: args.billingAccount,
      displayName: `microagents ${plan.fleet.name}-${plan.fleet.environment}`.slice(0, 60),
      budgetFilter: {
        projects: args.projectNumbers.map((number) => number.apply((n) => `projects/${n}`)),
        labels: { fleet: plan.fleet.name },
        calendarPeriod: "MONTH",
        creditTypesTreatment: "INCLUDE_ALL_CREDITS",
      },
      amount: { specifiedAmount: budgetMoney(cloudBudgetUsd(plan, "gcp")) },
      thresholdRules: budgetThresholds(plan.fleet.budget.alertPercents),
      // An update rule needs a channel or a Pub/Sub topic (the provider refuses one with neither, and an empty list counts as
      // neither): with no budget e-mails there is none, and the threshold rules alert the billing account's admins by default.
      ...(args.channels.length > 0 ? { allUpdatesRule: { monitoringNotificationChannels: args.channels.map((c) => c.id), disableDefaultIamRecipients: false } } : {}),
    },
    opts,
  );
}
