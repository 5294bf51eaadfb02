import type { Fact, FactOf, ResourceFact } from "../facts/types";
import type { Cloud } from "../spec/accelerators";
import type { Price, PriceCatalog } from "../prices/catalog";
import type { TrafficCarriers } from "./carriers";
import { instanceHourly } from "../prices/rates";
import { nodeFraction, REFERENCE_NODES } from "./compute";
import { approx, free, priced, qty, unpriced, usd, type Outcome } from "./money";
import type { ResolvedUsage } from "./usage";
import { USAGE_BILLED_STORES } from "./carriers";
import { AZURE_EDGE_TYPES, priceAzureEdge } from "./azure-edge";
import { GCP_EDGE_TYPES, priceGcpEdge } from "./gcp-gateway";
import { GCP_MONITORING_TYPES, priceGcpMonitoring } from "./gcp-monitoring";
import { priceCosmos, priceFlexibleServer, priceRedis } from "./azure-state";

/**
 * Everything but compute: messaging, gateways, stores, logs, keys, secrets, budgets,
 * networking, and the resource types that cost nothing. Usage-billed figures split
 * the fleet's usage evenly over the resources that carry it (documented per item).
 */

export interface ServiceContext {
  readonly catalog: PriceCatalog;
  readonly usage: ResolvedUsage;
  readonly hoursPerMonth: number;
  readonly kubernetesCloud: Cloud;
  readonly kubernetesCloudNote: string;
  /** The cloud a Kubernetes resource's nodes and load balancers are priced on, from its region, and how that was decided. */
  readonly kubernetesCloudOf: (region: string | undefined) => { readonly cloud: Cloud; readonly note: string };
  /** How many resources share each usage figure. */
  readonly shares: {
    readonly inputQueues: number;
    readonly topics: number;
    readonly gateways: number;
    readonly webAcls: number;
    readonly functions: number;
    readonly logGroups: number;
    readonly dataStores: number;
    readonly caches: number;
    readonly awsBudgets: number;
  };
  /** Average replicas per agent (for per-instance registrations). */
  readonly agentReplicas: ReadonlyMap<string, number>;
  /** The topics, log groups and stores the agents' traffic goes to (lib/cost/carriers.ts). */
  readonly carriers: TrafficCarriers;
  /** The stack's RDS and Aurora databases, for the proxies in front of them. */
  readonly databases: ReadonlyArray<FactOf<"store">>;
  /** Hours of the Kubernetes nodes the estimate runs in a region (every node, or GPU nodes only), for DaemonSets. */
  readonly nodeHours: (region: string | undefined, which: "all" | "gpu") => number;
}

/** API calls per message: send, receive, delete (SQS bills each). */
const CALLS_PER_MESSAGE = 3;

function price(ctx: ServiceContext, key: string): Price | undefined {
  return ctx.catalog.find(key);
}

/** A priced outcome from catalog keys; unpriced when a key is missing. */
export function fromPrices(ctx: ServiceContext, keys: ReadonlyArray<string>, compute: (...prices: Price[]) => { usd: number; basis: string }): Outcome {
  const found = keys.map((k) => price(ctx, k));
  const missing = keys.filter((_, i) => !found[i]);
  if (missing.length > 0) return unpriced(`no catalog price ${missing.join(", ")}`);
  const prices = found as Price[]; // every key was found: checked just above
  const r = compute(...prices);
  return priced(r.usd, `${r.basis}${approx(prices)}`);
}

const perMillion = (n: number, p: Price) => (n / 1e6) * p.usd;

/** Prices one resource from its facts (besides compute), or by its type when no fact prices it. */
export function priceService(resource: ResourceFact, facts: ReadonlyArray<Fact>, ctx: ServiceContext): Outcome | undefined {
  if (/^kubernetes:postgresql\.cnpg\.io\/v1:(Cluster|Pooler)$/.test(resource.resource.type)) return priceCnpg(resource, ctx);
  if (resource.resource.type === "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy") return priceEnvoyProxy(resource, ctx);
  if (AZURE_EDGE_TYPES.has(resource.resource.type)) return priceAzureEdge(resource, ctx);
  if (GCP_EDGE_TYPES.has(resource.resource.type)) return priceGcpEdge(resource, ctx);
  if (GCP_MONITORING_TYPES.has(resource.resource.type)) return priceGcpMonitoring(resource, ctx);
  for (const f of facts) {
    const outcome = priceFact(f, ctx);
    if (outcome) return outcome;
  }
  return priceByType(resource, ctx);
}

