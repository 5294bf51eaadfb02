import { CLOUD_OF_RUNTIME, describeTarget, globalEntryTargets } from "../plan/topology";
import { MicroAgentsConfigError, type SpecIssue } from "../spec/errors";
import type { Fleet } from "../spec/types";
import { azureDnsZoneOf } from "./azure/failover-shape";
import type { AzureDnsZone } from "./azure/front-door";
import { entryHostname } from "./entry-hostname";
import { HEALTH_PATH } from "./target";

/**
 * The enterprise tier's global entry as plain data: which AWS region Route 53 measures
 * latency from for each cloud's region, and the entry's settings with every problem
 * reported at once (validate and AgentFleet share it).
 */

/**
 * The AWS region nearest each Azure and GCP region, by the cities their data centres
 * are in (Azure: learn.microsoft.com/azure/reliability/regions-list; GCP:
 * cloud.google.com/about/locations; AWS: docs.aws.amazon.com/global-infrastructure/latest/regions;
 * read 2026-12-07). A latency record names the AWS region whose latency to the client
 * stands for its target's: Route 53 answers with the record of the lowest latency.
 */
export const NEAREST_AWS_REGION: Readonly<Record<string, string>> = {
  // Azure
  eastus: "us-east-1", // Virginia
  eastus2: "us-east-1", // Virginia
  centralus: "us-east-2", // Iowa
  northcentralus: "us-east-2", // Illinois
  southcentralus: "us-east-2", // Texas
  westcentralus: "us-west-2", // Wyoming
  westus: "us-west-1", // California
  westus2: "us-west-2", // Washington
  westus3: "us-west-1", // Arizona
  canadacentral: "ca-central-1", // Toronto
  canadaeast: "ca-central-1", // Quebec City
  mexicocentral: "mx-central-1", // Querétaro
  brazilsouth: "sa-east-1", // São Paulo
  northeurope: "eu-west-1", // Ireland
  westeurope: "eu-central-1", // Netherlands
  uksouth: "eu-west-2", // London
  ukwest: "eu-west-2", // Cardiff
  francecentral: "eu-west-3", // Paris
  germanywestcentral: "eu-central-1", // Frankfurt
  switzerlandnorth: "eu-central-2", // Zurich
  italynorth: "eu-south-1", // Milan
  spaincentral: "eu-south-2", // Madrid
  polandcentral: "eu-central-1", // Warsaw
  norwayeast: "eu-north-1", // Oslo
  swedencentral: "eu-north-1", // Gävle
  israelcentral: "il-central-1", // Israel
  uaenorth: "me-central-1", // Dubai
  qatarcentral: "me-south-1", // Doha
  southafricanorth: "af-south-1", // Johannesburg
  centralindia: "ap-south-1", // Pune
  southindia: "ap-south-2", // Chennai
  eastasia: "ap-east-1", // Hong Kong
  southeastasia: "ap-southeast-1", // Singapore
  japaneast: "ap-northeast-1", // Tokyo
  japanwest: "ap-northeast-3", // Osaka
  koreacentral: "ap-northeast-2", // Seoul
  australiaeast: "ap-southeast-2", // New South Wales
  australiasoutheast: "ap-southeast-4", // Victoria
  // Google Cloud
  "us-east1": "us-east-1", // South Carolina
  "us-east4": "us-east-1", // Northern Virginia
  "us-east5": "us-east-2", // Columbus
  "us-central1": "us-east-2", // Iowa
  "us-south1": "us-east-2", // Dallas
  "us-west1": "us-west-2", // Oregon
  "us-west2": "us-west-1", // Los Angeles
  "us-west3": "us-west-2", // Salt Lake City
  "us-west4": "us-west-1", // Las Vegas
  "northamerica-northeast1": "ca-central-1", // Montréal
  "northamerica-northeast2": "ca-central-1", // Toronto
  "northamerica-south1": "mx-central-1", // Querétaro
  "southamerica-east1": "sa-east-1", // São Paulo
  "southamerica-west1": "sa-east-1", // Santiago
  "europe-west1": "eu-west-3", // Belgium
  "europe-west2": "eu-west-2", // London
  "europe-west3": "eu-central-1", // Frankfurt
  "europe-west4": "eu-central-1", // Netherlands
  "europe-west6": "eu-central-2", // Zurich
  "europe-west8": "eu-south-1", // Milan
  "europe-west9": "eu-west-3", // Paris
  "europe-west10": "eu-central-1", // Berlin
  "europe-west12": "eu-south-1", // Turin
  "europe-north1": "eu-north-1", // Finland
  "europe-north2": "eu-north-1", // Stockholm
  "europe-central2": "eu-central-1", // Warsaw
  "europe-southwest1": "eu-south-2", // Madrid
  "me-west1": "il-central-1", // Tel Aviv
  "me-central1": "me-south-1", // Doha
  "me-central2": "me-south-1", // Dammam
  "africa-south1": "af-south-1", // Johannesburg
  "asia-south1": "ap-south-1", // Mumbai
  "asia-south2": "ap-south-1", // Delhi
  "asia-southeast1": "ap-southeast-1", // Singapore
  "asia-southeast2": "ap-southeast-3", // Jakarta
  "asia-east1": "ap-east-1", // Taiwan
  "asia-east2": "ap-east-1", // Hong Kong
  "asia-northeast1": "ap-northeast-1", // Tokyo
  "asia-northeast2": "ap-northeast-3", // Osaka
  "asia-northeast3": "ap-northeast-2", // Seoul
  "australia-southeast1": "ap-southeast-2", // Sydney
  "australia-southeast2": "ap-southeast-4", // Melbourne
};

