import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlatform } from "../../components/agent-platform";
import { costLabels } from "../../plan/tags";
import type { PlatformOutputs } from "../target";
import { DEFAULT_ADDONS, helmRelease, pinnedChart } from "./addons";
import { childOpts, landings, type KubernetesLanding } from "./landing";

/**
 * The fleet's namespace (Pod Security "restricted", default-deny network policy)
 * and the cluster add-ons the fleet needs, as pinned Helm releases.
 */
export function kubernetesPlatform(scope: AgentPlatform): PlatformOutputs {
  const { fleet, target, plan } = scope;
  const addons = { ...DEFAULT_ADDONS, ...scope.addons };
  const name = scope.resourceName;
  const provider = target.cluster ? new k8s.Provider(`${name}-cluster`, { context: target.cluster }, { parent: scope }) : undefined;
  const natsNamespace = pinnedChart("nats").namespace;
  const natsUrl = `nats://nats.${natsNamespace}.svc.cluster.local:4222`;
  const base: KubernetesLanding = {
    namespace: target.namespace,
    provider,
    crdsReady: [],
    natsUrl,
    natsMonitoringEndpoint: `nats.${natsNamespace}.svc.cluster.local:8222`,
    gatewayNamespace: "envoy-gateway-system",
    monitoringNamespace: "monitoring",
    natsNamespace,
  };
  const labels = { ...costLabels(plan.tags), "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" };
  const ns = new k8s.core.v1.Namespace(name, { metadata: { name: target.namespace, labels } }, childOpts(scope, base));
  new k8s.networking.v1.NetworkPolicy(
    `${name}-default-deny`,
    {
      metadata: { name: "default-deny", namespace: target.namespace, labels: costLabels(plan.tags) },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    childOpts(scope, base, [ns]),
  );

  const releases: pulumi.Resource[] = [];
  const prod = fleet.environment === "prod";
  if (addons.keda) releases.push(helmRelease(`${name}-keda`, "keda", { podSecurityContext: { operator: { runAsNonRoot: true } } }, childOpts(scope, base)));
  if (addons.nats) {
    const nats = helmRelease(
      `${name}-nats`,
      "nats",
      {
        config: {
          cluster: { enabled: prod, replicas: prod ? 3 : 1 },
          jetstream: { enabled: true, fileStore: { enabled: true, pvc: { enabled: true, size: prod ? "20Gi" : "5Gi" } } },
          monitor: { enabled: true },
        },
        promExporter: { enabled: true },
      },
      childOpts(scope, base),
    );
    releases.push(nats);
    if (addons.nack) releases.push(helmRelease(`${name}-nack`, "nack", { jetstream: { nats: { url: natsUrl } } }, childOpts(scope, base, [nats])));
  }
  landings.set(scope, { ...base, crdsReady: [ns, ...releases] });
  return {
    environmentName: pulumi.output(ns.metadata.name),
    extra: { namespace: ns.metadata.name },
  };
}