function priceFact(f: Fact, ctx: ServiceContext): Outcome | undefined {
  const H = ctx.hoursPerMonth;
  const u = ctx.usage;
  switch (f.kind) {
    case "cluster":
      return priceCluster(f, ctx);
    case "nat-gateway": {
      const key = f.cloud === "aws" ? "aws.natgateway.hour" : f.cloud === "azure" ? "azure.natgateway.hour" : f.cloud === "gcp" ? "gcp.nat.gateway-hour" : undefined;
      if (!key) return unpriced("NAT on an unknown cloud");
      return fromPrices(ctx, [key], (p) => ({ usd: p.usd * H, basis: `${usd(p.usd)}/h × ${H} h (data processed not estimated: no usage figure for egress)` }));
    }
    case "queue": {
      if (f.service === "nats-jetstream") return free("a JetStream stream on the cluster's NATS servers (the servers are the NATS Helm release)");
      if (f.isDeadLetter) return free(`dead-letter queue: billed per request, and only failed messages arrive${f.service === "sqs" ? " ($0.40 per million)" : ""}`);
      const messages = u.messagesPerMonth / Math.max(1, ctx.shares.inputQueues);
      const share = `${qty(u.messagesPerMonth)} messages ÷ ${ctx.shares.inputQueues} input queues = ${qty(messages)}`;
      if (f.service === "sqs") {
        return fromPrices(ctx, [f.fifo ? "aws.sqs.fifo.per-million-requests" : "aws.sqs.standard.per-million-requests"], (p) => ({
          usd: perMillion(messages * CALLS_PER_MESSAGE, p),
          basis: `${share} × ${CALLS_PER_MESSAGE} requests (send, receive, delete) at ${usd(p.usd)}/M`,
        }));
      }
      if (f.service === "servicebus") {
        return fromPrices(ctx, ["azure.servicebus.standard.per-million-operations"], (p) => ({ usd: perMillion(messages * CALLS_PER_MESSAGE, p), basis: `${share} × ${CALLS_PER_MESSAGE} operations at ${usd(p.usd)}/M (namespace base fee on the namespace)` }));
      }
      if (f.service === "pubsub") {
        return fromPrices(ctx, ["gcp.pubsub.per-tib"], (p) => ({ usd: ((messages * 2 * 1024) / 1024 ** 4) * p.usd, basis: `${share} × 2 KiB billed (1 KiB minimum, publish and deliver) at ${usd(p.usd)}/TiB` }));
      }
      return unpriced(`no price rule for ${f.service} queues`);
    }
    case "topic": {
      if (f.service === "nats-jetstream") return free("JetStream subjects on the cluster's NATS servers");
      if (!ctx.carriers.topics.has(f.resource.urn)) return quietTopic(f);
      const publishes = u.messagesPerMonth / Math.max(1, ctx.shares.topics);
      const share = `${qty(u.messagesPerMonth)} messages ÷ ${ctx.shares.topics} topics = ${qty(publishes)} publishes`;
      if (f.service === "sns") return fromPrices(ctx, ["aws.sns.per-million-publishes", "aws.sns.sqs-delivery.per-million"], (p, d) => ({ usd: perMillion(publishes, p) + perMillion(publishes, d), basis: `${share} at ${usd(p.usd)}/M; deliveries to SQS ${usd(d.usd)}/M` }));
      if (f.service === "pubsub") return fromPrices(ctx, ["gcp.pubsub.per-tib"], (p) => ({ usd: ((publishes * 1024) / 1024 ** 4) * p.usd, basis: `${share} × 1 KiB billed at ${usd(p.usd)}/TiB` }));
      if (f.service === "servicebus") return fromPrices(ctx, ["azure.servicebus.standard.per-million-operations"], (p) => ({ usd: perMillion(publishes, p), basis: `${share} at ${usd(p.usd)}/M operations` }));
      return unpriced(`no price rule for ${f.service} topics`);
    }
    case "gateway":
      return priceGateway(f, ctx);
    case "gateway-route":
      return free("a route: requests are priced on its gateway");
    case "gateway-policy":
      return free("gateway configuration");
    case "load-balancer":
      return priceLoadBalancer(f.cloud, ctx, "load balancer");
    case "network-exposure":
      if (f.via === "load-balancer-service" && f.gateway === true && !f.public) return free("an internal Gateway's Service: no load balancer");
      if (f.via === "load-balancer-service") return priceLoadBalancer(f.cloud, ctx, "Service of type LoadBalancer", f.region);
      return undefined;
    case "store":
      return priceStore(f, ctx);
    case "log-group":
      return priceLogs(f, ctx);
    case "budget":
      if (f.service !== "aws-budgets") return free("cloud budgets cost nothing");
      if (ctx.shares.awsBudgets <= 2) return free("the first two AWS budgets of an account are free");
      return fromPrices(ctx, ["aws.budgets.budget-month"], (p) => ({ usd: p.usd, basis: `${ctx.shares.awsBudgets} AWS budgets in the stack, beyond the two free ones at ${usd(p.usd)}/month (assumes this is one of the paid ones)` }));
    case "secret":
      if (f.store === "secretsmanager") return fromPrices(ctx, ["aws.secretsmanager.secret-month"], (p) => ({ usd: p.usd, basis: `${usd(p.usd)}/secret-month (API calls at start-up only, not estimated)` }));
      if (f.store === "secret-manager") return fromPrices(ctx, ["gcp.secretmanager.secret-version-month"], (p) => ({ usd: p.usd, basis: `${usd(p.usd)}/active version-month` }));
      if (f.store === "keyvault") return free("Key Vault bills per operation; secrets are read at start-up only");
      return free(f.store === "kubernetes" ? "a Kubernetes Secret" : "SSM standard parameters are free");
    case "encryption-key":
      if (f.service === "kms") return fromPrices(ctx, ["aws.kms.key-month"], (p) => ({ usd: p.usd, basis: `${usd(p.usd)}/key-month (requests not estimated)` }));
      if (f.service === "cloud-kms") return fromPrices(ctx, ["gcp.kms.key-version-month"], (p) => ({ usd: p.usd, basis: `${usd(p.usd)}/key version-month` }));
      return free("Key Vault software keys bill per operation");
    case "iam-policy":
      return free("access policy");
    case "namespace":
      return free("a Kubernetes namespace");
    case "network-policy":
      return free("a NetworkPolicy");
    case "firewall-rule":
      return free("a firewall or security group rule");
    case "autoscaler":
      return free("autoscaling configuration");
    case "node-template":
      return free("a launch template; its instances are priced on their node pool");
    default:
      return undefined;
  }
}

/** A topic the agents do not publish to (alarms, budgets): a handful of notifications a month. */
function quietTopic(f: FactOf<"topic">): Outcome {
  const freeTier = f.service === "sns" ? "SNS's first million publishes a month are free" : f.service === "pubsub" ? "Pub/Sub's first 10 GiB a month are free" : "a few operations a month";
  return free(`not one of the agents' topics (alarm or budget notifications): a handful of publishes, within what is free (${freeTier})`);
}

function priceCluster(f: FactOf<"cluster">, ctx: ServiceContext): Outcome {
  const H = ctx.hoursPerMonth;
  switch (f.service) {
    case "eks":
      return fromPrices(ctx, ["aws.eks.cluster-hour"], (p) => ({ usd: p.usd * H, basis: `EKS control plane ${usd(p.usd)}/h × ${H} h (standard support)` }));
    case "aks":
      if (!f.sku || /free/i.test(f.sku)) return free("AKS free tier control plane");
      return fromPrices(ctx, ["azure.aks.standard-tier.cluster-hour"], (p) => ({ usd: p.usd * H, basis: `AKS ${f.sku} tier ${usd(p.usd)}/h × ${H} h` }));
    case "gke":
      return fromPrices(ctx, ["gcp.gke.cluster-hour"], (p) => ({ usd: p.usd * H, basis: `GKE cluster management ${usd(p.usd)}/h × ${H} h (the free-tier credit for one zonal or Autopilot cluster is not deducted)` }));
    case "ecs":
      return free("ECS clusters cost nothing; tasks and instances are priced");
    case "container-apps-environment":
      return free("a Container Apps environment on the consumption plan");
  }
}

function priceGateway(f: FactOf<"gateway">, ctx: ServiceContext): Outcome {
  const requests = ctx.usage.requestsPerMonth / Math.max(1, ctx.shares.gateways);
  const share = `${qty(ctx.usage.requestsPerMonth)} requests ÷ ${ctx.shares.gateways} gateways = ${qty(requests)}`;
  switch (f.service) {
    case "apigateway-rest":
      return fromPrices(ctx, ["aws.apigateway.rest.per-million-requests"], (p) => ({ usd: perMillion(requests, p), basis: `${share} at ${usd(p.usd)}/M (REST API)` }));
    case "apigateway-http":
      return fromPrices(ctx, ["aws.apigateway.http.per-million-requests"], (p) => ({ usd: perMillion(requests, p), basis: `${share} at ${usd(p.usd)}/M (HTTP API)` }));
    case "apim":
      return fromPrices(ctx, ["azure.apim.consumption.per-million-calls"], (p) => ({ usd: perMillion(requests, p), basis: `${share} at ${usd(p.usd)}/M (consumption tier assumed)` }));
    case "front-door":
      return fromPrices(ctx, ["azure.frontdoor.premium.base-month"], (p) => ({ usd: p.usd, basis: `Front Door Premium base ${usd(p.usd)}/month` }));
    case "gcp-api-gateway":
      return fromPrices(ctx, ["gcp.apigateway.per-million-calls"], (p) => ({ usd: perMillion(requests, p), basis: `${share} at ${usd(p.usd)}/M` }));
    case "gateway-api":
      if (f.public === false) return free("an internal Gateway: its proxies sit behind a ClusterIP Service, no load balancer (Envoy Gateway's proxy pods are priced on its EnvoyProxy)");
      return priceLoadBalancer(f.cloud, ctx, "Gateway (the controller provisions one load balancer for it; Envoy Gateway's proxy pods are priced on its EnvoyProxy)", f.region);
    case "load-balancer":
      return priceLoadBalancer(f.cloud, ctx, "load balancer");
  }
}

