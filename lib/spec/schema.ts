import { z } from "zod";
import { ACCELERATORS, ALLOWED_SHARES } from "./accelerators";
import { parseCpu, parseMemoryMiB } from "./quantities";
import { ENVIRONMENTS, TIERS } from "./tiers";

/**
 * The fleet file format, `microagents/v1`. Field names are public API: add fields,
 * never rename. Every object is strict, so a misspelt key is an error, not a no-op.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsLabel = (max: number, what: string) =>
  z
    .string()
    .max(max, { message: `${what} must be at most ${max} characters (cloud resource names are built from it)` })
    .regex(DNS1123_LABEL, {
      message: `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
    });

export const FLEET_NAME_MAX = 24;
export const AGENT_NAME_MAX = 40;
export const fleetName = dnsLabel(FLEET_NAME_MAX, "fleet name");
export const agentName = dnsLabel(AGENT_NAME_MAX, "agent name");
export const poolName = dnsLabel(30, "GPU pool name");

export const RUNTIMES = ["ecs", "eks", "aca", "aks", "run", "gke", "kubernetes"] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** `registry/repo[:tag][@sha256:digest]` with at least a tag or a digest, never `latest`. */
const IMAGE_PATTERN = /^(?<repo>[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;

export function parseImageRef(image: string): { repository: string; tag?: string; digest?: string } | undefined {
  const m = IMAGE_PATTERN.exec(image);
  if (!m?.groups) return undefined;
  return { repository: m.groups.repo, tag: m.groups.tag, digest: m.groups.digest };
}

const image = z.string().superRefine((value, ctx) => {
  const ref = parseImageRef(value);
  if (!ref) {
    ctx.addIssue({ code: "custom", message: `'${value}' is not an image reference`, params: { hint: "write registry/repository:tag or registry/repository@sha256:<64 hex>" } });
  } else if (!ref.tag && !ref.digest) {
    ctx.addIssue({ code: "custom", message: `image '${value}' has neither a tag nor a digest`, params: { hint: "pin it: append @sha256:<digest> (best) or :<version>" } });
  } else if (ref.tag === "latest" && !ref.digest) {
    ctx.addIssue({ code: "custom", message: `image '${value}' uses the mutable tag 'latest'`, params: { hint: "pin a version tag or, better, a digest" } });
  }
});

const cpu = z.union([z.number(), z.string()]).superRefine((value, ctx) => {
  const parsed = parseCpu(value);
  if (parsed === undefined) ctx.addIssue({ code: "custom", message: `'${value}' is not a CPU quantity`, params: { hint: "write vCPU as a number (2, 0.5) or millicores ('500m')" } });
  else if (parsed <= 0) ctx.addIssue({ code: "custom", message: "cpu must be greater than zero", params: { hint: "give at least 0.25 vCPU" } });
});

const memory = z.string().superRefine((value, ctx) => {
  const mib = parseMemoryMiB(value);
  if (mib === undefined) ctx.addIssue({ code: "custom", message: `'${value}' is not a memory quantity`, params: { hint: "write it like 512Mi, 4Gi or 4G" } });
  else if (mib <= 0) ctx.addIssue({ code: "custom", message: "memory must be greater than zero", params: { hint: "give at least 512Mi" } });
});

const gpuRequest = z.strictObject({
  /** Fraction of one GPU (1/8, 1/4, 1/2) or whole GPUs (1, 2, 4, 8). */
  share: z.number().refine((s) => ALLOWED_SHARES.includes(s), {
    message: "no sharing scheme can serve this GPU share",
    params: { hint: `use one of ${ALLOWED_SHARES.join(", ")}: fractions are time-slices or MIG profiles, whole numbers are dedicated GPUs` },
  }),
  /** GPU memory the model needs, in GiB. */
  memoryGi: z.number().positive(),
  /** The GPU pool to run in; the plan places the agent when absent. */
  pool: poolName.optional(),
});

const resources = z.strictObject({
  cpu,
  memory,
  gpu: gpuRequest.optional(),
});

const positiveInt = z.number().int().positive();

const horizontal = z
  .strictObject({
    mode: z.literal("horizontal"),
    /** 0 scales to zero when the queue is empty. */
    min: z.number().int().nonnegative(),
    max: positiveInt,
    /** Messages waiting per replica before another replica starts. @default 10 */
    backlogPerReplica: positiveInt.optional(),
    /** Also scale on CPU at this utilisation. @default none */
    cpuTargetPercent: z.number().int().min(10).max(95).optional(),
    /** Protect busy replicas from scale-in (long tasks). @default false */
    scaleInProtection: z.boolean().optional(),
  })
  .refine((s) => s.min <= s.max, { message: "min is greater than max", path: ["max"], params: { hint: "raise max or lower min" } });

const vertical = z
  .strictObject({
    mode: z.literal("vertical"),
    /** Replicas at the agent's (large) size. @default 1 */
    min: positiveInt.optional(),
    /** @default min */
    max: positiveInt.optional(),
    backlogPerReplica: positiveInt.optional(),
  })
  .refine((s) => s.min === undefined || s.max === undefined || s.min <= s.max, { message: "min is greater than max", path: ["max"], params: { hint: "raise max or lower min" } });

const fixed = z.strictObject({
  mode: z.literal("fixed"),
  replicas: positiveInt,
  /** Two replicas, one leader; the agent takes a leader-election lease. @default false */
  activePassive: z.boolean().optional(),
});

export const scalingSchema = z.discriminatedUnion("mode", [horizontal, vertical, fixed]);

const queue = z.strictObject({
  batchSize: positiveInt.max(10000).optional(),
  maxWaitMs: z.number().int().nonnegative().max(60000).optional(),
  visibilityTimeoutSeconds: z.number().int().nonnegative().max(43200).optional(),
  maxReceiveCount: positiveInt.max(1000).optional(),
  /** Ordered, exactly-once delivery (SQS FIFO, Service Bus sessions). @default false */
  fifo: z.boolean().optional(),
  /** How long an unprocessed message is kept. @default 4 */
  retentionDays: positiveInt.max(14).optional(),
});

const AUTH = ["jwt", "apiKey", "none"] as const;
const route = z.strictObject({
  path: z.string().regex(/^\/[A-Za-z0-9._~\-/{}]*$/, { message: "route path must start with '/' and hold only URL path characters" }),
  /** `none` makes the route public, and the security policy reports it. @default jwt */
  auth: z.enum(AUTH).optional(),
  rateLimitPerMinute: positiveInt.optional(),
  /** `async` puts the request on the agent's queue; `sync` proxies to the agent. @default async */
  invoke: z.enum(["async", "sync"]).optional(),
  timeoutSeconds: positiveInt.max(300).optional(),
  /** JSON schema the request body must match; enforced at the gateway. */
  schema: z.record(z.string(), z.unknown()).optional(),
  /** Percent of the route's traffic sent to the agent; the rest goes to `spec.gateway.legacyBackend`. @default 100 */
  weight: z.number().int().min(0).max(100).optional(),
});

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName = z.string().regex(ENV_NAME, { message: "environment variable names hold letters, digits and '_' and do not start with a digit" });

const secretRef = z.strictObject({
  /** Name of the secret in the cloud's secret store (or the Kubernetes Secret). */
  ref: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/, { message: "secret ref must be a secret name" }),
  /** Key inside the secret. @default the variable name */
  key: z.string().optional(),
});

const subscription = z.strictObject({
  /** The agent whose events this agent consumes. */
  from: agentName,
  /** Event types to accept; all when absent. */
  eventTypes: z.array(z.string().min(1)).min(1).optional(),
});

export const agentSchema = z.strictObject({
  name: agentName,
  image,
  /** @default 8080 */
  port: z.number().int().min(1024, { message: "port must be 1024 or above: agents run as non-root" }).max(65535).optional(),
  /** @default /healthz */
  healthPath: z.string().regex(/^\/\S*$/, { message: "healthPath must start with '/'" }).optional(),
  /** @default { cpu: 0.5, memory: 1Gi } */
  resources: resources.optional(),
  /** @default the tier's scaling */
  scaling: scalingSchema.optional(),
  /** `batch` agents may run on spot and scale to zero. @default standard */
  criticality: z.enum(["critical", "standard", "batch"]).optional(),
  queue: queue.optional(),
  route: route.optional(),
  env: z.record(envName, z.string()).optional(),
  secrets: z.record(envName, secretRef).optional(),
  /** The seed's ModelSelector tier. @default small */
  model: z.strictObject({ tier: z.enum(["small", "medium", "large"]) }).optional(),
  /** Cost-allocation team. @default spec.team */
  team: dnsLabel(63, "team").optional(),
  /** p95 latency target in ms, for the latency alert. @default by model tier: 2000, 5000, 15000 */
  latencyTargetMs: positiveInt.optional(),
  subscribes: z.array(subscription).optional(),
});

export const gpuPoolSchema = z.strictObject({
  name: poolName,
  accelerator: z.enum(ACCELERATORS),
  /** @default the tier's sharing */
  sharing: z.enum(["time-slicing", "mig", "none"]).optional(),
  /** @default true when the pool only holds batch or non-critical agents */
  spot: z.boolean().optional(),
  /** @default 0 outside prod, else what the packing needs at minimum scale */
  minNodes: z.number().int().nonnegative().optional(),
  /** @default what the packing needs at maximum scale */
  maxNodes: positiveInt.optional(),
  /** Node shape; @default the smallest shape that fits the largest agent */
  instanceType: z.string().min(1).optional(),
});

const pipelineStep = z.union([
  agentName,
  z.strictObject({ parallel: z.array(agentName).min(2, { message: "a parallel step needs at least two agents" }) }),
  z.strictObject({ loop: z.array(agentName).min(1), maxIterations: positiveInt.max(100) }),
]);

export const pipelineSchema = z.strictObject({
  name: dnsLabel(40, "pipeline name"),
  steps: z.array(pipelineStep).min(1),
});

const target = z.strictObject({
  runtime: z.enum(RUNTIMES),
  region: z.string().min(1),
  /** `backup` regions hold a warm copy (medium tier). @default primary */
  role: z.enum(["primary", "backup"]).optional(),
  /** Existing cluster to deploy into (kubeconfig context, or cluster name). */
  cluster: z.string().min(1).optional(),
  /** Kubernetes namespace for the fleet. @default metadata.name */
  namespace: dnsLabel(63, "namespace").optional(),
  /** Google Cloud project id (run, gke). @default stack config `gcp:project` */
  project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, { message: "project must be a Google Cloud project id: 6 to 30 lowercase letters, digits and '-', starting with a letter" }).optional(),
  /** Google Cloud billing account the fleet's budget is on (run, gke), like 012345-6789AB-CDEF01. @default stack config `microagents:billingAccount` */
  billingAccount: z.string().regex(/^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/, { message: "billing account must look like 012345-6789AB-CDEF01" }).optional(),
  /**
   * The agents this target runs, by name (placement: the enterprise tier puts different
   * agents on each cloud). An event edge must stay inside every target that runs its
   * publisher (docs/failover.md). @default every agent of the fleet
   */
  agents: z.array(agentName).min(1, { message: "a target runs at least one agent" }).optional(),
  /**
   * This target's part of the fleet's monthly budget, in percent: its cloud's budget
   * alerts on it. Give it on every target or none; they add up to 100.
   * @default the target's share of the fleet's planned peak vCPU (lib/plan/budget-split.ts)
   */
  budgetPercent: z.number().positive({ message: "budgetPercent must be greater than zero" }).max(100, { message: "budgetPercent is a percentage of the fleet's budget: at most 100" }).optional(),
});