/** The AWS region a target's latency record is measured from: its own on AWS, the nearest one elsewhere. */
export function latencyRegion(target: Pick<Fleet["targets"][number], "runtime" | "region">): string | undefined {
  return CLOUD_OF_RUNTIME[target.runtime] === "aws" ? target.region : NEAREST_AWS_REGION[target.region];
}

/**
 * Whether a Route 53 global entry (the default `spec.gateway.globalEntry`) answers for
 * this target's gateway: its certificate's records then go into the Route 53 zone
 * (the entry writes them, entry-probe.ts GatewayEndpoint.records), never into an
 * Azure DNS or Cloud DNS zone, and the entry points the host name at it.
 */
export function behindRoute53Entry(fleet: Pick<Fleet, "targets" | "tier" | "gateway" | "agents">, target: Fleet["targets"][number]): boolean {
  const index = fleet.targets.indexOf(target);
  return index >= 0 && fleet.gateway.globalEntry !== "frontdoor" && fleet.agents.some((a) => a.route) && globalEntryTargets(fleet).includes(index);
}

/** Where the entry's host name and zone come from when the fleet does not say. */
export interface GlobalEntryConfig<Z = never> {
  readonly hostname?: string;
  readonly hostedZoneId?: string | Z;
  /** The Azure DNS zone's resource id (frontdoor). */
  readonly azureDnsZoneId?: string;
}

/** The global entry's resolved settings. */
export interface GlobalEntrySettings<Z = never> {
  readonly kind: "route53" | "frontdoor";
  readonly hostname: string;
  /** The Route 53 hosted zone (route53 only). */
  readonly hostedZoneId?: string | Z;
  /** The Azure DNS zone that holds the host name (frontdoor only). */
  readonly zone?: AzureDnsZone;
  /** Targets behind the entry, by index in `spec.targets`. */
  readonly targets: ReadonlyArray<number>;
}


/**
 * The global entry's settings, or every problem at once: a host name (fleet
 * `spec.gateway.hostname`, else config `microagents:hostname`), a public gateway on
 * each cloud (the health checks and probes come from the internet), no route on the
 * health path, and for Route 53 a hosted zone (`spec.gateway.hostedZoneId`, else
 * config `microagents:hostedZoneId`), an AWS target (the zone, checks and alarms are
 * managed from its account) and a known nearest AWS region for every target; for
 * Front Door the Azure DNS zone that holds the host name (`spec.gateway.azureDnsZoneId`,
 * else config `microagents:azureDnsZoneId`) and an Azure target (the profile, its WAF,
 * logs and alerts live in its resource group and subscription).
 */
