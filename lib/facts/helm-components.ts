import { bool, get, num, obj, str, type Bag } from "./values";

/**
 * The pods a Helm chart runs and where its values size them, for the charts the
 * package installs (lib/targets/kubernetes/addons.ts, the EKS charts): a chart's
 * values are not a Kubernetes object, so the cost estimator needs to know which
 * value blocks become which pod's containers, how many replicas each runs and which
 * components are DaemonSets. Paths were read in each chart's templates at (or just
 * before) the pinned version; lib/targets/kubernetes/catalog/helm-charts.json and
 * lib/targets/aws-eks/charts.ts say which.
 */
export interface HelmComponent {
  /** What the component is, for the cost basis (`operator`, `node-exporter`). */
  readonly name: string;
  /** Paths, in the release's values, of the `resources` block of each container of one pod (of those the values enable). */
  readonly containers: ReadonlyArray<ReadonlyArray<string>> | ((values: Bag) => ReadonlyArray<ReadonlyArray<string>>);
  /** Pods it runs (a Deployment or StatefulSet); ignored for a DaemonSet. @default 1 */
  readonly replicas?: (values: Bag) => number;
  /** Whether the chart renders it with these values. @default always */
  readonly enabled?: (values: Bag) => boolean;
  /** A DaemonSet: one pod on every node, or on every GPU node (the add-on's affinity keeps it to GPU pools). */
  readonly perNode?: "all" | "gpu";
  /** Volume size per replica (a PersistentVolumeClaim template), when its values create one. */
  readonly volume?: (values: Bag) => string | undefined;
}

const flag = (values: Bag, path: ReadonlyArray<string>, fallback: boolean): boolean => bool(get(values, ...path)) ?? fallback;
const count = (values: Bag, path: ReadonlyArray<string>, fallback: number): number => num(get(values, ...path)) ?? fallback;

/**
 * Components by chart name (the release's `chart`; an OCI reference by its last path
 * segment). Templates read: kedacore/charts v2.20.2 keda/templates/{manager,metrics-server,
 * webhooks}/deployment.yaml; nats-io/k8s nats-1.3.14 helm/charts/nats/files/stateful-set;
 * nats-io/k8s nack-0.34.0 values; cert-manager v1.20.2 deploy/charts values; cloudnative-pg
 * charts cloudnative-pg-v0.29.0 values; envoyproxy/gateway v1.9.0 gateway-helm values;
 * prometheus-community/helm-charts kube-prometheus-stack-88.5.3 values and its
 * kube-state-metrics, prometheus-node-exporter and grafana subcharts' `resources`;
 * NVIDIA/k8s-device-plugin v0.20.0 templates/daemonset-device-plugin.yml (only the plugin
 * container reads `resources`; the config-manager sidecar and init container request
 * nothing); NVIDIA/dcgm-exporter 4.5.2-4.8.1 values; kubernetes/autoscaler
 * cluster-autoscaler-chart-9.59.0 values; aws/secrets-store-csi-driver-provider-aws 2.1.1
 * templates/daemonset.yaml and kubernetes-sigs/secrets-store-csi-driver charts (1.6.0)
 * `linux.{driver,registrar,livenessProbe}.resources`; valkey-io/valkey-helm valkey-0.11.0
 * templates/statefulset.yaml (`replica.replicas` + 1 pods).
 */
