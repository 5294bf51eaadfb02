import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";

/**
 * Requests and limits of every pod the package's Helm releases run, so each release
 * reserves a known share of its nodes (and the cost estimate prices it: lib/facts/
 * helm-components.ts reads these blocks back from the release's values). Where the
 * chart ships defaults or upstream recommends a size, that is the figure, cited;
 * otherwise the figure is this package's choice for a fleet's control-plane add-on,
 * marked "choice". Value keys were read in each chart's values and templates at (or
 * just before) the pinned version (see lib/facts/helm-components.ts).
 */

const size = (cpu: string, memory: string, limits: { readonly cpu?: string; readonly memory: string }): IResourceRequirements => ({
  requests: { cpu, memory },
  limits: { ...(limits.cpu !== undefined ? { cpu: limits.cpu } : {}), memory: limits.memory },
});

/** KEDA's three Deployments: the chart's own defaults (kedacore/charts v2.20.2 keda/values.yaml `resources.*`), one replica each. */
export const KEDA_RESOURCES = {
  operator: size("100m", "100Mi", { cpu: "1", memory: "1000Mi" }),
  metricServer: size("100m", "100Mi", { cpu: "1", memory: "1000Mi" }),
  webhooks: size("100m", "100Mi", { cpu: "1", memory: "1000Mi" }),
} as const;

/** Helm values that size KEDA (merged with a target's own KEDA values). */
export function kedaSizing(): Record<string, unknown> {
  return { operator: { replicaCount: 1 }, metricsServer: { replicaCount: 1 }, webhooks: { replicaCount: 1 }, resources: KEDA_RESOURCES };
}

/**
 * NATS server container. Production: the chart's recommendation for JetStream
 * clusters, "at least 2 CPU cores and 8Gi memory", requests equal to limits, and
 * GOMEMLIMIT about 80% of the limit (nats-io/k8s nats-1.3.14 helm/charts/nats/README.md,
 * "NATS Container Resources"). Other environments: a quarter of it (choice), same shape.
 */
export function natsServerResources(prod: boolean): { readonly resources: IResourceRequirements; readonly goMemLimit: string } {
  const [cpu, memory, goMemLimit] = prod ? ["2", "8Gi", "6GiB"] : ["500m", "2Gi", "1600MiB"];
  return { resources: { requests: { cpu, memory }, limits: { cpu, memory } }, goMemLimit };
}

/** The NATS pod's config reloader and Prometheus exporter sidecars (choice: both idle most of the time). */
export const NATS_SIDECAR_RESOURCES = size("10m", "32Mi", { memory: "64Mi" });

/** NACK's controller (choice; the chart's `resources` is `{}` with no recommendation, nack-0.34.0). */
export const NACK_RESOURCES = size("50m", "64Mi", { memory: "256Mi" });

/**
 * cert-manager (choice; the chart's blocks are `{}`, v1.20.2): the controller caches
 * the TLS Secrets it manages (cert-manager.io docs, "Scaling cert-manager": memory is
 * roughly proportional to those Secrets), a fleet has a handful; cainjector caches
 * more, hence its larger request.
 */
export const CERT_MANAGER_RESOURCES = {
  controller: size("25m", "128Mi", { memory: "512Mi" }),
  webhook: size("10m", "64Mi", { memory: "256Mi" }),
  cainjector: size("10m", "192Mi", { memory: "512Mi" }),
} as const;

/** Helm values that size cert-manager. */
export function certManagerSizing(): Record<string, unknown> {
  return {
    replicaCount: 1,
    resources: CERT_MANAGER_RESOURCES.controller,
    webhook: { replicaCount: 1, resources: CERT_MANAGER_RESOURCES.webhook },
    cainjector: { replicaCount: 1, resources: CERT_MANAGER_RESOURCES.cainjector },
  };
}

/** The CloudNativePG operator: the chart's own commented example (cloudnative-pg-v0.29.0 values.yaml `resources`). */
export const CNPG_OPERATOR_RESOURCES = size("100m", "100Mi", { cpu: "100m", memory: "200Mi" });

/** Envoy Gateway's controller: the chart's defaults (gateway-helm v1.9.0 `deployment.envoyGateway.resources`). */
export const ENVOY_GATEWAY_RESOURCES = size("100m", "256Mi", { memory: "1024Mi" });

