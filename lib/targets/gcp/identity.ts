import * as projects from "@pulumi/gcp/projects";
import * as pubsub from "@pulumi/gcp/pubsub";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import type { GcpLanding, GcpQueue } from "./landing";
import { serviceAccountId } from "./names";

/** The only project-level role an agent gets, and only when the fleet traces: writing spans to Cloud Trace (no resource-level grant exists). */
export const TRACE_ROLE = "roles/cloudtrace.agent";

export interface AgentIdentity {
  readonly account: serviceaccount.Account;
  readonly member: pulumi.Output<string>;
  readonly grants: ReadonlyArray<pulumi.Resource>;
}

/**
 * One agent's Google service account (no keys: Cloud Run and GKE Workload
 * Identity hand it short-lived tokens), with grants on its own resources only:
 * publish to its events topic, pull its subscriptions where it pulls (GKE),
 * read its Secret Manager secrets (one grant per secret, also for the secrets
 * the program names as Inputs), and, when the fleet
 * traces, write spans to Cloud Trace.
 */
export function agentIdentity(
  name: string,
  landing: GcpLanding,
  agent: AgentPlan,
  queue: GcpQueue,
  pulls: boolean,
  tracing: boolean,
  opts: pulumi.CustomResourceOptions,
  computedSecrets: Readonly<Record<string, { readonly ref: pulumi.Input<string> }>> = {},
): AgentIdentity {
  const account = new serviceaccount.Account(
    name,
    { accountId: serviceAccountId([landing.prefix, agent.name]), displayName: `microagents ${landing.prefix} ${agent.name}`.slice(0, 100), description: `What agent ${agent.name} itself may do` },
    opts,
  );
  const member = pulumi.interpolate`serviceAccount:${account.email}`;
  const grants: pulumi.Resource[] = [new pubsub.TopicIAMMember(`${name}-publish-events`, { topic: queue.eventsTopic.name, role: "roles/pubsub.publisher", member }, opts)];
  if (pulls) {
    for (const [i, sub] of [queue.subscription, ...queue.eventSubscriptions].entries()) {
      grants.push(new pubsub.SubscriptionIAMMember(`${name}-pull-${i}`, { subscription: sub.name, role: "roles/pubsub.subscriber", member }, opts));
    }
  }
  for (const ref of [...new Set(Object.values(agent.secrets).map((s) => s.ref))]) {
    grants.push(new secretmanager.SecretIamMember(`${name}-secret-${ref}`, { secretId: ref, role: "roles/secretmanager.secretAccessor", member }, opts));
  }
  // Secrets the program names (MicroAgentService.secrets): one grant per variable, on the secret its ref resolves to.
  for (const [envName, s] of Object.entries(computedSecrets)) {
    grants.push(new secretmanager.SecretIamMember(`${name}-secret-env-${envName.toLowerCase()}`, { secretId: s.ref, role: "roles/secretmanager.secretAccessor", member }, opts));
  }
  if (tracing) grants.push(new projects.IAMMember(`${name}-traces`, { project: landing.project, role: TRACE_ROLE, member }, opts));
  return { account, member, grants };
}
