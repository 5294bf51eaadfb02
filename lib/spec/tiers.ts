import type { Accelerator } from "./accelerators";

export const TIERS = ["small", "medium", "enterprise"] as const;
export type Tier = (typeof TIERS)[number];

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** What monitoring a tier gets: the cloud's built-in tools, or central metrics, logs, traces and alerts. */
export type MonitoringLevel = "basic" | "central";

/**
 * The defaults of one of the seed's three deployment scenarios. An explicit field
 * in a fleet file always beats these.
 */
export interface TierPreset {
  readonly name: Tier;
  readonly summary: string;
  /** The seed's cost band for the scenario, in USD a month. */
  readonly costBandUsd: readonly [number, number];
  /** Monthly budget when the fleet file gives none. */
  readonly budgetMonthlyUsd: number;
  /** Regions the tier spreads across: one; primary plus backup; several clouds. */
  readonly topology: "single-region" | "primary-backup" | "multi-cloud";
  /** Scaling for an agent whose spec gives none. */
  readonly defaultScaling:
    | { readonly mode: "fixed"; readonly replicas: number }
    | { readonly mode: "horizontal"; readonly min: number; readonly max: number };
  readonly backlogPerReplica: number;
  readonly cpuTargetPercent: number;
  /** Whether batch agents (and every non-critical agent outside prod) may scale to zero. */
  readonly scaleToZero: boolean;
  readonly monitoring: MonitoringLevel;
  readonly tracing: boolean;
  /**
   * Which GPU pools default to spot or preemptible capacity: pools whose agents are
   * all non-critical (standard or batch), or only pools whose agents are all batch.
   */
  readonly spotFor: "non-critical" | "batch";
  readonly gpuSharing: "time-slicing" | "mig" | "none";
  readonly allowedAccelerators: ReadonlyArray<Accelerator>;
  /** Hard caps the cost policy holds stacks to. */
  readonly caps: {
    readonly maxReplicasPerAgent: number;
    readonly maxNodesPerPool: number;
    readonly maxCpuPerAgent: number;
    readonly maxMemoryGiPerAgent: number;
    readonly maxGpusPerAgent: number;
  };
  /** PgBouncer or RDS Proxy in front of Postgres. */
  readonly connectionPooling: boolean;
  readonly globalLoadBalancer: boolean;
  /** One NAT gateway for the whole VPC, or one per zone. */
  readonly natGateways: "single" | "per-zone";
}

export const tiers: Readonly<Record<Tier, TierPreset>> = {
  small: {
    name: "small",
    summary: "one region, managed containers, one instance per agent, shared time-sliced GPU, basic monitoring",
    costBandUsd: [500, 1000],
    budgetMonthlyUsd: 1000,
    topology: "single-region",
    defaultScaling: { mode: "fixed", replicas: 1 },
    backlogPerReplica: 10,
    cpuTargetPercent: 70,
    scaleToZero: true,
    monitoring: "basic",
    tracing: false,
    spotFor: "non-critical",
    gpuSharing: "time-slicing",
    allowedAccelerators: ["nvidia-t4", "nvidia-l4", "nvidia-a10", "nvidia-a10g"],
    caps: { maxReplicasPerAgent: 20, maxNodesPerPool: 4, maxCpuPerAgent: 8, maxMemoryGiPerAgent: 32, maxGpusPerAgent: 1 },
    connectionPooling: false,
    globalLoadBalancer: false,
    natGateways: "single",
  },
  medium: {
    name: "medium",
    summary: "primary and backup region, autoscaling, central metrics, logs, traces and alerts",
    costBandUsd: [10000, 50000],
    budgetMonthlyUsd: 50000,
    topology: "primary-backup",
    defaultScaling: { mode: "horizontal", min: 1, max: 10 },
    backlogPerReplica: 10,
    cpuTargetPercent: 70,
    scaleToZero: true,
    monitoring: "central",
    tracing: true,
    spotFor: "batch",
    gpuSharing: "time-slicing",
    allowedAccelerators: ["nvidia-t4", "nvidia-l4", "nvidia-a10", "nvidia-a10g", "nvidia-l40s", "nvidia-a100", "nvidia-a100-80gb"],
    caps: { maxReplicasPerAgent: 100, maxNodesPerPool: 20, maxCpuPerAgent: 16, maxMemoryGiPerAgent: 128, maxGpusPerAgent: 4 },
    connectionPooling: true,
    globalLoadBalancer: false,
    natGateways: "per-zone",
  },
  enterprise: {
    name: "enterprise",
    summary: "AWS, Azure and GCP on Kubernetes, a global load balancer and one control plane",
    costBandUsd: [100000, 500000],
    budgetMonthlyUsd: 500000,
    topology: "multi-cloud",
    defaultScaling: { mode: "horizontal", min: 2, max: 50 },
    backlogPerReplica: 10,
    cpuTargetPercent: 70,
    scaleToZero: true,
    monitoring: "central",
    tracing: true,
    spotFor: "batch",
    gpuSharing: "mig",
    allowedAccelerators: ["nvidia-t4", "nvidia-l4", "nvidia-a10", "nvidia-a10g", "nvidia-l40s", "nvidia-a100", "nvidia-a100-80gb", "nvidia-h100"],
    caps: { maxReplicasPerAgent: 500, maxNodesPerPool: 100, maxCpuPerAgent: 64, maxMemoryGiPerAgent: 512, maxGpusPerAgent: 8 },
    connectionPooling: true,
    globalLoadBalancer: true,
    natGateways: "per-zone",
  },
};

/** What changes with the environment, whatever the tier. */
export interface EnvironmentPreset {
  readonly name: Environment;
  /** Log retention in days, and the most the cost policy allows. */
  readonly logRetentionDays: number;
  readonly maxLogRetentionDays: number;
  /** Every non-critical agent may scale to zero (not just batch ones). */
  readonly scaleNonCriticalToZero: boolean;
  /** Every GPU pool runs on spot, not just the non-critical ones. */
  readonly spotForAllGpu: boolean;
  /** A single NAT gateway whatever the tier. */
  readonly singleNat: boolean;
}

export const environments: Readonly<Record<Environment, EnvironmentPreset>> = {
  dev: { name: "dev", logRetentionDays: 7, maxLogRetentionDays: 30, scaleNonCriticalToZero: true, spotForAllGpu: true, singleNat: true },
  staging: { name: "staging", logRetentionDays: 14, maxLogRetentionDays: 90, scaleNonCriticalToZero: true, spotForAllGpu: false, singleNat: true },
  prod: { name: "prod", logRetentionDays: 30, maxLogRetentionDays: 400, scaleNonCriticalToZero: false, spotForAllGpu: false, singleNat: false },
};

/** The seed's numbers that hold in every tier: alarms, retries, circuit breaker, batching. */
export const seedDefaults = {
  alarms: { memoryPercent: 90, errorRatePercent: 10, queueDepth: 100, dlqDepth: 0 },
  retry: { attempts: 4, baseDelayMs: 1000, multiplier: 2, jitterRatio: 0.1 },
  circuitBreaker: { consecutiveFailures: 5, openSeconds: 60 },
  batching: { batchSize: 32, maxWaitMs: 100 },
  queue: { visibilityTimeoutSeconds: 300, maxReceiveCount: 4, retentionDays: 4 },
  horizontal: { min: 1, max: 10 },
  /** p95 latency target per model tier when the agent sets none (the seed's fast, moderate, slow). */
  p95LatencyMsByModel: { small: 2000, medium: 5000, large: 15000 },
  route: { rateLimitPerMinute: 600, timeoutSeconds: 29 },
} as const;