export function globalEntrySettings<Z = never>(fleet: Fleet, config: GlobalEntryConfig<Z> = {}): GlobalEntrySettings<Z> | undefined {
  const targets = globalEntryTargets(fleet);
  if (targets.length === 0 || !fleet.agents.some((a) => a.route)) return undefined;
  const kind = fleet.gateway.globalEntry;
  const issues: SpecIssue[] = [];
  const clouds = [...new Set(targets.map((i) => CLOUD_OF_RUNTIME[fleet.targets[i].runtime]))].join(", ");
  const { hostname, issue } = entryHostname(fleet.gateway.hostname, { configured: config.hostname }, `a fleet on ${clouds} needs the host name its global entry answers on`);
  if (issue) issues.push(issue);
  if (!fleet.gateway.public) {
    issues.push({ path: "spec.gateway.public", message: "the global entry reaches each cloud's gateway from the internet (its health checks too), and a private gateway cannot be reached", hint: "set spec.gateway.public: true (each gateway keeps its authentication, limits and validation)" });
  }
  fleet.agents.forEach((a, i) => {
    if (a.route && (a.route.path === HEALTH_PATH || a.route.path.startsWith(`${HEALTH_PATH.slice(0, HEALTH_PATH.lastIndexOf("/"))}/`))) {
      issues.push({ path: `spec.agents[${i}].route.path`, message: `'${a.route.path}' is the global entry's health route`, hint: "choose another path" });
    }
  });
  const zone = fleet.gateway.hostedZoneId ?? config.hostedZoneId;
  if (kind === "route53") {
    if (!zone) {
      issues.push({ path: "spec.gateway.hostedZoneId", message: "a Route 53 global entry needs the public hosted zone that holds its host name", hint: "set spec.gateway.hostedZoneId (Z0123456789ABCDEFGHIJ) or `pulumi config set microagents:hostedZoneId ...`; or set spec.gateway.globalEntry: frontdoor" });
    } else if (typeof zone === "string" && !/^Z[A-Z0-9]{1,32}$/.test(zone)) {
      issues.push({ path: "config microagents:hostedZoneId", message: `'${zone}' is not a Route 53 hosted zone id`, hint: "it looks like Z0123456789ABCDEFGHIJ (aws route53 list-hosted-zones)" });
    }
    if (!targets.some((i) => CLOUD_OF_RUNTIME[fleet.targets[i].runtime] === "aws")) {
      issues.push({ path: "spec.gateway.globalEntry", message: `a Route 53 entry is managed from the fleet's AWS account, and no target behind it is on AWS (${targets.map((i) => describeTarget(fleet.targets[i])).join(", ")})`, hint: "set spec.gateway.globalEntry: frontdoor, or add an ecs or eks target" });
    }
    for (const i of targets) {
      if (!latencyRegion(fleet.targets[i])) {
        issues.push({ path: `spec.targets[${i}].region`, message: `no nearest AWS region is known for ${describeTarget(fleet.targets[i])}, so Route 53 cannot measure its latency`, hint: `use a region of lib/targets/global-entry-shape.ts NEAREST_AWS_REGION, or spec.gateway.globalEntry: frontdoor` });
      }
    }
  }
  let azureZone: AzureDnsZone | undefined;
  if (kind === "frontdoor") {
    const found = azureDnsZoneOf(hostname, fleet.gateway.azureDnsZoneId ?? config.azureDnsZoneId, "an Azure Front Door global entry");
    azureZone = found.zone;
    issues.push(...found.issues);
    if (!targets.some((i) => CLOUD_OF_RUNTIME[fleet.targets[i].runtime] === "azure")) {
      issues.push({ path: "spec.gateway.globalEntry", message: `a Front Door entry lives in the fleet's Azure subscription (profile, WAF policy, logs and alerts), and no target behind it is on Azure (${targets.map((i) => describeTarget(fleet.targets[i])).join(", ")})`, hint: "set spec.gateway.globalEntry: route53, or add an aca or aks target" });
    }
  }
  if (issues.length > 0) throw new MicroAgentsConfigError(issues);
  if (!hostname) throw new Error("unreachable: a missing host name was reported above");
  return { kind, hostname, ...(kind === "route53" && zone !== undefined ? { hostedZoneId: zone } : {}), ...(azureZone ? { zone: azureZone } : {}), targets };
}
