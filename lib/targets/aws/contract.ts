import type * as pulumi from "@pulumi/pulumi";
import type { AgentPlan, FleetPlan } from "../../plan/types";

/**
 * The agent contract's literal part (README, "The agent contract"), as on every
 * target: fleet, agent, batching, retries, circuit breaker, model tier, OTel
 * resource. Kept here so the AWS targets do not load the Kubernetes SDK for it.
 */
export function contractEnv(plan: FleetPlan, agent: AgentPlan): Record<string, string> {
  return {
    ...agent.env,
    MICROAGENTS_FLEET: plan.fleet.name,
    MICROAGENTS_AGENT: agent.name,
    MICROAGENTS_ENVIRONMENT: plan.fleet.environment,
    MICROAGENTS_BATCH_SIZE: String(agent.queue.batchSize),
    MICROAGENTS_BATCH_MAX_WAIT_MS: String(agent.queue.maxWaitMs),
    MICROAGENTS_RETRY_ATTEMPTS: String(agent.retry.attempts),
    MICROAGENTS_RETRY_BASE_DELAY_MS: String(agent.retry.baseDelayMs),
    MICROAGENTS_RETRY_JITTER: String(agent.retry.jitterRatio),
    MICROAGENTS_CIRCUIT_FAILURES: String(agent.circuitBreaker.consecutiveFailures),
    MICROAGENTS_CIRCUIT_OPEN_SECONDS: String(agent.circuitBreaker.openSeconds),
    MICROAGENTS_MODEL_TIER: agent.model.tier,
    OTEL_SERVICE_NAME: agent.name,
    OTEL_RESOURCE_ATTRIBUTES: `service.namespace=${plan.fleet.name},deployment.environment=${plan.fleet.environment}`,
  };
}

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
 * parameter, the telemetry endpoint, and the knobs its plan turned on.
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
    ...(w.otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: w.otlpEndpoint, OTEL_TRACES_EXPORTER: "otlp", OTEL_PROPAGATORS: "tracecontext,baggage,xray" } : {}),
    ...(agent.scaling.activePassive && w.leaseTable ? { MICROAGENTS_LEADER_LEASE_TABLE: w.leaseTable, MICROAGENTS_LEADER_LEASE: agent.name } : {}),
    ...(agent.scaling.scaleInProtection ? { MICROAGENTS_SCALE_IN_PROTECTION: "true" } : {}),
    ...(agent.gpu ? { MICROAGENTS_GPU_SHARE: String(agent.gpu.share), MICROAGENTS_GPU_MEMORY_GI: String(agent.gpu.memoryGi) } : {}),
  };
}
