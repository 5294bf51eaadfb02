import type { ContainerWorkloadFact, Fact, NodePoolFact } from "../facts/types";
import { ACCELERATORS, type Accelerator, type Cloud } from "../spec/accelerators";
import type { Price, PriceCatalog } from "../prices/catalog";
import { fargateHourly, instanceHourly, type HourlyRate } from "../prices/rates";
import { ACA_DEDICATED_SHAPES, acaDedicatedHourly } from "../prices/aca-dedicated";
import { nodeFraction, nodeShape, REFERENCE_NODES, smallestGpuShape, type NodeShape } from "./compute";
import { approx, free, priced, qty, unpriced, usd, type Outcome } from "./money";
import type { GpuPoolPricing } from "./types";
import type { ResolvedUsage } from "./usage";

/**
 * Compute: workloads and the capacity they run on.
 *
 * - Fargate tasks, Container Apps and Cloud Run instances are priced per replica-hour.
 * - Pods and EC2-backed ECS tasks are priced by the node capacity they need: one
 *   replica takes its dominant share of a node (the largest of its vCPU, memory and
 *   GPU fractions), times the node's hourly price, times its replica-hours.
 * - A node pool the stack declares (EKS, AKS, GKE node groups, an EC2 Auto Scaling
 *   group behind an ECS capacity provider) costs its nodes: at least its minimum, and
 *   ⌈Σ replica shares⌉ while its agents run, idle hours and busy hours apart. Its
 *   pods get their share; what no pod uses stays on the pool as idle capacity.
 * - Replica-hours: minimum replicas all month, maximum replicas for the busy hours
 *   of agents that scale on their queue.
 */

export interface CapacityContext {
  readonly catalog: PriceCatalog;
  readonly usage: ResolvedUsage;
  readonly hoursPerMonth: number;
  readonly spotDiscount: number;
  readonly naive: boolean;
  readonly kubernetesCloud: Cloud;
  readonly kubernetesCloudNote: string;
  /** The cloud a Kubernetes resource's nodes are priced on, from its region, and how that was decided. */
  readonly kubernetesCloudOf: (region: string | undefined) => { readonly cloud: Cloud; readonly note: string };
  readonly gpuPools: ReadonlyMap<string, GpuPoolPricing>;
}

/** Replicas over a month: minimum all month, maximum for the busy hours when the workload scales. */
export interface ReplicaHours {
  readonly min: number;
  readonly max: number;
  readonly scales: boolean;
  readonly hours: number;
  readonly text: string;
}

export function replicaHours(w: Pick<ContainerWorkloadFact, "replicas">, ctx: CapacityContext): ReplicaHours {
  const min = ctx.naive ? Math.max(1, w.replicas.min) : w.replicas.min;
  const max = Math.max(min, w.replicas.max);
  const scales = max > min;
  const busy = ctx.usage.busyHoursPerMonth;
  const H = ctx.hoursPerMonth;
  const hours = scales ? min * (H - busy) + max * busy : min * H;
  const text = scales ? `${min}×${H - busy} h + ${max}×${busy} busy h = ${qty(hours)} replica-h` : `${min}×${H} h`;
  return { min, max, scales, hours, text };
}

const GPU_LABEL = "microagents.io/gpu-pool";

/** The accelerator a GPU type label names (`nvidia-tesla-t4`, `NVIDIA-L4`, `a100-80gb`). */
export function acceleratorOf(text: string | undefined): Accelerator | undefined {
  if (!text) return undefined;
  const t = text.toLowerCase();
  const exact = ACCELERATORS.find((a) => a === t);
  if (exact) return exact;
  if (/h100/.test(t)) return "nvidia-h100";
  if (/a100.*80/.test(t)) return "nvidia-a100-80gb";
  if (/a100/.test(t)) return "nvidia-a100";
  if (/l40s/.test(t)) return "nvidia-l40s";
  if (/a10g/.test(t)) return "nvidia-a10g";
  if (/a10\b|a10$/.test(t)) return "nvidia-a10";
  if (/l4\b|l4$/.test(t)) return "nvidia-l4";
  if (/t4/.test(t)) return "nvidia-t4";
  return undefined;
}

