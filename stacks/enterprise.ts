import * as pulumi from "@pulumi/pulumi";
import { researchFleet } from "../agents";
import { AgentFleet } from "../lib";
import { costTags } from "../lib/plan/tags";
import { MicroAgentsConfigError, parseFleet, type TargetInput } from "../lib/spec";
import { stackEnvironment, stackRegion } from "./config";

/** The runtimes each cloud offers this stack: Kubernetes first (the default), then managed containers. */
const RUNTIMES = { aws: ["eks", "ecs"], azure: ["aks", "aca"], gcp: ["gke", "run"] } as const;
type CloudName = keyof typeof RUNTIMES;

/** A cloud's runtime from config (`microagents:awsRuntime`, `azureRuntime`, `gcpRuntime`). */
function cloudRuntime<C extends CloudName>(cloud: C): (typeof RUNTIMES)[C][number] {
  const allowed: ReadonlyArray<string> = RUNTIMES[cloud];
  const value = new pulumi.Config("microagents").get(`${cloud}Runtime`) ?? allowed[0];
  if (!allowed.includes(value)) throw new MicroAgentsConfigError([{ path: `config microagents:${cloud}Runtime`, message: `this stack does not deploy to '${value}' on ${cloud}`, hint: `use one of ${allowed.join(", ")}` }]);
  return value as (typeof RUNTIMES)[C][number];
}

/** The global entry from config (`microagents:globalEntry`): route53 (the default) or frontdoor. */
function globalEntry(): "route53" | "frontdoor" {
  const value = new pulumi.Config("microagents").get("globalEntry") ?? "route53";
  if (value !== "route53" && value !== "frontdoor") throw new MicroAgentsConfigError([{ path: "config microagents:globalEntry", message: `'${value}' is not a global entry`, hint: "use route53 (latency records) or frontdoor (Azure Front Door Premium)" }]);
  return value;
}

/**
 * The seed's large-enterprise scenario: the research fleet on AWS, Azure and GCP under
 * one control plane (this program), each cloud with its own gateway (authentication,
 * rate limits, validation), one Route 53 global entry with a latency record and a
 * health check per cloud, a $500,000 budget. EKS, AKS and GKE by default;
 * `microagents:awsRuntime=ecs`, `azureRuntime=aca`, `gcpRuntime=run` pick managed
 * containers; regions from `microagents:awsRegion` (us-east-1), `azureRegion`
 * (westeurope, swedencentral on aca), `gcpRegion` (europe-west4); each cloud packs the
 * GPU agent on its own cheapest fitting GPU (T4 on AWS and AKS, L4 on GKE); the GCP project from `gcp:project` and the
 * budget's billing account from `microagents:billingAccount`. The hosted zone comes
 * from `microagents:hostedZoneId`, else this stack creates one for the host name
 * (delegate it from the parent domain with the `nameServers` output).
 * `microagents:globalEntry=frontdoor` puts Azure Front Door Premium in front instead
 * (an origin per cloud gateway, a WAF at the edge), in the Azure DNS zone of
 * `microagents:azureDnsZoneId`.
 *
 * Placement: the seed gives AWS, Azure and GCP 100+, 75+ and 50+ agents. The research
 * fleet's four agents are one pipeline behind two routes (/research, /documents), and
 * the global entry may send any request to any cloud, so each cloud runs all four
 * (a cloud without /research would answer 404, and a cloud with the coordinator but
 * not its subscribers would lose its events); `spec.targets[].agents` places subsets
 * in fleets whose edges and routes allow it (docs/failover.md, "Enterprise").
 */
export default function enterprise() {
  const azure = cloudRuntime("azure");
  const targets: TargetInput[] = [
    { runtime: cloudRuntime("aws"), region: stackRegion("awsRegion", "us-east-1") },
    // Container Apps' serverless GPUs (the language analyzer's) are in westus3, australiaeast and swedencentral only.
    { runtime: azure, region: stackRegion("azureRegion", azure === "aca" ? "swedencentral" : "westeurope") },
    { runtime: cloudRuntime("gcp"), region: stackRegion("gcpRegion", "europe-west4") },
  ];
  const input = researchFleet({ tier: "enterprise", environment: stackEnvironment(), targets });
  // The entry's health checks reach each cloud's gateway from the internet: the gateways are public.
  const entry = globalEntry();
  const spec = { ...input.spec, gateway: { ...input.spec.gateway, public: true, globalEntry: entry }, observability: { alertEmails: ["research-oncall@acme.example"] } };
  const zone = entry === "frontdoor" || new pulumi.Config("microagents").get("hostedZoneId") ? undefined : entryZone(spec.gateway.hostname ?? "agents.acme.example", costTags(parseFleet({ ...input, spec })));
  const fleet = new AgentFleet("acme-research", { fleet: { ...input, spec }, ...(zone ? { hostedZoneId: zone.zoneId } : {}) });
  return { environments: fleet.deployments.map((d) => d.platform.environmentName), entry: fleet.entry?.url, ...(zone ? { nameServers: zone.nameServers } : {}) };
}

/** A public hosted zone for the entry's host name, for a stack given no zone: delegate it from the parent domain. */
function entryZone(hostname: string, tags: Readonly<Record<string, string>>) {
  const { Zone } = require("@pulumi/aws/route53") as typeof import("@pulumi/aws/route53");
  const { Provider } = require("@pulumi/aws/provider") as typeof import("@pulumi/aws/provider");
  const provider = new Provider("acme-research-dns", { region: "us-east-1" });
  return new Zone("acme-research-entry", { name: hostname, comment: "Global entry of acme-research (microagents enterprise tier)", tags: { ...tags } }, { provider });
}
