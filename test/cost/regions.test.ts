import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { estimateCost } from "../../lib/cost";
import { factsFromResources, type RawResource } from "../../lib/facts";
import { runOffline } from "../../lib/offline/engine";
import { REGION_ANNOTATION } from "../../lib/plan/tags";

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

/** A managed cluster's namespace, annotated with the cluster's region by its target. */
const provider: RawResource = { urn: "urn:pulumi:test::test::pulumi:providers:kubernetes::aks-cluster", type: "pulumi:providers:kubernetes", name: "aks-cluster", custom: true, inputs: { kubeconfig: "…" } };
const namespace = (annotations: Record<string, string>, on = provider.urn): RawResource => ({
  urn: `urn:pulumi:test::test::kubernetes:core/v1:Namespace::acme-${on ?? "none"}`,
  type: "kubernetes:core/v1:Namespace",
  name: "acme",
  custom: true,
  ...(on ? { providerUrn: on } : {}),
  inputs: { metadata: { name: "acme", labels, annotations } },
});

describe("cost per region", () => {
  it("a Kubernetes workload in a managed cluster's namespace is in the region its namespace names, not under global", () => {
    const estimate = estimateCost(factsFromResources([namespace({ [REGION_ANNOTATION]: "northeurope" }), provider, deploymentOn(provider.urn)]));
    const writer = estimate.items.find((i) => i.type === "kubernetes:apps/v1:Deployment");
    assert.equal(writer?.region, "northeurope");
    assert.ok(writer?.basis.includes("azure node prices"), "priced on the cluster's cloud");
    assert.equal(estimate.byRegion.global, undefined, "nothing left without a region");
  });

  it("a workload whose namespace names no region stays under global", () => {
    const estimate = estimateCost(factsFromResources([namespace({}), provider, deploymentOn(provider.urn)]));
    assert.equal(estimate.items.find((i) => i.type === "kubernetes:apps/v1:Deployment")?.region, undefined);
    assert.ok(estimate.byRegion.global > 0);
  });

  it("two clusters with the same namespace name keep their own regions (the namespace is keyed by its cluster's provider)", () => {
    const other = "urn:pulumi:test::test::pulumi:providers:kubernetes::gke-cluster";
    const onGke = { ...deploymentOn(other), urn: "urn:pulumi:test::test::kubernetes:apps/v1:Deployment::writer-gke" };
    const estimate = estimateCost(factsFromResources([namespace({ [REGION_ANNOTATION]: "northeurope" }), namespace({ [REGION_ANNOTATION]: "europe-west4" }, other), deploymentOn(provider.urn), onGke]));
    const regions = estimate.items.filter((i) => i.type === "kubernetes:apps/v1:Deployment").map((i) => i.region).sort();
    assert.deepEqual(regions, ["europe-west4", "northeurope"]);
  });

  it("Azure's 'Global' and 'global' locations are one group", () => {
    const policy: RawResource = { urn: "urn:pulumi:test::test::azure-native:network:PrivateZone::z", type: "azure-native:privatedns:PrivateZone", name: "z", custom: true, inputs: { location: "Global", privateZoneName: "privatelink.vaultcore.azure.net" } };
    const zone: RawResource = { urn: "urn:pulumi:test::test::azure-native:network:PrivateZone::y", type: "azure-native:privatedns:PrivateZone", name: "y", custom: true, inputs: { location: "global", privateZoneName: "privatelink.servicebus.windows.net" } };
    const estimate = estimateCost(factsFromResources([policy, zone]));
    assert.deepEqual(Object.keys(estimate.byRegion), ["global"]);
    assert.equal(estimate.byRegion.global, 1, "two private DNS zones at $0.50 a month");
  });

  it("an AKS stack's workloads are in the cluster's region, offline and in the policy packs alike (the namespace carries it)", async () => {
    const g = await runOffline("stacks/small.ts", { config: { "microagents:runtime": "aks", "microagents:environment": "dev" } });
    const ns = g.resources.find((r) => r.type === "kubernetes:core/v1:Namespace" && (r.inputs.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[REGION_ANNOTATION]);
    assert.equal((ns?.inputs.metadata as { annotations: Record<string, string> }).annotations[REGION_ANNOTATION], "swedencentral");
    const estimate = estimateCost(factsFromResources(g.resources, { config: g.config }));
    const deployments = estimate.items.filter((i) => i.type === "kubernetes:apps/v1:Deployment");
    assert.ok(deployments.length > 0);
    assert.deepEqual([...new Set(deployments.map((d) => d.region))], ["swedencentral"]);
  });
});
