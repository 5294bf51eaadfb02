import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ResourceRequirements, type IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import { customerServiceFleet, emailFleet } from "../../agents";
import { estimateCost, type CostEstimate } from "../../lib/cost";
import { nodeFraction, REFERENCE_NODES } from "../../lib/cost/compute";
import { factsFromGraph, factsFromResources, type RawResource } from "../../lib/facts";
import type { ResourceFact } from "../../lib/facts/types";
import type { ResourceGraph } from "../../lib/offline/engine";
import {
  CERT_MANAGER_RESOURCES,
  CLUSTER_AUTOSCALER_RESOURCES,
  CNPG_OPERATOR_RESOURCES,
  DCGM_EXPORTER_RESOURCES,
  DEVICE_PLUGIN_RESOURCES,
  ENVOY_GATEWAY_RESOURCES,
  ENVOY_PROXY_RESOURCES,
  KEDA_RESOURCES,
  KUBE_PROMETHEUS_RESOURCES,
  NACK_RESOURCES,
  NATS_SIDECAR_RESOURCES,
  SECRETS_STORE_RESOURCES,
  VALKEY_RESOURCES,
} from "../../lib/targets/kubernetes/addon-resources";
import { at, ofType, planFleetOffline } from "../helpers/offline";

/**
 * Every Helm release the Kubernetes target installs sizes every pod it runs: the
 * values carry explicit requests at the chart's own keys, the facts read them back
 * per component (nested blocks, replica counts, DaemonSets), and the estimate prices
 * each release as the node capacity it reserves, so none is left unpriced.
 */

const RELEASE = "kubernetes:helm.sh/v3:Release";
const H = 730;
const BUSY = 240; // the medium tier's busy hours
const M6I_XLARGE = 0.192;

/** A resources block, checked against the upstream Kubernetes schema. */
function requirements(v: unknown): IResourceRequirements {
  const r = new ResourceRequirements(v as IResourceRequirements);
  r.validate();
  return r.toJSON();
}

