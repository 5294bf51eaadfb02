import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { estimateCost } from "../../lib/cost";
import { factsFromResources, type RawResource } from "../../lib/facts";
import { runOffline } from "../../lib/offline/engine";

const labels = { "microagents.io/fleet": "acme", "microagents.io/agent": "writer", "microagents.io/tier": "medium", "microagents.io/environment": "prod", "microagents.io/team": "t", "app.kubernetes.io/managed-by": "microagents" };

function deploymentOn(provider: string | undefined): RawResource {
  const limits = { cpu: "1", memory: "2Gi" };
  return {
    urn: `urn:pulumi:test::test::kubernetes:apps/v1:Deployment::writer-${provider ?? "none"}`,
    type: "kubernetes:apps/v1:Deployment",
    name: "writer",
    custom: true,
    ...(provider ? { providerUrn: provider } : {}),
    inputs: { metadata: { name: "writer", namespace: "acme", labels }, spec: { replicas: 2, template: { spec: { containers: [{ name: "agent", image: "x@sha256:1", resources: { requests: limits, limits } }] } } } },
  };
}

const cluster: RawResource = { urn: "urn:pulumi:test::test::azure-native:containerservice:ManagedCluster::aks", type: "azure-native:containerservice:ManagedCluster", name: "aks", custom: true, inputs: { location: "northeurope" } };
const group: RawResource = { urn: "urn:pulumi:test::test::azure-native:resources:ResourceGroup::rg", type: "azure-native:resources:ResourceGroup", name: "rg", custom: true, inputs: { location: "northeurope" } };

describe("cost per region", () => {
  it("a Kubernetes workload on a managed cluster's provider is in the cluster's region, not under global", () => {
    const provider: RawResource = { urn: "urn:pulumi:test::test::pulumi:providers:kubernetes::aks-cluster", type: "pulumi:providers:kubernetes", name: "aks-cluster", custom: true, inputs: { kubeconfig: "…" }, dependencies: [group.urn as string, cluster.urn as string] };
    const estimate = estimateCost(factsFromResources([group, cluster, provider, deploymentOn(provider.urn)]));
    const writer = estimate.items.find((i) => i.type === "kubernetes:apps/v1:Deployment");
    assert.equal(writer?.region, "northeurope");
    assert.equal(estimate.byRegion.global, undefined, "nothing left without a region");
  });

  it("a workload whose provider depends on nothing with a region stays under global", () => {
    const provider: RawResource = { urn: "urn:pulumi:test::test::pulumi:providers:kubernetes::ctx", type: "pulumi:providers:kubernetes", name: "ctx", custom: true, inputs: { context: "primary" } };
    const estimate = estimateCost(factsFromResources([provider, deploymentOn(provider.urn)]));
    assert.equal(estimate.items.find((i) => i.type === "kubernetes:apps/v1:Deployment")?.region, undefined);
    assert.ok(estimate.byRegion.global > 0);
  });

  it("Azure's 'Global' and 'global' locations are one group", () => {
    const policy: RawResource = { urn: "urn:pulumi:test::test::azure-native:network:PrivateZone::z", type: "azure-native:privatedns:PrivateZone", name: "z", custom: true, inputs: { location: "Global", privateZoneName: "privatelink.vaultcore.azure.net" } };
    const zone: RawResource = { urn: "urn:pulumi:test::test::azure-native:network:PrivateZone::y", type: "azure-native:privatedns:PrivateZone", name: "y", custom: true, inputs: { location: "global", privateZoneName: "privatelink.servicebus.windows.net" } };
    const estimate = estimateCost(factsFromResources([policy, zone]));
    assert.deepEqual(Object.keys(estimate.byRegion), ["global"]);
    assert.equal(estimate.byRegion.global, 1, "two private DNS zones at $0.50 a month");
  });

  it("the offline engine records what a Kubernetes provider made from an AKS cluster depends on", async () => {
    const g = await runOffline("stacks/small.ts", { config: { "microagents:runtime": "aks", "microagents:environment": "dev" } });
    const provider = g.resources.find((r) => r.type === "pulumi:providers:kubernetes");
    assert.ok(provider?.dependencies?.some((u) => u.includes("azure-native:containerservice:ManagedCluster")), "the provider depends on its cluster");
    const estimate = estimateCost(factsFromResources(g.resources, { config: g.config }));
    const deployments = estimate.items.filter((i) => i.type === "kubernetes:apps/v1:Deployment");
    assert.ok(deployments.length > 0);
    assert.deepEqual([...new Set(deployments.map((d) => d.region))], ["swedencentral"]);
  });
});
