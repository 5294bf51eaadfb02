import type { z } from "zod";
import type { agentSchema, fleetFileSchema } from "./schema";
import { parseImageRef } from "./schema";
import { parseCpu, parseMemoryMiB } from "./quantities";
import { environments, seedDefaults, tiers, type EnvironmentPreset, type TierPreset } from "./tiers";
import type { Agent, AgentScaling, Criticality, Fleet } from "./types";

type ParsedFleetFile = z.output<typeof fleetFileSchema>;
type ParsedAgent = z.output<typeof agentSchema>;

/** The context an agent's defaults come from. */
export interface DefaultsContext {
  readonly tier: TierPreset;
  readonly environment: EnvironmentPreset;
  readonly team: string;
}

export const DEFAULT_RESOURCES = { cpu: 0.5, memory: "1Gi" } as const;

/** The one place where every fleet default is resolved. */
export function applyFleetDefaults(file: ParsedFleetFile): Fleet {
  const spec = file.spec;
  const tier = tiers[spec.tier];
  const environment = environments[spec.environment];
  const team = spec.team ?? file.metadata.name;
  const ctx: DefaultsContext = { tier, environment, team };
  return {
    name: file.metadata.name,
    labels: file.metadata.labels ?? {},
    tier: spec.tier,
    environment: spec.environment,
    team,
    targets: spec.targets.map((t) => ({
      runtime: t.runtime,
      region: t.region,
      role: t.role ?? "primary",
      namespace: t.namespace ?? file.metadata.name,
      ...(t.cluster ? { cluster: t.cluster } : {}),
      ...(t.project ? { project: t.project } : {}),
      ...(t.billingAccount ? { billingAccount: t.billingAccount } : {}),
      agents: placedAgents(t.agents, spec.agents),
      ...(t.budgetPercent !== undefined ? { budgetPercent: t.budgetPercent } : {}),
    })),
    budget: {
      monthlyUsd: spec.budget?.monthlyUsd ?? tier.budgetMonthlyUsd,
      alertPercents: spec.budget?.alertPercents ?? [80, 100],
      alertEmails: spec.budget?.alertEmails ?? spec.observability?.alertEmails ?? [],
      source: spec.budget ? "spec" : "tier",
    },
    agents: spec.agents.map((a) => applyAgentDefaults(a, ctx)),
    gpuPools: (spec.gpuPools ?? []).map((p) => ({ ...p, sharing: p.sharing ?? tier.gpuSharing })),
    pipelines: spec.pipelines ?? [],
    gateway: { ...spec.gateway, public: spec.gateway?.public ?? false, globalEntry: spec.gateway?.globalEntry ?? "route53" },
    observability: { otlpEndpoint: spec.observability?.otlpEndpoint, alertEmails: spec.observability?.alertEmails ?? [] },
    usage: spec.usage ?? {},
  };
}

/** A target's agents in the fleet's order (names checked by checkPlacement); every agent when it names none. */
function placedAgents(names: ReadonlyArray<string> | undefined, agents: ReadonlyArray<ParsedAgent>): string[] {
  if (!names) return agents.map((a) => a.name);
  const wanted = new Set(names);
  return agents.map((a) => a.name).filter((n) => wanted.has(n));
}

