/**
 * Helm charts the EKS target adds to the Kubernetes target's catalog
 * (lib/targets/kubernetes/catalog/helm-charts.json keeps KEDA and the NVIDIA
 * device plugin). Each pin names where its version was read; see `unconfirmed`.
 */
export interface EksChart {
  readonly chart: string;
  readonly repo: string;
  readonly version: string;
  readonly namespace: string;
  readonly source: string;
  readonly unconfirmed: ReadonlyArray<string>;
}

export const EKS_CHARTS = {
  "cluster-autoscaler": {
    chart: "cluster-autoscaler",
    repo: "https://kubernetes.github.io/autoscaler",
    version: "9.59.0",
    namespace: "kube-system",
    source: "kubermatic/kubermatic#16253 (2026-08-13): chart 9.59.0 has appVersion 1.35.0; kubernetes/autoscaler#9193 made 1.35.0 the chart default",
    unconfirmed: ["whether a newer 9.x chart for 1.35 exists"],
  },
  "secrets-store-csi-driver-provider-aws": {
    chart: "secrets-store-csi-driver-provider-aws",
    repo: "https://aws.github.io/secrets-store-csi-driver-provider-aws",
    version: "2.2.0",
    namespace: "kube-system",
    source: "aws/secrets-store-csi-driver-provider-aws charts/.../Chart.yaml (stored copy at 006971f7): version 2.2.0, depends on secrets-store-csi-driver ^1 (installed with it)",
    unconfirmed: ["whether 2.2.0 is the newest chart", "that `secrets-store-csi-driver.syncSecret.enabled` creates the sync RBAC in 2.2.0 (fixed after aws/secrets-store-csi-driver-provider-aws#506)"],
  },
} as const satisfies Record<string, EksChart>;

/** The Kubernetes version EKS clusters run: in standard support until 2027-03 (endoflife.date, amazon-eks). */
export const EKS_VERSION = "1.35";
/** The Cluster Autoscaler image for EKS_VERSION (its minor must match the cluster's). */
export const CLUSTER_AUTOSCALER_TAG = "v1.35.0";
