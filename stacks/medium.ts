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
 * `gke` deploys a GKE cluster per region (europe-west4 and europe-west1 by default);
 * `aks` an AKS cluster per region (westeurope and northeurope by default), each with its
 * own resource group, Service Bus namespace and vault, and one budget over both.
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
  // GKE in two regions (project from `gcp:project`, budget on `microagents:billingAccount`): a cluster, Pub/Sub and keys per region; no global entry yet.
  // AKS in two regions: no global entry on Azure yet (the gateway is not in this version on Azure).
  if (runtime === "kubernetes" || runtime === "gke" || runtime === "aks") {
    const fleet = new AgentFleet("acme-support", { fleet: input });
    return { namespaces: fleet.deployments.map((d) => d.platform.environmentName) };
  }
  // Route 53 health checkers probe each region's gateway from the internet: the gateways are public.
  const spec = { ...input.spec, gateway: { ...input.spec.gateway, public: true } };
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
