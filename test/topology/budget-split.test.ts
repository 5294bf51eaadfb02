import { strict as assert } from "node:assert";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AgentFleetStacks } from "../../lib/cdk";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { factsFromGraph } from "../../lib/facts";
import { budgetFromFacts } from "../../lib/cost";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import { cloudBudgetUsd, splitBudget } from "../../lib/plan/budget-split";
import { planFleet } from "../../lib/plan/plan-fleet";
import { targetRows } from "../../lib/plan/topology-view";
import { BUDGET_ANNOTATION } from "../../lib/plan/tags";
import type { AgentInput, FleetInput, TargetInput } from "../../lib/spec";
import { isConfigError, type SpecIssue } from "../../lib/spec/errors";
import { agent } from "../helpers/aws";
import { at, ofType } from "../helpers/offline";

/**
 * The fleet's budget is split across its targets (lib/plan/budget-split.ts): each
 * cloud's one budget resource carries its targets' part, a plain-Kubernetes namespace
 * its own, and the parts add up to the fleet's budget to the cent.
 */

const GCP = { project: "acme-agents-prod", billingAccount: "012345-6789AB-CDEF01" };
// Peak vCPU: small = 1 vCPU x 3 replicas = 3, big = 2 vCPU x 2 = 4.
const small = agent("small", { resources: { cpu: 1, memory: "2Gi" }, scaling: { mode: "horizontal", min: 1, max: 3 } });
const big = agent("big", { resources: { cpu: 2, memory: "4Gi" }, scaling: { mode: "horizontal", min: 1, max: 2 } });

function fleet(targets: TargetInput[], agents: AgentInput[], monthlyUsd: number): FleetInput {
  return { apiVersion: "microagents/v1", kind: "Fleet", metadata: { name: "acme" }, spec: { tier: "enterprise", environment: "prod", team: "platform", targets, agents, budget: { monthlyUsd } } };
}

/** AWS runs both agents (peak 7 vCPU), Azure, GCP and a plain cluster the small one (3 each): 7/16 and 3/16 of $999.99. */
const FOUR_TARGETS: TargetInput[] = [
  { runtime: "ecs", region: "us-east-1" },
  { runtime: "aca", region: "westeurope", agents: ["small"] },
  { runtime: "run", region: "europe-west4", ...GCP, agents: ["small"] },
  { runtime: "kubernetes", region: "local", cluster: "onprem", agents: ["small"] },
];

function issuesOf(f: FleetInput): SpecIssue[] {
  try {
    planFleet(f);
  } catch (e) {
    if (isConfigError(e)) return [...e.issues];
    throw e;
  }
  return [];
}