function priceLoadBalancer(cloud: Fact["cloud"], ctx: ServiceContext, what: string, region?: string): Outcome {
  const k8s = ctx.kubernetesCloudOf(region);
  const target = cloud === "kubernetes" ? k8s.cloud : cloud;
  const key = target === "aws" ? "aws.nlb.hour" : target === "gcp" ? "gcp.lb.forwarding-rule-hour" : target === "azure" ? "azure.lb.standard.rule-hour" : undefined;
  if (!key) return unpriced(`${what}: no load balancer price for ${target}`);
  const note = cloud === "kubernetes" ? `; ${k8s.note}` : "";
  return fromPrices(ctx, [key], (p) => ({ usd: p.usd * ctx.hoursPerMonth, basis: `${what}: ${usd(p.usd)}/h × ${ctx.hoursPerMonth} h (capacity units not estimated${note})` }));
}

function priceStore(f: FactOf<"store">, ctx: ServiceContext): Outcome {
  const H = ctx.hoursPerMonth;
  const u = ctx.usage;
  const storage = u.storageGb / Math.max(1, ctx.shares.dataStores);
  const storageText = `${qty(u.storageGb)} GB ÷ ${ctx.shares.dataStores} stores = ${qty(storage)} GB`;
  if (USAGE_BILLED_STORES.includes(f.storeKind) && !ctx.carriers.stores.has(f.resource.urn)) {
    return priced(0, `no share of the agents' ${qty(u.storageGb)} GB and ${qty(u.messagesPerMonth)} messages (not the agents' state: a lease or bookkeeping table); its own few items and requests are not estimated`);
  }
  switch (f.storeKind) {
    case "dynamodb": {
      if (f.capacityMode !== "on-demand") return unpriced("provisioned DynamoDB capacity: the catalog has on-demand prices only");
      const writes = u.messagesPerMonth / Math.max(1, ctx.shares.dataStores);
      const reads = 2 * writes;
      const keys = ["aws.dynamodb.ondemand.per-million-write-request-units", "aws.dynamodb.ondemand.per-million-read-request-units", "aws.dynamodb.storage.gb-month", "aws.dynamodb.pitr.gb-month"];
      return fromPrices(ctx, keys, (w, r, s, pitr) => ({
        usd: perMillion(writes, w) + perMillion(reads, r) + storage * s.usd + (f.backups.pointInTime ? storage * pitr.usd : 0),
        basis: `on-demand: ${qty(writes)} writes at ${usd(w.usd)}/M + ${qty(reads)} reads at ${usd(r.usd)}/M (one write and two reads per message, split over the stores); ${storageText} at ${usd(s.usd)}/GB-month${f.backups.pointInTime ? ` + PITR ${usd(pitr.usd)}/GB-month` : ""}`,
      }));
    }
    case "elasticache": {
      if (f.capacityMode !== "serverless") return unpriced("node-based ElastiCache: the catalog has serverless prices only");
      const requests = u.messagesPerMonth / Math.max(1, ctx.shares.caches);
      return fromPrices(ctx, ["aws.elasticache.serverless.valkey.gb-hour", "aws.elasticache.serverless.valkey.per-million-ecpu"], (g, e) => ({
        usd: 0.1 * g.usd * H + perMillion(requests, e),
        basis: `serverless Valkey at its 100 MB metered minimum × ${usd(g.usd)}/GB-h × ${H} h + ${qty(requests)} requests at 1 ECPU each, ${usd(e.usd)}/M ECPU`,
      }));
    }
    case "rds": {
      const cls = f.instanceClass;
      if (!cls) return unpriced("no instance class stated");
      const instance = price(ctx, `aws.rds.postgres.${cls}.hour`);
      if (!instance) return unpriced(`no catalog price for RDS ${cls}`);
      const size = f.sizeGb ?? 20;
      const multiAz = f.highAvailability === true;
      return fromPrices(ctx, [instance.key, "aws.rds.gp3.gb-month"], (i, s) => ({
        usd: i.usd * H * (multiAz ? 2 : 1) + size * s.usd * (multiAz ? 2 : 1),
        basis: `${cls} ${usd(i.usd)}/h × ${H} h${multiAz ? " × 2 (Multi-AZ)" : ""} + ${size} GB gp3 at ${usd(s.usd)}/GB-month${f.sizeGb === undefined ? " (20 GB assumed)" : ""}; backups within the database size are free`,
      }));
    }
    case "postgres":
      // An in-cluster Postgres (CloudNativePG, a store fact since the facts layer reads it): its pods and volumes are what cost.
      if (f.cloud === "kubernetes") return unpriced("CloudNativePG runs these as pods (and volumes) it creates; no fact states their size");
      if (f.cloud === "azure") return priceFlexibleServer(f, ctx);
      return unpriced(`no price rule for ${f.storeKind}${f.instanceClass ? ` ${f.instanceClass}` : ""} stores`);
    case "volume": {
      const size = f.sizeGb;
      if (size === undefined) return unpriced("a volume with no size stated");
      const cloud = f.cloud === "kubernetes" ? ctx.kubernetesCloudOf(f.region).cloud : f.cloud;
      if (cloud !== "aws") return unpriced(`no block storage price for ${cloud} in the catalog`);
      const note = f.cloud === "kubernetes" ? `; ${ctx.kubernetesCloudOf(f.region).note}` : "";
      return fromPrices(ctx, ["aws.ebs.gp3.gb-month"], (p) => ({ usd: size * p.usd, basis: `${qty(size)} GB at ${usd(p.usd)}/GB-month (gp3${note})` }));
    }
    case "cosmosdb":
      return priceCosmos(f, ctx, storage, storageText);
    case "redis":
      return priceRedis(f, ctx);
    case "firestore": {
      // A database in a multi-region location (nam5, eur3: the fact's highAvailability) bills about twice the regional rates.
      const multi = f.highAvailability === true ? "multi-region." : "";
      return fromPrices(ctx, [`gcp.firestore.${multi}per-100k-writes`, `gcp.firestore.${multi}per-100k-reads`, `gcp.firestore.${multi}storage.gb-month`], (w, r, s) => {
        const writes = u.messagesPerMonth / Math.max(1, ctx.shares.dataStores);
        return { usd: (writes / 1e5) * w.usd + ((2 * writes) / 1e5) * r.usd + storage * s.usd, basis: `${qty(writes)} writes, ${qty(2 * writes)} reads, ${storageText}${multi ? " (multi-region location)" : ""}` };
      });
    }
    case "cloudsql": {
      const shape = cloudSqlMachine(f.instanceClass ?? "");
      if (!shape) return unpriced(`no vCPU and memory known for Cloud SQL tier ${f.instanceClass ?? "(none)"}`);
      const size = f.sizeGb ?? 20;
      const ha = f.highAvailability === true ? 2 : 1;
      return fromPrices(ctx, ["gcp.cloudsql.postgres.vcpu-hour", "gcp.cloudsql.postgres.gb-hour", "gcp.cloudsql.storage.gb-month"], (v, m, s) => ({
        usd: (shape.vcpu * v.usd + shape.memoryGb * m.usd) * H * ha + size * s.usd * ha,
        basis: `${f.instanceClass}: ${shape.vcpu} vCPU at ${usd(v.usd)}/h + ${shape.memoryGb} GB at ${usd(m.usd)}/h × ${H} h${ha === 2 ? " × 2 (regional HA)" : ""} + ${size} GB at ${usd(s.usd)}/GB-month${shape.note}`,
      }));
    }
    case "memorystore":
      return fromPrices(ctx, ["gcp.memorystore.redis.basic-1gb.hour"], (p) => ({ usd: p.usd * H, basis: `Basic 1 GB ${usd(p.usd)}/h × ${H} h` }));
    default:
      return unpriced(`no price rule for ${f.storeKind}${f.instanceClass ? ` ${f.instanceClass}` : ""} stores`);
  }
}

