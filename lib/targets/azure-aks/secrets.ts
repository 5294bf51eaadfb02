import * as managedidentity from "@pulumi/azure-native/managedidentity";
import type * as k8s from "@pulumi/kubernetes";
import * as k8sApi from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { costLabels } from "../../plan/tags";
import type { FleetPlan } from "../../plan/types";
import { childOpts, type AzureLanding } from "../azure/landing";
import { AZURE_NAME_LIMITS, azureName } from "../azure/names";
import { assignRole } from "../azure/roles";
import { FEDERATION_AUDIENCE } from "./federation";
import { kubeOpts } from "./landing";
import type { PlatformScope } from "../target";

/** SecretProviderClass name of a Key Vault secret. */
export function secretClassName(ref: string): string {
  return `kv-${ref.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`.slice(0, 63).replace(/-+$/, "");
}

/**
 * Agents' Key Vault secrets as Kubernetes Secrets of the same name (what the
 * hardened workload reads through secretKeyRef), synced by the Key Vault CSI
 * add-on while a pod mounts them. One SecretProviderClass per secret, read with
 * that secret's own reader identity (Key Vault Secrets User on that one secret),
 * federated with the ServiceAccount of each agent that references it: an agent can
 * mount only the secrets it names.
 */
export function secretClasses(p: {
  readonly name: string;
  readonly landing: AzureLanding;
  readonly plan: FleetPlan;
  readonly namespace: string;
  readonly kubernetes: k8s.Provider;
  readonly scope: PlatformScope;
  readonly ready: pulumi.Resource[];
  readonly oidcIssuer: pulumi.Output<string>;
}): Map<string, { className: string; identityName: pulumi.Output<string> }> {
  const { landing, plan } = p;
  const users = new Map<string, Map<string, Set<string>>>();
  for (const a of plan.agents) {
    for (const s of Object.values(a.secrets)) {
      const byAgent = users.get(s.ref) ?? new Map<string, Set<string>>();
      byAgent.set(a.name, new Set([...(byAgent.get(a.name) ?? []), s.key]));
      users.set(s.ref, byAgent);
    }
  }
  const opts = childOpts(p.scope, landing);
  const classes = new Map<string, { className: string; identityName: pulumi.Output<string> }>();
  for (const [ref, byAgent] of users) {
    const className = secretClassName(ref);
    const reader = new managedidentity.UserAssignedIdentity(
      `${p.name}-${className}`,
      { resourceGroupName: landing.resourceGroupName, location: landing.location, resourceName: azureName([landing.prefix, "secret", ref], AZURE_NAME_LIMITS.identity), tags: { ...landing.tags } },
      opts,
    );
    assignRole(
      `${p.name}-${className}`,
      { subscriptionId: landing.subscriptionId, principalId: reader.principalId, role: "keyVaultSecretsUser", scope: pulumi.interpolate`${landing.vault.id}/secrets/${ref}`, description: `reads Key Vault secret ${ref} for the agents that name it` },
      opts,
    );
    for (const agent of byAgent.keys()) {
      new managedidentity.FederatedIdentityCredential(
        `${p.name}-${className}-${agent}`,
        {
          resourceGroupName: landing.resourceGroupName,
          resourceName: reader.name,
          federatedIdentityCredentialResourceName: azureName([agent], 120),
          issuer: p.oidcIssuer,
          subject: `system:serviceaccount:${p.namespace}:${agent}`,
          audiences: [FEDERATION_AUDIENCE],
        },
        opts,
      );
    }
    const keys = [...new Set([...byAgent.values()].flatMap((k) => [...k]))];
    new k8sApi.apiextensions.CustomResource(
      `${p.name}-secret-${className}`,
      {
        apiVersion: "secrets-store.csi.x-k8s.io/v1",
        kind: "SecretProviderClass",
        metadata: { name: className, namespace: p.namespace, labels: costLabels(plan.tags) },
        spec: {
          provider: "azure",
          parameters: {
            usePodIdentity: "false",
            clientID: reader.clientId,
            keyvaultName: landing.vault.name,
            tenantId: landing.tenantId,
            objects: pulumi.output(stringify({ array: [stringify({ objectName: ref, objectType: "secret", objectAlias: ref })] })),
          },
          // A Key Vault secret holds one value: every key the agents ask for gets it.
          secretObjects: [{ secretName: ref, type: "Opaque", data: keys.map((key) => ({ objectName: ref, key })) }],
        },
      },
      kubeOpts(p.scope, { kubernetes: p.kubernetes }, p.ready.slice(0, 1)),
    );
    classes.set(ref, { className, identityName: reader.name });
  }
  return classes;
}
