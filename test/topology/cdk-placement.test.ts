import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { App } from "aws-cdk-lib";
import { AgentFleetStacks } from "../../lib/cdk/fleet-stacks";
import type { FleetInput } from "../../lib/spec";
import { agent, JWT } from "../helpers/aws";

describe("placement in the CDK constructs", () => {
  it("AgentFleetStacks builds only the agents placed on the fleet's ECS target", () => {
    const input: FleetInput = {
      apiVersion: "microagents/v1",
      kind: "Fleet",
      metadata: { name: "acme" },
      spec: {
        tier: "medium",
        environment: "dev",
        targets: [
          { runtime: "ecs", region: "us-east-1", agents: ["front", "worker"] },
          { runtime: "aks", region: "westeurope", agents: ["batch"] },
        ],
        agents: [agent("front", { route: { path: "/front", auth: "jwt" } }), agent("worker", { subscribes: [{ from: "front" }] }), agent("batch", { criticality: "batch" })],
        gateway: { jwt: JWT },
      },
    };
    const fleet = new AgentFleetStacks(new App(), "acme", { fleet: input });
    assert.deepEqual(fleet.plan.agents.map((a) => a.name), ["front", "worker"]);
    assert.deepEqual(fleet.agentStacks.flatMap((s) => s.services.map((svc) => svc.agent.name)).sort(), ["front", "worker"]);
    assert.deepEqual(fleet.plan.subscriptions.map((s) => `${s.publisher}>${s.subscriber}`), ["front>worker"]);
  });
});
