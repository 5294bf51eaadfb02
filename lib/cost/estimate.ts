import type { BudgetFact, Fact, FactOf, ResourceFact } from "../facts/types";
import { ACCELERATORS, type Cloud } from "../spec/accelerators";
import { TIERS, tiers, type Tier } from "../spec/tiers";
import { priceCatalog } from "../prices/catalog";
import { priceCapacity, replicaHours, type CapacityContext, type NodeHours } from "./capacity";
import { trafficCarriers, type TrafficCarriers } from "./carriers";
import { cloudOfRegion } from "./compute";
import { cents, usd, type Outcome } from "./money";
import { priceService, type ServiceContext } from "./services";
import type { CostEstimate, CostItem, EstimateOptions, GpuPoolPricing, UnpricedResource } from "./types";
import { resolveUsage, type ResolvedUsage, type Usage } from "./usage";

/**
 * The monthly cost of a stack from its facts: a figure per resource, per agent and
 * in total, each with the prices and quantities behind it. A resource with no price
 * is listed under `unpriced`, never counted as zero; things that cost nothing are
 * items at $0 whose basis starts with "no charge".
 */
export function estimateCost(stackFacts: ReadonlyArray<Fact>, options: EstimateOptions = {}): CostEstimate {
  const facts = withClusterRegions(stackFacts);
  const catalog = options.catalog ?? priceCatalog();
  const hoursPerMonth = catalog.hoursPerMonth;
  const spotDiscount = options.spotDiscount ?? catalog.spotDiscount;
  const usage = usageFor(facts, options.usage);
  const k8s = kubernetesCloud(facts, options.kubernetesCloud, options.kubernetesCloudFallback);
  const naive = options.naive ?? false;

  const capacityCtx: CapacityContext = {
    catalog,
    usage,
    hoursPerMonth,
    spotDiscount,
    naive,
    kubernetesCloud: k8s.cloud,
    kubernetesCloudNote: k8s.note,
    kubernetesCloudOf: k8s.of,
    gpuPools: new Map([...gpuPoolsFromFacts(facts), ...(options.gpuPools ?? [])].map((p) => [p.name, p])),
  };
  const capacity = priceCapacity(facts, capacityCtx);

  const byUrn = new Map<string, Fact[]>();
  for (const f of facts) {
    const list = byUrn.get(f.resource.urn) ?? [];
    list.push(f);
    byUrn.set(f.resource.urn, list);
  }
  const carriers = trafficCarriers(facts);
  const serviceCtx: ServiceContext = { catalog, usage, hoursPerMonth, kubernetesCloud: k8s.cloud, kubernetesCloudNote: k8s.note, kubernetesCloudOf: k8s.of, carriers, shares: shares(facts, carriers), agentReplicas: agentReplicas(facts, capacityCtx), nodeHours: nodeHoursIn(capacity.nodeHours), databases: facts.filter((f): f is FactOf<"store"> => f.kind === "store" && (f.storeKind === "rds" || f.storeKind === "aurora")) };

  const items: CostItem[] = [];
  const unpricedList: UnpricedResource[] = [];
  const resources = facts.filter((f): f is ResourceFact => f.kind === "resource");
  for (const r of resources) {
    const own = byUrn.get(r.resource.urn) ?? [];
    const outcome: Outcome | undefined = capacity.outcomes.get(r.resource.urn) ?? priceService(r, own.filter((f) => f.kind !== "resource"), serviceCtx);
    const head = { resource: r.resource.name, type: r.resource.type, ...(r.agent ? { agent: r.agent } : {}), ...(r.region ? { region: r.region } : {}) };
    if (!outcome || outcome.kind === "unpriced") unpricedList.push({ ...head, reason: outcome?.kind === "unpriced" ? outcome.reason : "no price rule" });
    else items.push({ ...head, monthlyUsd: outcome.kind === "priced" ? cents(outcome.usd) / 100 : 0, basis: outcome.basis });
  }

  const byAgentCents = new Map<string, number>();
  for (const i of items) byAgentCents.set(i.agent ?? "shared", (byAgentCents.get(i.agent ?? "shared") ?? 0) + cents(i.monthlyUsd));
  const byRegionCents = new Map<string, number>();
  // Azure writes global resources' location as "Global" or "global": one group either way.
  const regionKey = (region: string | undefined) => (region === undefined || region.toLowerCase() === "global" ? "global" : region);
  for (const i of items) byRegionCents.set(regionKey(i.region), (byRegionCents.get(regionKey(i.region)) ?? 0) + cents(i.monthlyUsd));
  const totalCents = items.reduce((s, i) => s + cents(i.monthlyUsd), 0);
  const declared = options.budgetMonthlyUsd ?? budgetFromFacts(facts);
  // No fleet and no budget resource: the tier's default budget, as the cost policy does.
  const tierBudget = declared === undefined && usage.tier !== undefined && majorityTier(facts) !== undefined ? tiers[usage.tier].budgetMonthlyUsd : undefined;
  const budget = declared ?? tierBudget;
  const assumptions = [
    `${hoursPerMonth} hours a month; prices from lib/prices/prices.json (us-east-1, eastus, us-central1 list prices used for every region)`,
    `usage (${usage.tier ?? "untagged"} tier preset${usage.overridden.length > 0 ? `, overridden: ${usage.overridden.join(", ")}` : ""}): ${usage.requestsPerMonth} requests, ${usage.messagesPerMonth} messages, ${usage.logsGbPerMonth} GB of logs, ${usage.storageGb} GB stored a month; scaling agents run at their maximum for ${usage.busyHoursPerMonth} busy hours`,
    `spot capacity at ${Math.round(spotDiscount * 100)}% off on-demand`,
    `Kubernetes nodes: ${k8s.notes.join("; ")}; a pod pays its dominant share (the largest of its vCPU, memory and GPU fractions) of its node`,
    ...(tierBudget !== undefined ? [`budget: the ${usage.tier} tier's default (no budget resource in the stack and no fleet given)`] : []),
    ...(naive ? ["naive deployment: on-demand only, a whole GPU for every GPU replica, nothing scaled to zero"] : []),
  ];
  return {
    totalMonthlyUsd: totalCents / 100,
    ...(budget !== undefined ? { budgetMonthlyUsd: budget } : {}),
    items,
    unpriced: unpricedList,
    byAgent: Object.fromEntries([...byAgentCents.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, v / 100])),
    byRegion: Object.fromEntries([...byRegionCents.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, v / 100])),
    usage,
    assumptions,
  };
}

