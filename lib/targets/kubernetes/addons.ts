import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import charts from "./catalog/helm-charts.json";

/** Cluster add-ons the Kubernetes target can install; switch one off when the cluster has it. */
export interface KubernetesAddons {
  /** Queue-driven autoscaling. */
  readonly keda: boolean;
  /** The broker: NATS with JetStream. */
  readonly nats: boolean;
  /** Declares JetStream streams and consumers from Kubernetes objects. */
  readonly nack: boolean;
}

export const DEFAULT_ADDONS: KubernetesAddons = { keda: true, nats: true, nack: true };

export type ChartName = keyof typeof charts;

export interface PinnedChart {
  readonly chart: string;
  readonly repo: string;
  readonly version: string;
  readonly namespace: string;
}

/** A chart from the pinned catalog (lib/targets/kubernetes/catalog/helm-charts.json). */
export function pinnedChart(name: ChartName): PinnedChart {
  const c = charts[name];
  return { chart: c.chart, repo: c.repo, version: c.version, namespace: c.namespace };
}

/** A Helm release of a pinned chart, atomic, in its own namespace. */
export function helmRelease(
  name: string,
  chartName: ChartName,
  values: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
  namespace?: string,
): k8s.helm.v3.Release {
  const pinned = pinnedChart(chartName);
  const oci = pinned.repo.startsWith("oci://");
  return new k8s.helm.v3.Release(
    name,
    {
      name: chartName,
      chart: oci ? pinned.repo : pinned.chart,
      version: pinned.version,
      ...(oci ? {} : { repositoryOpts: { repo: pinned.repo } }),
      namespace: namespace ?? pinned.namespace,
      createNamespace: true,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      values,
    },
    opts,
  );
}