export function applyAgentDefaults(a: ParsedAgent, ctx: DefaultsContext): Agent {
  const criticality: Criticality = a.criticality ?? "standard";
  const model = a.model ?? { tier: "small" as const };
  const res: NonNullable<ParsedAgent["resources"]> = a.resources ?? DEFAULT_RESOURCES;
  const ref = parseImageRef(a.image);
  if (!ref) throw new Error(`unreachable: image '${a.image}' passed validation but does not parse`);
  return {
    name: a.name,
    image: a.image,
    imageRef: ref,
    port: a.port ?? 8080,
    healthPath: a.healthPath ?? "/healthz",
    resources: {
      cpu: parseCpu(res.cpu) ?? DEFAULT_RESOURCES.cpu,
      memoryMiB: parseMemoryMiB(res.memory) ?? 1024,
      ...(res.gpu ? { gpu: res.gpu } : {}),
    },
    scaling: resolveScaling(a, criticality, ctx),
    criticality,
    queue: {
      batchSize: a.queue?.batchSize ?? seedDefaults.batching.batchSize,
      maxWaitMs: a.queue?.maxWaitMs ?? seedDefaults.batching.maxWaitMs,
      visibilityTimeoutSeconds: a.queue?.visibilityTimeoutSeconds ?? seedDefaults.queue.visibilityTimeoutSeconds,
      maxReceiveCount: a.queue?.maxReceiveCount ?? seedDefaults.queue.maxReceiveCount,
      fifo: a.queue?.fifo ?? false,
      retentionDays: a.queue?.retentionDays ?? seedDefaults.queue.retentionDays,
    },
    ...(a.route
      ? {
          route: {
            path: a.route.path,
            auth: a.route.auth ?? "jwt",
            rateLimitPerMinute: a.route.rateLimitPerMinute ?? seedDefaults.route.rateLimitPerMinute,
            invoke: a.route.invoke ?? "async",
            timeoutSeconds: a.route.timeoutSeconds ?? seedDefaults.route.timeoutSeconds,
            ...(a.route.schema ? { schema: a.route.schema } : {}),
            weight: a.route.weight ?? 100,
          },
        }
      : {}),
    env: a.env ?? {},
    secrets: Object.fromEntries(Object.entries(a.secrets ?? {}).map(([k, v]) => [k, { ref: v.ref, key: v.key ?? k }])),
    model,
    team: a.team ?? ctx.team,
    latencyTargetMs: a.latencyTargetMs ?? seedDefaults.p95LatencyMsByModel[model.tier],
    subscribes: a.subscribes ?? [],
  };
}

/**
 * Scaling from the spec, or from the tier. With no scaling in the spec, batch agents
 * (and, outside prod, every non-critical agent) scale to zero where the tier allows;
 * an explicit `min` always wins.
 */
function resolveScaling(a: ParsedAgent, criticality: Criticality, ctx: DefaultsContext): AgentScaling {
  const s = a.scaling;
  const base = { backlogPerReplica: ctx.tier.backlogPerReplica, scaleInProtection: false, activePassive: false };
  if (s?.mode === "fixed") {
    return { ...base, mode: "fixed", min: s.replicas, max: s.replicas, activePassive: s.activePassive ?? false, source: "spec" };
  }
  if (s?.mode === "vertical") {
    const min = s.min ?? 1;
    return { ...base, mode: "vertical", min, max: s.max ?? min, backlogPerReplica: s.backlogPerReplica ?? base.backlogPerReplica, source: "spec" };
  }
  if (s?.mode === "horizontal") {
    return {
      ...base,
      mode: "horizontal",
      min: s.min,
      max: s.max,
      backlogPerReplica: s.backlogPerReplica ?? base.backlogPerReplica,
      ...(s.cpuTargetPercent !== undefined ? { cpuTargetPercent: s.cpuTargetPercent } : {}),
      scaleInProtection: s.scaleInProtection ?? false,
      source: "spec",
    };
  }
  const mayIdle = ctx.tier.scaleToZero && (criticality === "batch" || (criticality !== "critical" && ctx.environment.scaleNonCriticalToZero));
  const preset = ctx.tier.defaultScaling;
  if (preset.mode === "fixed") {
    return mayIdle
      ? { ...base, mode: "horizontal", min: 0, max: preset.replicas, source: "tier" }
      : { ...base, mode: "fixed", min: preset.replicas, max: preset.replicas, source: "tier" };
  }
  return { ...base, mode: "horizontal", min: mayIdle ? 0 : preset.min, max: preset.max, source: "tier" };
}
