import { AgentFleet } from "../../lib/components/agent-fleet";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import type { AgentInput, FleetInput } from "../../lib/spec";
import { DIGEST } from "./fleets";

export const PROJECT = "acme-agents-prod";
export const BILLING = "012345-6789AB-CDEF01";

/** A fleet on one GCP runtime, with its project and billing account on the target; tests change one thing at a time. */
export function gcpFleet(runtime: "run" | "gke", agents: AgentInput[], spec: Partial<FleetInput["spec"]> = {}, name = "acme"): FleetInput {
  return {
    apiVersion: "microagents/v1",
    kind: "Fleet",
    metadata: { name },
    spec: { tier: "small", environment: "prod", team: "platform", targets: [{ runtime, region: "us-central1", project: PROJECT, billingAccount: BILLING }], agents, ...spec },
  };
}

export function gcpAgent(name: string, overrides: Partial<AgentInput> = {}): AgentInput {
  return { name, image: `us-docker.pkg.dev/acme/agents/${name}@${DIGEST}`, ...overrides };
}

/** Runs a fleet under the offline engine, with GCP stack config (project, billing account) unless the targets carry it. */
export function planGcp(fleet: FleetInput, config: Record<string, string> = { "gcp:project": PROJECT, "microagents:billingAccount": BILLING }): Promise<ResourceGraph> {
  return runOffline(() => new AgentFleet(fleet.metadata.name, { fleet }), { config });
}
