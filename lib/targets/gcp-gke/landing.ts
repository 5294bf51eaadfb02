import type * as container from "@pulumi/gcp/container";
import type * as serviceaccount from "@pulumi/gcp/serviceaccount";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { Registry } from "../target";
import type { PlatformScope } from "../target";

/** What the GKE platform adds to the shared GCP landing. */
export interface GkeLanding {
  readonly cluster: container.Cluster;
  readonly clusterName: string;
  readonly nodeAccount: serviceaccount.Account;
  readonly kubernetes: k8s.Provider;
  readonly namespace: string;
  /** Workload Identity pool of the project: `<project>.svc.id.goog`. */
  readonly workloadPool: string;
  /** Objects agents need first (namespace, KEDA, the secret-sync classes). */
  readonly ready: ReadonlyArray<pulumi.Resource>;
  /** KEDA TriggerAuthentication (GCP pod identity of the operator). */
  readonly triggerAuthentication: string;
  /** The boot-disk key grant node pools wait for. */
  readonly diskKeyGrant: pulumi.Resource;
  /** The KEDA operator's Monitoring grant (project-wide: a pair's backup reuses its GKE primary's). */
  readonly kedaGrant?: pulumi.Resource;
}

export const gkeLandings = new Registry<PlatformScope, GkeLanding>("PlatformScope");

/** Options for a Kubernetes object of the fleet: on the cluster's provider. */
export function kubeOpts(scope: pulumi.Resource, landing: Pick<GkeLanding, "kubernetes">, dependsOn: ReadonlyArray<pulumi.Resource> = []): pulumi.CustomResourceOptions {
  return { parent: scope, provider: landing.kubernetes, ...(dependsOn.length > 0 ? { dependsOn: [...dependsOn] } : {}) };
}