/** GPUs one replica holds: time slices over slices per GPU, MIG slices over 7, whole GPUs as they are. */
export function gpusPerReplica(w: ContainerWorkloadFact, slicesPerGpu: number): number {
  let gpus = 0;
  for (const c of w.containers) {
    if (c.init || !c.gpu) continue;
    const mig = /mig-(\d+)g/.exec(c.gpu.resourceName);
    gpus += mig ? (Number(mig[1]) / 7) * c.gpu.count : c.gpu.count / slicesPerGpu;
  }
  return gpus > 0 || w.containers.length > 0 ? gpus : w.perReplica.gpus / slicesPerGpu;
}

/** Where a workload's replicas run, and the share of a node each takes. */
interface Placement {
  readonly fact: ContainerWorkloadFact;
  readonly fraction: number;
  readonly replicas: ReplicaHours;
}

/** Capacity pods are apportioned against: a declared pool, a plan's GPU pool, or a reference node. */
interface Pool {
  readonly key: string;
  readonly label: string;
  readonly node: NodeShape;
  readonly rate: HourlyRate;
  readonly spot: boolean;
  /** The resource that carries the pool's cost (and its idle capacity); none for reference nodes. */
  readonly holder?: string;
  readonly nodes?: { readonly min: number; readonly max: number };
  /** Node counts from the fleet's packing plan, when known. */
  readonly planned?: { readonly idle: number; readonly busy: number };
  readonly placements: Placement[];
  /** Kubernetes nodes (a cluster's node pool, a plan's GPU pool or reference nodes), whose node-hours DaemonSets run on. */
  readonly kubernetes: boolean;
  /** The region of a declared or plan pool (its pods' regions decide where its node-hours count). */
  readonly region?: string;
}

/** Hours of Kubernetes nodes the estimate runs in a region, for DaemonSets (one pod per node). */
export interface NodeHours {
  readonly region?: string;
  readonly gpu: boolean;
  readonly hours: number;
}

export interface CapacityResult {
  /** Outcome per resource URN, for every workload and node pool fact. */
  readonly outcomes: ReadonlyMap<string, Outcome>;
  /** Resource URNs (ConfigMaps of plain-Kubernetes GPU pools) that carry a plan pool's cost. */
  readonly poolHolders: ReadonlySet<string>;
  /** Node-hours of every Kubernetes pool, by region (reference nodes: ⌈Σ replica shares⌉ per region). */
  readonly nodeHours: ReadonlyArray<NodeHours>;
}

function selectorOf(w: ContainerWorkloadFact): Record<string, string> {
  const out: Record<string, string> = { ...w.nodeSelector };
  for (const [k, values] of Object.entries(w.requiredNodeLabels)) if (values.length > 0 && !(k in out)) out[k] = values[0];
  return out;
}

const K8S_POOL_SERVICES: ReadonlyArray<NodePoolFact["service"]> = ["eks-nodegroup", "aks-agentpool", "gke-nodepool", "karpenter"];

function poolMatches(pool: NodePoolFact, selector: Readonly<Record<string, string>>, gpu: boolean): boolean {
  const keys = Object.keys(selector);
  if (keys.length > 0) return keys.every((k) => pool.labels[k] === selector[k]);
  // No selector: general pools only (no GPU, no NoSchedule taint).
  return !gpu && !pool.gpu && !pool.taints.some((t) => t.effect === "NoSchedule");
}