/**
 * kube-prometheus-stack. kube-state-metrics and node-exporter: their charts' commented
 * examples (prometheus-community/helm-charts kube-state-metrics and
 * prometheus-node-exporter values.yaml `resources`); the operator: the stack chart's
 * commented example (88.5.3 `prometheusOperator.resources`); Prometheus: the
 * stack's example memory request (400Mi) doubled for a fleet's agents, queues and GPU
 * series, with room to 4Gi (choice); Alertmanager, the config reloader, Grafana and its
 * sidecars: choice.
 */
export const KUBE_PROMETHEUS_RESOURCES = {
  prometheus: size("250m", "800Mi", { memory: "4Gi" }),
  alertmanager: size("25m", "64Mi", { memory: "256Mi" }),
  configReloader: size("10m", "32Mi", { memory: "64Mi" }),
  operator: size("100m", "100Mi", { cpu: "200m", memory: "200Mi" }),
  grafana: size("100m", "256Mi", { memory: "512Mi" }),
  grafanaSidecar: size("10m", "64Mi", { memory: "128Mi" }),
  kubeStateMetrics: size("10m", "32Mi", { cpu: "100m", memory: "64Mi" }),
  nodeExporter: size("100m", "30Mi", { cpu: "200m", memory: "50Mi" }),
} as const;

/** Helm values that size kube-prometheus-stack (merged into KUBE_PROMETHEUS_VALUES). */
export function kubePrometheusSizing(): Record<string, unknown> {
  const r = KUBE_PROMETHEUS_RESOURCES;
  return {
    prometheus: { prometheusSpec: { replicas: 1, resources: r.prometheus } },
    alertmanager: { alertmanagerSpec: { replicas: 1, resources: r.alertmanager } },
    prometheusOperator: { resources: r.operator, prometheusConfigReloader: { resources: r.configReloader } },
    grafana: { replicas: 1, resources: r.grafana, sidecar: { resources: r.grafanaSidecar } },
    "kube-state-metrics": { replicas: 1, resources: r.kubeStateMetrics },
    "prometheus-node-exporter": { resources: r.nodeExporter },
  };
}

/** The NVIDIA device plugin container on each GPU node (choice; the chart's `resources` is `{}`, v0.20.0; its config-manager sidecar has no resources value). */
export const DEVICE_PLUGIN_RESOURCES = size("10m", "64Mi", { memory: "128Mi" });

/** The DCGM exporter on each GPU node: the chart's defaults (NVIDIA/dcgm-exporter 4.5.2-4.8.1 deployment/values.yaml `resources`). */
export const DCGM_EXPORTER_RESOURCES = size("100m", "128Mi", { cpu: "200m", memory: "512Mi" });

/**
 * The Cluster Autoscaler on EKS: the AWS example manifest's size, requests equal to
 * limits (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/examples/
 * cluster-autoscaler-autodiscover.yaml at cluster-autoscaler-chart-9.59.0).
 */
export const CLUSTER_AUTOSCALER_RESOURCES = size("100m", "600Mi", { cpu: "100m", memory: "600Mi" });

/**
 * The Secrets Store CSI driver and its AWS provider, DaemonSets on every node: the
 * charts' defaults (aws/secrets-store-csi-driver-provider-aws 2.1.1 values `resources`;
 * kubernetes-sigs/secrets-store-csi-driver charts `linux.{driver,registrar,livenessProbe}.resources`).
 */
export const SECRETS_STORE_RESOURCES = {
  provider: size("50m", "100Mi", { cpu: "50m", memory: "100Mi" }),
  driver: size("50m", "100Mi", { cpu: "200m", memory: "200Mi" }),
  registrar: size("10m", "20Mi", { cpu: "100m", memory: "100Mi" }),
  livenessProbe: size("10m", "20Mi", { cpu: "100m", memory: "100Mi" }),
} as const;

/**
 * The Envoy proxy of the fleet's Gateway (the Deployment Envoy Gateway creates per
 * Gateway from its EnvoyProxy): Envoy Gateway's own default requests, 100m and 512Mi
 * (envoyproxy/gateway v1.9.0 api/v1alpha1/shared_types.go DefaultDeployment*ResourceRequests),
 * now stated with a memory limit (choice); one replica, its default. Its shutdown-manager
 * sidecar always requests 10m / 32Mi (DefaultShutdownManager*ResourceRequests; not settable).
 */
export const ENVOY_PROXY_RESOURCES = size("100m", "512Mi", { memory: "1Gi" });

/** The results cache's Valkey servers (choice; the chart's `resources` is `{}`): a cache of agents' results, not a database. */
export const VALKEY_RESOURCES = size("100m", "256Mi", { memory: "1Gi" });