function priceLogs(f: FactOf<"log-group">, ctx: ServiceContext): Outcome {
  if (f.service !== "loki" && !ctx.carriers.logGroups.has(f.resource.urn)) {
    return priced(0, `no share of the agents' ${qty(ctx.usage.logsGbPerMonth)} GB of logs (not an agent's log group: flow, control-plane, gateway or database logs); its own volume has no usage figure and is not estimated`);
  }
  const gb = ctx.usage.logsGbPerMonth / Math.max(1, ctx.shares.logGroups);
  const share = `${qty(ctx.usage.logsGbPerMonth)} GB ÷ ${ctx.shares.logGroups} log groups = ${qty(gb)} GB`;
  if (f.service === "loki") return free("logs kept in the cluster's Loki");
  if (f.service === "cloudwatch") {
    const months = f.retentionDays === undefined ? 12 : Math.min(f.retentionDays, 3650) / 30;
    return fromPrices(ctx, ["aws.cloudwatch.logs.ingest-gb", "aws.cloudwatch.logs.storage-gb-month"], (i, s) => ({
      usd: gb * i.usd + gb * months * s.usd,
      basis: `${share} ingested at ${usd(i.usd)}/GB; ${qty(gb * months)} GB kept (${f.retentionDays === undefined ? "no retention: a year assumed" : `${f.retentionDays} days`}) at ${usd(s.usd)}/GB-month`,
    }));
  }
  if (f.service === "log-analytics") return fromPrices(ctx, ["azure.monitor.logs.ingest-gb"], (p) => ({ usd: gb * p.usd, basis: `${share} at ${usd(p.usd)}/GB` }));
  return fromPrices(ctx, ["gcp.logging.ingest-gb"], (p) => ({ usd: gb * p.usd, basis: `${share} at ${usd(p.usd)}/GiB (first 50 GiB a project free, not deducted)` }));
}

/**
 * vCPUs and memory of a Cloud SQL tier: `db-custom-<vCPU>-<MiB>`, and Enterprise
 * Plus `db-perf-optimized-N-<vCPU>` (8 GB per vCPU), the latter at Enterprise
 * rates (the catalog has no Enterprise Plus price: an underestimate, said so).
 */
export function cloudSqlMachine(tier: string): { vcpu: number; memoryGb: number; note: string } | undefined {
  const custom = /^db-custom-(\d+)-(\d+)$/.exec(tier);
  if (custom) return { vcpu: Number(custom[1]), memoryGb: Number(custom[2]) / 1024, note: "" };
  const plus = /^db-perf-optimized-N-(\d+)$/.exec(tier);
  if (plus) return { vcpu: Number(plus[1]), memoryGb: 8 * Number(plus[1]), note: "; Enterprise Plus priced at Enterprise rates (no Enterprise Plus price in the catalog)" };
  return undefined;
}

/**
 * vCPUs of an RDS instance class: `large` 2, `xlarge` 4, `Nxlarge` 4N; the burstable
 * `micro`, `small` and `medium` sizes 2 (AWS's instance class table).
 */
export function rdsClassVcpus(instanceClass: string): number | undefined {
  const size = /^db\.[a-z0-9-]+\.(.+)$/.exec(instanceClass)?.[1];
  if (!size) return undefined;
  if (size === "micro" || size === "small" || size === "medium" || size === "large") return 2;
  if (size === "xlarge") return 4;
  const n = /^(\d+)xlarge$/.exec(size)?.[1];
  return n ? 4 * Number(n) : undefined;
}

/**
 * RDS Proxy bills the vCPUs of the database instance behind it (at least 2). The
 * database is the stack's RDS instance of the proxy's fleet and region; a proxy with
 * no such single database stays unpriced.
 */
function priceRdsProxy(r: ResourceFact, ctx: ServiceContext): Outcome {
  const fleet = r.tags.fleet;
  const dbs = ctx.databases.filter((d) => d.storeKind === "rds" && d.cloud === "aws" && (fleet === undefined || d.tags.fleet === fleet) && (r.region === undefined || d.region === undefined || d.region === r.region));
  if (dbs.length !== 1) return unpriced(`RDS Proxy bills the vCPUs of the instance behind it; ${dbs.length === 0 ? "no RDS instance" : `${dbs.length} RDS instances`} of its fleet in ${r.region ?? "its region"}`);
  const db = dbs[0];
  const vcpus = db.instanceClass ? rdsClassVcpus(db.instanceClass) : undefined;
  if (vcpus === undefined) return unpriced(`RDS Proxy bills the vCPUs of ${db.resource.name}, whose class (${db.instanceClass ?? "not stated"}) has no known vCPU count`);
  const billed = Math.max(2, vcpus);
  return fromPrices(ctx, ["aws.rdsproxy.vcpu-hour"], (p) => ({
    usd: billed * p.usd * ctx.hoursPerMonth,
    basis: `${billed} vCPUs of ${db.resource.name} (${db.instanceClass}${vcpus < 2 ? ", 2 billed at least" : ""}) × ${usd(p.usd)}/vCPU-h × ${ctx.hoursPerMonth} h (a Multi-AZ standby is not counted)`,
  }));
}

