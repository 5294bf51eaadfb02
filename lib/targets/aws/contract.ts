import type * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import { cacheKeyPrefix } from "./state-shape";

/** Where the state store publishes its endpoints (tables, cache, database) for the fleet's agents. */
export function stateParameterName(prefix: string): string {
  return `/microagents/${prefix}/state`;
}

export interface AwsWiring {
  readonly region: string;
  readonly prefix: string;
  readonly queueUrl: pulumi.Input<string>;
  readonly deadLetterUrl: pulumi.Input<string>;
  readonly eventsTopicArn: pulumi.Input<string>;
  readonly otlpEndpoint?: string;
  readonly leaseTable?: pulumi.Input<string>;
}

/**
 * The AWS part of the contract: the agent's queue and events topic (publish with
 * `eventType` and, inside a pipeline, `pipeline` message attributes), the state
 * parameter, the agent's results-cache key prefix (an agent's own cache user
 * reaches nothing else), the telemetry endpoint, and the knobs its plan turned on.
 */
export function awsEnv(agent: AgentPlan, w: AwsWiring): Record<string, pulumi.Input<string>> {
  return {
    AWS_REGION: w.region,
    AWS_DEFAULT_REGION: w.region,
    MICROAGENTS_QUEUE_URL: w.queueUrl,
    MICROAGENTS_DEAD_LETTER_QUEUE_URL: w.deadLetterUrl,
    MICROAGENTS_QUEUE_FIFO: String(agent.queue.fifo),
    MICROAGENTS_EVENTS_TOPIC_ARN: w.eventsTopicArn,
    MICROAGENTS_STATE_PARAMETER: stateParameterName(w.prefix),
    MICROAGENTS_RESULTS_CACHE_PREFIX: cacheKeyPrefix(agent.name),
    ...(w.otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: w.otlpEndpoint, OTEL_TRACES_EXPORTER: "otlp", OTEL_PROPAGATORS: "tracecontext,baggage,xray" } : {}),
    ...(agent.scaling.activePassive && w.leaseTable ? { MICROAGENTS_LEADER_LEASE_TABLE: w.leaseTable, MICROAGENTS_LEADER_LEASE: agent.name } : {}),
    ...(agent.scaling.scaleInProtection ? { MICROAGENTS_SCALE_IN_PROTECTION: "true" } : {}),
    ...(agent.gpu ? { MICROAGENTS_GPU_SHARE: String(agent.gpu.share), MICROAGENTS_GPU_MEMORY_GI: String(agent.gpu.memoryGi) } : {}),
  };
}
