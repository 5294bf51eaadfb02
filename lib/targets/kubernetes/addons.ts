import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import charts from "./catalog/helm-charts.json";

/**
 * Cluster add-ons the Kubernetes target can install, each a pinned Helm release
 * from lib/targets/kubernetes/catalog/helm-charts.json. Switch one off when the
 * cluster already has it; the fleet's objects then rely on the cluster's copy.
 */
export interface KubernetesAddons {
  /** Queue-driven autoscaling. @default true */
  readonly keda: boolean;
  /** The broker: NATS with JetStream. @default true */
  readonly nats: boolean;
  /** Declares JetStream streams and consumers from Kubernetes objects. @default true */
  readonly nack: boolean;
  /** Certificates for NATS, Valkey and the gateway listener (a private CA per fleet). @default true */
  readonly certManager: boolean;
  /** NVIDIA device plugin with the per-pool time-slicing/MIG config; only when the fleet has GPU pools. @default true */
  readonly nvidiaDevicePlugin: boolean;
  /** DCGM exporter for GPU metrics; only when the fleet has GPU pools. @default true */
  readonly dcgmExporter: boolean;
  /** Envoy Gateway, the Gateway API implementation; only when an agent has a route. @default true */
  readonly envoyGateway: boolean;
  /** CloudNativePG operator for the state store's Postgres. @default true */
  readonly cloudnativePg: boolean;
  /** Prometheus operator, Prometheus, Alertmanager and Grafana (kube-prometheus-stack). @default true */
  readonly kubePrometheusStack: boolean;
  /**
   * Per-fleet releases in the fleet's namespace, not cluster add-ons; switch off to
   * bring your own: the results cache (Valkey) and the OpenTelemetry collector.
   * @default true
   */
  readonly valkey: boolean;
  /** @default true */
  readonly openTelemetry: boolean;
}

export const DEFAULT_ADDONS: KubernetesAddons = {
  keda: true,
  nats: true,
  nack: true,
  certManager: true,
  nvidiaDevicePlugin: true,
  dcgmExporter: true,
  envoyGateway: true,
  cloudnativePg: true,
  kubePrometheusStack: true,
  valkey: true,
  openTelemetry: true,
};

/** Every add-on off: for clusters that already run them all (and for tests of one component). */
export const NO_ADDONS: KubernetesAddons = {
  keda: false,
  nats: false,
  nack: false,
  certManager: false,
  nvidiaDevicePlugin: false,
  dcgmExporter: false,
  envoyGateway: false,
  cloudnativePg: false,
  kubePrometheusStack: false,
  valkey: false,
  openTelemetry: false,
};

/**
 * The catalog's charts, spelled out so the published declarations do not import the
 * JSON (a consumer's tsconfig need not set resolveJsonModule); `catalog` below fails
 * to compile when a name is missing from the JSON.
 */
export type ChartName =
  | "keda"
  | "nvidia-device-plugin"
  | "dcgm-exporter"
  | "envoy-gateway"
  | "opentelemetry-operator"
  | "opentelemetry-collector"
  | "cloudnative-pg"
  | "nats"
  | "nack"
  | "valkey"
  | "kube-prometheus-stack"
  | "cert-manager";

export interface PinnedChart {
  readonly chart: string;
  readonly repo: string;
  readonly version: string;
  readonly namespace: string;
}

const catalog: Readonly<Record<ChartName, PinnedChart>> = charts;

/** A chart from the pinned catalog (lib/targets/kubernetes/catalog/helm-charts.json). */
export function pinnedChart(name: ChartName): PinnedChart {
  const c = catalog[name];
  return { chart: c.chart, repo: c.repo, version: c.version, namespace: c.namespace };
}

/** A Helm release of a pinned chart, atomic, in its own namespace (or the one given). */
export function helmRelease(
  name: string,
  chartName: ChartName,
  values: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
  namespace?: string,
): k8s.helm.v3.Release {
  return pinnedRelease(name, chartName, pinnedChart(chartName), values, opts, namespace);
}

/** A Helm release of any pinned chart (the catalog's, or a target's own pins), atomic, in its own namespace (or the one given). */
export function pinnedRelease(
  name: string,
  releaseName: string,
  pinned: PinnedChart,
  values: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
  namespace?: string,
): k8s.helm.v3.Release {
  const oci = pinned.repo.startsWith("oci://");
  return new k8s.helm.v3.Release(
    name,
    {
      name: releaseName,
      chart: oci ? pinned.repo : pinned.chart,
      version: pinned.version,
      ...(oci ? {} : { repositoryOpts: { repo: pinned.repo } }),
      namespace: namespace ?? pinned.namespace,
      createNamespace: namespace === undefined,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      values,
    },
    opts,
  );
}