/** Block storage per GB-month by cloud, for volumes on Kubernetes clusters. */
const DISK_KEY: Readonly<Record<Cloud, string>> = { aws: "aws.ebs.gp3.gb-month", azure: "azure.disk.standard-ssd.gb-month", gcp: "gcp.pd.balanced.gb-month" };

/**
 * Pods and volumes an in-cluster service runs (a CloudNativePG cluster, a Helm
 * release): each pod pays its dominant share of the cluster's reference node all
 * month; volumes are priced per GB on the cluster's cloud.
 */
function podsAndVolumes(ctx: ServiceContext, region: string | undefined, what: string, pods: number, perPod: { cpu: number; memoryMiB: number }, volumeGb: number): Outcome {
  const k8s = ctx.kubernetesCloudOf(region);
  const node = REFERENCE_NODES[k8s.cloud];
  const rate = instanceHourly(node.cloud, node.instanceType, ctx.catalog);
  if (!rate) return unpriced(`no price for the reference node ${node.instanceType}`);
  const fraction = pods > 0 ? nodeFraction({ ...perPod, gpus: 0 }, node) : 0;
  const podUsd = fraction * rate.usd * ctx.hoursPerMonth * pods;
  const podText = pods > 0 ? `${pods} pod(s) × ${(fraction * 100).toFixed(1)}% of a ${node.instanceType} at ${usd(rate.usd)}/h × ${ctx.hoursPerMonth} h` : "pods with no requests (they reserve no node capacity)";
  if (volumeGb === 0) return priced(podUsd, `${what}: ${podText} (${k8s.note})${approx(rate.prices)}`);
  const disk = price(ctx, DISK_KEY[k8s.cloud]);
  if (!disk) return unpriced(`${what}'s volumes: no ${k8s.cloud} block storage price in the catalog (${DISK_KEY[k8s.cloud]})`);
  return priced(podUsd + volumeGb * disk.usd, `${what}: ${podText} + ${qty(volumeGb)} GB of volumes at ${usd(disk.usd)}/GB-month (${k8s.note})${approx([...rate.prices, disk])}`);
}

/** A number from a resource's billing dimensions, or the default. */
function billed(r: ResourceFact, key: string, d: number): number {
  const v = r.billing?.[key];
  return typeof v === "number" ? v : d;
}

/**
 * A CloudNativePG Cluster or Pooler: its instances at the size its spec requests, and
 * (a Cluster) a data and WAL volume each. A Pooler whose pods request nothing (CNPG's
 * default) reserves no node capacity.
 */
function priceCnpg(r: ResourceFact, ctx: ServiceContext): Outcome {
  const instances = billed(r, "instances", 1);
  const [cpu, memoryMiB] = [billed(r, "cpu", 0), billed(r, "memoryMiB", 0)];
  if (cpu === 0 && memoryMiB === 0) {
    if (r.resource.type.endsWith(":Pooler")) return free(`${instances} PgBouncer pod(s) with no requests (BestEffort): they reserve no node capacity`);
    return unpriced("its instances request no cpu or memory, so their share of a node is unknown");
  }
  return podsAndVolumes(ctx, r.region, "CloudNativePG", instances, { cpu, memoryMiB }, billed(r, "storageGb", 0) * instances);
}

/**
 * A Helm release: the pods and volumes its values size (lib/facts/kubernetes.ts
 * `helmBilling`), like any pod: each Deployment or StatefulSet pod its dominant share
 * of the cluster's reference node all month, volumes per GB; each DaemonSet pod its
 * share of a reference node for every node-hour of the nodes it runs on (all of the
 * region's Kubernetes nodes, or its GPU nodes, as the estimate counts them). A
 * release, or a component of it, whose values size nothing runs at the chart's own
 * defaults: unpriced.
 */
function priceHelmRelease(r: ResourceFact, ctx: ServiceContext): Outcome {
  const chart = typeof r.billing?.chart === "string" && r.billing.chart !== "" ? r.billing.chart : "the chart";
  const unsized = r.billing?.unsized;
  if (typeof unsized === "string") return unpriced(`${chart}: ${unsized} run(s) at the chart's own defaults: its values set no pod requests for them`);
  if (r.billing?.sized !== true) return unpriced(`${chart} runs at the chart's own defaults: its values set no pod requests or volume sizes`);
  const pods = billed(r, "pods", 0);
  const perPod = pods > 0 ? { cpu: billed(r, "cpu", 0) / pods, memoryMiB: billed(r, "memoryMiB", 0) / pods } : { cpu: 0, memoryMiB: 0 };
  const deployed = pods > 0 || billed(r, "volumeGb", 0) > 0 ? podsAndVolumes(ctx, r.region, chart, pods, perPod, billed(r, "volumeGb", 0)) : undefined;
  const daemons = typeof r.billing?.daemonSets === "string" ? perNodePods(r, ctx, chart, r.billing.daemonSets) : undefined;
  if (!deployed) return daemons ?? unpriced(`${chart}: nothing sized`);
  if (!daemons || deployed.kind !== "priced") return deployed;
  if (daemons.kind !== "priced") return daemons;
  return priced(deployed.usd + daemons.usd, `${deployed.basis}; ${daemons.basis}`);
}

/** A release's DaemonSet pods: their share of a reference node for every node-hour of the nodes they run on. */
function perNodePods(r: ResourceFact, ctx: ServiceContext, chart: string, which: string): Outcome {
  const k8s = ctx.kubernetesCloudOf(r.region);
  const node = REFERENCE_NODES[k8s.cloud];
  const rate = instanceHourly(node.cloud, node.instanceType, ctx.catalog);
  if (!rate) return unpriced(`no price for the reference node ${node.instanceType}`);
  const parts: Array<{ what: string; cpu: number; memoryMiB: number; hours: number }> = [
    { what: "every node", cpu: billed(r, "perNodeCpu", 0), memoryMiB: billed(r, "perNodeMemoryMiB", 0), hours: ctx.nodeHours(r.region, "all") },
    { what: "every GPU node", cpu: billed(r, "perGpuNodeCpu", 0), memoryMiB: billed(r, "perGpuNodeMemoryMiB", 0), hours: ctx.nodeHours(r.region, "gpu") },
  ].filter((p) => p.cpu > 0 || p.memoryMiB > 0);
  const none = parts.find((p) => p.hours <= 0);
  if (none) return unpriced(`${chart}: its DaemonSet pods (${which}) run on ${none.what}, and the estimate counts no such Kubernetes node in ${r.region ?? "its cluster's region"}`);
  let total = 0;
  const texts = parts.map((p) => {
    const fraction = nodeFraction({ cpu: p.cpu, memoryMiB: p.memoryMiB, gpus: 0 }, node);
    total += fraction * rate.usd * p.hours;
    return `a pod on ${p.what} × ${(fraction * 100).toFixed(1)}% of a ${node.instanceType} at ${usd(rate.usd)}/h × ${qty(p.hours)} node-h`;
  });
  return priced(total, `${chart} DaemonSets (${which}): ${texts.join(" + ")} (${k8s.note})${approx(rate.prices)}`);
}

