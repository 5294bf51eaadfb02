import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";
import { RUNTIME_CLOUD } from "../../plan/gpu-placement";
import { failoverPairs } from "../../plan/topology";
import { MicroAgentsConfigError } from "../../spec/errors";
import { emailChannels, fleetBudget } from "./budget";
import { fleetKey, keyGrant } from "./kms";
import { gcpLandings, type GcpLanding, type GcpNetwork } from "./landing";
import { fleetLogBucket } from "./logs";
import { gcpNetwork, gcpRanges, joinNetwork, type NetworkArgs } from "./network";
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
  const network = landingNetwork(scope, { name, prefix, region, octet: Math.max(targetIndex, 0) }, project, opts);
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
    // The budget carries every GCP target's part (cloudBudgetUsd), so it watches every GCP target's project.
    const fleetProjects = [...new Set(plan.fleet.targets.flatMap((t) => (RUNTIME_CLOUD[t.runtime] === "gcp" ? [t.project ?? project] : [])))];
    const projectNumbers = fleetProjects.map((p) => (p === project ? number : projectNumber(p, opts)));
    fleetBudget(`${name}-budget`, plan, { billingAccount, projectNumbers, channels: budgetChannels }, opts);
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

/**
 * The target's network. A platform given `networkOf` (AgentFleet gives a GCP pair's
 * backup its primary) joins that platform's VPC network: GCP networks are global, and
 * one network per pair keeps the one private services access connection a network
 * may have, which the primary's Cloud SQL instance and the backup's cross-region
 * replica both use. The pair's primary names its network for the fleet
 * (`<fleet>-<environment>-vpc`), not its region. The two must be in one project
 * (a network and its subnets are).
 */
function landingNetwork(scope: PlatformScope, args: NetworkArgs, project: string, opts: pulumi.CustomResourceOptions): GcpNetwork {
  const { plan } = scope;
  const index = plan.fleet.targets.indexOf(scope.target);
  if (!scope.networkOf) {
    const primaryOfPair = failoverPairs(plan.fleet).some((p) => p.cloud === "gcp" && p.primary === index);
    return gcpNetwork({ ...args, ...(primaryOfPair ? { sharedPrefix: `${plan.fleet.name}-${plan.fleet.environment}` } : {}) }, opts);
  }
  const owner = gcpLandings.get(scope.networkOf);
  if (owner.project !== project) {
    throw new MicroAgentsConfigError([
      {
        path: `spec.targets[${index}].project`,
        message: `the GCP backup in ${scope.target.region} joins its primary's VPC network, which is in project '${owner.project}', not '${project}'`,
        hint: `deploy the primary and backup GCP targets into one project (set spec.targets[${index}].project to '${owner.project}'); a Cloud SQL replica and its primary live in one project too`,
      },
    ]);
  }
  if (owner.network.cidr === gcpRanges(args.octet).nodes) {
    throw new MicroAgentsConfigError([
      { path: "networkOf", message: `the network of '${scope.networkOf.resourceName}' (${owner.region}) already has this target's range ${owner.network.cidr}`, hint: "join a platform of another target of the same fleet: each target's ranges follow its index in spec.targets" },
    ]);
  }
  return joinNetwork(owner.network, args, opts);
}
