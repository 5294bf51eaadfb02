import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import { gcpFoundation } from "../gcp/foundation";
import { keyGrant } from "../gcp/kms";
import { childOpts, gcpLandings } from "../gcp/landing";
import { serviceAccountId } from "../gcp/names";
import { SERVICE_AGENTS, serviceAgent } from "../gcp/project";
import { runIssues, throwIssues } from "../gcp/validate";
import type { PlatformOutputs, PlatformScope } from "../target";
import { runLandings } from "./landing";

/**
 * Cloud Run's landing: the shared GCP foundation (checked for Cloud Run's GPU
 * rules first) and the push invoker: a service account with no keys whose OIDC
 * tokens push subscriptions carry, that only the Pub/Sub service agent may mint
 * tokens for (a grant on that account, not the project); and the Cloud Run
 * service agent's grant on the fleet key (services' images and revisions are
 * encrypted with it), on that key only.
 */
export function runPlatform(scope: PlatformScope): PlatformOutputs {
  throwIssues(runIssues(scope.plan, scope.target.region));
  const landing = gcpLandings.set(scope, gcpFoundation(scope, "run"));
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const invoker = new serviceaccount.Account(
    `${name}-push-invoker`,
    { accountId: serviceAccountId([landing.prefix, "push"]), displayName: `microagents ${landing.prefix} Pub/Sub push invoker`, description: "Identity of Pub/Sub push deliveries to the fleet's Cloud Run services" },
    opts,
  );
  const tokenGrant = new serviceaccount.IAMMember(`${name}-push-invoker-token`, { serviceAccountId: invoker.name, role: "roles/iam.serviceAccountTokenCreator", member: landing.pubsubAgent }, opts);
  const runKeyGrant = keyGrant(`${name}-key-cloud-run`, landing.key, serviceAgent(landing.projectNumber, SERVICE_AGENTS.cloudRun), opts);
  runLandings.set(scope, { invoker, invokerMember: pulumi.interpolate`serviceAccount:${invoker.email}`, tokenGrant, keyGrant: runKeyGrant });
  return {
    environmentName: pulumi.output(`${landing.project}/${landing.region}`),
    extra: { project: landing.project, region: landing.region, network: landing.network.network.id, logBucket: landing.logBucket },
  };
}
