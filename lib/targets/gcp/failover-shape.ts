import { MicroAgentsConfigError, type SpecIssue } from "../../spec/errors";
import type { Fleet } from "../../spec/types";
import { entryHostname } from "../entry-hostname";
import { HEALTH_PATH } from "../target";

/**
 * The medium tier's failover entry on a GCP-only fleet, as plain data: where the
 * host name and Cloud DNS zone come from, and the health check's settings.
 */

const GCP_RUNTIMES: ReadonlySet<string> = new Set(["run", "gke"]);

/** The fleet's GCP primary and backup (indexes in `spec.targets`), when it has exactly one of each, in different regions. */
export function gcpFailoverPair(fleet: Pick<Fleet, "targets">): { primary: number; backup: number } | undefined {
  const gcp = fleet.targets.map((t, i) => ({ t, i })).filter(({ t }) => GCP_RUNTIMES.has(t.runtime));
  const primaries = gcp.filter(({ t }) => t.role === "primary");
  const backups = gcp.filter(({ t }) => t.role === "backup");
  if (primaries.length !== 1 || backups.length !== 1) return undefined;
  const [primary, backup] = [primaries[0], backups[0]];
  if (primary.t.region === backup.t.region) {
    throw new MicroAgentsConfigError([{ path: `spec.targets[${backup.i}].region`, message: `the backup is in the primary's region (${primary.t.region}): it would not survive the region`, hint: "put the backup in another region, e.g. us-east1 for us-central1" }]);
  }
  return { primary: primary.i, backup: backup.i };
}

/** Where the entry's host name and zone come from when the fleet does not say: config, or a zone the program computes. */
export interface GcpEntryConfig<Z = never> {
  readonly hostname?: string;
  /** Cloud DNS managed zone (its name, not its DNS name). */
  readonly dnsZone?: string | Z;
}

export interface GcpFailoverEntrySettings<Z = never> {
  readonly hostname: string;
  readonly dnsZone: string | Z;
}

const ZONE = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The entry's settings, or every problem at once: the host name (fleet
 * `spec.gateway.hostname`, else config `microagents:hostname`), the Cloud DNS
 * public zone that holds it (config `microagents:dnsZone`, or a zone the program
 * hands in), and public gateways (Cloud DNS health checks probe them from Google's
 * probers on the internet).
 */
export function gcpFailoverEntrySettings<Z = never>(fleet: Pick<Fleet, "gateway" | "agents">, config: GcpEntryConfig<Z> = {}): GcpFailoverEntrySettings<Z> {
  const issues: SpecIssue[] = [];
  const { hostname, issue } = entryHostname(fleet.gateway.hostname, { configured: config.hostname }, "a primary and backup fleet on GCP needs the host name its failover entry answers on");
  if (issue) issues.push(issue);
  const zone = config.dnsZone;
  if (!zone) {
    issues.push({ path: "config microagents:dnsZone", message: "a primary and backup fleet on GCP needs the Cloud DNS public managed zone that holds its host name", hint: "`pulumi config set microagents:dnsZone <zone name>` (gcloud dns managed-zones list)" });
  } else if (typeof zone === "string" && !ZONE.test(zone)) {
    issues.push({ path: "config microagents:dnsZone", message: `'${zone}' is not a Cloud DNS managed zone name`, hint: "the zone's name, like acme-example (not its DNS name acme.example.)" });
  }
  if (!fleet.gateway.public) {
    issues.push({ path: "spec.gateway.public", message: "the failover entry's health checks reach each region's gateway from the internet, and a private gateway cannot be reached", hint: "set spec.gateway.public: true (each gateway keeps its JWT check, Cloud Armor WAF and rate limits)" });
  }
  fleet.agents.forEach((a, i) => {
    if (a.route && (a.route.path === HEALTH_PATH || a.route.path.startsWith("/_microagents/"))) issues.push({ path: `spec.agents[${i}].route.path`, message: `'${a.route.path}' is the failover entry's health route`, hint: "choose another path" });
  });
  if (issues.length > 0) throw new MicroAgentsConfigError(issues);
  if (!hostname || zone === undefined) throw new Error("unreachable: missing entry settings were reported above");
  return { hostname, dnsZone: zone };
}

/**
 * The entry's health check: HTTPS on 443 with the host name as Host and SNI, on
 * the health route, every 30 s (the shortest with source regions), unhealthy after
 * 3 failures and healthy after 2 successes, from three regions (Cloud DNS health
 * checks of external endpoints need exactly three).
 */
export const ENTRY_HEALTH_CHECK = { checkIntervalSec: 30, timeoutSec: 10, healthyThreshold: 2, unhealthyThreshold: 3, port: 443, requestPath: HEALTH_PATH } as const;
export const HEALTH_SOURCE_REGIONS = ["us-central1", "europe-west4", "asia-southeast1"] as const;
/** The record's TTL: short, so clients follow a failover quickly. */
export const ENTRY_TTL_SECONDS = 30;
