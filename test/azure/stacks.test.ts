import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { factsFromGraph } from "../../lib/facts";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import type { Environment, Tier } from "../../lib/spec";
import { loadPolicyConfig } from "../../policies/engine/config";
import { loadEstimator } from "../../policies/engine/cost";
import { evaluate } from "../../policies/engine/evaluate";
import { CHECK_DAY } from "../policies/fixtures/kit";
import { at, ofType } from "../helpers/offline";

/** Mandatory findings under the example policy config as it is (its allow-list holds the stacks' regions, which the test states). */
function mandatory(g: ResourceGraph, tier: Tier, environment: Environment, regions: ReadonlyArray<string>): string[] {
  const { tier: _t, environment: _e, ...config } = loadPolicyConfig(`policies/${environment === "prod" ? "prod" : "dev"}.json`);
  for (const region of regions) assert.ok(config.allowedRegions?.includes(region), `${region} is not on the example allow-list`);
  const result = evaluate(factsFromGraph(g), { config, tier, environment, now: CHECK_DAY, estimateCost: loadEstimator() });
  return result.violations.filter((v) => v.enforcement === "mandatory").map((v) => `${v.ruleId} ${v.resource}: ${v.message}`);
}

describe("company stacks on Azure", () => {
  it("stacks/small.ts deploys to Container Apps with --config runtime=aca (GPU agents on whole T4s), without a mandatory violation in dev", async () => {
    const g = await runOffline("stacks/small.ts", { config: { "microagents:runtime": "aca", "microagents:environment": "dev" } });
    assert.equal(ofType(g, "azure-native:app:ContainerApp").length, 4);
    const env = ofType(g, "azure-native:app:ManagedEnvironment")[0];
    assert.equal(at(env, "location"), "swedencentral");
    assert.deepEqual(mandatory(g, "small", "dev", ["swedencentral"]), []);
  });

  it("stacks/small.ts deploys to AKS with --config runtime=aks (fractional GPUs time-sliced), without a mandatory violation in dev", async () => {
    const g = await runOffline("stacks/small.ts", { config: { "microagents:runtime": "aks", "microagents:environment": "dev" } });
    assert.equal(ofType(g, "azure-native:containerservice:ManagedCluster").length, 1);
    assert.equal(ofType(g, "kubernetes:apps/v1:Deployment").length, 4);
    assert.deepEqual(mandatory(g, "small", "dev", ["swedencentral"]), []);
  });

  it("stacks/small.ts in prod fits the small tier's $1,000 budget on both runtimes (Standard Service Bus behind an IP firewall, APIM Developer, GPU agents started by their queue on aca), without a mandatory violation", async () => {
    for (const runtime of ["aca", "aks"] as const) {
      const g = await runOffline("stacks/small.ts", { config: { "microagents:runtime": runtime, "microagents:environment": "prod" } });
      assert.deepEqual(ofType(g, "azure-native:servicebus:Namespace").map((n) => at(n, "sku", "name")), ["Standard"], runtime);
      assert.equal(ofType(g, "azure-native:servicebus:NamespaceNetworkRuleSet").length, 1, runtime);
      assert.deepEqual(ofType(g, "azure-native:apimanagement:ApiManagementService").map((n) => at(n, "sku", "name")), ["Developer"], runtime);
      assert.deepEqual(mandatory(g, "small", "prod", ["swedencentral"]), [], runtime);
    }
  });

  it("stacks/medium.ts deploys AKS in two regions with runtime=aks: a resource group, cluster and namespace each, one budget over both", async () => {
    const g = await runOffline("stacks/medium.ts", { config: { "microagents:runtime": "aks", "microagents:environment": "prod", "microagents:azureDnsZoneId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/acme.example" } });
    const clusters = ofType(g, "azure-native:containerservice:ManagedCluster");
    assert.deepEqual(clusters.map((c) => at(c, "location")).sort(), ["northeurope", "westeurope"]);
    assert.deepEqual(ofType(g, "azure-native:resources:ResourceGroup").map((r) => at(r, "resourceGroupName")).sort(), ["rg-acme-support-prod-northeurope", "rg-acme-support-prod-westeurope"]);
    const namespaces = ofType(g, "azure-native:servicebus:Namespace").map((n) => String(at(n, "namespaceName")));
    assert.equal(new Set(namespaces).size, 2, "globally unique namespace names");
    const budgets = ofType(g, "azure-native:consumption:Budget");
    assert.equal(budgets.length, 1, "one budget per fleet");
    assert.deepEqual(at(budgets[0], "filter", "dimensions", "values"), ["rg-acme-support-prod-westeurope", "rg-acme-support-prod-northeurope"]);
    // Replicated state: the primary's Cosmos DB account lists both regions; the backup's Postgres is a read replica.
    assert.deepEqual(ofType(g, "azure-native:cosmosdb:DatabaseAccount").map((acct) => [0, 1].map((i) => at(acct, "locations", i, "locationName"))), [["westeurope", "northeurope"]]);
    assert.deepEqual(ofType(g, "azure-native:dbforpostgresql:Server").map((srv) => `${String(at(srv, "location"))} ${String(at(srv, "createMode"))}`).sort(), ["northeurope Replica", "westeurope Create"]);
    assert.deepEqual(mandatory(g, "medium", "prod", ["westeurope", "northeurope"]), []);
  });
});
