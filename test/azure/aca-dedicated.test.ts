import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { researchFleet } from "../../agents/fleets";
import { estimateCost } from "../../lib/cost/estimate";
import { factsFromGraph } from "../../lib/facts";
import { ACA_DEDICATED_SHAPES, acaDedicatedHourly } from "../../lib/prices/aca-dedicated";
import { priceCatalog } from "../../lib/prices/catalog";
import { DEDICATED_PROFILES } from "../../lib/targets/azure-aca";
import { at, one, planFleetOffline } from "../helpers/offline";

describe("Container Apps Dedicated workload profiles are priced", () => {
  it("every profile the aca target can pick has its shape and an instance-hour price from the Dedicated meters", () => {
    const cpu = priceCatalog().find("azure.aca.dedicated.vcpu-hour");
    const mem = priceCatalog().find("azure.aca.dedicated.gib-hour");
    assert.ok(cpu && mem && priceCatalog().find("azure.aca.dedicated.management-hour"));
    for (const p of DEDICATED_PROFILES) {
      assert.deepEqual(ACA_DEDICATED_SHAPES[p.type], { vcpu: p.vcpu, memoryGiB: p.memoryGi }, p.type);
      assert.equal(acaDedicatedHourly(p.type)?.usd, p.vcpu * cpu.usd + p.memoryGi * mem.usd, p.type);
    }
    assert.equal(acaDedicatedHourly("Consumption"), undefined);
  });

  it("an agent past the Consumption profile runs on D8: its app pays its share of the instances, the environment the management fee", async () => {
    const base = researchFleet({ tier: "medium", environment: "dev", targets: [{ runtime: "aca", region: "swedencentral" }] });
    const fleet = { ...base, spec: { ...base.spec, agents: base.spec.agents.map((a) => (a.name === "coordinator" ? { ...a, resources: { cpu: 6, memory: "24Gi" } } : a)) } };
    const g = await planFleetOffline(fleet);
    const env = one(g, "azure-native:app:ManagedEnvironment", "acme-research-env");
    assert.deepEqual((at(env, "workloadProfiles") as Array<{ name: string }>).find((p) => p.name === "d8"), { name: "d8", workloadProfileType: "D8", minimumCount: 2, maximumCount: 2 });
    const e = estimateCost(factsFromGraph(g));
    assert.deepEqual(e.unpriced.filter((u) => u.type.startsWith("azure-native:app:")), []);
    const hourly = acaDedicatedHourly("D8")?.usd ?? 0;
    const app = e.items.find((i) => i.type === "azure-native:app:ContainerApp" && i.resource === "acme-research-coordinator");
    assert.match(app?.basis ?? "", /of a D8 at \$0\.6\d*\/h on-demand \[node pool d8 \(D8\)\]/);
    // Two fixed replicas, each 75% of a D8 by its CPU: the two instances the profile keeps are paid by the app.
    assert.ok(Math.abs((app?.monthlyUsd ?? 0) - 2 * hourly * 730) < 0.02, `${app?.monthlyUsd} vs ${2 * hourly * 730}`);
    const envItem = e.items.find((i) => i.type === "azure-native:app:ManagedEnvironment");
    assert.match(envItem?.basis ?? "", /; Dedicated plan management \$0\.1\/h × 730 h/);
    assert.ok((envItem?.monthlyUsd ?? 0) >= 73);
  });
});
