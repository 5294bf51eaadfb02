import type * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import type { GcpLanding, GcpQueue } from "./landing";

/** Cloud Trace's OTLP endpoint (Telemetry API); agents authenticate with their own service account. */
export const CLOUD_TRACE_OTLP = "https://telemetry.googleapis.com";
/** Where Cloud Run push subscriptions deliver on the agent. */
export const PUSH_PATH = "/_microagents/pubsub";

/**
 * The GCP part of the agent contract: project and region, the subscription it
 * reads (pulled on GKE, pushed to PUSH_PATH on Cloud Run), its dead-letter and
 * events topics (publish with `eventType` and, inside a pipeline, `pipeline`
 * attributes; an ordering key when ordered), and the telemetry endpoint.
 */
export function gcpEnv(landing: GcpLanding, agent: AgentPlan, queue: GcpQueue, delivery: "push" | "pull", otlpEndpoint?: string): Record<string, pulumi.Input<string>> {
  return {
    GOOGLE_CLOUD_PROJECT: landing.project,
    GOOGLE_CLOUD_REGION: landing.region,
    MICROAGENTS_PUBSUB_SUBSCRIPTION: queue.subscription.id,
    MICROAGENTS_PUBSUB_DELIVERY: delivery,
    ...(delivery === "push" ? { MICROAGENTS_PUSH_PATH: PUSH_PATH } : {}),
    MICROAGENTS_DEAD_LETTER_TOPIC: queue.deadLetterTopic.id,
    MICROAGENTS_EVENTS_TOPIC: queue.eventsTopic.id,
    MICROAGENTS_QUEUE_ORDERED: String(queue.ordered),
    ...(otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, OTEL_TRACES_EXPORTER: "otlp", OTEL_PROPAGATORS: "tracecontext,baggage" } : {}),
    ...(agent.gpu ? { MICROAGENTS_GPU_SHARE: String(agent.gpu.share), MICROAGENTS_GPU_MEMORY_GI: String(agent.gpu.memoryGi) } : {}),
  };
}
