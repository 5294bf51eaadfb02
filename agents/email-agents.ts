import type { AgentInput } from "../lib/spec";
import { images } from "./images";

/** The seed's customer email flow: intake, then sentiment and technical analysis in parallel, then the reply. */

export const emailIntake: AgentInput = {
  name: "email-intake",
  image: images["email-intake"],
  route: { path: "/emails", auth: "jwt", rateLimitPerMinute: 300 },
  queue: { fifo: false },
};

export const sentiment: AgentInput = {
  name: "sentiment",
  image: images.sentiment,
  resources: { cpu: 0.75, memory: "2Gi", gpu: { share: 0.25, memoryGi: 4 } },
  model: { tier: "small" },
};

export const technical: AgentInput = {
  name: "technical",
  image: images.technical,
  resources: { cpu: 1, memory: "2Gi" },
  secrets: { OPENAI_API_KEY: { ref: "openai-key" } },
};

export const responseComposer: AgentInput = {
  name: "response-composer",
  image: images["response-composer"],
  resources: { cpu: 0.75, memory: "2Gi", gpu: { share: 0.25, memoryGi: 4 } },
  model: { tier: "small" },
};

export const emailAgents: AgentInput[] = [emailIntake, sentiment, technical, responseComposer];
