import type { Accelerator, Cloud, GpuNodeShape } from "../spec/accelerators";
import type { Runtime } from "../spec/schema";
import type { EnvironmentPreset, TierPreset } from "../spec/tiers";
import type { Agent, Fleet, FleetTarget } from "../spec/types";
import type { TargetBudget } from "./budget-split";
import type { GpuAssignment, PackingResult } from "./gpu-packing";

/** Retries with exponential backoff: the seed's RetryManager. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly multiplier: number;
  readonly jitterRatio: number;
  /** Delay before each retry, without jitter: 1 s, 2 s, 4 s for the seed's numbers. */
  readonly delaysMs: ReadonlyArray<number>;
  readonly maxDelayMs: number;
}

/** The seed's CircuitBreaker. */
export interface CircuitBreakerPolicy {
  readonly consecutiveFailures: number;
  readonly openSeconds: number;
}

/** The seed's alert thresholds for one agent. */
export interface AlarmThresholds {
  readonly memoryPercent: number;
  readonly errorRatePercent: number;
  readonly queueDepth: number;
  readonly dlqDepth: number;
  readonly p95LatencyMs: number;
}

export interface ScalingTriggers {
  /** Autoscaling on the queue (horizontal and vertical agents). */
  readonly queue: boolean;
  readonly backlogPerReplica: number;
  /** Count in-flight (received, unacknowledged) messages as backlog. */
  readonly includeInFlight: boolean;
  readonly cpuTargetPercent?: number;
  readonly scaleToZero: boolean;
  readonly cooldownSeconds: number;
  readonly pollingIntervalSeconds: number;
}

/** Where a GPU agent runs and what it asks the device plugin for. */
export interface GpuPlacement {
  readonly pool: string;
  readonly share: number;
  readonly memoryGi: number;
  /** Extended resource name, e.g. `nvidia.com/gpu` or `nvidia.com/mig-1g.10gb`. */
  readonly resourceName: string;
  /** How many of that resource one replica requests. */
  readonly resourceCount: number;
}

/** One agent with everything the components need, resolved. */
export interface AgentPlan extends Agent {
  readonly alarms: AlarmThresholds;
  readonly retry: RetryPolicy;
  readonly circuitBreaker: CircuitBreakerPolicy;
  readonly triggers: ScalingTriggers;
  readonly gpu?: GpuPlacement;
  /** May run on spot or preemptible capacity. */
  readonly spotEligible: boolean;
  /** Cost-allocation tags for everything this agent owns. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface GpuPoolPlan {
  readonly name: string;
  readonly accelerator: Accelerator;
  readonly sharing: "time-slicing" | "mig" | "none";
  /** Time-slices each GPU is advertised as (1 when not time-sliced). */
  readonly slicesPerGpu: number;
  readonly spot: boolean;
  /** Machine shape per cloud for this pool; undefined where the cloud does not sell it. */
  readonly shapes: Readonly<Partial<Record<Cloud, GpuNodeShape>>>;
  readonly gpusPerNode: number;
  readonly gpuMemoryGi: number;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly agents: ReadonlyArray<string>;
  /** Packing at maximum and minimum replicas. */
  readonly packing: { readonly atMax: PackingResult; readonly atMin: PackingResult };
  readonly assignments: ReadonlyArray<GpuAssignment>;
  /** MIG profile per agent, for MIG pools. */
  readonly migProfiles: Readonly<Record<string, string>>;
  /** Whether the user declared the pool or the plan made it. */
  readonly source: "spec" | "plan";
  readonly tags: Readonly<Record<string, string>>;
}

/** An agent's input queue receives another agent's events. */
export interface Subscription {
  readonly subscriber: string;
  readonly publisher: string;
  /** Event types to accept; all when absent. */
  readonly eventTypes?: ReadonlyArray<string>;
  /** Set when the edge comes from a pipeline. */
  readonly pipeline?: string;
}

export interface FleetPlan {
  readonly fleet: Fleet;
  readonly tier: TierPreset;
  readonly environment: EnvironmentPreset;
  readonly agents: ReadonlyArray<AgentPlan>;
  readonly gpuPools: ReadonlyArray<GpuPoolPlan>;
  readonly subscriptions: ReadonlyArray<Subscription>;
  /** The fleet's whole monthly budget. */
  readonly budgetMonthlyUsd: number;
  /** Each target's part of it, indexed like `spec.targets`; the parts add up to `budgetMonthlyUsd` (lib/plan/budget-split.ts). */
  readonly targetBudgets: ReadonlyArray<TargetBudget>;
  readonly logRetentionDays: number;
  readonly tags: Readonly<Record<string, string>>;
  /** Things the plan chose that a user may want to know (e.g. a pool capped below its need). */
  readonly notes: ReadonlyArray<string>;
  agent(name: string): AgentPlan;
}

/** What one target of the fleet runs on. */
export interface TargetPlan {
  readonly target: FleetTarget;
  readonly runtime: Runtime;
  readonly cloud: Cloud | "any";
}