/** Prices every container workload and node pool; node pool costs are shared out to their pods. */
export function priceCapacity(facts: ReadonlyArray<Fact>, ctx: CapacityContext): CapacityResult {
  const outcomes = new Map<string, Outcome>();
  const poolHolders = new Set<string>();
  const pools = new Map<string, Pool>();
  const nodePools = facts.filter((f): f is NodePoolFact => f.kind === "node-pool");
  const poolCloud = (p: NodePoolFact): Cloud | undefined => (p.cloud === "kubernetes" ? ctx.kubernetesCloudOf(p.region).cloud : p.cloud);

  const declaredPool = (p: NodePoolFact): Pool | undefined => {
    const existing = pools.get(p.resource.urn);
    if (existing) return existing;
    const cloud = poolCloud(p);
    const type = p.instanceTypes[0];
    // A Container Apps Dedicated profile: instances of its size at the Dedicated plan's vCPU and GiB meters.
    const dedicated = isAcaDedicated(p) && type ? ACA_DEDICATED_SHAPES[type.toUpperCase()] : undefined;
    const node = dedicated && type ? { cloud: "azure" as const, instanceType: type, ...dedicated, gpus: 0 } : cloud && type ? nodeShape(cloud, type) : undefined;
    const rate = dedicated && type ? acaDedicatedHourly(type, ctx.catalog) : cloud && type ? instanceHourly(cloud, type, ctx.catalog) : undefined;
    if (!node || !rate || !cloud) return undefined;
    const pool: Pool = {
      key: p.resource.urn,
      label: `node pool ${p.poolName ?? p.resource.name} (${type})`,
      node,
      rate,
      spot: p.spot,
      holder: p.resource.urn,
      nodes: { min: p.nodes.min ?? p.nodes.desired ?? 0, max: p.nodes.max ?? Infinity },
      placements: [],
      kubernetes: K8S_POOL_SERVICES.includes(p.service),
      ...(p.region ? { region: p.region } : {}),
    };
    pools.set(pool.key, pool);
    return pool;
  };

  const planPool = (name: string, region: string | undefined): Pool | undefined => {
    const plan = ctx.gpuPools.get(name);
    if (!plan) return undefined;
    const k8s = ctx.kubernetesCloudOf(region);
    const key = `plan:${name}:${k8s.cloud}`;
    const existing = pools.get(key);
    if (existing) return existing;
    const clouds: ReadonlyArray<Cloud> = [k8s.cloud, "aws", "gcp", "azure"];
    const cloud = clouds.find((c) => plan.instanceTypes[c] !== undefined);
    const type = cloud ? plan.instanceTypes[cloud] : undefined;
    const shape = cloud && type ? nodeShape(cloud, type) : undefined;
    const node = shape ?? smallestGpuShapeAnywhere(plan.accelerator, k8s.cloud);
    const rate = node ? instanceHourly(node.cloud, node.instanceType, ctx.catalog) : undefined;
    if (!node || !rate) return undefined;
    const holder = facts.find((f) => f.kind === "resource" && f.resource.type === "kubernetes:core/v1:ConfigMap" && f.tags["gpu-pool"] === name)?.resource.urn;
    if (holder) poolHolders.add(holder);
    const pool: Pool = {
      key,
      label: `GPU pool ${name} (${plan.accelerator} on ${node.instanceType}, ${plan.sharing}; ${k8s.note})`,
      node,
      rate,
      spot: plan.spot,
      ...(holder ? { holder } : {}),
      nodes: { min: plan.minNodes, max: plan.maxNodes },
      planned: { idle: plan.nodesAtMin, busy: plan.nodesAtMax },
      placements: [],
      kubernetes: true,
      ...(region ? { region } : {}),
    };
    pools.set(key, pool);
    return pool;
  };

  const referencePool = (node: NodeShape, why: string): Pool | undefined => {
    const key = `ref:${node.cloud}:${node.instanceType}`;
    const existing = pools.get(key);
    if (existing) return existing;
    const rate = instanceHourly(node.cloud, node.instanceType, ctx.catalog);
    if (!rate) return undefined;
    const pool: Pool = { key, label: `${node.instanceType} (${why})`, node, rate, spot: false, placements: [], kubernetes: true };
    pools.set(key, pool);
    return pool;
  };

  const place = (w: ContainerWorkloadFact, pool: Pool, slicesPerGpu: number) => {
    const cpu = w.perReplica.cpu;
    const memoryMiB = w.perReplica.memoryMiB;
    if (cpu === undefined && memoryMiB === undefined) {
      outcomes.set(w.resource.urn, unpriced("states no cpu or memory request, so its share of a node is unknown"));
      return;
    }
    const gpus = gpusPerReplica(w, slicesPerGpu);
    let fraction = nodeFraction({ cpu: cpu ?? 0, memoryMiB: memoryMiB ?? 0, gpus }, pool.node);
    if (ctx.naive && pool.node.gpus > 0) fraction = Math.max(fraction, Math.max(1, Math.ceil(gpus)) / pool.node.gpus);
    pool.placements.push({ fact: w, fraction, replicas: replicaHours(w, ctx) });
  };

  for (const w of facts) {
    if (w.kind !== "container-workload") continue;
    const urn = w.resource.urn;
    if (w.platform === "ecs") {
      if (w.workloadKind === "TaskDefinition") {
        outcomes.set(urn, free("a task definition; the ECS services that run it are priced"));
        continue;
      }
      const providers = (w.capacityProviders ?? []).filter((p) => p.weight > 0 || p.base > 0);
      if (providers.length === 0) {
        outcomes.set(urn, unpriced("no capacity provider strategy or launch type: the cluster's default decides where tasks run"));
        continue;
      }
      const fargate = providers.filter((p) => /^FARGATE(_SPOT)?$/.test(p.name));
      if (fargate.length === providers.length) {
        outcomes.set(urn, priceFargate(w, providers, ctx));
        continue;
      }
      if (fargate.length > 0) {
        outcomes.set(urn, unpriced(`mixes Fargate and EC2 capacity providers (${providers.map((p) => p.name).join(", ")})`));
        continue;
      }
      const clusterName = w.namespace?.split("/").pop();
      // In the workload's region: two regions' CDK stacks name their capacity providers alike (one logical id per stack).
      const near = nodePools.filter((p) => p.region === undefined || w.region === undefined || p.region === w.region);
      const poolFact = near.find((p) => providers.some((c) => c.name === p.poolName)) ?? near.find((p) => p.poolName !== undefined && p.poolName === clusterName);
      const pool = poolFact ? declaredPool(poolFact) : undefined;
      if (!pool) {
        outcomes.set(urn, unpriced(`runs on EC2 capacity provider ${providers.map((p) => p.name).join(", ")}, whose instances the stack does not price`));
        continue;
      }
      place(w, pool, 1);
      continue;
    }
    if (w.platform === "container-apps" && w.perReplica.gpus === 0 && w.nodeSelector.workloadProfile) {
      // An app on a Dedicated profile shares the profile's instances, as a pod shares its nodes.
      const profile = nodePools.find((p) => isAcaDedicated(p) && p.poolName === w.nodeSelector.workloadProfile && p.region === w.region);
      const pool = profile ? declaredPool(profile) : undefined;
      if (pool) {
        place(w, pool, 1);
        continue;
      }
    }
    if (w.platform === "container-apps" || w.platform === "cloud-run") {
      outcomes.set(urn, priceServerless(w, ctx));
      continue;
    }
    // Kubernetes
    if (w.workloadKind === "DaemonSet") {
      outcomes.set(urn, unpriced("a DaemonSet runs one pod per node; the node count is the cluster's"));
      continue;
    }
    if (w.workloadKind === "Job" || w.workloadKind === "CronJob") {
      outcomes.set(urn, unpriced(`a ${w.workloadKind} runs for as long as its work takes, which the stack does not say`));
      continue;
    }
    const selector = selectorOf(w);
    const wantsGpu = w.perReplica.gpus > 0;
    const poolFact = nodePools.filter((p) => K8S_POOL_SERVICES.includes(p.service)).find((p) => poolMatches(p, selector, wantsGpu));
    const declared = poolFact ? declaredPool(poolFact) : undefined;
    if (declared) {
      place(w, declared, poolFact?.gpu?.slicesPerGpu ?? 1);
      continue;
    }
    const gpuPoolName = selector[GPU_LABEL];
    const fromPlan = gpuPoolName ? planPool(gpuPoolName, w.region) : undefined;
    if (fromPlan && gpuPoolName) {
      place(w, fromPlan, ctx.gpuPools.get(gpuPoolName)?.slicesPerGpu ?? 1);
      continue;
    }
    if (wantsGpu) {
      const acc = acceleratorOf(w.perReplica.gpuType);
      const k8s = ctx.kubernetesCloudOf(w.region);
      const node = acc ? smallestGpuShapeAnywhere(acc, k8s.cloud) : undefined;
      const pool = node ? referencePool(node, `smallest ${acc} shape; ${k8s.note}`) : undefined;
      if (!pool) {
        outcomes.set(urn, unpriced(`asks for ${w.perReplica.gpus} GPU resource(s)${gpuPoolName ? ` on pool '${gpuPoolName}'` : ""} but neither the pod nor a node pool in the stack says which GPU (price it with --fleet, or declare the node pool)`));
        continue;
      }
      place(w, pool, 1);
      continue;
    }
    const k8s = ctx.kubernetesCloudOf(w.region);
    const pool = referencePool(REFERENCE_NODES[k8s.cloud], `reference node; ${k8s.note}`);
    if (!pool) {
      outcomes.set(urn, unpriced(`no price for the reference node on ${k8s.cloud}`));
      continue;
    }
    place(w, pool, 1);
  }

  const nodeHours: NodeHours[] = [];
  for (const pool of pools.values()) settlePool(pool, ctx, outcomes, nodeHours);
  for (const p of nodePools) {
    if (outcomes.has(p.resource.urn)) continue;
    // A Container Apps serverless GPU profile has no nodes: its replicas are priced on their apps.
    if (p.service === "aca-workload-profile" && p.instanceTypes.every((t) => /^Consumption-/i.test(t))) {
      outcomes.set(p.resource.urn, free("a serverless GPU workload profile: no nodes of its own, its replicas are priced on their container apps"));
      continue;
    }
    const pool = declaredPool(p);
    if (pool) settlePool(pool, ctx, outcomes, nodeHours);
    else outcomes.set(p.resource.urn, unpriced(p.instanceTypes.length === 0 ? "no instance type stated" : `no price for ${p.instanceTypes.join(", ")} on ${poolCloud(p) ?? "an unknown cloud"}`));
  }
  // Each Container Apps environment with Dedicated profiles pays the plan's management fee once.
  for (const urn of new Set(nodePools.filter(isAcaDedicated).map((p) => p.resource.urn))) {
    const fee = ctx.catalog.find("azure.aca.dedicated.management-hour");
    outcomes.set(urn, fee ? addTo(outcomes.get(urn), priced(fee.usd * ctx.hoursPerMonth, `Dedicated plan management ${usd(fee.usd)}/h × ${ctx.hoursPerMonth} h${approx([fee])}`)) : unpriced("no catalog price azure.aca.dedicated.management-hour"));
  }
  return { outcomes, poolHolders, nodeHours };
}

