import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { fleetDiagram } from "../../lib/plan/diagram";
import { planFleet } from "../../lib/plan";
import { loadFleetFile } from "../../lib/spec";
import { cli } from "../helpers/cli";

describe("fleet diagram", () => {
  const plan = planFleet(loadFleetFile("agents/acme-support.fleet.yaml"));
  const text = fleetDiagram(plan);

  it("draws GPU pools as subgraphs holding their agents", () => {
    assert.match(text, /subgraph pool_inference\["GPU pool inference: nvidia-l4, time-slicing, 1–4 nodes, spot"\]\n {4}sentiment\[.*\n {4}response_composer\[.*\n {2}end/);
  });
  it("draws each route with auth, invocation and canary weight, and the legacy fallback", () => {
    assert.ok(text.includes(`gateway -->|"/documents jwt async 25%"| document_processor`));
    assert.ok(text.includes("gateway -.->|fallback| legacy"));
  });
  it("draws one edge per subscription", () => {
    const edges = text.split("\n").filter((l) => /^ {2}\w+ -->\|"customer-email"\| \w+$/.test(l));
    assert.equal(edges.length, plan.subscriptions.length);
  });
  it("is a CLI command that exits 2 without --fleet", async () => {
    assert.equal((await cli("diagram", "--fleet", "agents/acme-support.fleet.yaml")).stdout, text);
    assert.equal((await cli("diagram")).code, 2);
  });
});
