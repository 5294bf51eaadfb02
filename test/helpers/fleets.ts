import type { AgentInput, FleetInput } from "../../lib/spec";

export const DIGEST = "sha256:" + "a".repeat(64);

/** A minimal valid fleet; tests change one thing at a time. */
export function minimalFleet(overrides: Partial<FleetInput["spec"]> = {}, agents: AgentInput[] = [minimalAgent()]): FleetInput {
  return {
    apiVersion: "microagents/v1",
    kind: "Fleet",
    metadata: { name: "acme" },
    spec: { tier: "small", environment: "prod", targets: [{ runtime: "kubernetes", region: "local" }], agents, ...overrides },
  };
}

export function minimalAgent(overrides: Partial<AgentInput> = {}): AgentInput {
  return { name: "worker", image: `ghcr.io/acme/worker@${DIGEST}`, ...overrides };
}