function smallestGpuShapeAnywhere(acc: Accelerator, preferred: Cloud): NodeShape | undefined {
  for (const cloud of [preferred, "aws", "gcp", "azure"] as const) {
    const shape = smallestGpuShape(cloud, acc);
    if (shape) return shape;
  }
  return undefined;
}

/** A pool's cost, its pods' shares and its idle remainder; its node-hours go to `nodeHours`. */
function settlePool(pool: Pool, ctx: CapacityContext, outcomes: Map<string, Outcome>, nodeHours: NodeHours[]): void {
  const H = ctx.hoursPerMonth;
  const busy = ctx.usage.busyHoursPerMonth;
  const spot = pool.spot && !ctx.naive;
  const hourly = spot ? pool.rate.usd * (1 - ctx.spotDiscount) : pool.rate.usd;
  const rateText = `${pool.node.instanceType} at ${usd(hourly)}/h${spot ? ` (spot, ${Math.round(ctx.spotDiscount * 100)}% off ${usd(pool.rate.usd)})` : " on-demand"}`;
  const ap = approx(pool.rate.prices);
  const own = pool.placements.map((p) => hourly * p.fraction * p.replicas.hours);
  const ownTotal = own.reduce((s, x) => s + x, 0);

  if (!pool.holder && !pool.planned) {
    pool.placements.forEach((p, i) => {
      outcomes.set(p.fact.resource.urn, priced(own[i], `${shareText(p)} of a ${rateText} [${pool.label}] × ${p.replicas.text}${ap}`));
    });
    if (pool.kubernetes) nodeHours.push(...referenceNodeHours(pool, ctx));
    return;
  }
  const scales = pool.placements.some((p) => p.replicas.scales);
  // What the workloads need (the packing plan, or ⌈Σ replica shares⌉), and what the
  // pool runs: its floor and cap apply (not to the naive deployment, which sizes its own).
  const demand = (busyPeriod: boolean) => Math.ceil(pool.placements.reduce((s, p) => s + p.fraction * (busyPeriod && p.replicas.scales ? p.replicas.max : p.replicas.min), 0) - 1e-9);
  const planned = pool.planned && !ctx.naive ? pool.planned : undefined;
  const clamp = (n: number) => (ctx.naive ? n : Math.min(pool.nodes?.max ?? Infinity, Math.max(pool.nodes?.min ?? 0, n)));
  const needIdle = planned ? planned.idle : demand(false);
  const needBusy = scales ? (planned ? planned.busy : demand(true)) : needIdle;
  const [idleNodes, busyNodes] = [clamp(needIdle), clamp(needBusy)];
  const hoursOf = (idleN: number, busyN: number) => (scales ? idleN * (H - busy) + busyN * busy : idleN * H);
  const poolCost = hourly * hoursOf(idleNodes, busyNodes);
  // The workloads pay for the nodes they need (at most the nodes that run), shared in
  // proportion to their own replica shares; nodes above the need stay idle on the pool.
  // With no resource to hold idle capacity (a plan pool without its ConfigMap), the pods pay all of it.
  const neededCost = pool.holder ? hourly * hoursOf(Math.min(idleNodes, needIdle), Math.min(busyNodes, needBusy)) : poolCost;
  const k = ownTotal > 0 ? neededCost / ownTotal : 0;
  pool.placements.forEach((p, i) => {
    const factor = Math.abs(k - 1) > 0.005 ? `; × ${k.toFixed(2)} to cover the pool's ${planned ? "planned" : "whole"} nodes` : "";
    outcomes.set(p.fact.resource.urn, priced(own[i] * k, `${shareText(p)} of a ${rateText} [${pool.label}] × ${p.replicas.text}${factor}${ap}`));
  });
  if (pool.kubernetes) nodeHours.push(...splitByRegion(pool, own, hoursOf(idleNodes, busyNodes)));
  const charged = ownTotal > 0 ? neededCost : 0;
  const idle = Math.max(0, poolCost - charged);
  const nodesText = scales ? `${idleNodes} node(s) ${H - busy} h + ${busyNodes} for ${busy} busy h` : `${idleNodes} node(s) × ${H} h`;
  const source = planned ? "nodes from the packing plan" : ctx.naive ? "nodes ⌈Σ replica shares⌉" : `nodes ⌈Σ replica shares⌉ within ${pool.nodes?.min ?? 0}..${pool.nodes?.max ?? "∞"}`;
  const basis = `${rateText}; ${nodesText} (${source}) = ${usd(poolCost)}: ${usd(charged)} charged to its ${pool.placements.length} workload(s), ${usd(idle)} idle capacity here${ap}`;
  // One resource may hold several pools (a Container Apps environment's profiles): their idle costs add up.
  if (pool.holder) outcomes.set(pool.holder, addTo(outcomes.get(pool.holder), priced(idle, basis)));
}

