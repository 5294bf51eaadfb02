import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import { at, ofType } from "../helpers/offline";

const CONFIG = { "gcp:project": "acme-research-prod", "microagents:billingAccount": "012345-6789AB-CDEF01", "microagents:environment": "prod" };

describe("stacks/enterprise.ts: the research fleet on EKS, AKS and GKE behind one global entry", () => {
  let graph: ResourceGraph;
  before(async () => {
    graph = await runOffline("stacks/enterprise.ts", { config: CONFIG });
  });

  it("builds a platform per cloud, each running all four agents, and one Route 53 global entry", () => {
    assert.deepEqual(ofType(graph, "microagents:platform:AgentPlatform").map((p) => p.name).sort(), ["acme-research-aks-westeurope", "acme-research-eks-us-east-1", "acme-research-gke-europe-west4"]);
    assert.equal(ofType(graph, "microagents:service:MicroAgentService").length, 12);
    assert.equal(ofType(graph, "microagents:entry:AwsGlobalEntry").length, 1);
    const gateways = ofType(graph, "microagents:gateway:AgentGateway").length;
    assert.ok(gateways >= 2);
    assert.equal(ofType(graph, "aws:route53/healthCheck:HealthCheck").length, gateways, "a health check per cloud gateway");
    const zone = ofType(graph, "aws:route53/zone:Zone");
    assert.deepEqual(zone.map((z) => at(z, "name")), ["agents.acme.example"], "no zone in config: the stack creates one for the host name");
  });

  it("runs the GPU agent on each cloud's own cheapest fitting GPU, never on H100 nodes", () => {
    const text = JSON.stringify(graph.resources.filter((r) => r.custom).map((r) => r.inputs));
    for (const h100 of ["p5.48xlarge", "a3-highgpu", "NC40ads_H100"]) assert.equal(text.includes(h100), false, h100);
    assert.match(text, /g4dn\./, "T4 nodes on EKS");
  });
});
