import type { AgentInput, Environment, FleetInput, PipelineInput, TargetInput, Tier } from "../lib/spec";
import { customerServiceAgents } from "./customer-service-agents";
import { emailAgents } from "./email-agents";
import { researchAgents } from "./research-agents";

/** Where and how a fleet runs; the agents stay the same. */
export interface FleetPlacement {
  readonly tier: Tier;
  readonly environment: Environment;
  readonly targets: ReadonlyArray<TargetInput>;
}

const gateway = {
  jwt: { issuer: "https://auth.acme.example/", jwksUri: "https://auth.acme.example/.well-known/jwks.json", audiences: ["agents.acme.example"] },
  hostname: "agents.acme.example",
};

/** A fleet of the given agents on a placement: the part every example fleet shares. */
function fleet(name: string, team: string, p: FleetPlacement, agents: ReadonlyArray<AgentInput>, pipelines: ReadonlyArray<PipelineInput>): FleetInput {
  return {
    apiVersion: "microagents/v1",
    kind: "Fleet",
    metadata: { name },
    spec: { tier: p.tier, environment: p.environment, team, targets: [...p.targets], agents: [...agents], gateway, pipelines: [...pipelines] },
  };
}

/** The seed's AgentFleetConfiguration: document processor, language analyzer, coordinator, data fetcher. */
export function researchFleet(p: FleetPlacement, name = "acme-research"): FleetInput {
  return fleet(name, "research", p, researchAgents, [{ name: "research", steps: ["coordinator", { parallel: ["data-fetcher", "document-processor"] }, "language-analyzer"] }]);
}

/** The seed's customer-service system, eight agents. */
export function customerServiceFleet(p: FleetPlacement, name = "acme-support"): FleetInput {
  return fleet(name, "support", p, customerServiceAgents, [
    {
      name: "customer-request",
      steps: ["classifier", { parallel: ["intent", "priority"] }, { parallel: ["knowledge", "crm", "product"] }, { loop: ["generator", "quality"], maxIterations: 2 }],
    },
  ]);
}

/** The seed's customer email flow. */
export function emailFleet(p: FleetPlacement, name = "acme-email"): FleetInput {
  return fleet(name, "support", p, emailAgents, [{ name: "customer-email", steps: ["email-intake", { parallel: ["sentiment", "technical"] }, "response-composer"] }]);
}

/** Every seed fleet on one placement, for tests and benchmarks. */
export function seedFleets(p: FleetPlacement): FleetInput[] {
  return [researchFleet(p), customerServiceFleet(p), emailFleet(p)];
}
