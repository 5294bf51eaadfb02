import type { FactOf } from "../facts/types";
import type { Price } from "../prices/catalog";
import { qty, unpriced, usd, type Outcome } from "./money";
import { fromPrices, type ServiceContext } from "./services";

/** Azure's state stores: Cosmos DB accounts, Azure Managed Redis (and Azure Cache for Redis) and PostgreSQL flexible servers. */

const perMillion = (n: number, p: Price) => (n / 1e6) * p.usd;

/** RU per agent message on Cosmos DB: a task write, its status update and a few point reads. */
const COSMOS_RU_PER_MESSAGE = 10;

/**
 * Cosmos DB: serverless RU, or provisioned throughput (autoscale billed on the hour's
 * peak, at least 10% of its maximum: the agents' average load is far below it), in
 * every region of the account, plus storage and the 30-day continuous backup tier
 * per region (the 7-day tier is free).
 */
export function priceCosmos(f: FactOf<"store">, ctx: ServiceContext, storage: number, storageText: string): Outcome {
  const H = ctx.hoursPerMonth;
  const regions = Math.max(1, f.nodes ?? 1);
  const rus = (ctx.usage.messagesPerMonth / Math.max(1, ctx.shares.dataStores)) * COSMOS_RU_PER_MESSAGE;
  const backupKeys = f.backups.pointInTime && f.backups.retentionDays === 30 ? ["azure.cosmosdb.continuous-30d.gb-month"] : [];
  const backupText = (b?: Price) => (b ? ` + 30-day continuous backup ${usd(b.usd)}/GB-month` : "");
  const inRegions = regions > 1 ? ` × ${regions} regions` : "";
  if (f.capacityMode === "serverless") {
    return fromPrices(ctx, ["azure.cosmosdb.serverless.per-million-ru", "azure.cosmosdb.storage.gb-month", ...backupKeys], (ru: Price, s: Price, b?: Price) => ({
      usd: perMillion(rus, ru) + storage * (s.usd + (b?.usd ?? 0)),
      basis: `serverless: ${qty(rus)} RU (${COSMOS_RU_PER_MESSAGE} per message) at ${usd(ru.usd)}/M + ${storageText} at ${usd(s.usd)}/GB-month${backupText(b)}`,
    }));
  }
  const units = f.capacity?.units;
  if (units === undefined) return unpriced("provisioned Cosmos DB with no throughput stated on its databases or containers");
  const autoscale = f.capacity?.autoscale === true;
  const averageRuPerSecond = rus / (H * 3600);
  const billed = autoscale ? Math.min(units, Math.max(units / 10, averageRuPerSecond)) : units;
  const rate = autoscale ? "azure.cosmosdb.autoscale.per-100rus-hour" : "azure.cosmosdb.provisioned.per-100rus-hour";
  return fromPrices(ctx, [rate, "azure.cosmosdb.storage.gb-month", ...backupKeys], (t: Price, s: Price, b?: Price) => ({
    usd: ((billed / 100) * t.usd * H + storage * (s.usd + (b?.usd ?? 0))) * regions,
    basis: `${autoscale ? `autoscale to ${qty(units)} RU/s, billed at ${qty(billed)} RU/s (${qty(rus)} RU a month average ${averageRuPerSecond.toFixed(2)} RU/s; autoscale bills at least 10% of its maximum)` : `${qty(units)} RU/s provisioned`} at ${usd(t.usd)}/100 RU/s-h × ${H} h + ${storageText} at ${usd(s.usd)}/GB-month${backupText(b)}${inRegions}`,
  }));
}

/** Azure Managed Redis by SKU (catalog prices include high availability; without it the cluster runs one node, about half). Azure Cache for Redis by tier and size. */
export function priceRedis(f: FactOf<"store">, ctx: ServiceContext): Outcome {
  const H = ctx.hoursPerMonth;
  const cls = f.instanceClass ?? "";
  if (/^(Balanced|MemoryOptimized|ComputeOptimized|FlashOptimized)_/.test(cls)) {
    const factor = f.highAvailability === false ? 0.5 : 1;
    return fromPrices(ctx, [`azure.managedredis.${cls.toLowerCase()}.hour`], (p) => ({ usd: p.usd * factor * H, basis: `Managed Redis ${cls} ${usd(p.usd)}/h${factor < 1 ? " × 0.5 (no high availability: one node)" : " (high availability)"} × ${H} h` }));
  }
  const [tier, size] = cls.split(" ");
  if (!tier || !size) return unpriced(`no SKU stated for this Redis cache`);
  return fromPrices(ctx, [`azure.redis.${tier.toLowerCase()}.${size.toLowerCase()}.hour`], (p) => ({ usd: p.usd * H, basis: `Azure Cache for Redis ${cls} ${usd(p.usd)}/h × ${H} h` }));
}

/** PostgreSQL flexible server: compute by SKU and storage, doubled by zone-redundant HA (a standby server), and a geo-redundant copy of the backups. */
export function priceFlexibleServer(f: FactOf<"store">, ctx: ServiceContext): Outcome {
  const H = ctx.hoursPerMonth;
  const sku = (f.instanceClass ?? "").replace(/^Standard_/, "").toLowerCase();
  if (!sku) return unpriced("no compute SKU stated");
  const size = f.sizeGb ?? 32;
  const ha = f.highAvailability === true ? 2 : 1;
  const geo = f.backups.geoRedundant === true ? ["azure.postgres.backup.grs.gb-month"] : [];
  return fromPrices(ctx, [`azure.postgres.flexible.${sku}.hour`, "azure.postgres.storage.gb-month", ...geo], (c: Price, s: Price, g?: Price) => ({
    usd: c.usd * H * ha + size * s.usd * ha + (g ? size * g.usd : 0),
    basis: `${f.instanceClass} ${usd(c.usd)}/h × ${H} h${ha === 2 ? " × 2 (zone-redundant standby)" : ""} + ${size} GB at ${usd(s.usd)}/GB-month${ha === 2 ? " × 2" : ""}${f.sizeGb === undefined ? " (32 GB assumed)" : ""}${g ? ` + geo-redundant backups ${size} GB at ${usd(g.usd)}/GB-month` : ""}`,
  }));
}