const budget = z.strictObject({
  monthlyUsd: z.number().positive({ message: "budget must be greater than zero" }),
  /** Percent of the budget at which the cloud budget alerts. @default [80, 100] */
  alertPercents: z.array(z.number().positive().max(1000)).min(1).optional(),
  /** Where budget alerts go. */
  alertEmails: z.array(z.email()).optional(),
});

const gateway = z.strictObject({
  /** The monolith that serves what the agents do not yet: the seed's MonolithAdapter at the edge. */
  legacyBackend: z.strictObject({ url: z.url({ protocol: /^https?$/ }) }).optional(),
  jwt: z
    .strictObject({
      issuer: z.url(),
      jwksUri: z.url({ protocol: /^https$/ }),
      audiences: z.array(z.string().min(1)).min(1),
    })
    .optional(),
  /** Host name the gateway serves. */
  hostname: z.string().min(1).optional(),
  /**
   * Route 53 public hosted zone that holds `hostname` (medium tier on AWS: the
   * failover records go there). @default config `microagents:hostedZoneId`
   */
  hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,32}$/, { message: "a Route 53 hosted zone id looks like Z0123456789ABCDEFGHIJ" }).optional(),
  /**
   * Azure DNS zone that holds `hostname` (medium tier on Azure: Front Door validates its
   * managed certificate and points the name at its endpoint there), as its resource id.
   * @default config `microagents:azureDnsZoneId`
   */
  azureDnsZoneId: z
    .string()
    .regex(/^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w._()]{1,90}\/providers\/Microsoft\.Network\/dnszones\/[a-z0-9.-]+$/i, { message: "an Azure DNS zone id looks like /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/dnszones/example.com" })
    .optional(),
  /** Expose the gateway to the internet; otherwise it is internal. @default false */
  public: z.boolean().optional(),
  /**
   * The one entry in front of a fleet on several clouds (enterprise tier): Route 53
   * latency records with a health check per cloud's gateway, or an Azure Front Door
   * Premium profile with an origin per cloud and a WAF policy. @default route53
   */
  globalEntry: z.enum(["route53", "frontdoor"]).optional(),
});

