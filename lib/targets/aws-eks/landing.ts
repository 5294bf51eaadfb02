import type * as eks from "@pulumi/aws/eks";
import type * as iam from "@pulumi/aws/iam";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { Registry } from "../target";
import type { PlatformScope } from "../target";

/** What the EKS platform adds to the shared AWS landing. */
export interface EksLanding {
  readonly cluster: eks.Cluster;
  readonly clusterName: string;
  readonly kubernetes: k8s.Provider;
  readonly namespace: string;
  readonly nodeRole: iam.Role;
  /** The general-purpose node group: add-ons and CPU agents. */
  readonly systemNodes: eks.NodeGroup;
  /** The security group EKS gives the cluster and its managed nodes. */
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** The KEDA operator's role: reads queue attributes of the fleet's queues. */
  readonly kedaRole: iam.Role;
  /** Container Insights' application log group, where agents' logs land. */
  readonly applicationLogGroup: pulumi.Output<string>;
  /** Objects that need CRDs or add-ons first (namespace, KEDA, the secrets CSI driver). */
  readonly ready: ReadonlyArray<pulumi.Resource>;
  /** KEDA TriggerAuthentication the agents' ScaledObjects use. */
  readonly triggerAuthentication: string;
  /** SecretProviderClass per Secrets Manager secret the fleet's agents reference. */
  readonly secretClasses: ReadonlyMap<string, string>;
}

export const eksLandings = new Registry<PlatformScope, EksLanding>("PlatformScope");

/** Options for a Kubernetes object of the fleet: on the cluster's provider. */
export function kubeOpts(scope: pulumi.Resource, landing: Pick<EksLanding, "kubernetes">, dependsOn: ReadonlyArray<pulumi.Resource> = []): pulumi.CustomResourceOptions {
  return { parent: scope, provider: landing.kubernetes, ...(dependsOn.length > 0 ? { dependsOn: [...dependsOn] } : {}) };
}
