import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import { AZURE_SUBSCRIPTION } from "../../lib/offline/mocks";
import type { FleetInput, TargetInput } from "../../lib/spec";
import { agent, JWT } from "../helpers/aws";
import { ofType } from "../helpers/offline";

const HOST = "agents.acme.example";
// In the subscription the offline Azure provider deploys to (a zone elsewhere needs azureDnsProvider: test/azure/dns-zone).
const AZURE_ZONE = `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/dns/providers/Microsoft.Network/dnszones/acme.example`;
const CONFIG = { "gcp:project": "acme-agents-prod", "microagents:billingAccount": "012345-6789AB-CDEF01", "microagents:azureDnsZoneId": AZURE_ZONE, "microagents:dnsZone": "acme-example" };

function pairFleet(targets: TargetInput[]): FleetInput {
  return {
    apiVersion: "microagents/v1",
    kind: "Fleet",
    metadata: { name: "acme" },
    spec: {
      tier: "medium",
      environment: "prod",
      team: "platform",
      targets,
      agents: [agent("support", { route: { path: "/support", auth: "jwt" }, scaling: { mode: "horizontal", min: 1, max: 4 } })],
      gateway: { jwt: JWT, hostname: HOST, public: true },
      observability: { alertEmails: ["oncall@acme.example"] },
    },
  };
}

async function build(targets: TargetInput[]): Promise<{ graph: ResourceGraph; fleet: AgentFleet }> {
  let fleet: AgentFleet | undefined;
  const graph = await runOffline(() => {
    fleet = new AgentFleet("acme", { fleet: pairFleet(targets) });
  }, { config: CONFIG });
  assert.ok(fleet);
  return { graph, fleet };
}

/** A primary and backup on one cloud: one failover entry of that cloud, and the pair handed to the state stores. */
function assertPair(graph: ResourceGraph, fleet: AgentFleet, entryType: string, otherEntries: ReadonlyArray<string>): void {
  assert.equal(ofType(graph, entryType).length, 1, entryType);
  for (const other of otherEntries) assert.equal(ofType(graph, other).length, 0, `no ${other}`);
  assert.ok(fleet.entry);
  const [primary, backup] = fleet.deployments;
  assert.ok(primary.stateStore && backup.stateStore && primary.gateway && backup.gateway);
  assert.deepEqual(primary.stateStore.replicaPlatforms, [backup.platform]);
  assert.equal(backup.stateStore.replicaOf, primary.stateStore);
  assert.equal(graph.resources.some((r) => r.type.startsWith("aws:")), false, "no AWS resource on a fleet without an AWS target");
}

const ENTRIES = ["microagents:entry:AwsFailoverEntry", "microagents:entry:AzureFailoverEntry", "microagents:entry:GcpFailoverEntry", "microagents:entry:AwsGlobalEntry"];

describe("a primary and a backup on Azure and on GCP plan into that cloud's failover entry and replicated state", () => {
  it("Azure (Container Apps in two regions): a Front Door failover entry", async () => {
    const { graph, fleet } = await build([
      { runtime: "aca", region: "westeurope" },
      { runtime: "aca", region: "northeurope", role: "backup" },
    ]);
    assertPair(graph, fleet, "microagents:entry:AzureFailoverEntry", ENTRIES.filter((e) => !e.includes("Azure")));
  });

  it("GCP (Cloud Run in two regions): a Cloud DNS failover entry", async () => {
    const { graph, fleet } = await build([
      { runtime: "run", region: "europe-west4" },
      { runtime: "run", region: "europe-west1", role: "backup" },
    ]);
    assertPair(graph, fleet, "microagents:entry:GcpFailoverEntry", ENTRIES.filter((e) => !e.includes("Gcp")));
  });
});
