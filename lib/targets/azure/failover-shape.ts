import { failoverPair, globalEntryTargets } from "../../plan/topology";
import { MicroAgentsConfigError, type SpecIssue } from "../../spec/errors";
import type { Fleet, FleetTarget } from "../../spec/types";
import { HEALTH_PATH } from "../target";
import { ENTRY_HOSTNAME, entryHostname } from "../entry-hostname";
import type { AzureDnsZone } from "./front-door";

/**
 * The medium tier's failover entry on Azure, as plain data: which gateways Front
 * Door fronts, and where the entry's host name and Azure DNS zone come from (the
 * pair itself is lib/plan/topology.ts failoverPair).
 */

/**
 * Whether a Front Door entry fronts this target's gateway, which then keeps no Front
 * Door of its own: the Azure failover entry of an Azure pair, or the global entry
 * when it is Front Door. (Behind a Route 53 global entry, a public Azure gateway
 * keeps its own Front Door and WAF, with a custom domain for the entry's host name.)
 */
export function frontedByEntry(fleet: Pick<Fleet, "targets" | "tier" | "gateway">, target: FleetTarget): boolean {
  const index = fleet.targets.indexOf(target);
  if (index < 0) return false;
  const pair = failoverPair(fleet);
  if (pair?.cloud === "azure" && (pair.primary === index || pair.backup === index)) return true;
  return fleet.gateway.globalEntry === "frontdoor" && globalEntryTargets(fleet).includes(index);
}

/** Where the entry's host name and DNS zone come from when the fleet does not say: Pulumi config. */
export interface AzureEntryConfig {
  readonly hostname?: string;
  readonly azureDnsZoneId?: string;
}

export interface AzureEntrySettings {
  readonly hostname: string;
  readonly zone: AzureDnsZone;
}

/** `/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/dnszones/<zone>` (ARM ids are case-insensitive). */
const DNS_ZONE_ID = /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w._()]{1,90})\/providers\/Microsoft\.Network\/dnszones\/([a-z0-9.-]+)$/i;

/** An Azure DNS zone from its resource id, or undefined when the id is not one. */
export function parseDnsZoneId(id: string): AzureDnsZone | undefined {
  const m = DNS_ZONE_ID.exec(id);
  return m ? { id, subscriptionId: m[1], resourceGroupName: m[2], zoneName: m[3].toLowerCase() } : undefined;
}

/**
 * The Azure DNS zone a Front Door entry's host name lives in, or the problems with it:
 * none given (`spec.gateway.azureDnsZoneId`, else config `microagents:azureDnsZoneId`),
 * not a zone resource id, or a zone that does not hold the host name. `who` opens the
 * message ("a primary and backup fleet on Azure", "an Azure Front Door global entry").
 */
export function azureDnsZoneOf(hostname: string | undefined, zoneId: string | undefined, who: string): { zone?: AzureDnsZone; issues: SpecIssue[] } {
  if (!zoneId) {
    return {
      issues: [
        {
          path: "spec.gateway.azureDnsZoneId",
          message: `${who} needs the Azure DNS zone that holds its host name (Front Door validates the managed certificate and points the name at its endpoint there)`,
          hint: "set spec.gateway.azureDnsZoneId or `pulumi config set microagents:azureDnsZoneId /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/dnszones/example.com`",
        },
      ],
    };
  }
  const zone = parseDnsZoneId(zoneId);
  if (!zone) return { issues: [{ path: "spec.gateway.azureDnsZoneId", message: `'${zoneId}' is not an Azure DNS zone resource id`, hint: "it looks like /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/dnszones/example.com (az network dns zone show --query id)" }] };
  if (hostname && ENTRY_HOSTNAME.test(hostname) && hostname !== zone.zoneName && !hostname.endsWith(`.${zone.zoneName}`)) {
    return { zone, issues: [{ path: "spec.gateway.hostname", message: `'${hostname}' is not in the DNS zone ${zone.zoneName}`, hint: `use a name under ${zone.zoneName}, or the zone that holds ${hostname}` }] };
  }
  return { zone, issues: [] };
}

/**
 * The entry's settings, or every problem at once: the host name and the Azure DNS
 * zone that holds it (fleet `spec.gateway.hostname` / `spec.gateway.azureDnsZoneId`,
 * else config `microagents:hostname` / `microagents:azureDnsZoneId`), a public
 * gateway in each region (Front Door reaches them from its edge), and no agent
 * route on the health path.
 */
export function azureEntrySettings(fleet: Pick<Fleet, "gateway" | "agents">, config: AzureEntryConfig = {}): AzureEntrySettings {
  const issues: SpecIssue[] = [];
  const { hostname, issue } = entryHostname(fleet.gateway.hostname, { configured: config.hostname }, "a primary and backup fleet on Azure needs the host name its Front Door entry answers on");
  if (issue) issues.push(issue);
  const zoneId = fleet.gateway.azureDnsZoneId ?? config.azureDnsZoneId;
  const { zone, issues: zoneIssues } = azureDnsZoneOf(hostname, zoneId, "a primary and backup fleet on Azure");
  issues.push(...zoneIssues);
  if (!fleet.gateway.public) {
    issues.push({
      path: "spec.gateway.public",
      message: "Front Door reaches each region's gateway from its edge, and an internal gateway cannot be reached",
      hint: "set spec.gateway.public: true (each gateway then admits Front Door's traffic only, and keeps its JWT, rate limits and validation)",
    });
  }
  fleet.agents.forEach((a, i) => {
    if (a.route && (a.route.path === HEALTH_PATH || a.route.path.startsWith(`${HEALTH_PATH.slice(0, HEALTH_PATH.lastIndexOf("/"))}/`))) {
      issues.push({ path: `spec.agents[${i}].route.path`, message: `'${a.route.path}' is the failover entry's health route`, hint: "choose another path" });
    }
  });
  if (issues.length > 0) throw new MicroAgentsConfigError(issues);
  if (!hostname || !zone) throw new Error("unreachable: missing entry settings were reported above");
  return { hostname, zone };
}
