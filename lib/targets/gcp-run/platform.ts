import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlatform } from "../../components/agent-platform";
import { gcpFoundation } from "../gcp/foundation";
import { childOpts, gcpLandings } from "../gcp/landing";
import { serviceAccountId } from "../gcp/names";
import { runIssues, throwIssues } from "../gcp/validate";
import type { PlatformOutputs } from "../target";
import { runLandings } from "./landing";

/**
 * Cloud Run's landing: the shared GCP foundation (checked for Cloud Run's GPU
 * rules first) and the push invoker: a service account with no keys whose OIDC
 * tokens push subscriptions carry, that only the Pub/Sub service agent may mint
 * tokens for (a grant on that account, not the project).
 */
export function runPlatform(scope: AgentPlatform): PlatformOutputs {
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
  runLandings.set(scope, { invoker, invokerMember: pulumi.interpolate`serviceAccount:${invoker.email}`, tokenGrant });
  return {
    environmentName: pulumi.output(`${landing.project}/${landing.region}`),
    extra: { project: landing.project, region: landing.region, network: landing.network.network.id, logBucket: landing.logBucket },
  };
}