describe("Helm releases on plain Kubernetes (acme-support, medium, prod)", () => {
  let graph: ResourceGraph;
  let estimate: CostEstimate;
  let releaseFacts: ResourceFact[];
  /** A value the release of a chart sets, by path. */
  const value = (chart: string, ...path: string[]) => at(ofType(graph, RELEASE).find((r) => at(r, "name") === chart) ?? { inputs: {} }, "values", ...path);
  const billing = (chart: string) => releaseFacts.find((f) => f.resource.name.endsWith(`-${chart}`))?.billing ?? {};
  const item = (chart: string) => estimate.items.find((i) => i.type === RELEASE && i.resource.endsWith(`-${chart}`));

  before(async () => {
    graph = await planFleetOffline(customerServiceFleet({ tier: "medium", environment: "prod", targets: [{ runtime: "kubernetes", region: "us-east-1" }] }));
    const facts = factsFromGraph(graph);
    releaseFacts = facts.filter((f): f is ResourceFact => f.kind === "resource" && f.resource.type === RELEASE);
    estimate = estimateCost(facts);
  });

  it("sets explicit requests and limits, valid ResourceRequirements, at each chart's keys", () => {
    assert.deepEqual(requirements(value("keda", "resources", "operator")), KEDA_RESOURCES.operator);
    assert.deepEqual(requirements(value("keda", "resources", "metricServer")), KEDA_RESOURCES.metricServer);
    assert.deepEqual(requirements(value("keda", "resources", "webhooks")), KEDA_RESOURCES.webhooks);
    assert.deepEqual([value("keda", "operator", "replicaCount"), value("keda", "metricsServer", "replicaCount"), value("keda", "webhooks", "replicaCount")], [1, 1, 1]);
    assert.deepEqual(requirements(value("nats", "container", "merge", "resources")), { requests: { cpu: "2", memory: "8Gi" }, limits: { cpu: "2", memory: "8Gi" } });
    assert.equal(value("nats", "container", "env", "GOMEMLIMIT"), "6GiB");
    assert.deepEqual(requirements(value("nats", "reloader", "merge", "resources")), NATS_SIDECAR_RESOURCES);
    assert.deepEqual(requirements(value("nats", "promExporter", "merge", "resources")), NATS_SIDECAR_RESOURCES);
    assert.deepEqual(requirements(value("nack", "resources")), NACK_RESOURCES);
    assert.deepEqual(requirements(value("cert-manager", "resources")), CERT_MANAGER_RESOURCES.controller);
    assert.deepEqual(requirements(value("cert-manager", "webhook", "resources")), CERT_MANAGER_RESOURCES.webhook);
    assert.deepEqual(requirements(value("cert-manager", "cainjector", "resources")), CERT_MANAGER_RESOURCES.cainjector);
    assert.deepEqual(requirements(value("cloudnative-pg", "resources")), CNPG_OPERATOR_RESOURCES);
    assert.deepEqual(requirements(value("envoy-gateway", "deployment", "envoyGateway", "resources")), ENVOY_GATEWAY_RESOURCES);
    assert.deepEqual(requirements(value("kube-prometheus-stack", "prometheus", "prometheusSpec", "resources")), KUBE_PROMETHEUS_RESOURCES.prometheus);
    assert.deepEqual(requirements(value("kube-prometheus-stack", "alertmanager", "alertmanagerSpec", "resources")), KUBE_PROMETHEUS_RESOURCES.alertmanager);
    assert.deepEqual(requirements(value("kube-prometheus-stack", "prometheusOperator", "resources")), KUBE_PROMETHEUS_RESOURCES.operator);
    assert.deepEqual(requirements(value("kube-prometheus-stack", "prometheusOperator", "prometheusConfigReloader", "resources")), KUBE_PROMETHEUS_RESOURCES.configReloader);
    assert.deepEqual(requirements(value("kube-prometheus-stack", "grafana", "resources")), KUBE_PROMETHEUS_RESOURCES.grafana);
    assert.deepEqual(requirements(value("kube-prometheus-stack", "grafana", "sidecar", "resources")), KUBE_PROMETHEUS_RESOURCES.grafanaSidecar);
    assert.equal(value("kube-prometheus-stack", "grafana", "sidecar", "dashboards", "label"), "grafana_dashboard", "the dashboards sidecar keeps its settings beside the resources");
    assert.deepEqual(requirements(value("kube-prometheus-stack", "kube-state-metrics", "resources")), KUBE_PROMETHEUS_RESOURCES.kubeStateMetrics);
    assert.deepEqual(requirements(value("kube-prometheus-stack", "prometheus-node-exporter", "resources")), KUBE_PROMETHEUS_RESOURCES.nodeExporter);
    assert.deepEqual(requirements(value("nvidia-device-plugin", "resources")), DEVICE_PLUGIN_RESOURCES);
    assert.deepEqual(requirements(value("dcgm-exporter", "resources")), DCGM_EXPORTER_RESOURCES);
    assert.deepEqual(requirements(value("valkey", "resources")), VALKEY_RESOURCES);
  });

  it("reads every component's requests, replicas, volumes and DaemonSets back from the values", () => {
    const keda = billing("keda");
    assert.deepEqual({ ...keda, cpu: Number(keda.cpu).toFixed(2) }, { chart: "keda", sized: true, pods: 3, cpu: "0.30", memoryMiB: 300, volumeGb: 0, perNodeCpu: 0, perNodeMemoryMiB: 0, perGpuNodeCpu: 0, perGpuNodeMemoryMiB: 0 });
    // Clustered for prod: 3 servers, each the server (2 CPU, 8 GiB) and two sidecars (10m, 32 MiB), and a 20 GiB JetStream volume.
    assert.deepEqual([billing("nats").pods, Number(billing("nats").cpu).toFixed(2), billing("nats").memoryMiB, billing("nats").volumeGb], [3, "6.06", 3 * (8192 + 64), 60]);
    // Valkey replicated: `replica.replicas` (2) + the primary, a 10 GiB volume each.
    assert.deepEqual([billing("valkey").pods, billing("valkey").volumeGb], [3, 30]);
    const kps = billing("kube-prometheus-stack");
    assert.deepEqual([kps.pods, kps.perNodeCpu, kps.perNodeMemoryMiB, kps.daemonSets], [5, 0.1, 30, "node-exporter (every node)"]);
    // Prometheus + reloader, Alertmanager + reloader, operator, Grafana + 2 sidecars, kube-state-metrics.
    assert.equal(Number(kps.memoryMiB), 800 + 32 + 64 + 32 + 100 + 256 + 2 * 64 + 32);
    assert.deepEqual([billing("nvidia-device-plugin").pods, billing("nvidia-device-plugin").perGpuNodeCpu, billing("nvidia-device-plugin").perGpuNodeMemoryMiB], [0, 0.01, 64]);
    assert.deepEqual([billing("dcgm-exporter").perGpuNodeCpu, billing("dcgm-exporter").perGpuNodeMemoryMiB], [0.1, 128]);
    for (const f of releaseFacts) assert.equal(f.billing?.unsized, undefined, `${f.resource.name} sizes every component`);
  });

  it("prices every release above zero, and leaves nothing unpriced", () => {
    assert.deepEqual(estimate.unpriced, []);
    const releases = ofType(graph, RELEASE).map((r) => r.name);
    assert.equal(releases.length, 11);
    for (const name of releases) {
      const i = estimate.items.find((x) => x.resource === name);
      assert.ok(i && i.monthlyUsd > 0, `${name}: ${i?.basis ?? "no item"}`);
    }
  });

  it("prices a Deployment's pods as their share of the reference node all month", () => {
    // KEDA: 3 pods of 100m / 100 MiB: 2.5% of a m6i.xlarge (4 vCPU, 16 GiB) each.
    assert.equal(item("keda")?.monthlyUsd, Math.round(3 * 0.025 * M6I_XLARGE * H * 100) / 100);
    assert.match(item("keda")?.basis ?? "", /^keda: 3 pod\(s\) × 2\.5% of a m6i\.xlarge at \$0\.192\/h × 730 h/);
  });

  it("prices a GPU DaemonSet for every hour of the GPU pool's planned nodes", () => {
    const pool = factsFromGraph(graph).find((f): f is ResourceFact => f.kind === "resource" && typeof f.billing?.gpuPool === "string");
    const [idle, busy] = [Number(pool?.billing?.nodesAtMinReplicas), Number(pool?.billing?.nodesAtMaxReplicas)];
    const nodeHours = idle * (H - BUSY) + busy * BUSY;
    const share = nodeFraction({ cpu: 0.01, memoryMiB: 64, gpus: 0 }, REFERENCE_NODES.aws);
    assert.equal(item("nvidia-device-plugin")?.monthlyUsd, Math.round(share * M6I_XLARGE * nodeHours * 100) / 100);
    assert.match(item("nvidia-device-plugin")?.basis ?? "", new RegExp(`a pod on every GPU node × 0\\.4% of a m6i\\.xlarge at \\$0\\.192/h × ${nodeHours} node-h`));
  });

  it("sizes the Gateway's Envoy proxy on its EnvoyProxy and prices its pods: envoy and the shutdown manager, one replica", () => {
    const proxy = ofType(graph, "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy")[0];
    assert.ok(proxy);
    assert.equal(at(proxy, "spec", "provider", "kubernetes", "envoyDeployment", "replicas"), 1);
    assert.deepEqual(requirements(at(proxy, "spec", "provider", "kubernetes", "envoyDeployment", "container", "resources")), ENVOY_PROXY_RESOURCES);
    const i = estimate.items.find((x) => x.resource === proxy.name);
    // 110m and 544 MiB: 3.3% of a m6i.xlarge (memory dominates), all month.
    const share = nodeFraction({ cpu: 0.11, memoryMiB: 544, gpus: 0 }, REFERENCE_NODES.aws);
    assert.equal(i?.monthlyUsd, Math.round(share * M6I_XLARGE * H * 100) / 100);
    assert.match(i?.basis ?? "", /^Envoy proxy of the fleet's Gateway \(envoy \+ shutdown manager\): 1 pod\(s\) × 3\.3% of a m6i\.xlarge/);
  });
});

describe("Helm releases on EKS (acme-email, small, prod)", () => {
  let graph: ResourceGraph;
  let estimate: CostEstimate;
  const release = (chart: string) => ofType(graph, RELEASE).find((r) => at(r, "name") === chart) ?? { inputs: {}, name: "" };
  before(async () => {
    graph = await planFleetOffline(emailFleet({ tier: "small", environment: "prod", targets: [{ runtime: "eks", region: "us-east-1" }] }));
    estimate = estimateCost(factsFromGraph(graph));
  });

  it("sizes the Cluster Autoscaler, the Secrets Store CSI driver and its AWS provider, KEDA and the device plugin", () => {
    assert.deepEqual(requirements(at(release("cluster-autoscaler"), "values", "resources")), CLUSTER_AUTOSCALER_RESOURCES);
    assert.equal(at(release("cluster-autoscaler"), "values", "replicaCount"), 1);
    const store = release("secrets-store-csi-driver-provider-aws");
    assert.deepEqual(requirements(at(store, "values", "resources")), SECRETS_STORE_RESOURCES.provider);
    for (const c of ["driver", "registrar", "livenessProbe"] as const) assert.deepEqual(requirements(at(store, "values", "secrets-store-csi-driver", "linux", c, "resources")), SECRETS_STORE_RESOURCES[c]);
    assert.deepEqual(requirements(at(release("keda"), "values", "resources", "webhooks")), KEDA_RESOURCES.webhooks);
    assert.deepEqual(requirements(at(release("nvidia-device-plugin"), "values", "resources")), DEVICE_PLUGIN_RESOURCES);
  });

  it("prices each release in the cluster's region, DaemonSets on the region's nodes, and leaves nothing unpriced", () => {
    assert.deepEqual(estimate.unpriced, []);
    for (const r of ofType(graph, RELEASE)) {
      const i = estimate.items.find((x) => x.resource === r.name && x.type === RELEASE);
      assert.ok(i && i.monthlyUsd > 0 && i.region === "us-east-1", `${r.name}: ${i?.region ?? "no region"} ${i?.basis ?? "no item"}`);
    }
    // The provider and the driver's three containers: 110m and 240 MiB on every node.
    assert.match(estimate.items.find((i) => i.resource === release("secrets-store-csi-driver-provider-aws").name && i.type === RELEASE)?.basis ?? "", /AWS provider \(every node\), CSI driver \(every node\)\): a pod on every node × 3\.0% of a m6i\.xlarge/);
  });
});

