import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import type { AzureLanding, AzureQueue } from "./landing";
import { AZURE_NAME_LIMITS, azureName } from "./names";
import { assignRole, type BuiltinRole } from "./roles";

/** One extra grant of an agent on one resource (its lease container, its state...). */
export interface AgentGrant {
  readonly key: string;
  readonly role: BuiltinRole;
  readonly scope: pulumi.Input<string>;
  readonly why: string;
}

/**
 * An agent's user-assigned identity and its roles, each scoped to one of its own
 * resources: receive on its queue, send on its events topic, read each Key Vault
 * secret it references (secret scope, not the vault), plus the grants passed in.
 * No role on a resource group or subscription.
 */
export function agentIdentity(
  name: string,
  landing: AzureLanding,
  agent: AgentPlan,
  queue: AzureQueue,
  grants: ReadonlyArray<AgentGrant>,
  opts: pulumi.CustomResourceOptions,
  /** Grant Key Vault Secrets User on each referenced secret (Container Apps resolves references with the agent's identity; on AKS a per-secret reader identity does). @default true */
  readSecrets = true,
) {
  const identity = new managedidentity.UserAssignedIdentity(
    `${name}-id`,
    { resourceGroupName: landing.resourceGroupName, location: landing.location, resourceName: azureName([landing.prefix, agent.name], AZURE_NAME_LIMITS.identity), tags: { ...agent.tags } },
    opts,
  );
  const grant = (key: string, role: BuiltinRole, scope: pulumi.Input<string>, why: string) =>
    assignRole(`${name}-${key}`, { subscriptionId: landing.subscriptionId, principalId: identity.principalId, role, scope, description: `${agent.name}: ${why}` }, opts);
  const assignments = [
    grant("receive", "serviceBusDataReceiver", queue.queue.id, "receive from its own queue"),
    grant("publish", "serviceBusDataSender", queue.topic.id, "publish to its own events topic"),
  ];
  const refs = [...new Set(Object.values(agent.secrets).map((s) => s.ref))];
  if (readSecrets) refs.forEach((ref) => assignments.push(grant(`secret-${ref}`, "keyVaultSecretsUser", pulumi.interpolate`${landing.vault.id}/secrets/${ref}`, `read secret ${ref}`)));
  for (const g of grants) assignments.push(grant(g.key, g.role, g.scope, g.why));
  return { identity, assignments, secretRefs: refs };
}