export const HELM_COMPONENTS: Readonly<Record<string, ReadonlyArray<HelmComponent>>> = {
  keda: [
    { name: "operator", containers: [["resources", "operator"]], replicas: (v) => count(v, ["operator", "replicaCount"], 1) },
    { name: "metrics API server", containers: [["resources", "metricServer"]], replicas: (v) => count(v, ["metricsServer", "replicaCount"], 1) },
    { name: "admission webhooks", containers: [["resources", "webhooks"]], replicas: (v) => count(v, ["webhooks", "replicaCount"], 1), enabled: (v) => flag(v, ["webhooks", "enabled"], true) },
  ],
  nats: [
    {
      name: "server",
      containers: (v) => [
        ["container", "merge", "resources"],
        ...(flag(v, ["reloader", "enabled"], true) ? [["reloader", "merge", "resources"]] : []),
        ...(flag(v, ["promExporter", "enabled"], false) ? [["promExporter", "merge", "resources"]] : []),
      ],
      replicas: (v) => (flag(v, ["config", "cluster", "enabled"], false) ? count(v, ["config", "cluster", "replicas"], 3) : 1),
      volume: (v) =>
        flag(v, ["config", "jetstream", "enabled"], false) && flag(v, ["config", "jetstream", "fileStore", "enabled"], true) && flag(v, ["config", "jetstream", "fileStore", "pvc", "enabled"], true)
          ? (str(get(v, "config", "jetstream", "fileStore", "pvc", "size")) ?? "10Gi")
          : undefined,
    },
  ],
  nack: [{ name: "controller", containers: [["resources"]] }],
  "cert-manager": [
    { name: "controller", containers: [["resources"]], replicas: (v) => count(v, ["replicaCount"], 1) },
    { name: "webhook", containers: [["webhook", "resources"]], replicas: (v) => count(v, ["webhook", "replicaCount"], 1) },
    { name: "cainjector", containers: [["cainjector", "resources"]], replicas: (v) => count(v, ["cainjector", "replicaCount"], 1), enabled: (v) => flag(v, ["cainjector", "enabled"], true) },
  ],
  "cloudnative-pg": [{ name: "operator", containers: [["resources"]], replicas: (v) => count(v, ["replicaCount"], 1) }],
  "gateway-helm": [{ name: "controller", containers: [["deployment", "envoyGateway", "resources"]], replicas: (v) => count(v, ["deployment", "replicas"], 1) }],
  "kube-prometheus-stack": [
    { name: "prometheus", containers: [["prometheus", "prometheusSpec", "resources"], ["prometheusOperator", "prometheusConfigReloader", "resources"]], replicas: (v) => count(v, ["prometheus", "prometheusSpec", "replicas"], 1), enabled: (v) => flag(v, ["prometheus", "enabled"], true) },
    { name: "alertmanager", containers: [["alertmanager", "alertmanagerSpec", "resources"], ["prometheusOperator", "prometheusConfigReloader", "resources"]], replicas: (v) => count(v, ["alertmanager", "alertmanagerSpec", "replicas"], 1), enabled: (v) => flag(v, ["alertmanager", "enabled"], true) },
    { name: "operator", containers: [["prometheusOperator", "resources"]], enabled: (v) => flag(v, ["prometheusOperator", "enabled"], true) },
    // Grafana, its dashboards sidecar and its datasources sidecar (both on in kube-prometheus-stack), which share `sidecar.resources`.
    { name: "grafana", containers: [["grafana", "resources"], ["grafana", "sidecar", "resources"], ["grafana", "sidecar", "resources"]], replicas: (v) => count(v, ["grafana", "replicas"], 1), enabled: (v) => flag(v, ["grafana", "enabled"], true) },
    { name: "kube-state-metrics", containers: [["kube-state-metrics", "resources"]], replicas: (v) => count(v, ["kube-state-metrics", "replicas"], 1), enabled: (v) => flag(v, ["kubeStateMetrics", "enabled"], true) },
    { name: "node-exporter", containers: [["prometheus-node-exporter", "resources"]], perNode: "all", enabled: (v) => flag(v, ["nodeExporter", "enabled"], true) },
  ],
  "nvidia-device-plugin": [{ name: "device plugin", containers: [["resources"]], perNode: "gpu", enabled: (v) => flag(v, ["devicePlugin", "enabled"], true) }],
  "dcgm-exporter": [{ name: "exporter", containers: [["resources"]], perNode: "gpu" }],
  "cluster-autoscaler": [{ name: "autoscaler", containers: [["resources"]], replicas: (v) => count(v, ["replicaCount"], 1) }],
  "secrets-store-csi-driver-provider-aws": [
    { name: "AWS provider", containers: [["resources"]], perNode: "all" },
    {
      name: "CSI driver",
      containers: [
        ["secrets-store-csi-driver", "linux", "driver", "resources"],
        ["secrets-store-csi-driver", "linux", "registrar", "resources"],
        ["secrets-store-csi-driver", "linux", "livenessProbe", "resources"],
      ],
      perNode: "all",
      enabled: (v) => flag(v, ["secrets-store-csi-driver", "install"], true) && flag(v, ["secrets-store-csi-driver", "linux", "enabled"], true),
    },
  ],
  valkey: [
    {
      name: "server",
      containers: [["resources"]],
      replicas: (v) => (flag(v, ["replica", "enabled"], false) ? count(v, ["replica", "replicas"], 2) + 1 : 1),
      volume: (v) => (flag(v, ["replica", "enabled"], false) ? str(get(v, "replica", "persistence", "size")) : flag(v, ["dataStorage", "enabled"], false) ? str(get(v, "dataStorage", "requestedSize")) : undefined),
    },
  ],
};

/** The components of a release's chart, by its `chart` input (a name, or an OCI reference). */
export function helmComponents(chart: string): ReadonlyArray<HelmComponent> | undefined {
  return HELM_COMPONENTS[chart.split("/").pop() ?? chart];
}

/** The `resources` paths of one pod's containers, with these values. */
export function containerPaths(c: HelmComponent, values: Bag): ReadonlyArray<ReadonlyArray<string>> {
  return typeof c.containers === "function" ? c.containers(values) : c.containers;
}

/** A container's `resources.requests` block at a path of the values. */
export function requestsAt(values: Bag, path: ReadonlyArray<string>): Bag {
  return obj(get(values, ...path), "requests");
}
