import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { customerServiceFleet, emailFleet, researchFleet } from "../../agents";
import { estimateCost, estimateFleet, type CostEstimate } from "../../lib/cost";
import { factsFromGraph } from "../../lib/facts";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { runOffline } from "../../lib/offline/engine";
import type { FleetInput } from "../../lib/spec";

/**
 * Done-means of issue 12: every example stack (stacks/index.ts) on ECS, EKS and
 * Kubernetes prices everything the package sized (nothing is left unpriced: every Helm
 * release sizes its pods, each priced above $0), and `cost --stack` gives
 * the same estimate as `cost --fleet` of the fleet the stack builds.
 */

const environment = "prod" as const;
/** `fleet`: the fleet the stack builds, exactly; absent when the stack adds resources of its own (medium on AWS adds the entry's hosted zone). */
const cases: ReadonlyArray<{ stack: string; runtime: string; fleet?: FleetInput }> = [
  { stack: "small", runtime: "ecs", fleet: emailFleet({ tier: "small", environment, targets: [{ runtime: "ecs", region: "us-east-1" }] }) },
  { stack: "small", runtime: "eks", fleet: emailFleet({ tier: "small", environment, targets: [{ runtime: "eks", region: "us-east-1" }] }) },
  { stack: "small", runtime: "kubernetes", fleet: emailFleet({ tier: "small", environment, targets: [{ runtime: "kubernetes", region: "local" }] }) },
  { stack: "medium", runtime: "ecs" },
  { stack: "medium", runtime: "eks" },
  {
    stack: "medium",
    runtime: "kubernetes",
    fleet: customerServiceFleet({
      tier: "medium",
      environment,
      targets: [
        { runtime: "kubernetes", region: "us-east-1", role: "primary", cluster: "primary" },
        { runtime: "kubernetes", region: "us-west-2", role: "backup", cluster: "backup" },
      ],
    }),
  },
  // The enterprise stack builds EKS, AKS and GKE behind a Route 53 global entry (it adds the entry's hosted zone).
  { stack: "enterprise", runtime: "eks, aks and gke" },
];

/** The research fleet on plain Kubernetes clusters in three clouds' regions. */
const multiCloudKubernetes = researchFleet({
  tier: "enterprise",
  environment,
  targets: [
    { runtime: "kubernetes", region: "us-east-1", cluster: "aws" },
    { runtime: "kubernetes", region: "westeurope", cluster: "azure" },
    { runtime: "kubernetes", region: "europe-west4", cluster: "gcp" },
  ],
});

/** What a stack with a GCP target needs offline (the others ignore it). */
const GCP_CONFIG = { "gcp:project": "acme-agents", "microagents:billingAccount": "012345-6789AB-CDEF01" };

/**
 * Unpriced resources: none. Every Helm release sizes its pods in its values (priced as
 * the node capacity it reserves) and Firestore backups are priced per GiB-month kept.
 */
const unpricedOf = (e: CostEstimate) => e.unpriced;

/** Helm releases priced at $0 (a release always reserves some node capacity). */
const freeReleases = (e: CostEstimate) => e.items.filter((i) => i.type.startsWith("kubernetes:helm.sh/") && i.monthlyUsd <= 0).map((i) => i.resource);

describe("example stacks: priced in full, and the same as their fleet", () => {
  for (const c of cases) {
    it(`${c.stack} on ${c.runtime}: nothing the package sized is unpriced${c.fleet ? "; cost --stack = cost --fleet" : ""}`, async () => {
      const graph = await runOffline("stacks/index.ts", { config: { ...GCP_CONFIG, "microagents:stack": c.stack, "microagents:runtime": c.runtime, "microagents:environment": environment } });
      const stack = estimateCost(factsFromGraph(graph));
      assert.deepEqual(unpricedOf(stack), [], "unpriced resources the package sized");
      assert.deepEqual(freeReleases(stack), [], "Helm releases priced at $0");
      if (!c.fleet) return;
      const { estimate: fleet } = await estimateFleet(c.fleet);
      assert.equal(stack.totalMonthlyUsd, fleet.totalMonthlyUsd, "total");
      assert.equal(stack.budgetMonthlyUsd, fleet.budgetMonthlyUsd, "budget");
      assert.deepEqual(stack.byAgent, fleet.byAgent, "per agent");
      assert.equal(stack.unpriced.length, fleet.unpriced.length, "unpriced");
    });
  }

  it("a plain-Kubernetes fleet's own budget counts without a budget resource: the namespace carries it", async () => {
    const base = emailFleet({ tier: "small", environment, targets: [{ runtime: "kubernetes", region: "local" }] });
    const fleet: FleetInput = { ...base, spec: { ...base.spec, budget: { monthlyUsd: 1234 } } };
    const graph = await runOffline(() => new AgentFleet("acme-email", { fleet }));
    const stack = estimateCost(factsFromGraph(graph));
    assert.equal(stack.budgetMonthlyUsd, 1234);
    assert.equal(stack.totalMonthlyUsd, (await estimateFleet(fleet)).estimate.totalMonthlyUsd);
  });

  it("prices each Kubernetes cluster of a multi-cloud fleet on its own cloud, and says so", async () => {
    const { estimate } = await estimateFleet(multiCloudKubernetes);
    const basis = (cloud: string) => estimate.items.filter((i) => i.type === "kubernetes:apps/v1:Deployment" && i.basis.includes(`${cloud} node prices (from the cluster's region)`));
    for (const cloud of ["aws", "azure", "gcp"]) assert.ok(basis(cloud).length > 0, `a Deployment priced on ${cloud}`);
  });
});