/**
 * Reference nodes have no count of their own: per region, the nodes the pods placed
 * there fill (⌈Σ replica shares⌉, idle and busy hours apart), as a declared pool's
 * nodes are counted.
 */
function referenceNodeHours(pool: Pool, ctx: CapacityContext): NodeHours[] {
  const H = ctx.hoursPerMonth;
  const busy = ctx.usage.busyHoursPerMonth;
  const regions = new Map<string | undefined, Placement[]>();
  for (const p of pool.placements) regions.set(p.fact.region, [...(regions.get(p.fact.region) ?? []), p]);
  return [...regions.entries()].map(([region, placements]) => {
    const scales = placements.some((p) => p.replicas.scales);
    const nodes = (busyPeriod: boolean) => Math.ceil(placements.reduce((s, p) => s + p.fraction * (busyPeriod && p.replicas.scales ? p.replicas.max : p.replicas.min), 0) - 1e-9);
    const hours = scales ? nodes(false) * (H - busy) + nodes(true) * busy : nodes(false) * H;
    return { ...(region ? { region } : {}), gpu: pool.node.gpus > 0, hours };
  });
}

/** A pool's node-hours, shared among the regions of the pods it runs (pools are keyed by cloud, so two clusters can share one). */
function splitByRegion(pool: Pool, own: ReadonlyArray<number>, hours: number): NodeHours[] {
  const total = own.reduce((s, x) => s + x, 0);
  if (total <= 0) return [{ ...(pool.region ? { region: pool.region } : {}), gpu: pool.node.gpus > 0, hours }];
  const byRegion = new Map<string | undefined, number>();
  pool.placements.forEach((p, i) => byRegion.set(p.fact.region ?? pool.region, (byRegion.get(p.fact.region ?? pool.region) ?? 0) + own[i]));
  return [...byRegion.entries()].map(([region, weight]) => ({ ...(region ? { region } : {}), gpu: pool.node.gpus > 0, hours: (hours * weight) / total }));
}

