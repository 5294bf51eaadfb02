import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BudgetArgs as AwsBudgetArgs } from "@pulumi/aws/budgets";
import type { BudgetArgs as AzureBudgetArgs } from "@pulumi/azure-native/consumption";
import type { BudgetArgs as GcpBudgetArgs } from "@pulumi/gcp/billing";
import type { TopicArgs } from "@pulumi/gcp/pubsub";
import { budgetFromFacts } from "../../lib/cost";
import { factsFromResources, type RawResource } from "../../lib/facts";

function raw(type: string, name: string, inputs: object): RawResource {
  return { urn: `urn:pulumi:test::test::${type}::${name}`, type, name, inputs: { ...inputs }, custom: true };
}

const tags = (fleet: string) => ({ fleet, tier: "enterprise", environment: "prod", team: "research", "managed-by": "microagents" });
const aws = (fleet: string, amount: number): AwsBudgetArgs => ({ budgetType: "COST", limitAmount: String(amount), limitUnit: "USD", timeUnit: "MONTHLY", tags: tags(fleet) });
const azure = (amount: number): AzureBudgetArgs => ({ scope: "/subscriptions/00000000-0000-0000-0000-000000000000", amount, category: "Cost", timeGrain: "Monthly", timePeriod: { startDate: "2026-12-01T00:00:00Z" } });
const gcp = (amount: number): GcpBudgetArgs => ({ billingAccount: "012345-6789AB-CDEF01", amount: { specifiedAmount: { currencyCode: "USD", units: String(amount) } }, budgetFilter: { calendarPeriod: "MONTH" } });
const topic = (fleet: string): TopicArgs => ({ name: `${fleet}-coordinator`, labels: { fleet } });

describe("the budget of a stack", () => {
  it("a fleet on three clouds has one budget per cloud, each at its part of the fleet's: the stack's budget is their sum, to the cent", () => {
    const facts = factsFromResources([
      raw("aws:budgets/budget:Budget", "aws", aws("acme-research", 166_666.67)),
      raw("azure-native:consumption:Budget", "azure", azure(166_666.67)),
      raw("gcp:billing/budget:Budget", "gcp", { ...gcp(166_666), amount: { specifiedAmount: { currencyCode: "USD", units: "166666", nanos: 660_000_000 } } }),
      raw("gcp:pubsub/topic:Topic", "t", topic("acme-research")),
    ]);
    assert.equal(budgetFromFacts(facts), 500_000);
  });

  it("budgets without a fleet tag in a stack of two fleets still add up (whose they are is unknown)", () => {
    const facts = factsFromResources([
      raw("aws:budgets/budget:Budget", "a", aws("acme-a", 1_000)),
      raw("aws:budgets/budget:Budget", "b", aws("acme-b", 2_000)),
      raw("azure-native:consumption:Budget", "azure", azure(3_000)),
    ]);
    assert.equal(budgetFromFacts(facts), 6_000);
  });
});