/**
 * A Firestore backup schedule: every backup is a full copy of its database, billed per
 * GiB-month while it is kept, so the schedule keeps (retention ÷ interval) copies of
 * the state store's share of the fleet's stored data. Restores are billed per GiB
 * restored and are not estimated.
 */
function priceFirestoreBackups(r: ResourceFact, ctx: ServiceContext): Outcome {
  const days = billed(r, "retentionDays", 0);
  if (days <= 0) return unpriced("a Firestore backup schedule with no retention stated");
  const weekly = r.billing?.recurrence === "weekly";
  const copies = Math.max(1, Math.floor(days / (weekly ? 7 : 1)));
  const databaseGb = ctx.usage.storageGb / Math.max(1, ctx.shares.dataStores);
  return fromPrices(ctx, ["gcp.firestore.backup.gb-month"], (p) => ({
    usd: copies * databaseGb * p.usd,
    basis: `${copies} ${weekly ? "weekly" : "daily"} backup(s) kept (${qty(days)} days' retention) × ${qty(databaseGb)} GB (${qty(ctx.usage.storageGb)} GB ÷ ${ctx.shares.dataStores} stores) at ${usd(p.usd)}/GiB-month (restores, billed per GiB restored, not estimated)`,
  }));
}

/**
 * An EnvoyProxy: the proxy pods Envoy Gateway runs for its class's Gateway (one
 * Gateway per fleet), each its share of the reference node all month.
 */
function priceEnvoyProxy(r: ResourceFact, ctx: ServiceContext): Outcome {
  if (r.billing?.envoyDaemonSet === true) return unpriced("its proxies run as a DaemonSet, one per node; the node count is the cluster's");
  const replicas = billed(r, "replicas", 1);
  return podsAndVolumes(ctx, r.region, "Envoy proxy of the fleet's Gateway (envoy + shutdown manager)", replicas, { cpu: billed(r, "cpu", 0.11), memoryMiB: billed(r, "memoryMiB", 544) }, 0);
}