/** Node-hours of the Kubernetes nodes in a region (GPU nodes only, or all), for DaemonSets. */
function nodeHoursIn(all: ReadonlyArray<NodeHours>): ServiceContext["nodeHours"] {
  return (region, which) => all.filter((n) => n.region === region && (which === "all" || n.gpu)).reduce((s, n) => s + n.hours, 0);
}

const TARGET_REGION = /-kubernetes-((?:[a-z]{2}-[a-z]+-\d)|(?:[a-z]+-[a-z]+\d+)|(?:[a-z]+\d?))(?:-|$)/;

/**
 * Kubernetes objects carry no region; the package names each target's components
 * `<fleet>-kubernetes-<region>` (AgentFleet), so an object under one takes that
 * region, and its cluster is priced on that region's cloud. Objects outside such a
 * component (hand-written) keep none.
 */
function withClusterRegions(facts: ReadonlyArray<Fact>): ReadonlyArray<Fact> {
  return facts.map((f) => {
    if (f.cloud !== "kubernetes" || f.region || !f.resource.component) return f;
    const region = TARGET_REGION.exec(f.resource.component.name)?.[1];
    return region && cloudOfRegion(region) ? { ...f, region } : f;
  });
}

/**
 * GPU pools a stack records itself (the plain-Kubernetes pool's ConfigMap, read by
 * lib/facts/kubernetes.ts): the same figures the fleet's plan gives, so a stack prices
 * its GPU pods without the fleet file. The plan's pools, when given, take precedence.
 */
function gpuPoolsFromFacts(facts: ReadonlyArray<Fact>): GpuPoolPricing[] {
  const out: GpuPoolPricing[] = [];
  for (const f of facts) {
    const b = f.kind === "resource" ? f.billing : undefined;
    const accelerator = ACCELERATORS.find((a) => a === b?.accelerator);
    if (!b || typeof b.gpuPool !== "string" || !accelerator) continue;
    const n = (k: string, d: number): number => {
      const v = b[k];
      return typeof v === "number" ? v : d;
    };
    const sharing = b.sharing === "mig" || b.sharing === "time-slicing" ? b.sharing : "none";
    out.push({
      name: b.gpuPool,
      accelerator,
      sharing,
      slicesPerGpu: n("slicesPerGpu", 1),
      spot: b.spot === true,
      nodesAtMin: n("nodesAtMinReplicas", 0),
      nodesAtMax: n("nodesAtMaxReplicas", 0),
      minNodes: n("minNodes", 0),
      maxNodes: n("maxNodes", n("nodesAtMaxReplicas", 0)),
      instanceTypes: {},
    });
  }
  return out;
}

function usageFor(facts: ReadonlyArray<Fact>, given: Usage | ResolvedUsage | undefined): ResolvedUsage {
  if (given && "overridden" in given) return given;
  const tier = majorityTier(facts);
  if (given) return resolveUsage(tier ?? "small", given);
  return resolveUsage(tier ?? "small");
}

