import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";
import { RUNTIME_CLOUD } from "../../plan/gpu-placement";
import { emailChannels, fleetBudget } from "./budget";
import { fleetKey, keyGrant } from "./kms";
import type { GcpLanding } from "./landing";
import { fleetLogBucket } from "./logs";
import { gcpNetwork } from "./network";
import { gcpBillingAccount, gcpProject, gcpProvider, projectNumber } from "./project";
import { gcpIssues, throwIssues } from "./validate";
import { gcpGatewayIssues } from "./gateway-shape";
import type { PlatformScope } from "../target";

/** A short region code for names: europe-west4 -> euw4, us-central1 -> usc1. */
export function regionCode(region: string): string {
  const [head, ...rest] = region.split("-");
  return `${head.slice(0, 2)}${rest.map((p) => `${p[0] ?? ""}${p.replace(/\D/g, "")}`).join("")}`;
}

/**
 * What Cloud Run and GKE platforms share: the provider (the caller's, else one
 * pinned to the project and region), the fleet key ring and key, the network
 * (private subnet, Cloud NAT, private services access), a log bucket with the
 * environment's retention, e-mail channels, the Pub/Sub service agent with the
 * key, and the fleet's budget once per fleet, on its first GCP target.
 */
export function gcpFoundation(scope: PlatformScope, runtime: "run" | "gke"): GcpLanding {
  const { plan, target } = scope;
  throwIssues(gcpIssues(plan));
  // The gateway's own checks (host name for its certificate, JWT-only routes), before any resource.
  if (plan.agents.some((a) => a.route)) throwIssues(gcpGatewayIssues(plan, plan.fleet.gateway, new pulumi.Config("microagents").get("hostname")));
  const project = gcpProject(scope);
  const targetIndex = plan.fleet.targets.indexOf(target);
  const firstGcp = plan.fleet.targets.findIndex((t) => RUNTIME_CLOUD[t.runtime] === "gcp");
  const billingAccount = firstGcp === targetIndex ? gcpBillingAccount(scope) : undefined;
  const name = scope.resourceName;
  const region = target.region;
  // Pub/Sub topics and service accounts are global to a project: a fleet on two GCP regions names them per region.
  const gcpTargets = plan.fleet.targets.filter((t) => RUNTIME_CLOUD[t.runtime] === "gcp").length;
  const prefix = gcpTargets > 1 ? `${plan.fleet.name}-${plan.fleet.environment}-${regionCode(region)}` : `${plan.fleet.name}-${plan.fleet.environment}`;
  const labels = plan.tags;
  const provider = gcpProvider(scope, project, region);
  const opts = { parent: scope, provider };
  const number = projectNumber(project, opts);
  const prod = plan.fleet.environment === "prod";
  const { keyRing, key } = fleetKey({ name, prefix, region, labels, prod }, opts);
  const network = gcpNetwork({ name, prefix, region, octet: Math.max(targetIndex, 0) }, opts);
  const filter =
    runtime === "run"
      ? `resource.type="cloud_run_revision" AND resource.labels.service_name:"${prefix}-"`
      : `resource.type="k8s_container" AND resource.labels.namespace_name="${target.namespace}"`;
  const logBucket = fleetLogBucket({ name, prefix, project, region, retentionDays: plan.logRetentionDays, filter, key }, opts);
  const pubsub = new projects.ServiceIdentity(`${name}-pubsub-agent`, { project, service: "pubsub.googleapis.com" }, opts);
  const pubsubKeyGrant = keyGrant(`${name}-key-pubsub`, key, pubsub.member, opts);
  const channels = emailChannels(`${name}-alerts`, plan.fleet.observability.alertEmails, labels, opts);
  if (billingAccount) {
    const budgetChannels = emailChannels(`${name}-budget`, plan.fleet.budget.alertEmails, labels, opts);
    fleetBudget(`${name}-budget`, plan, { billingAccount, projectNumber: number, channels: budgetChannels }, opts);
  }
  return {
    runtime,
    provider,
    project,
    region,
    prefix,
    keyRing,
    key,
    network,
    logBucket,
    logRetentionDays: plan.logRetentionDays,
    pubsubAgent: pubsub.member,
    pubsubKeyGrant,
    projectNumber: number,
    alertChannels: channels.map((c) => c.id),
    deletionProtection: plan.fleet.environment !== "dev",
    labels,
  };
}
