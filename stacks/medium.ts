import * as pulumi from "@pulumi/pulumi";
import { customerServiceFleet } from "../agents";
import { AgentFleet } from "../lib";
import { costTags } from "../lib/plan/tags";
import { parseFleet } from "../lib/spec";
import { kubeContext, stackEnvironment, stackRegion, stackRuntime } from "./config";

/**
 * The seed's medium-enterprise scenario: a primary and a backup region, autoscaling,
 * central metrics, logs, traces and alerts, a $50,000 budget. On existing
 * Kubernetes clusters by default; `microagents:runtime` = ecs or eks deploys both
 * regions on AWS (`microagents:primaryRegion`, `microagents:backupRegion`) behind one
 * Route 53 failover entry: a public gateway per region, and the hosted zone from
 * `microagents:hostedZoneId`, else a zone for the host name that this stack creates
 * (delegate it from the parent domain with the `nameServers` output; docs/failover.md).
 * `gke` deploys a GKE cluster per region (europe-west4 and europe-west1 by default) behind one
 * Cloud DNS failover entry (zone from `microagents:dnsZone`, else one this stack creates);
 * `aks` an AKS cluster per region (westeurope and northeurope by default), each with its
 * own resource group, Service Bus namespace and vault, one budget over both, behind one
 * Front Door failover entry (Azure DNS zone from `microagents:azureDnsZoneId`).
 */
export default function medium() {
  const runtime = stackRuntime(["kubernetes", "ecs", "eks", "gke", "aks"] as const, "kubernetes");
  const primary = stackRegion("primaryRegion", runtime === "gke" ? "europe-west4" : runtime === "aks" ? "westeurope" : "us-east-1");
  const backup = stackRegion("backupRegion", runtime === "gke" ? "europe-west1" : runtime === "aks" ? "northeurope" : "us-west-2");
  const targets =
    runtime === "kubernetes"
      ? [
          { runtime, region: primary, role: "primary" as const, cluster: kubeContext("primaryCluster") ?? "primary" },
          { runtime, region: backup, role: "backup" as const, cluster: kubeContext("backupCluster") ?? "backup" },
        ]
      : [
          { runtime, region: primary, role: "primary" as const },
          { runtime, region: backup, role: "backup" as const },
        ];
  const input = customerServiceFleet({ tier: "medium", environment: stackEnvironment(), targets });
  if (runtime === "kubernetes") {
    const fleet = new AgentFleet("acme-support", { fleet: input });
    return { namespaces: fleet.deployments.map((d) => d.platform.environmentName) };
  }
  // The entry's health checks (Route 53, Front Door, Cloud DNS) reach each region's gateway from the internet: the gateways are public.
  const spec = { ...input.spec, gateway: { ...input.spec.gateway, public: true } };
  if (runtime === "aks") {
    // AKS in two regions behind one Front Door failover entry; its Azure DNS zone from `microagents:azureDnsZoneId` (AgentFleet says so when it is missing).
    const fleet = new AgentFleet("acme-support", { fleet: { ...input, spec } });
    return { namespaces: fleet.deployments.map((d) => d.platform.environmentName), entry: fleet.entry?.url };
  }
  if (runtime === "gke") {
    // GKE in two regions (project from `gcp:project`, budget on `microagents:billingAccount`) behind one Cloud DNS failover entry:
    // the zone from `microagents:dnsZone`, else a public zone for the host name that this stack creates.
    const gcpZone = new pulumi.Config("microagents").get("dnsZone") ? undefined : gcpEntryZone(spec.gateway.hostname ?? "agents.acme.example", costTags(parseFleet({ ...input, spec })));
    const fleet = new AgentFleet("acme-support", { fleet: { ...input, spec }, ...(gcpZone ? { dnsZone: gcpZone.name } : {}) });
    return { namespaces: fleet.deployments.map((d) => d.platform.environmentName), entry: fleet.entry?.url, ...(gcpZone ? { nameServers: gcpZone.nameServers } : {}) };
  }
  const zone = new pulumi.Config("microagents").get("hostedZoneId") ? undefined : entryZone(spec.gateway.hostname ?? "agents.acme.example", costTags(parseFleet({ ...input, spec })));
  const fleet = new AgentFleet("acme-support", { fleet: { ...input, spec }, ...(zone ? { hostedZoneId: zone.zoneId } : {}) });
  return { namespaces: fleet.deployments.map((d) => d.platform.environmentName), entry: fleet.entry?.url, ...(zone ? { nameServers: zone.nameServers } : {}) };
}

/** A public hosted zone for the entry's host name, for a stack given no zone: delegate it from the parent domain. */
function entryZone(hostname: string, tags: Readonly<Record<string, string>>) {
  const { Zone } = require("@pulumi/aws/route53") as typeof import("@pulumi/aws/route53");
  const { Provider } = require("@pulumi/aws/provider") as typeof import("@pulumi/aws/provider");
  const provider = new Provider("acme-support-dns", { region: "us-east-1" });
  return new Zone("acme-support-entry", { name: hostname, comment: "Failover entry of acme-support (microagents medium tier)", tags: { ...tags } }, { provider });
}

/** A public Cloud DNS zone (DNSSEC on) for the entry's host name, for a GKE stack given no zone: delegate it from the parent domain. */
function gcpEntryZone(hostname: string, labels: Readonly<Record<string, string>>) {
  const { ManagedZone } = require("@pulumi/gcp/dns") as typeof import("@pulumi/gcp/dns");
  return new ManagedZone("acme-support-entry", {
    name: "acme-support-entry",
    dnsName: `${hostname}.`,
    description: "Failover entry of acme-support (microagents medium tier)",
    visibility: "public",
    dnssecConfig: { state: "on" },
    labels: { ...labels },
  });
}