/** The tier most resources are tagged with. */
function majorityTier(facts: ReadonlyArray<Fact>): Tier | undefined {
  const counts = new Map<Tier, number>();
  for (const f of facts) {
    const t = f.kind === "resource" ? f.tags.tier : undefined;
    const tier = TIERS.find((x) => x === t);
    if (tier) counts.set(tier, (counts.get(tier) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

interface KubernetesClouds {
  /** The cloud for Kubernetes resources with no region of their own. */
  readonly cloud: Cloud;
  readonly note: string;
  /** The cloud a Kubernetes resource is priced on, from its region (each cluster of a multi-cloud fleet on its own cloud). */
  readonly of: (region: string | undefined) => { readonly cloud: Cloud; readonly note: string };
  /** How each cloud in use was decided, for the assumptions. */
  readonly notes: ReadonlyArray<string>;
}

/**
 * The cloud Kubernetes nodes are priced on, and how it was decided: as given; else
 * each cluster's region (`westeurope` is Azure, `europe-west4` GCP); else the stack's
 * managed cluster; else AWS list prices as a reference, said so in the basis.
 */
function kubernetesCloud(facts: ReadonlyArray<Fact>, given: Cloud | undefined, fleetCloud: Cloud | undefined): KubernetesClouds {
  const managed = facts.find((f) => f.kind === "cluster" && (f.service === "eks" || f.service === "aks" || f.service === "gke"));
  const fallback = given
    ? { cloud: given, note: `${given} node prices (as given)` }
    : managed && managed.cloud !== "kubernetes"
      ? { cloud: managed.cloud, note: `${managed.cloud} node prices (the stack's managed cluster)` }
      : fleetCloud
        ? { cloud: fleetCloud, note: `${fleetCloud} node prices (the region of the fleet's Kubernetes targets)` }
        : { cloud: "aws" as const, note: "AWS us-east-1 on-demand node prices as a reference (the stack does not say which cloud runs the cluster)" };
  const of = (region: string | undefined) => {
    const fromRegion = given ? undefined : cloudOfRegion(region);
    return fromRegion ? { cloud: fromRegion, note: `${fromRegion} node prices (from the cluster's region)` } : fallback;
  };
  const regions = new Set(facts.filter((f) => f.cloud === "kubernetes").map((f) => f.region));
  const notes = [...new Set([...regions].map((r) => of(r).note))];
  return { ...fallback, of, notes: notes.length > 0 ? notes : [fallback.note] };
}

function shares(facts: ReadonlyArray<Fact>, carriers: TrafficCarriers): ServiceContext["shares"] {
  const count = (pred: (f: Fact) => boolean) => facts.filter(pred).length;
  return {
    inputQueues: count((f) => f.kind === "queue" && !f.isDeadLetter),
    topics: carriers.topics.size,
    gateways: count((f) => f.kind === "gateway"),
    webAcls: count((f) => f.kind === "resource" && (f.resource.readAs ?? f.resource.type) === "aws:wafv2/webAcl:WebAcl"),
    functions: count((f) => f.kind === "resource" && (f.resource.readAs ?? f.resource.type) === "aws:lambda/function:Function"),
    logGroups: carriers.logGroups.size,
    dataStores: carriers.stores.size,
    caches: count((f) => f.kind === "store" && ["elasticache", "redis", "memorystore"].includes(f.storeKind)),
    awsBudgets: count((f) => f.kind === "budget" && f.service === "aws-budgets"),
  };
}

/** Average running replicas per agent over the month (for per-instance charges). */
function agentReplicas(facts: ReadonlyArray<Fact>, ctx: CapacityContext): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of facts) {
    if (f.kind !== "container-workload" || !f.agent || f.workloadKind === "TaskDefinition") continue;
    out.set(f.agent, (out.get(f.agent) ?? 0) + replicaHours(f, ctx).hours / ctx.hoursPerMonth);
  }
  return out;
}

/**
 * Budgets the stack declares, added up: a fleet on several clouds splits its budget
 * across them (lib/plan/budget-split.ts), one budget resource per cloud and a part on
 * each plain-Kubernetes namespace, so the fleet's budget is the sum of its parts.
 * Added in cents, so parts of a whole-dollar budget give it back exactly.
 */
export function budgetFromFacts(facts: ReadonlyArray<Fact>): number | undefined {
  const budgets = facts.filter((f): f is BudgetFact => f.kind === "budget" && f.amountUsd !== undefined && (f.period === undefined || /month/i.test(f.period)));
  if (budgets.length === 0) return undefined;
  return budgets.reduce((sum, b) => sum + Math.round((b.amountUsd ?? 0) * 100), 0) / 100;
}

/** `$812.40 of $1,000 (81%)`. */
export function againstBudget(estimate: Pick<CostEstimate, "totalMonthlyUsd" | "budgetMonthlyUsd">): string {
  const total = `${usd(estimate.totalMonthlyUsd)}/month`;
  if (estimate.budgetMonthlyUsd === undefined) return `${total} (no budget known)`;
  const pct = (estimate.totalMonthlyUsd / estimate.budgetMonthlyUsd) * 100;
  return `${total} of a ${usd(estimate.budgetMonthlyUsd)} budget (${pct.toFixed(0)}%)`;
}
