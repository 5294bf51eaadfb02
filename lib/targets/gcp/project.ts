import { getProjectOutput } from "@pulumi/gcp/organizations/getProject";
import { Provider } from "@pulumi/gcp/provider";
import * as pulumi from "@pulumi/pulumi";
import { MicroAgentsConfigError, type SpecIssue } from "../../spec/errors";
import type { Fleet } from "../../spec/types";
import type { PlatformScope } from "../target";

/**
 * A GCP target's project problem, if any: the target's `project`, else stack config
 * `gcp:project` (what the Google provider itself reads). Missing is an error before any
 * resource: names, IAM members and URLs are built from it. `microagents validate` makes
 * the same check (lib/targets/preflight.ts).
 */
export function gcpProjectIssue(fleet: Pick<Fleet, "targets">, index: number, configured: string | undefined): SpecIssue | undefined {
  const target = fleet.targets[index];
  if (target.project ?? configured) return undefined;
  return {
    path: `spec.targets[${index}].project`,
    message: `target '${target.runtime}' in ${target.region} has no Google Cloud project`,
    hint: "set the target's `project`, or run `pulumi config set gcp:project <project-id>`",
  };
}

/**
 * The billing account problem of the fleet's first GCP target (where its budget is), if
 * any: the target's `billingAccount`, else stack config `microagents:billingAccount`. A
 * budget lives on the billing account, not the project, so there is no default.
 */
export function gcpBillingAccountIssue(fleet: Pick<Fleet, "targets">, index: number, configured: string | undefined): SpecIssue | undefined {
  if (fleet.targets[index].billingAccount ?? configured) return undefined;
  return {
    path: `spec.targets[${index}].billingAccount`,
    message: "the fleet's budget needs a Google Cloud billing account",
    hint: "set the target's `billingAccount` (012345-6789AB-CDEF01), or run `pulumi config set microagents:billingAccount <id>`",
  };
}

/** The project a GCP target deploys into ({@link gcpProjectIssue}). */
export function gcpProject(scope: PlatformScope): string {
  const project = scope.target.project ?? new pulumi.Config("gcp").get("project");
  if (project) return project;
  const issue = gcpProjectIssue(scope.fleet, scope.fleet.targets.indexOf(scope.target), project);
  throw issue ? new MicroAgentsConfigError([issue]) : new Error("unreachable: a target without a project has an issue");
}

/** The billing account of the fleet's budget ({@link gcpBillingAccountIssue}). */
export function gcpBillingAccount(scope: PlatformScope): string {
  const account = scope.target.billingAccount ?? new pulumi.Config("microagents").get("billingAccount");
  if (account) return account;
  const issue = gcpBillingAccountIssue(scope.fleet, scope.fleet.targets.indexOf(scope.target), account);
  throw issue ? new MicroAgentsConfigError([issue]) : new Error("unreachable: a target without a billing account has an issue");
}

/**
 * The caller's `gcp` provider when it gave one (opts.provider or opts.providers,
 * inherited), else a provider of this target pinned to its project and region.
 * Ours bills API quota to the project itself (`billingProject` with
 * `userProjectOverride`): the Billing Budgets API refuses user credentials
 * without a quota project, and so do a few others.
 */
export function gcpProvider(scope: PlatformScope, project: string, region: string): pulumi.ProviderResource {
  const given = scope.getProvider("gcp::");
  if (given) return given;
  return new Provider(`${scope.resourceName}-gcp`, { project, region, billingProject: project, userProjectOverride: true }, { parent: scope });
}

/** The project number (service agents' emails carry it). */
export function projectNumber(project: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
  return getProjectOutput({ projectId: project }, opts).number;
}

/** The documented e-mail of a Google service agent of the project, as an IAM member. */
export function serviceAgent(number: pulumi.Output<string>, domain: string): pulumi.Output<string> {
  return pulumi.interpolate`serviceAccount:service-${number}@${domain}.iam.gserviceaccount.com`;
}

/** Google service agents' domains (cloud.google.com/iam/docs/service-agents). */
export const SERVICE_AGENTS = {
  pubsub: "gcp-sa-pubsub",
  firestore: "gcp-sa-firestore",
  cloudSql: "gcp-sa-cloud-sql",
  memorystore: "gcp-sa-memorystore",
  gke: "container-engine-robot",
  compute: "compute-system",
  cloudRun: "serverless-robot-prod",
} as const;
