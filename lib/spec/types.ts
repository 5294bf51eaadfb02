import type { Accelerator } from "./accelerators";
import type { PipelineStep, Runtime } from "./schema";
import type { Environment, Tier } from "./tiers";

/**
 * The parsed fleet: every default resolved, once, from the tier and environment
 * presets. Everything downstream (plan, components, policies, cost) reads these.
 */
export interface Fleet {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly tier: Tier;
  readonly environment: Environment;
  readonly team: string;
  readonly targets: ReadonlyArray<FleetTarget>;
  readonly budget: FleetBudget;
  readonly agents: ReadonlyArray<Agent>;
  readonly gpuPools: ReadonlyArray<GpuPool>;
  readonly pipelines: ReadonlyArray<Pipeline>;
  readonly gateway: GatewaySettings;
  readonly observability: ObservabilitySettings;
  readonly usage: UsageOverrides;
}

export interface FleetTarget {
  readonly runtime: Runtime;
  readonly region: string;
  readonly role: "primary" | "backup";
  readonly cluster?: string;
  /** Kubernetes namespace (kubernetes, eks, aks, gke). */
  readonly namespace: string;
  /** Google Cloud project id (run, gke); else stack config `gcp:project`. */
  readonly project?: string;
  /** Google Cloud billing account for the fleet's budget (run, gke); else stack config `microagents:billingAccount`. */
  readonly billingAccount?: string;
  /** The agents this target runs (placement), in the fleet's order; every agent when the file names none. */
  readonly agents: ReadonlyArray<string>;
  /** Its part of the fleet's budget in percent, when the file gives it (lib/plan/budget-split.ts). */
  readonly budgetPercent?: number;
}

export interface FleetBudget {
  readonly monthlyUsd: number;
  readonly alertPercents: ReadonlyArray<number>;
  readonly alertEmails: ReadonlyArray<string>;
  /** Whether the figure came from the fleet file or the tier preset. */
  readonly source: "spec" | "tier";
}

export type Criticality = "critical" | "standard" | "batch";
export type ModelTier = "small" | "medium" | "large";

export interface Agent {
  readonly name: string;
  readonly image: string;
  readonly imageRef: { readonly repository: string; readonly tag?: string; readonly digest?: string };
  readonly port: number;
  readonly healthPath: string;
  readonly resources: AgentResources;
  readonly scaling: AgentScaling;
  readonly criticality: Criticality;
  readonly queue: AgentQueue;
  readonly route?: AgentRoute;
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, { readonly ref: string; readonly key: string }>>;
  readonly model: { readonly tier: ModelTier };
  readonly team: string;
  readonly latencyTargetMs: number;
  readonly subscribes: ReadonlyArray<{ readonly from: string; readonly eventTypes?: ReadonlyArray<string> }>;
}

export interface AgentResources {
  /** vCPU. */
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly gpu?: { readonly share: number; readonly memoryGi: number; readonly pool?: string };
}

export interface AgentScaling {
  readonly mode: "horizontal" | "vertical" | "fixed";
  /** Fewest replicas; 0 means the agent scales to zero when its queue is empty. */
  readonly min: number;
  readonly max: number;
  readonly backlogPerReplica: number;
  readonly cpuTargetPercent?: number;
  readonly scaleInProtection: boolean;
  readonly activePassive: boolean;
  /** Whether the scaling came from the fleet file or the tier preset. */
  readonly source: "spec" | "tier";
}

export interface AgentQueue {
  readonly batchSize: number;
  readonly maxWaitMs: number;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly fifo: boolean;
  readonly retentionDays: number;
}

export interface AgentRoute {
  readonly path: string;
  readonly auth: "jwt" | "apiKey" | "none";
  readonly rateLimitPerMinute: number;
  readonly invoke: "async" | "sync";
  readonly timeoutSeconds: number;
  readonly schema?: Readonly<Record<string, unknown>>;
  readonly weight: number;
}

export interface GpuPool {
  readonly name: string;
  readonly accelerator: Accelerator;
  readonly sharing: "time-slicing" | "mig" | "none";
  readonly spot?: boolean;
  readonly minNodes?: number;
  readonly maxNodes?: number;
  readonly instanceType?: string;
}

export interface Pipeline {
  readonly name: string;
  readonly steps: ReadonlyArray<PipelineStep>;
}

export interface GatewaySettings {
  readonly legacyBackend?: { readonly url: string };
  readonly jwt?: { readonly issuer: string; readonly jwksUri: string; readonly audiences: ReadonlyArray<string> };
  readonly hostname?: string;
  /** Route 53 hosted zone of `hostname` (AWS failover entry). */
  readonly hostedZoneId?: string;
  /** Azure DNS zone of `hostname`, as its resource id (Azure failover entry). */
  readonly azureDnsZoneId?: string;
  readonly public: boolean;
  /** The entry of a fleet on several clouds (enterprise tier). */
  readonly globalEntry: "route53" | "frontdoor";
}

export interface ObservabilitySettings {
  readonly otlpEndpoint?: string;
  readonly alertEmails: ReadonlyArray<string>;
}

export interface UsageOverrides {
  readonly requestsPerMonth?: number;
  readonly messagesPerMonth?: number;
  readonly logsGbPerMonth?: number;
  readonly storageGb?: number;
  readonly busyHoursPerMonth?: number;
}
