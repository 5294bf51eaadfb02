import type { AgentInput } from "../lib/spec";
import { images } from "./images";

/**
 * The seed's customer-service system: classify, understand intent and priority in
 * parallel, search knowledge, CRM and product data in parallel, generate a reply,
 * and check its quality (regenerating when it fails).
 */

/**
 * A quarter of a T4 or L4 and the quarter of a 1-GPU node's vCPU and memory that
 * comes with it, so four such agents share one node.
 */
const smallModelOnGpu = { share: 0.25, memoryGi: 4 } as const;

export const classifier: AgentInput = {
  name: "classifier",
  image: images.classifier,
  resources: { cpu: 0.75, memory: "2Gi", gpu: smallModelOnGpu },
  scaling: { mode: "horizontal", min: 1, max: 10 },
  route: { path: "/support", auth: "jwt", rateLimitPerMinute: 1200, invoke: "async" },
  model: { tier: "small" },
};

export const intent: AgentInput = {
  name: "intent",
  image: images.intent,
  resources: { cpu: 0.75, memory: "2Gi", gpu: smallModelOnGpu },
  scaling: { mode: "horizontal", min: 1, max: 10 },
  model: { tier: "small" },
};

export const priority: AgentInput = {
  name: "priority",
  image: images.priority,
  resources: { cpu: 0.5, memory: "1Gi" },
  scaling: { mode: "horizontal", min: 1, max: 5 },
};

export const knowledge: AgentInput = {
  name: "knowledge",
  image: images.knowledge,
  resources: { cpu: 1, memory: "4Gi" },
  scaling: { mode: "horizontal", min: 1, max: 10 },
};

export const crm: AgentInput = {
  name: "crm",
  image: images.crm,
  resources: { cpu: 0.5, memory: "1Gi" },
  scaling: { mode: "horizontal", min: 1, max: 5 },
  secrets: { CRM_API_TOKEN: { ref: "crm-api", key: "token" } },
};

export const product: AgentInput = {
  name: "product",
  image: images.product,
  resources: { cpu: 0.5, memory: "1Gi" },
  scaling: { mode: "horizontal", min: 1, max: 5 },
};

/** Customer interactions use the medium model (the seed's ModelSelector), 13B quantized to 4 bits: 8 GiB of GPU memory. */
export const generator: AgentInput = {
  name: "generator",
  image: images.generator,
  resources: { cpu: 1.5, memory: "6Gi", gpu: { share: 0.5, memoryGi: 8 } },
  scaling: { mode: "horizontal", min: 1, max: 8 },
  model: { tier: "medium" },
  criticality: "critical",
};

export const quality: AgentInput = {
  name: "quality",
  image: images.quality,
  resources: { cpu: 1, memory: "2Gi" },
  scaling: { mode: "horizontal", min: 1, max: 8 },
};

export const customerServiceAgents: AgentInput[] = [classifier, intent, priority, knowledge, crm, product, generator, quality];