describe("a Helm release a component of which states no requests", () => {
  const release = (name: string, values: Record<string, unknown>): RawResource => ({ urn: `urn:pulumi:test::test::${RELEASE}::${name}`, type: RELEASE, name, inputs: { chart: name, values }, custom: true });

  it("stays unpriced, naming the component that runs at the chart's defaults", () => {
    const e = estimateCost(factsFromResources([release("keda", { resources: { operator: KEDA_RESOURCES.operator, metricServer: KEDA_RESOURCES.metricServer } })]));
    assert.deepEqual(e.unpriced.map((u) => u.reason), ["keda: admission webhooks run(s) at the chart's own defaults: its values set no pod requests for them"]);
  });

  it("counts only what the values enable (KEDA without its webhooks)", () => {
    const e = estimateCost(factsFromResources([release("keda", { webhooks: { enabled: false }, resources: { operator: KEDA_RESOURCES.operator, metricServer: KEDA_RESOURCES.metricServer } })]));
    assert.deepEqual(e.unpriced, []);
    assert.match(e.items[0]?.basis ?? "", /^keda: 2 pod\(s\)/);
  });

  it("stays unpriced when its DaemonSet has no nodes to run on in the stack", () => {
    const e = estimateCost(factsFromResources([release("nvidia-device-plugin", { resources: DEVICE_PLUGIN_RESOURCES })]));
    assert.match(e.unpriced[0]?.reason ?? "", /^nvidia-device-plugin: its DaemonSet pods \(device plugin \(every GPU node\)\) run on every GPU node, and the estimate counts no such Kubernetes node/);
  });
});
