import type { AgentInput } from "../lib/spec";
import { images } from "./images";

/** The seed's AgentFleetConfiguration, agent by agent. */

export const documentProcessor: AgentInput = {
  name: "document-processor",
  image: images["document-processor"],
  port: 8080,
  healthPath: "/healthz",
  resources: { cpu: 2, memory: "4Gi" },
  scaling: { mode: "horizontal", min: 2, max: 20, backlogPerReplica: 10 },
  criticality: "standard",
  queue: { batchSize: 32, maxWaitMs: 100, visibilityTimeoutSeconds: 300, maxReceiveCount: 4 },
  route: { path: "/documents", auth: "jwt", rateLimitPerMinute: 600 },
  env: { LOG_LEVEL: "info" },
  secrets: { OPENAI_API_KEY: { ref: "openai-key" } },
  model: { tier: "small" },
};

/** Vertical: one to three large replicas, each with a whole GPU (the seed's "large configuration"). */
export const languageAnalyzer: AgentInput = {
  name: "language-analyzer",
  image: images["language-analyzer"],
  resources: { cpu: 8, memory: "32Gi", gpu: { share: 1, memoryGi: 16 } },
  scaling: { mode: "vertical", min: 1, max: 3 },
  criticality: "standard",
  model: { tier: "medium" },
};

/** Fixed at two replicas, active-passive for high availability. */
export const coordinator: AgentInput = {
  name: "coordinator",
  image: images.coordinator,
  resources: { cpu: 4, memory: "8Gi" },
  scaling: { mode: "fixed", replicas: 2, activePassive: true },
  criticality: "critical",
  route: { path: "/research", auth: "jwt", rateLimitPerMinute: 120 },
};

export const dataFetcher: AgentInput = {
  name: "data-fetcher",
  image: images["data-fetcher"],
  resources: { cpu: 1, memory: "2Gi" },
  scaling: { mode: "horizontal", min: 5, max: 50, backlogPerReplica: 20 },
  criticality: "batch",
};

export const researchAgents: AgentInput[] = [documentProcessor, languageAnalyzer, coordinator, dataFetcher];
