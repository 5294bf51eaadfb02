import type { ResourceFact } from "../facts/types";
import { free, qty, usd, type Outcome } from "./money";
import { fromPrices, type ServiceContext } from "./services";

/** The types this file prices: API Management services and Front Door profiles. */
export const AZURE_EDGE_TYPES: ReadonlySet<string> = new Set(["azure-native:apimanagement:ApiManagementService", "azure-native:cdn:Profile"]);

/** The type prefix of the package's entry components (lib/targets/<cloud>/global-entry.ts, failover.ts). */
const ENTRY_COMPONENT = "microagents:entry:";

const APIM_UNIT_PRICE: Readonly<Record<string, string>> = {
  Developer: "azure.apim.developer.unit-hour",
  StandardV2: "azure.apim.standardv2.unit-hour",
  Premium: "azure.apim.premium.unit-hour",
};

/**
 * API Management by SKU (units × hours; Consumption per call) and Front Door
 * Premium profiles (base fee plus requests from the usage preset: a gateway's own
 * profile its gateway's share, an entry's profile every request; WAF managed rules
 * are included in Premium).
 */
export function priceAzureEdge(r: ResourceFact, ctx: ServiceContext): Outcome {
  const b = r.billing ?? {};
  const H = ctx.hoursPerMonth;
  if (r.resource.type === "azure-native:apimanagement:ApiManagementService") {
    const sku = String(b.sku ?? "Consumption");
    const units = typeof b.capacity === "number" && b.capacity > 0 ? b.capacity : 1;
    if (sku === "Consumption") {
      const requests = ctx.usage.requestsPerMonth / Math.max(1, ctx.shares.gateways);
      return fromPrices(ctx, ["azure.apim.consumption.per-million-calls"], (p) => ({ usd: (requests / 1e6) * p.usd, basis: `${qty(requests)} calls at ${usd(p.usd)}/M (Consumption)` }));
    }
    const key = APIM_UNIT_PRICE[sku];
    if (!key) return fromPrices(ctx, [`azure.apim.${sku.toLowerCase()}.unit-hour`], (p) => ({ usd: p.usd * units * H, basis: `${sku} ${units} unit(s) × ${usd(p.usd)}/h × ${H} h` }));
    return fromPrices(ctx, [key], (p) => ({ usd: p.usd * units * H, basis: `API Management ${sku} ${units} unit(s) × ${usd(p.usd)}/h × ${H} h (calls included)` }));
  }
  if (b.sku !== "Premium_AzureFrontDoor") return free("not a Front Door Premium profile this package sizes");
  // An entry's profile (the Front Door global entry, an Azure pair's failover entry) takes every request of the gateways behind it; a gateway's own profile its gateway's share.
  const entry = r.resource.component?.type.startsWith(ENTRY_COMPONENT) === true;
  const requests = entry ? ctx.usage.requestsPerMonth : ctx.usage.requestsPerMonth / Math.max(1, ctx.shares.gateways);
  const share = entry ? "every request of the fleet (an entry's profile)" : `${qty(ctx.usage.requestsPerMonth)} requests ÷ ${ctx.shares.gateways} gateways`;
  return fromPrices(ctx, ["azure.frontdoor.premium.base-month", "azure.frontdoor.premium.per-10k-requests"], (base, req) => ({
    usd: base.usd + (requests / 1e4) * req.usd,
    basis: `Front Door Premium base ${usd(base.usd)}/month (WAF managed rules included) + ${qty(requests)} requests (${share}) at ${usd(req.usd)}/10k (data transfer not estimated)`,
  }));
}
