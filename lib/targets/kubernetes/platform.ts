import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlatform } from "../../components/agent-platform";
import { costLabels } from "../../plan/tags";
import type { PlatformOutputs } from "../target";
import { DEFAULT_ADDONS, helmRelease, pinnedChart, type KubernetesAddons } from "./addons";
import { GPU_POOL_LABEL, GPU_TAINT } from "./gpu-scheduling";
import { devicePluginValues } from "./gpu-pool";
import { childOpts, landings, type KubernetesLanding } from "./landing";
import { fleetNames } from "./names";
import { fleetCa, fleetCertificate } from "./tls";

/** Server certificate names of the NATS chart's Service and headless Service. */
export function natsDnsNames(namespace: string): string[] {
  return ["nats", `nats.${namespace}`, `nats.${namespace}.svc`, `nats.${namespace}.svc.cluster.local`, `*.nats-headless.${namespace}.svc.cluster.local`];
}

/**
 * Helm values of the NATS chart: JetStream on file storage, mutual TLS for clients and routes, the exporter's PodMonitor.
 * The TLS blocks name cert-manager's Secret keys (`tls.crt`, `tls.key`) instead of relying on the chart's
 * file-name defaults, which were `tls.cert` in the chart's nats-next predecessor.
 */
export function natsValues(prod: boolean, tlsSecret: string): Record<string, unknown> {
  const tls = { enabled: true, secretName: tlsSecret, cert: "tls.crt", key: "tls.key" };
  return {
    config: {
      cluster: { enabled: prod, replicas: prod ? 3 : 1, ...(prod ? { tls } : {}) },
      jetstream: { enabled: true, fileStore: { enabled: true, pvc: { enabled: true, size: prod ? "20Gi" : "5Gi" } } },
      monitor: { enabled: true },
      nats: { tls: { ...tls, merge: { verify: true } } },
    },
    tlsCA: { enabled: true, secretName: tlsSecret, key: "ca.crt" },
    natsBox: { enabled: false },
    promExporter: { enabled: true, podMonitor: { enabled: true } },
  };
}

