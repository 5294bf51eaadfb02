import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { researchFleet } from "../../agents/fleets";
import { estimateCost } from "../../lib/cost/estimate";
import { factsFromGraph } from "../../lib/facts";
import type { Fact } from "../../lib/facts/types";
import type { ResourceGraph } from "../../lib/offline/engine";
import { planFleetOffline } from "../helpers/offline";

describe("facts and cost read the Azure target's resources", () => {
  let dev: ResourceGraph;
  let prod: ResourceGraph;
  before(async () => {
    dev = await planFleetOffline(researchFleet({ tier: "small", environment: "dev", targets: [{ runtime: "aca", region: "swedencentral" }] }));
    prod = await planFleetOffline(researchFleet({ tier: "medium", environment: "prod", targets: [{ runtime: "aks", region: "swedencentral" }] }));
  });

  it("reads a serverless GPU profile as a pool without nodes, and gives its app the profile's GPU", () => {
    const facts = factsFromGraph(dev);
    const pool = facts.find((f): f is Extract<Fact, { kind: "node-pool" }> => f.kind === "node-pool" && f.poolName === "gpu-t4");
    assert.deepEqual(pool?.nodes, { min: 0, max: 0 });
    assert.equal(pool?.gpu?.type, "nvidia-t4");
    const app = facts.find((f): f is Extract<Fact, { kind: "container-workload" }> => f.kind === "container-workload" && f.workloadName === "language-analyzer");
    assert.equal(app?.perReplica.gpus, 1);
    assert.equal(app?.replicas.min, 0);
  });

  it("prices every resource of a Container Apps fleet: serverless GPU replicas per profile, the Standard namespace base fee", () => {
    const e = estimateCost(factsFromGraph(dev));
    assert.deepEqual(e.unpriced.map((u) => `${u.type} ${u.resource}: ${u.reason}`), []);
    const gpu = e.items.find((i) => i.resource === "acme-research-language-analyzer" && i.type === "azure-native:app:ContainerApp");
    assert.match(gpu?.basis ?? "", /^Consumption-GPU-NC8as-T4 replica at \$0\.75\d*\/instance-h/);
    const ns = e.items.find((i) => i.type === "azure-native:servicebus:Namespace");
    assert.match(ns?.basis ?? "", /^Standard namespace base/);
  });

  it("prices a medium prod AKS fleet: Premium messaging units, private endpoints, Prometheus samples, the device plugin's Helm release on the GPU nodes; nothing unpriced", () => {
    const e = estimateCost(factsFromGraph(prod));
    assert.deepEqual(e.unpriced.map((u) => u.type), []);
    const plugin = e.items.find((i) => i.type === "kubernetes:helm.sh/v3:Release" && i.resource.endsWith("nvidia-device-plugin"));
    assert.ok(plugin && plugin.monthlyUsd > 0, plugin?.basis);
    assert.match(plugin.basis, /a pod on every GPU node × 0\.4% of a Standard_D4s_v5/);
    const ns = e.items.find((i) => i.type === "azure-native:servicebus:Namespace");
    assert.match(ns?.basis ?? "", /^Premium 1 messaging unit\(s\)/);
    assert.ok((ns?.monthlyUsd ?? 0) > 600);
    assert.ok(e.items.some((i) => i.type === "azure-native:network:PrivateEndpoint" && i.resource === "acme-research-sb-pe"), "the namespace's private endpoint");
    assert.ok(e.items.some((i) => i.type === "azure-native:network:PrivateEndpoint" && i.resource === "acme-research-kv-pe"), "the vault's private endpoint");
    assert.ok(e.items.some((i) => i.type === "azure-native:monitor:AzureMonitorWorkspace" && i.monthlyUsd > 0));
  });
});
