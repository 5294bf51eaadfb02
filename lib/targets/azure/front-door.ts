import * as cdn from "@pulumi/azure-native/cdn";
import * as dns from "@pulumi/azure-native/dns";
import * as frontdoor from "@pulumi/azure-native/frontdoor";
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import type { EntryDnsRecord } from "../front-door-entry";
import { HEALTH_PATH } from "../target";
import type { AzureZoneWriter } from "./dns-zone";
import { azureName } from "./names";

/**
 * Azure Front Door Premium with a WAF, as reusable builders: the regional gateway
 * of a public fleet, the medium tier's failover entry (priority origins) and the
 * enterprise tier's global entry all put the same profile, WAF policy, origin
 * group, route and custom domain in front of their gateways.
 */

/** Front Door Premium: the tier whose WAF runs Microsoft's managed rule sets (Standard has custom rules only). */
export const FRONT_DOOR_SKU = "Premium_AzureFrontDoor";

/** Managed rule sets of the WAF policy: Microsoft's default rule set (OWASP-based, anomaly scoring) and the bot manager. */
export const WAF_MANAGED_RULE_SETS = [
  { ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1", ruleSetAction: "Block" },
  { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.1" },
] as const;

/** Front Door's health probes: HTTPS GET of the health route every 30 s; an origin is healthy while 3 of the last 4 probes passed. */
export const FRONT_DOOR_PROBE = {
  probePath: HEALTH_PATH,
  probeProtocol: "Https",
  probeRequestType: "GET",
  probeIntervalInSeconds: 30,
} as const;
export const FRONT_DOOR_LOAD_BALANCING = { sampleSize: 4, successfulSamplesRequired: 3, additionalLatencyInMilliseconds: 0 } as const;

/** Front Door's log categories sent to the workspace: access, health probes and WAF decisions. */
export const FRONT_DOOR_LOG_CATEGORIES = ["FrontDoorAccessLog", "FrontDoorHealthProbeLog", "FrontDoorWebApplicationFirewallLog"] as const;

/** The header Front Door stamps with its profile's id: a gateway behind it admits requests carrying its own profile's id only. */
export { FRONT_DOOR_ID_HEADER } from "../front-door-entry";

/** WAF policy names: letters and digits, starting with a letter, at most 128. */
export function wafPolicyName(prefix: string, what: string): string {
  const clean = `${prefix}${what}`.replace(/[^A-Za-z0-9]/g, "");
  return (/^[A-Za-z]/.test(clean) ? clean : `waf${clean}`).slice(0, 128);
}

/** The WAF's per-client-IP limit a minute: every route's limit together (no single client can use more than the fleet's routes allow), at least 100. */
export function wafRateLimitPerMinute(perRouteLimits: ReadonlyArray<number>): number {
  return Math.max(100, perRouteLimits.reduce((a, b) => a + b, 0));
}

export interface FrontDoorBase {
  readonly prefix: string;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly tags: Readonly<Record<string, string>>;
}

/** The WAF policy: Prevention mode, request bodies inspected, Microsoft's default and bot rule sets, a per-IP rate limit. */
export function wafPolicy(name: string, p: FrontDoorBase & { readonly rateLimitPerMinute: number }, opts: pulumi.CustomResourceOptions): frontdoor.Policy {
  return new frontdoor.Policy(
    `${name}-waf`,
    {
      resourceGroupName: p.resourceGroupName,
      location: "Global",
      policyName: wafPolicyName(p.prefix, "waf"),
      sku: { name: FRONT_DOOR_SKU },
      policySettings: { enabledState: "Enabled", mode: "Prevention", requestBodyCheck: "Enabled", customBlockResponseStatusCode: 403 },
      customRules: {
        rules: [
          {
            name: "RateLimitPerClientIp",
            priority: 100,
            enabledState: "Enabled",
            ruleType: "RateLimitRule",
            rateLimitDurationInMinutes: 1,
            rateLimitThreshold: p.rateLimitPerMinute,
            groupBy: [{ variableName: "SocketAddr" }],
            matchConditions: [{ matchVariable: "RequestUri", operator: "Any", matchValue: [] }],
            action: "Block",
          },
        ],
      },
      managedRules: { managedRuleSets: WAF_MANAGED_RULE_SETS.map((s) => ({ ...s })) },
      tags: { ...p.tags },
    },
    opts,
  );
}

/** A Front Door Premium profile and its endpoint; the profile's logs go to the workspace. */
export function frontDoorProfile(
  name: string,
  p: FrontDoorBase & { readonly workspaceId: pulumi.Input<string>; readonly originTimeoutSeconds: number },
  opts: pulumi.CustomResourceOptions,
): { profile: cdn.Profile; endpoint: cdn.AFDEndpoint } {
  const profile = new cdn.Profile(
    `${name}-fd`,
    {
      resourceGroupName: p.resourceGroupName,
      location: "global",
      profileName: azureName([p.prefix, "edge"], 90),
      sku: { name: FRONT_DOOR_SKU },
      // Front Door waits 16 to 240 s for an origin; the gateway enforces each route's own timeout.
      originResponseTimeoutSeconds: Math.min(240, Math.max(16, p.originTimeoutSeconds)),
      tags: { ...p.tags },
    },
    opts,
  );
  const endpoint = new cdn.AFDEndpoint(
    `${name}-fd`,
    { resourceGroupName: p.resourceGroupName, profileName: profile.name, location: "global", endpointName: azureName([p.prefix, "agents"], 46), enabledState: "Enabled", autoGeneratedDomainNameLabelScope: "TenantReuse", tags: { ...p.tags } },
    opts,
  );
  new monitor.DiagnosticSetting(
    `${name}-fd-logs`,
    { name: "to-log-analytics", resourceUri: profile.id, workspaceId: p.workspaceId, logAnalyticsDestinationType: "Dedicated", logs: FRONT_DOOR_LOG_CATEGORIES.map((category) => ({ category, enabled: true })), metrics: [{ category: "AllMetrics", enabled: true }] },
    opts,
  );
  return { profile, endpoint };
}

/** An origin behind Front Door: a gateway's host name, at a priority (1 first; a higher number takes traffic only while every lower one is unhealthy). */
export interface FrontDoorOrigin {
  readonly key: string;
  /** Where Front Door connects: a host name or an IPv4 address. */
  readonly hostName: pulumi.Input<string>;
  /**
   * The Host header, and the TLS SNI, Front Door sends: the name the origin's certificate is for.
   * @default hostName
   */
  readonly originHostHeader?: pulumi.Input<string>;
  readonly priority: number;
}

/** A custom domain: Front Door's managed certificate (TLS 1.2), validated by the `_dnsauth` TXT record in the zone of the host name. */
export interface FrontDoorDomain {
  readonly hostname: string;
  /**
   * The Azure DNS zone holding the host name: the domain is tied to it and its
   * `_dnsauth` TXT and the name's CNAME (at the apex an alias A) are written there.
   * Without one the zone is another DNS service's, which writes the TXT from
   * `dnsAuthRecord` (the Route 53 global entry, whose latency record is the name's CNAME).
   * The writer carries the provider for the zone's subscription (dns-zone.ts).
   */
  readonly zone?: AzureZoneWriter;
}

/** An Azure DNS zone, from its resource id. */
export interface AzureDnsZone {
  readonly id: string;
  /** The subscription the zone lives in: its records are written with a provider for it (dns-zone.ts). */
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  readonly zoneName: string;
}

/**
 * Traffic through Front Door: one origin group (health probes on the health route,
 * priority routing), its origins, the custom domain (managed certificate, TLS 1.2,
 * the `_dnsauth` TXT and the CNAME or apex alias in the zone), a route forwarding
 * HTTPS only with HTTP redirected and no caching, and the WAF policy on the
 * endpoint and the domain.
 */
export function frontDoorRouting(
  name: string,
  p: FrontDoorBase & {
    readonly profile: cdn.Profile;
    readonly endpoint: cdn.AFDEndpoint;
    readonly waf: frontdoor.Policy;
    readonly origins: ReadonlyArray<FrontDoorOrigin>;
    /** How Front Door picks among healthy origins of one priority. @default FRONT_DOOR_LOAD_BALANCING */
    readonly loadBalancing?: { readonly sampleSize: number; readonly successfulSamplesRequired: number; readonly additionalLatencyInMilliseconds: number };
    readonly domain?: FrontDoorDomain;
  },
  opts: pulumi.CustomResourceOptions,
) {
  const base = { resourceGroupName: p.resourceGroupName, profileName: p.profile.name };
  const group = new cdn.AFDOriginGroup(
    `${name}-origins`,
    {
      ...base,
      originGroupName: "gateways",
      healthProbeSettings: { ...FRONT_DOOR_PROBE },
      loadBalancingSettings: { ...(p.loadBalancing ?? FRONT_DOOR_LOAD_BALANCING) },
      sessionAffinityState: "Disabled",
    },
    opts,
  );
  const origins = p.origins.map(
    (o) =>
      new cdn.AFDOrigin(
        `${name}-${o.key}`,
        {
          ...base,
          originGroupName: group.name,
          originName: azureName([o.key], 90),
          hostName: o.hostName,
          originHostHeader: o.originHostHeader ?? o.hostName,
          httpsPort: 443,
          httpPort: 80,
          priority: o.priority,
          weight: 1000,
          enforceCertificateNameCheck: true,
          enabledState: "Enabled",
        },
        opts,
      ),
  );
  const domain = p.domain ? customDomain(name, p.domain, base, p.endpoint, opts) : undefined;
  const route = new cdn.Route(
    `${name}-route`,
    {
      ...base,
      endpointName: p.endpoint.name,
      routeName: "agents",
      originGroup: { id: group.id },
      supportedProtocols: ["Http", "Https"],
      httpsRedirect: "Enabled",
      forwardingProtocol: "HttpsOnly",
      patternsToMatch: ["/*"],
      linkToDefaultDomain: "Enabled",
      enabledState: "Enabled",
      ...(domain ? { customDomains: [{ id: domain.id }] } : {}),
    },
    // Front Door refuses a route to an origin group without origins.
    { ...opts, dependsOn: [...origins, ...(domain ? [domain] : [])] },
  );
  const securityPolicy = new cdn.SecurityPolicy(
    `${name}-waf`,
    {
      ...base,
      securityPolicyName: "waf",
      parameters: {
        type: "WebApplicationFirewall",
        wafPolicy: { id: p.waf.id },
        associations: [{ domains: [{ id: p.endpoint.id }, ...(domain ? [{ id: domain.id }] : [])], patternsToMatch: ["/*"] }],
      },
    },
    opts,
  );
  return { group, origins, route, securityPolicy, domain };
}

function customDomain(
  name: string,
  d: FrontDoorDomain,
  base: { resourceGroupName: pulumi.Input<string>; profileName: pulumi.Input<string> },
  endpoint: cdn.AFDEndpoint,
  opts: pulumi.CustomResourceOptions,
): cdn.AFDCustomDomain {
  const domain = new cdn.AFDCustomDomain(
    `${name}-domain`,
    {
      ...base,
      customDomainName: d.hostname.replace(/\./g, "-"),
      hostName: d.hostname,
      ...(d.zone ? { azureDnsZone: { id: d.zone.id } } : {}),
      tlsSettings: { certificateType: "ManagedCertificate", minimumTlsVersion: "TLS12" },
    },
    opts,
  );
  if (!d.zone) return domain;
  const relative = relativeName(d.hostname, d.zone.zoneName);
  const zone = { resourceGroupName: d.zone.resourceGroupName, zoneName: d.zone.checkedZoneName };
  const dnsOpts = d.zone.opts;
  new dns.RecordSet(
    `${name}-dnsauth`,
    { ...zone, recordType: "TXT", relativeRecordSetName: relative === "@" ? "_dnsauth" : `_dnsauth.${relative}`, ttl: 3600, txtRecords: [{ value: [dnsAuthRecord(d.hostname, domain).value] }] },
    dnsOpts,
  );
  new dns.RecordSet(
    `${name}-host`,
    relative === "@"
      ? // A zone apex cannot hold a CNAME: an alias A record to the endpoint.
        { ...zone, recordType: "A", relativeRecordSetName: "@", ttl: 3600, targetResource: { id: endpoint.id } }
      : { ...zone, recordType: "CNAME", relativeRecordSetName: relative, ttl: 3600, cnameRecord: { cname: endpoint.hostName } },
    dnsOpts,
  );
  return domain;
}

/** The TXT record that proves the host name to Front Door: `_dnsauth.<hostname>` holding the custom domain's validation token. */
export function dnsAuthRecord(hostname: string, domain: cdn.AFDCustomDomain): pulumi.Output<EntryDnsRecord> {
  return domain.validationProperties.apply((v) => ({ name: `_dnsauth.${hostname}`, type: "TXT", value: v.validationToken ?? "" }));
}

/** `agents` for agents.example.com in example.com; `@` at the apex. */
export function relativeName(hostname: string, zoneName: string): string {
  if (hostname === zoneName) return "@";
  if (!hostname.endsWith(`.${zoneName}`)) throw new Error(`unreachable: ${hostname} is not in ${zoneName} (checked by azureEntrySettings)`);
  return hostname.slice(0, -(zoneName.length + 1));
}
