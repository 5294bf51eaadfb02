import type { AgentPlan, FleetPlan } from "./types";

/**
 * The agent contract's literal part (README, "The agent contract"), the same on
 * every target: the agent's own env, fleet and agent names, batching, retries,
 * circuit breaker, model tier, OTel resource. Targets add their queue wiring.
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
