import type * as containerservice from "@pulumi/azure-native/containerservice";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { Registry } from "../target";
import type { PlatformScope } from "../target";

/** What the AKS platform adds to the shared Azure landing. */
export interface AksLanding {
  readonly cluster: containerservice.ManagedCluster;
  readonly clusterName: string;
  readonly kubernetes: k8s.Provider;
  readonly namespace: string;
  /** The cluster's OIDC issuer: federated credentials trust it. */
  readonly oidcIssuer: pulumi.Output<string>;
  /** Objects that need the namespace and the KEDA add-on's CRDs first. */
  readonly ready: ReadonlyArray<pulumi.Resource>;
  /** KEDA TriggerAuthentication (`azure-workload`, KEDA's identity) the agents' ScaledObjects use. */
  readonly triggerAuthentication: string;
  /** SecretProviderClass per Key Vault secret the fleet's agents reference, and its reader identity. */
  readonly secretClasses: ReadonlyMap<string, { readonly className: string; readonly identityName: pulumi.Output<string> }>;
  /** The Azure Monitor workspace managed Prometheus writes to: the agents' Prometheus alert rules query it. */
  readonly prometheusWorkspaceId: pulumi.Output<string>;
}

export const aksLandings = new Registry<PlatformScope, AksLanding>("PlatformScope");

/** Options for a Kubernetes object of the fleet: on the cluster's provider. */
export function kubeOpts(scope: pulumi.Resource, landing: Pick<AksLanding, "kubernetes">, dependsOn: ReadonlyArray<pulumi.Resource> = []): pulumi.CustomResourceOptions {
  return { parent: scope, provider: landing.kubernetes, ...(dependsOn.length > 0 ? { dependsOn: [...dependsOn] } : {}) };
}