/** A Container Apps Dedicated (D, E) workload profile, as opposed to a serverless GPU one. */
function isAcaDedicated(p: NodePoolFact): boolean {
  return p.service === "aca-workload-profile" && ACA_DEDICATED_SHAPES[(p.instanceTypes[0] ?? "").toUpperCase()] !== undefined;
}

/** Adds a priced outcome to what a resource already carries (an unpriced one stays unpriced). */
function addTo(prev: Outcome | undefined, more: Outcome): Outcome {
  if (!prev || prev.kind === "free") return more;
  if (prev.kind === "unpriced") return prev;
  if (more.kind === "unpriced") return more;
  if (more.kind === "free") return prev;
  return priced(prev.usd + more.usd, `${prev.basis}; ${more.basis}`);
}

function shareText(p: Placement): string {
  return `${(p.fraction * 100).toFixed(1)}%`;
}

function priceFargate(w: ContainerWorkloadFact, providers: ReadonlyArray<{ name: string; weight: number; base: number }>, ctx: CapacityContext): Outcome {
  const cpu = w.perReplica.cpu;
  const mem = w.perReplica.memoryMiB;
  if (cpu === undefined || mem === undefined) return unpriced("the task definition states no task cpu or memory");
  const rate = fargateHourly(cpu, mem / 1024, ctx.catalog);
  if (!rate) return unpriced("no Fargate price in the catalog");
  const totalWeight = providers.reduce((s, p) => s + p.weight, 0);
  const spotWeight = providers.filter((p) => p.name === "FARGATE_SPOT").reduce((s, p) => s + p.weight, 0);
  const spotShare = ctx.naive || totalWeight === 0 ? 0 : spotWeight / totalWeight;
  const r = replicaHours(w, ctx);
  const cost = rate.usd * r.hours * (1 - ctx.spotDiscount * spotShare);
  const spotText = spotShare > 0 ? `; ${Math.round(spotShare * 100)}% on Fargate Spot at ${Math.round(ctx.spotDiscount * 100)}% off` : "";
  return priced(cost, `Fargate ${cpu} vCPU + ${mem / 1024} GiB at ${usd(rate.usd)}/task-h × ${r.text}${spotText}${approx(rate.prices)}`);
}