/** Helm values of kube-prometheus-stack: pick up every ServiceMonitor, PodMonitor, rule and `grafana_dashboard` ConfigMap. */
export const KUBE_PROMETHEUS_VALUES = {
  prometheus: {
    prometheusSpec: { serviceMonitorSelectorNilUsesHelmValues: false, podMonitorSelectorNilUsesHelmValues: false, ruleSelectorNilUsesHelmValues: false },
  },
  grafana: { sidecar: { dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" } } },
} as const;

/**
 * The fleet's namespace (Pod Security "restricted", default-deny network policy),
 * the fleet's private CA, and the cluster add-ons the fleet needs, as pinned Helm
 * releases: each one can be switched off in `addons`.
 */
export function kubernetesPlatform(scope: AgentPlatform): PlatformOutputs {
  const { fleet, target, plan } = scope;
  const addons: KubernetesAddons = { ...DEFAULT_ADDONS, ...scope.addons };
  const name = scope.resourceName;
  const names = fleetNames(fleet.name);
  const provider = target.cluster ? new k8s.Provider(`${name}-cluster`, { context: target.cluster }, { parent: scope }) : undefined;
  const natsNamespace = pinnedChart("nats").namespace;
  const base: KubernetesLanding = {
    namespace: target.namespace,
    provider,
    crdsReady: [],
    addons,
    natsUrl: `tls://nats.${natsNamespace}.svc.cluster.local:4222`,
    natsMonitoringEndpoint: `nats.${natsNamespace}.svc.cluster.local:8222`,
    gatewayNamespace: pinnedChart("envoy-gateway").namespace,
    monitoringNamespace: pinnedChart("kube-prometheus-stack").namespace,
    natsNamespace,
    certManagerNamespace: pinnedChart("cert-manager").namespace,
    cnpgNamespace: pinnedChart("cloudnative-pg").namespace,
  };
  const shared = costLabels(plan.tags);
  const labels = { ...shared, "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" };
  const ns = new k8s.core.v1.Namespace(name, { metadata: { name: target.namespace, labels } }, childOpts(scope, base));
  new k8s.networking.v1.NetworkPolicy(
    `${name}-default-deny`,
    {
      metadata: { name: "default-deny", namespace: target.namespace, labels: shared },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    childOpts(scope, base, [ns]),
  );

  const releases: pulumi.Resource[] = [];
  const opts = childOpts(scope, base);
  const prod = fleet.environment === "prod";
  const certManager = addons.certManager ? [helmRelease(`${name}-cert-manager`, "cert-manager", { crds: { enabled: true } }, opts)] : [];
  releases.push(...certManager);
  const ca = fleetCa(name, fleet.name, base.certManagerNamespace, shared, childOpts(scope, base), certManager);
  const caReady = [...certManager, ...ca];
  fleetCertificate(
    `${name}-agents-tls`,
    { name: names.agentTlsSecret, namespace: target.namespace, secretName: names.agentTlsSecret, fleet: fleet.name, labels: shared, commonName: `${fleet.name}-agents` },
    childOpts(scope, base, [ns, ...caReady]),
  );

  if (addons.keda) releases.push(helmRelease(`${name}-keda`, "keda", { podSecurityContext: { operator: { runAsNonRoot: true } } }, opts));
  if (addons.nats) {
    const natsTls = "nats-server-tls";
    const natsCert = fleetCertificate(
      `${name}-nats-tls`,
      { name: natsTls, namespace: natsNamespace, secretName: natsTls, fleet: fleet.name, labels: shared, dnsNames: natsDnsNames(natsNamespace), usages: ["server auth", "client auth"] },
      childOpts(scope, base, caReady),
    );
    const nats = helmRelease(`${name}-nats`, "nats", natsValues(prod, natsTls), childOpts(scope, base, [natsCert]));
    releases.push(nats);
    if (addons.nack) {
      const nackTls = "nack-client-tls";
      const nackCert = fleetCertificate(
        `${name}-nack-tls`,
        { name: nackTls, namespace: natsNamespace, secretName: nackTls, fleet: fleet.name, labels: shared, commonName: "nack" },
        childOpts(scope, base, caReady),
      );
      releases.push(helmRelease(`${name}-nack`, "nack", { jetstream: { nats: { url: base.natsUrl }, tls: { enabled: true, secretName: nackTls } } }, childOpts(scope, base, [nats, nackCert])));
    }
  }
  if (addons.envoyGateway && plan.agents.some((a) => a.route)) {
    // The Backend API (routes to the legacy monolith by host name) is off by default in Envoy Gateway.
    releases.push(helmRelease(`${name}-envoy-gateway`, "envoy-gateway", { config: { envoyGateway: { extensionApis: { enableBackend: true } } } }, opts));
  }
  if (addons.cloudnativePg) releases.push(helmRelease(`${name}-cloudnative-pg`, "cloudnative-pg", { crds: { create: true } }, opts));
  if (addons.kubePrometheusStack) releases.push(helmRelease(`${name}-kube-prometheus-stack`, "kube-prometheus-stack", KUBE_PROMETHEUS_VALUES, opts));
  if (plan.gpuPools.length > 0) {
    if (addons.nvidiaDevicePlugin) releases.push(helmRelease(`${name}-nvidia-device-plugin`, "nvidia-device-plugin", devicePluginValues(fleet.name, plan.gpuPools), opts));
    if (addons.dcgmExporter) releases.push(...dcgmExporter(scope, base, shared, releases));
  }
  landings.set(scope, { ...base, crdsReady: [ns, ...releases, ...ca] });
  return {
    environmentName: pulumi.output(ns.metadata.name),
    extra: { namespace: ns.metadata.name },
  };
}

/**
 * The DCGM exporter on the pools' nodes, and a ServiceMonitor of its own (with
 * honorLabels, so the exporter's `pod`/`namespace` labels name the GPU's workload).
 */
function dcgmExporter(scope: AgentPlatform, base: KubernetesLanding, labels: Record<string, string>, ready: ReadonlyArray<pulumi.Resource>): pulumi.Resource[] {
  const name = scope.resourceName;
  const namespace = pinnedChart("dcgm-exporter").namespace;
  const release = helmRelease(
    `${name}-dcgm-exporter`,
    "dcgm-exporter",
    {
      serviceMonitor: { enabled: false },
      tolerations: [{ ...GPU_TAINT }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: GPU_POOL_LABEL, operator: "Exists" }] }] } } },
    },
    childOpts(scope, base),
  );
  const monitor = new k8s.apiextensions.CustomResource(
    `${name}-dcgm-exporter`,
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: "dcgm-exporter", namespace, labels },
      spec: {
        // The chart's Service template sets this component label literally (templates/service.yaml).
        selector: { matchLabels: { "app.kubernetes.io/component": "dcgm-exporter" } },
        namespaceSelector: { matchNames: [namespace] },
        endpoints: [{ port: "metrics", path: "/metrics", interval: "15s", honorLabels: true }],
      },
    },
    childOpts(scope, base, [release, ...ready]),
  );
  return [release, monitor];
}
