import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { costLabels } from "../../plan/tags";
import type { AgentPlan } from "../../plan/types";
import type { AzureLanding } from "../azure/landing";
import type { AgentGrant } from "../azure/identity";
import type { ServiceScope } from "../target";
import type { WorkloadParams } from "../kubernetes/workload";
import { kubeOpts, type AksLanding } from "./landing";

/** Kubernetes Secret (synced by the CSI driver) of a secret the program names for `envName`. */
export function inputSecretName(agent: string, envName: string): string {
  return `${agent}-in-${envName.toLowerCase().replace(/_/g, "-")}`.slice(0, 253);
}

const alias = (envName: string) => envName.toLowerCase().replace(/_/g, "-");

/** Key Vault Secrets User for the agent's identity on each secret the program names for it (that secret alone). */
export function inputSecretGrants(landing: Pick<AzureLanding, "vault">, secrets: ServiceScope["secrets"]): AgentGrant[] {
  return Object.entries(secrets).map(([envName, s]) => ({ key: `secret-in-${alias(envName)}`, role: "keyVaultSecretsUser", scope: pulumi.interpolate`${landing.vault.id}/secrets/${s.ref}`, why: `read the secret given for ${envName}` }));
}

/**
 * Secret references the program computes (MicroAgentService.secrets), on AKS: one
 * SecretProviderClass for the agent, read with the agent's own identity (federated
 * with its ServiceAccount; Key Vault Secrets User on each of these secrets alone),
 * syncing each value into a Kubernetes Secret of the agent, mounted so it syncs (see
 * inputSecretGrants). The object list is built when the references resolve.
 */
export function aksInputSecrets(
  name: string,
  p: { readonly scope: pulumi.Resource; readonly agent: AgentPlan; readonly landing: AzureLanding; readonly aks: AksLanding; readonly clientId: pulumi.Input<string>; readonly secrets: ServiceScope["secrets"] },
): { env: NonNullable<WorkloadParams["secrets"]>; volumes: NonNullable<WorkloadParams["volumes"]> } {
  const entries = Object.entries(p.secrets);
  if (entries.length === 0) return { env: {}, volumes: [] };
  const className = `${p.agent.name}-inputs`.slice(0, 253);
  new k8s.apiextensions.CustomResource(
    `${name}-inputs`,
    {
      apiVersion: "secrets-store.csi.x-k8s.io/v1",
      kind: "SecretProviderClass",
      metadata: { name: className, namespace: p.aks.namespace, labels: costLabels(p.agent.tags) },
      spec: {
        provider: "azure",
        parameters: {
          usePodIdentity: "false",
          clientID: p.clientId,
          keyvaultName: p.landing.vault.name,
          tenantId: p.landing.tenantId,
          objects: pulumi.all(entries.map(([envName, s]) => s.ref.apply((ref) => stringify({ objectName: ref, objectType: "secret", objectAlias: alias(envName) })))).apply((objects) => stringify({ array: objects })),
        },
        secretObjects: entries.map(([envName, s]) => ({ secretName: inputSecretName(p.agent.name, envName), type: "Opaque", data: [{ objectName: alias(envName), key: s.key }] })),
      },
    },
    kubeOpts(p.scope, p.aks, p.aks.ready),
  );
  return {
    env: Object.fromEntries(entries.map(([envName, s]) => [envName, { ref: inputSecretName(p.agent.name, envName), key: s.key }])),
    volumes: [{ volume: { name: "secrets-inputs", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: className } } }, mountPath: "/mnt/secrets/inputs" }],
  };
}

/** Application Insights' connection string as a Kubernetes Secret of the agent (KMS-encrypted at rest), for its secretKeyRef. */
export function appInsightsSecret(name: string, p: { readonly scope: pulumi.Resource; readonly agent: AgentPlan; readonly aks: AksLanding; readonly connectionString: pulumi.Input<string> }): { ref: string; key: string } {
  const secretName = `${p.agent.name}-appinsights`;
  new k8s.core.v1.Secret(
    `${name}-appinsights`,
    { metadata: { name: secretName, namespace: p.aks.namespace, labels: costLabels(p.agent.tags) }, type: "Opaque", stringData: { "connection-string": p.connectionString } },
    kubeOpts(p.scope, p.aks, p.aks.ready),
  );
  return { ref: secretName, key: "connection-string" };
}