/** A Cloud Run instance with one L4: the GPU plus its vCPU and memory, all instance-billed (CPU always allocated). */
function priceCloudRunGpu(w: ContainerWorkloadFact, cpu: number, memMiB: number, ctx: CapacityContext): Outcome {
  const keys = ["gcp.run.gpu.l4.second", "gcp.run.vcpu-second.instance-based", "gcp.run.gib-second.instance-based"];
  const found = keys.map((k) => ctx.catalog.find(k)).filter((p): p is Price => p !== undefined);
  if (found.length !== 3) return unpriced("no Cloud Run L4 or instance-based price in the catalog");
  const [gpu, vcpu, gib] = found;
  const perSecond = gpu.usd * w.perReplica.gpus + vcpu.usd * cpu + gib.usd * (memMiB / 1024);
  const r = replicaHours(w, ctx);
  return priced(perSecond * 3600 * r.hours, `Cloud Run ${w.perReplica.gpus} L4 + ${cpu} vCPU + ${memMiB / 1024} GiB instance-billed at ${usd(perSecond * 3600)}/instance-h × ${r.text}${approx(found)}`);
}

/** Container Apps serverless GPU profile per GPU type (one whole GPU per replica). */
const ACA_GPU_PROFILE_BY_TYPE: Readonly<Record<string, string>> = {
  "nvidia-t4": "Consumption-GPU-NC8as-T4",
  "nvidia-a100": "Consumption-GPU-NC24-A100",
  "nvidia-a100-80gb": "Consumption-GPU-NC24-A100",
};

