import type { FleetInput } from "../../lib/spec";
import { agent, JWT } from "./aws";

export const ENTRY_HOST = "agents.acme.example";
export const GCP_PROJECT = { project: "acme-agents-prod", billingAccount: "012345-6789AB-CDEF01" };

/** The seed's enterprise shape behind a global entry: every agent on EKS, the routed pipeline on AKS and GKE, one route served everywhere. */
export function enterpriseFleet(gateway: Record<string, unknown>, options: { readonly targets?: FleetInput["spec"]["targets"]; readonly rateLimitPerMinute?: number } = {}): FleetInput {
  const route = { path: "/front", auth: "jwt" as const, ...(options.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: options.rateLimitPerMinute } : {}) };
  return {
    apiVersion: "microagents/v1",
    kind: "Fleet",
    metadata: { name: "acme" },
    spec: {
      tier: "enterprise",
      environment: "prod",
      team: "platform",
      targets: options.targets ?? [
        { runtime: "eks", region: "us-east-1" },
        { runtime: "aks", region: "westeurope", agents: ["front", "worker"] },
        { runtime: "gke", region: "europe-west4", ...GCP_PROJECT, agents: ["front", "worker"] },
      ],
      agents: [agent("front", { route }), agent("worker", { subscribes: [{ from: "front" }] }), agent("batch", { criticality: "batch" })],
      gateway: { jwt: JWT, hostname: ENTRY_HOST, public: true, ...gateway },
      observability: { alertEmails: ["oncall@acme.example"] },
    },
  };
}