const usage = z.strictObject({
  requestsPerMonth: z.number().nonnegative().optional(),
  messagesPerMonth: z.number().nonnegative().optional(),
  logsGbPerMonth: z.number().nonnegative().optional(),
  storageGb: z.number().nonnegative().optional(),
  /** Hours a month an agent that scales on its queue is above its minimum. */
  busyHoursPerMonth: z.number().nonnegative().max(730).optional(),
});

export const fleetSpecSchema = z.strictObject({
  tier: z.enum(TIERS),
  environment: z.enum(ENVIRONMENTS),
  /** Cost-allocation team. @default metadata.name */
  team: dnsLabel(63, "team").optional(),
  targets: z.array(target).min(1, { message: "a fleet needs at least one target" }),
  budget: budget.optional(),
  agents: z.array(agentSchema).min(1, { message: "a fleet needs at least one agent" }),
  gpuPools: z.array(gpuPoolSchema).optional(),
  pipelines: z.array(pipelineSchema).optional(),
  gateway: gateway.optional(),
  observability: z
    .strictObject({
      /** OTLP endpoint that receives traces. */
      otlpEndpoint: z.url().optional(),
      /** Emails or chat hooks that receive alerts. */
      alertEmails: z.array(z.email()).optional(),
    })
    .optional(),
  /** Usage that the cost estimate assumes; tier presets otherwise. */
  usage: usage.optional(),
});

export const fleetFileSchema = z.strictObject({
  apiVersion: z.literal("microagents/v1"),
  kind: z.literal("Fleet"),
  metadata: z.strictObject({
    name: fleetName,
    labels: z.record(z.string(), z.string()).optional(),
  }),
  spec: fleetSpecSchema,
});

/** What a user writes: the fleet file, or a typed object in agents/*.ts. */
export type FleetInput = z.input<typeof fleetFileSchema>;
export type AgentInput = z.input<typeof agentSchema>;
export type GpuPoolInput = z.input<typeof gpuPoolSchema>;
export type PipelineInput = z.input<typeof pipelineSchema>;
export type ScalingInput = z.input<typeof scalingSchema>;
export type TargetInput = z.input<typeof target>;
export type PipelineStep = z.output<typeof pipelineStep>;