describe("the fleet's budget split across its targets", () => {
  let graph: ResourceGraph;
  before(async () => {
    graph = await runOffline(() => new AgentFleet("acme", { fleet: fleet(FOUR_TARGETS, [small, big], 999.99) }));
  });

  it("splits by each target's planned peak vCPU, in whole cents that add up to the budget", () => {
    const plan = planFleet(fleet(FOUR_TARGETS, [small, big], 999.99));
    // 99,999 cents x 7/16 = 43,749.56 and x 3/16 = 18,749.81: the three larger remainders get the three cents left.
    assert.deepEqual(plan.targetBudgets, [
      { monthlyUsd: 437.49, percent: 43.75, basis: "capacity" },
      { monthlyUsd: 187.5, percent: 18.75, basis: "capacity" },
      { monthlyUsd: 187.5, percent: 18.75, basis: "capacity" },
      { monthlyUsd: 187.5, percent: 18.75, basis: "capacity" },
    ]);
    assert.equal(plan.targetBudgets.reduce((s, t) => s + Math.round(t.monthlyUsd * 100), 0), 99_999);
    assert.equal(plan.budgetMonthlyUsd, 999.99, "the fleet's budget itself is unchanged");
    assert.deepEqual((["aws", "azure", "gcp"] as const).map((c) => cloudBudgetUsd(plan, c)), [437.49, 187.5, 187.5]);
    // plan's "By cloud and region" table shows each target's part.
    assert.deepEqual(
      targetRows(plan).map((r) => [r.cloud, r.budgetMonthlyUsd]),
      [
        ["aws", 437.49],
        ["azure", 187.5],
        ["gcp", 187.5],
        ["kubernetes", 187.5],
      ],
    );
  });

  it("each cloud's budget resource carries its part (AWS Budgets, Azure consumption, GCP billing), the plain cluster's namespace its own", () => {
    const budgets = (type: string) => ofType(graph, type);
    assert.deepEqual(budgets("aws:budgets/budget:Budget").map((b) => [b.inputs.limitAmount, b.inputs.limitUnit]), [["437.49", "USD"]]);
    assert.deepEqual(budgets("azure-native:consumption:Budget").map((b) => at(b, "amount")), [187.5]);
    assert.deepEqual(budgets("gcp:billing/budget:Budget").map((b) => at(b, "amount")), [{ specifiedAmount: { currencyCode: "USD", units: "187", nanos: 500_000_000 } }]);
    const namespaces = ofType(graph, "kubernetes:core/v1:Namespace").filter((n) => at(n, "metadata", "annotations", BUDGET_ANNOTATION) !== undefined);
    assert.deepEqual(namespaces.map((n) => at(n, "metadata", "annotations", BUDGET_ANNOTATION)), ["187.5"]);
  });

  it("the GCP budget watches every GCP target's project, since it carries all their parts", async () => {
    const twoProjects = await runOffline(() => new AgentFleet("acme", { fleet: fleet([{ runtime: "run", region: "europe-west4", ...GCP }, { runtime: "gke", region: "us-central1", project: "acme-agents-data" }], [small, big], 1000) }));
    const [budget] = ofType(twoProjects, "gcp:billing/budget:Budget");
    assert.equal((at(budget, "budgetFilter", "projects") as unknown[]).length, 2, "one entry per project (the offline mock numbers every project alike)");
    assert.deepEqual(at(budget, "amount"), { specifiedAmount: { currencyCode: "USD", units: "1000" } });
  });

  it("the GCP budget's alerts go to at most five e-mail channels (the billing budget's limit): six addresses are refused before any resource, five are built, none leaves the update rule out", async () => {
    const emails = (n: number) => Array.from({ length: n }, (_, i) => `finops${i}@example.com`);
    const withEmails = (n: number): FleetInput => {
      const f = fleet([{ runtime: "run", region: "europe-west4", ...GCP }], [small], 1000);
      return { ...f, spec: { ...f.spec, budget: { monthlyUsd: 1000, alertEmails: emails(n) } } };
    };
    await assert.rejects(
      runOffline(() => new AgentFleet("acme", { fleet: withEmails(6) })),
      (e: unknown) => isConfigError(e) && e.issues.some((i) => i.path === "spec.budget.alertEmails" && /at most 5 channels/.test(i.message)),
    );
    const five = await runOffline(() => new AgentFleet("acme", { fleet: withEmails(5) }));
    const [budget] = ofType(five, "gcp:billing/budget:Budget");
    assert.equal((at(budget, "allUpdatesRule", "monitoringNotificationChannels") as unknown[]).length, 5);
    // With none, no update rule: the provider refuses one with neither a channel nor a Pub/Sub topic, an empty list counting as none.
    const none = await runOffline(() => new AgentFleet("acme", { fleet: withEmails(0) }));
    const [silent] = ofType(none, "gcp:billing/budget:Budget");
    assert.equal(at(silent, "allUpdatesRule"), undefined);
    assert.ok((at(silent, "thresholdRules") as unknown[]).length > 0, "the threshold rules still alert the billing account's admins");
  });

  it("the stack's budget read back from those resources is the fleet's, to the cent", () => {
    assert.equal(budgetFromFacts(factsFromGraph(graph)), 999.99);
  });

  it("the CDK constructs' AWS budget is the AWS targets' part too (the aca target is built elsewhere)", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "cdk-budget-")) });
    const stacks = new AgentFleetStacks(app, "acme", { fleet: fleet([FOUR_TARGETS[0], FOUR_TARGETS[1]], [small, big], 1000) });
    // Peak vCPU 7 on ecs and 3 on aca: 70% and 30%.
    assert.deepEqual(stacks.plan.targetBudgets.map((t) => t.monthlyUsd), [700, 300]);
    const budgets = Object.values(Template.fromStack(stacks.platform).findResources("AWS::Budgets::Budget"));
    assert.deepEqual(budgets.map((b) => (b as { Properties: { Budget: { BudgetLimit: unknown } } }).Properties.Budget.BudgetLimit), [{ Amount: 700, Unit: "USD" }]);
  });

  it("takes spec.targets[].budgetPercent when every target gives it", () => {
    const percents = [50, 25, 12.5, 12.5];
    const plan = planFleet(fleet(FOUR_TARGETS.map((t, i) => ({ ...t, budgetPercent: percents[i] })), [small, big], 10_000));
    assert.deepEqual(
      plan.targetBudgets.map((t) => [t.monthlyUsd, t.percent, t.basis]),
      [
        [5000, 50, "spec"],
        [2500, 25, "spec"],
        [1250, 12.5, "spec"],
        [1250, 12.5, "spec"],
      ],
    );
  });

  it("a fleet with one target keeps the whole budget", () => {
    assert.deepEqual(splitBudget(planFleet(fleet([{ runtime: "ecs", region: "us-east-1" }], [small, big], 1234.56)).fleet), [{ monthlyUsd: 1234.56, percent: 100, basis: "whole" }]);
  });

  it("refuses budgetPercent on some targets only, percentages that do not add up to 100, and percentages out of range", () => {
    const some = issuesOf(fleet([{ ...FOUR_TARGETS[0], budgetPercent: 60 }, { ...FOUR_TARGETS[1], budgetPercent: 40 }, FOUR_TARGETS[2], FOUR_TARGETS[3]], [small, big], 1000));
    assert.deepEqual(
      some.map((i) => [i.path, i.message]),
      [
        ["spec.targets[2].budgetPercent", "spec.targets[0], spec.targets[1] give a budgetPercent and this target does not"],
        ["spec.targets[3].budgetPercent", "spec.targets[0], spec.targets[1] give a budgetPercent and this target does not"],
      ],
    );
    assert.match(some[0].hint ?? "", /give every target a budgetPercent adding up to 100, or none/);
    const sum = issuesOf(fleet(FOUR_TARGETS.map((t, i) => ({ ...t, budgetPercent: [50, 20, 10, 10][i] })), [small, big], 1000));
    assert.deepEqual(sum.map((i) => [i.path, i.message]), [["spec.targets", "the targets' budgetPercent add up to 90 (50 + 20 + 10 + 10), not 100"]]);
    const range = issuesOf(fleet([{ ...FOUR_TARGETS[0], budgetPercent: 0 }, { ...FOUR_TARGETS[1], budgetPercent: 150 }], [small, big], 1000));
    assert.deepEqual(range.map((i) => i.path), ["spec.targets[0].budgetPercent", "spec.targets[1].budgetPercent"]);
    assert.deepEqual(range.map((i) => i.message), ["budgetPercent must be greater than zero", "budgetPercent is a percentage of the fleet's budget: at most 100"]);
  });
});
