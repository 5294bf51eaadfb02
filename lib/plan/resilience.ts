import { seedDefaults } from "../spec/tiers";
import type { Agent } from "../spec/types";
import type { AlarmThresholds, CircuitBreakerPolicy, RetryPolicy } from "./types";

/** The seed's RetryManager: 4 attempts, 1 s base, doubling, 10% jitter. */
export function retryPolicy(base = seedDefaults.retry): RetryPolicy {
  const delaysMs = Array.from({ length: base.attempts - 1 }, (_, attempt) => base.baseDelayMs * base.multiplier ** attempt);
  return { ...base, delaysMs, maxDelayMs: Math.max(...delaysMs) };
}

/** The seed's CircuitBreaker: open after 5 consecutive failures, retry after 60 s. */
export function circuitBreakerPolicy(): CircuitBreakerPolicy {
  return { ...seedDefaults.circuitBreaker };
}

/** The seed's SelfManagingAgent thresholds, plus the agent's latency target. */
export function alarmThresholds(agent: Agent): AlarmThresholds {
  return { ...seedDefaults.alarms, p95LatencyMs: agent.latencyTargetMs };
}