function priceServerless(w: ContainerWorkloadFact, ctx: CapacityContext): Outcome {
  const cpu = w.perReplica.cpu;
  const mem = w.perReplica.memoryMiB;
  if (cpu === undefined || mem === undefined) return unpriced("states no cpu or memory");
  if (w.perReplica.gpus > 0) {
    if (w.platform === "cloud-run" && w.perReplica.gpuType === "nvidia-l4") return priceCloudRunGpu(w, cpu, mem, ctx);
    const profile = w.platform === "container-apps" ? ACA_GPU_PROFILE_BY_TYPE[w.perReplica.gpuType ?? ""] : undefined;
    const price = profile ? ctx.catalog.find(`azure.aca.gpu.${profile}`) : undefined;
    if (!price) return unpriced("serverless GPU instances are priced per profile, which the catalog does not map for this GPU");
    const r = replicaHours(w, ctx);
    return priced(price.usd * 3600 * r.hours, `${profile} replica at ${usd(price.usd * 3600)}/instance-h × ${r.text}${approx([price])}`);
  }
  const keys = w.platform === "container-apps" ? ["azure.aca.vcpu-second", "azure.aca.gib-second"] : ["gcp.run.vcpu-second.instance-based", "gcp.run.gib-second.instance-based"];
  const found = keys.map((k) => ctx.catalog.find(k)).filter((p): p is Price => p !== undefined);
  if (found.length !== 2) return unpriced(`no ${w.platform} price in the catalog`);
  const hourly = (cpu * found[0].usd + (mem / 1024) * found[1].usd) * 3600;
  const r = replicaHours(w, ctx);
  return priced(hourly * r.hours, `${w.platform} ${cpu} vCPU + ${mem / 1024} GiB at ${usd(hourly)}/instance-h × ${r.text} (always-allocated CPU)${approx(found)}`);
}