/** Types that cost nothing by themselves, by type token. */
const FREE_TYPES: ReadonlyArray<[RegExp, string]> = [
  [/^aws:ec2\/(vpc|subnet|routeTable|routeTableAssociation|route|internetGateway|internetGatewayAttachment|securityGroup|securityGroupRule|defaultSecurityGroup|defaultRouteTable|defaultNetworkAcl|networkAcl|networkAclRule|mainRouteTableAssociation|vpcEndpointRouteTableAssociation|egressOnlyInternetGateway):/, "VPC networking object"],
  [/^aws:vpc\//, "VPC networking object"],
  [/^aws:iam\//, "IAM object"],
  [/^aws:ecs\/(cluster|capacityProvider|clusterCapacityProviders|taskDefinition):/, "ECS configuration (tasks and instances are priced)"],
  [/^aws:appautoscaling\//, "autoscaling configuration"],
  [/^aws:autoscaling\/(policy|lifecycleHook|attachment):/, "autoscaling configuration"],
  [/^aws:sns\/(topicPolicy|topicSubscription|topicSubscriptionFilter):/, "SNS configuration (deliveries to SQS are free)"],
  [/^aws:sqs\/(queuePolicy|redrivePolicy|redriveAllowPolicy):/, "SQS configuration"],
  [/^aws:kms\/alias:/, "a KMS alias"],
  [/^aws:cloudwatch\/(logMetricFilter|logSubscriptionFilter|eventRule|eventTarget):/, "CloudWatch configuration (log ingestion is priced on the log group)"],
  [/^aws:ec2\/launchTemplate:/, "a launch template"],
  [/^aws:ec2\/flowLog:/, "flow log configuration (its logs are priced on the log group)"],
  [/^aws:lb\/(listener|targetGroup|listenerRule|targetGroupAttachment):/, "load balancer configuration (the load balancer is priced)"],
  [/^aws:apigateway\/(?!restApi)/, "API Gateway configuration (requests are priced on the stage)"],
  [/^aws:apigatewayv2\/(?!api:)/, "API Gateway configuration (requests are priced on the stage)"],
  [/^aws:(apigateway\/restApi|apigatewayv2\/api):/, "the API itself (requests are priced on its stage)"],
  [/^aws:wafv2\/webAclAssociation:/, "a WAF association"],
  [/^aws:secretsmanager\/(secretVersion|secretRotation|secretPolicy):/, "secret configuration (the secret is priced)"],
  [/^aws:xray\/(group|samplingRule):/, "X-Ray configuration (recorded traces are billed by use, not estimated)"],
  [/^aws:lambda\/permission:/, "a Lambda permission"],
  [/^aws:route53\/record:/, "a DNS record (queries are billed per million on the zone; alias queries to AWS resources are free)"],
  [/^aws:acm\/(certificate|certificateValidation):/, "public ACM certificates cost nothing"],
  [/^aws:cloudwatch\/logResourcePolicy:/, "a log resource policy"],
  [/^aws:servicediscovery\/httpNamespace:/, "an HTTP namespace"],
  [/^aws:elasticache\/(user|userGroup|subnetGroup|parameterGroup):/, "ElastiCache configuration (the cache is priced)"],
  [/^aws:rds\/(parameterGroup|subnetGroup|clusterParameterGroup|optionGroup|proxyDefaultTargetGroup|proxyTarget):/, "RDS configuration (the database and its proxy are priced)"],
  [/^aws:eks\/(addon|podIdentityAssociation|accessEntry|accessPolicyAssociation):/, "EKS add-ons, Pod Identity associations and access entries cost nothing (add-on pods run on the priced nodes)"],
  [/^aws:dynamodb\/(contributorInsights|resourcePolicy):/, "DynamoDB configuration"],
  [/^aws:ssm\/parameter:/, "an SSM parameter (standard tier assumed: free)"],
  [/^aws:cognito\/(userPoolClient|userPoolDomain|resourceServer):/, "Cognito configuration"],
  [/^kubernetes:core\/v1:(Service|ServiceAccount|ConfigMap|Secret|Namespace|LimitRange|ResourceQuota|Endpoints)$/, "a Kubernetes object"],
  [/^kubernetes:(rbac\.authorization\.k8s\.io|policy|coordination\.k8s\.io|networking\.k8s\.io|scheduling\.k8s\.io|admissionregistration\.k8s\.io|apiextensions\.k8s\.io)\//, "a Kubernetes object"],
  [/^kubernetes:(keda\.sh|jetstream\.nats\.io|monitoring\.coreos\.com|cert-manager\.io|gateway\.networking\.k8s\.io|gateway\.envoyproxy\.io|opentelemetry\.io|secrets-store\.csi\.x-k8s\.io)\//, "a custom resource read by a controller (the controller's pods are its Helm release)"],
  [/^kubernetes:postgresql\.cnpg\.io\/v1:ScheduledBackup$/, "a backup schedule (the object storage it writes to is not in the stack)"],
  [/^azure-native:(network:(VirtualNetwork|Subnet|NetworkSecurityGroup|SecurityRule|RouteTable)|authorization:|managedidentity:|resources:ResourceGroup|insights:DiagnosticSetting)/, "Azure configuration object"],
  [/^azure-native:apimanagement:(Api|ApiOperation|ApiPolicy|ApiOperationPolicy|Policy|Backend|GlobalSchema|Tag|TagByApi|NamedValue|Logger)$/, "API Management configuration (calls are included in the service's units)"],
  [/^azure-native:(cdn:(AFDEndpoint|AFDOriginGroup|AFDOrigin|Route|AFDCustomDomain|SecurityPolicy)|frontdoor:Policy)$/, "Front Door configuration: endpoints, origins, routes, managed certificates and the WAF policy with its managed rule sets are included in the Premium profile's base fee"],
  [/^azure-native:(dns:RecordSet|privatedns:PrivateRecordSet)$/, "DNS records: billed as queries on their zone (not estimated)"],
  [/^azure-native:servicebus:NamespaceNetworkRuleSet$/, "the namespace's IP firewall: part of the namespace"],
  [/^azure-native:(servicebus:(Subscription|Rule)|storage:(BlobServiceProperties|BlobContainer)|network:PrivateDnsZoneGroup|privatedns:VirtualNetworkLink|monitor:DiagnosticSetting|consumption:Budget)$/, "Azure configuration (operations, logs and storage are priced where they land)"],
  [/^azure-native:(cosmosdb:SqlResource(SqlDatabase|SqlContainer|SqlRoleAssignment|SqlRoleDefinition)|redisenterprise:(Database|AccessPolicyAssignment)|dbforpostgresql:(Configuration|AdministratorsMicrosoftEntra|Database))$/, "state store configuration (throughput, storage and compute are priced on the Cosmos DB account, Managed Redis cluster and Postgres server)"],
  [/^azure-native:monitor:ActionGroup$/, "an action group: the first 1,000 e-mails a month are free"],
  [/^azure-native:monitor:(DataCollectionEndpoint|DataCollectionRule|DataCollectionRuleAssociation)$/, "data collection wiring (managed Prometheus samples are priced on the Azure Monitor workspace, Container insights logs as Log Analytics ingestion)"],
  [/^azure-native:applicationinsights:Workbook$/, "an Azure Monitor workbook: workbooks are free (the queries it runs read data already paid for)"],
  [/^azure-native:applicationinsights:Component$/, "workspace-based Application Insights: its data is billed as Log Analytics ingestion on the workspace"],
  [/^azure-native:keyvault:Vault$/, "a Key Vault has no monthly fee (Standard tier); secret reads at $0.03 per 10,000 are not estimated"],
  [/^azure-native:storage:StorageAccount$/, "the leader-lease account: a few bytes of blobs and a lease renewal a minute per active-passive agent, under a cent a month"],
  [/^gcp:(compute\/(network|subnetwork|firewall|router):|projects\/|serviceaccount\/|pubsub\/(topicIAM|subscriptionIAM))/, "GCP configuration object"],
  [/^gcp:(compute\/globalAddress:|servicenetworking\/connection:|logging\/projectSink:|kms\/(keyRing|cryptoKeyIAMMember):|cloudrunv2\/serviceIamMember:|secretmanager\/secretIamMember:|networkconnectivity\/serviceConnectionPolicy:|sql\/user:|firestore\/(index|field):|monitoring\/(notificationChannel|dashboard):)/, "GCP configuration object (no charge of its own: an internal range, a peering, a log route, IAM, an index definition, a channel or a dashboard)"],
  [/^kubernetes:secret-sync\.gke\.io\//, "Kubernetes object (a Secret Manager sync request)"],
];

/** Log search alert prices by evaluation frequency (seconds). */
const LOG_ALERT_KEYS: Readonly<Record<number, string>> = { 60: "azure.monitor.log-alert.1min.time-series-month", 300: "azure.monitor.log-alert.5min.time-series-month", 900: "azure.monitor.log-alert.15min.time-series-month" };

/** Series a Prometheus memory rule reads each evaluation (a handful of pods, working set and limit), for its query cost. */
const PROMETHEUS_SERIES_PER_RULE = 20;

/**
 * Azure Monitor alerts: a metric alert per monitored time series; a log search alert
 * per time series at its evaluation frequency's rate; Prometheus alert rules by the
 * samples their queries process.
 */
function priceAzureAlert(type: string, b: Readonly<Record<string, string | number | boolean>>, ctx: ServiceContext): Outcome {
  const series = typeof b.timeSeries === "number" ? b.timeSeries : 1;
  if (type === "azure-native:monitor:MetricAlert") return fromPrices(ctx, ["azure.monitor.metric-alert.time-series-month"], (p) => ({ usd: series * p.usd, basis: `${series} time series × ${usd(p.usd)}/month (the subscription's first 10 free, not deducted)` }));
  if (type === "azure-native:monitor:ScheduledQueryRule") {
    const every = typeof b.frequencySeconds === "number" ? b.frequencySeconds : 300;
    const key = LOG_ALERT_KEYS[every];
    if (!key) return unpriced(`no catalog price for log search alerts evaluated every ${every} s`);
    return fromPrices(ctx, [key], (p) => ({ usd: series * p.usd, basis: `log search alert every ${every / 60} min: ${series} time series × ${usd(p.usd)}/month` }));
  }
  const rules = typeof b.rules === "number" ? b.rules : 0;
  const interval = typeof b.intervalSeconds === "number" && b.intervalSeconds > 0 ? b.intervalSeconds : 60;
  const samples = rules * PROMETHEUS_SERIES_PER_RULE * ((ctx.hoursPerMonth * 3600) / interval);
  return fromPrices(ctx, ["azure.monitor.prometheus.query.per-10m-samples"], (p) => ({ usd: (samples / 1e7) * p.usd, basis: `${rules} rule(s) every ${interval} s reading ~${PROMETHEUS_SERIES_PER_RULE} series each: ${qty(samples)} samples processed at ${usd(p.usd)}/10M` }));
}

/** Managed Prometheus samples a month from the AKS metrics add-on's default scrape targets: ~5,000 series every 30 s. */
const PROMETHEUS_SAMPLES_PER_MONTH = 5000 * 2 * 60 * 730;

function priceByType(r: ResourceFact, ctx: ServiceContext): Outcome {
  const type = r.resource.readAs ?? r.resource.type;
  const H = ctx.hoursPerMonth;
  const b = r.billing ?? {};
  if (type === "aws:ec2/eip:Eip") return fromPrices(ctx, ["aws.vpc.public-ipv4.hour"], (p) => ({ usd: p.usd * H, basis: `public IPv4 ${usd(p.usd)}/h × ${H} h` }));
  if (type === "aws:ec2/vpcEndpoint:VpcEndpoint") {
    if (b.endpointType === "Gateway" || b.endpointType === undefined) return free("gateway VPC endpoints (S3, DynamoDB) are free");
    const zones = typeof b.zones === "number" && b.zones > 0 ? b.zones : 2;
    return fromPrices(ctx, ["aws.vpc.endpoint.interface-hour"], (p) => ({ usd: p.usd * zones * H, basis: `interface endpoint ${usd(p.usd)}/AZ-h × ${zones} AZs × ${H} h (data processed not estimated)` }));
  }
  if (type === "aws:cloudwatch/metricAlarm:MetricAlarm") return fromPrices(ctx, ["aws.cloudwatch.alarm-month"], (p) => ({ usd: p.usd, basis: `standard-resolution alarm ${usd(p.usd)}/month` }));
  if (type === "aws:cloudwatch/dashboard:Dashboard") return fromPrices(ctx, ["aws.cloudwatch.dashboard-month"], (p) => ({ usd: p.usd, basis: `${usd(p.usd)}/dashboard-month (the account's first three are free, not deducted)` }));
  if (type === "aws:wafv2/webAcl:WebAcl") {
    const rules = typeof b.rules === "number" ? b.rules : 0;
    const requests = ctx.usage.requestsPerMonth / Math.max(1, ctx.shares.webAcls);
    return fromPrices(ctx, ["aws.waf.webacl-month", "aws.waf.rule-month", "aws.waf.per-million-requests"], (acl, rule, req) => ({
      usd: acl.usd + rules * rule.usd + perMillion(requests, req),
      basis: `web ACL ${usd(acl.usd)} + ${rules} rules × ${usd(rule.usd)} a month + ${qty(requests)} requests at ${usd(req.usd)}/M`,
    }));
  }
  if (type === "aws:lambda/function:Function") {
    const memoryGb = (typeof b.memoryMb === "number" ? b.memoryMb : 128) / 1024;
    const invocations = ctx.usage.requestsPerMonth / Math.max(1, ctx.shares.functions);
    return fromPrices(ctx, ["aws.lambda.per-million-requests", "aws.lambda.gb-second"], (req, gbs) => ({
      usd: perMillion(invocations, req) + invocations * 0.1 * memoryGb * gbs.usd,
      basis: `${qty(invocations)} invocations (one per gateway request, split over ${ctx.shares.functions} functions) at ${usd(req.usd)}/M + 100 ms each at ${memoryGb * 1024} MB, ${usd(gbs.usd)}/GB-s (free tier not deducted)`,
    }));
  }
  if (type === "aws:rds/proxy:Proxy") return priceRdsProxy(r, ctx);
  if (type === "aws:route53/healthCheck:HealthCheck") {
    const features = (["https", "stringMatching", "fastInterval", "measureLatency"] as const).filter((k) => b[k] === true);
    const aws = b.awsEndpoint !== false;
    const keys = aws ? ["aws.route53.health-check.aws-endpoint-month", "aws.route53.health-check.optional-feature-month"] : ["aws.route53.health-check.non-aws-endpoint-month", "aws.route53.health-check.non-aws-optional-feature-month"];
    return fromPrices(ctx, keys, (base, opt) => ({
      usd: base.usd + features.length * opt.usd,
      basis: `health check of ${aws ? "an AWS" : "a non-AWS"} endpoint ${usd(base.usd)}/month${features.length > 0 ? ` + ${features.join(", ")} at ${usd(opt.usd)} each` : ""}`,
    }));
  }
  if (type === "aws:route53/zone:Zone") return fromPrices(ctx, ["aws.route53.hosted-zone-month"], (p) => ({ usd: p.usd, basis: `hosted zone ${usd(p.usd)}/month (queries not estimated; alias queries to AWS resources are free)` }));
  if (type === "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace") return fromPrices(ctx, ["aws.route53.hosted-zone-month"], (p) => ({ usd: p.usd, basis: `its Route 53 private hosted zone, ${usd(p.usd)}/month` }));
  if (type === "aws:servicediscovery/service:Service") {
    const replicas = r.agent ? ctx.agentReplicas.get(r.agent) : undefined;
    if (replicas === undefined) return free("a Cloud Map service with no registered instances found");
    return fromPrices(ctx, ["aws.cloudmap.resource-month"], (p) => ({ usd: replicas * p.usd, basis: `${+replicas.toFixed(2)} registered task(s) on average × ${usd(p.usd)}/instance-month` }));
  }
  if (type === "azure-native:servicebus:Namespace") {
    if (b.sku === "Premium") {
      const units = typeof b.capacity === "number" ? b.capacity : 1;
      return fromPrices(ctx, ["azure.servicebus.premium.mu-hour"], (p) => ({ usd: p.usd * units * H, basis: `Premium ${units} messaging unit(s) × ${usd(p.usd)}/h × ${H} h` }));
    }
    return fromPrices(ctx, ["azure.servicebus.standard.base-month"], (p) => ({ usd: p.usd, basis: `Standard namespace base ${usd(p.usd)}/month (operations priced on queues and topics)` }));
  }
  if (type === "azure-native:monitor:MetricAlert" || type === "azure-native:monitor:ScheduledQueryRule" || type === "azure-native:alertsmanagement:PrometheusRuleGroup") return priceAzureAlert(type, b, ctx);
  if (type === "azure-native:monitor:AzureMonitorWorkspace") {
    return fromPrices(ctx, ["azure.monitor.prometheus.per-10m-samples"], (p) => ({ usd: (PROMETHEUS_SAMPLES_PER_MONTH / 1e7) * p.usd, basis: `${qty(PROMETHEUS_SAMPLES_PER_MONTH)} samples a month assumed (the AKS metrics add-on's default targets, ~5,000 series every 30 s) at ${usd(p.usd)}/10M` }));
  }
  if (type === "azure-native:network:PublicIPAddress") return fromPrices(ctx, ["azure.publicip.standard.hour"], (p) => ({ usd: p.usd * H, basis: `Standard static IPv4 ${usd(p.usd)}/h × ${H} h` }));
  if (type === "azure-native:network:PrivateEndpoint") return fromPrices(ctx, ["azure.privatelink.endpoint.hour"], (p) => ({ usd: p.usd * H, basis: `private endpoint ${usd(p.usd)}/h × ${H} h (data processed not estimated)` }));
  if (type === "azure-native:privatedns:PrivateZone") return fromPrices(ctx, ["azure.dns.private-zone-month"], (p) => ({ usd: p.usd, basis: `private DNS zone ${usd(p.usd)}/month (queries not estimated)` }));
  if (type.startsWith("kubernetes:helm.sh/")) return priceHelmRelease(r, ctx);
  if (type === "gcp:firestore/backupSchedule:BackupSchedule") return priceFirestoreBackups(r, ctx);
  for (const [pattern, what] of FREE_TYPES) if (pattern.test(type)) return free(what);
  return unpriced(r.known ? "no price rule for this type" : "no adapter or price rule knows this type");
}
