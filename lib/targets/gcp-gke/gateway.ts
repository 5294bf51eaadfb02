import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as k8s from "@pulumi/kubernetes";
import { costLabels } from "../../plan/tags";
import type { AgentPlan } from "../../plan/types";
import { OPA_ENVOY_IMAGE } from "../kubernetes/request-validator";
import { agentSelector } from "../kubernetes/labels";
import { gcpGateway, type GatewayRuntime, type ProxyInputs, type ProxyWorkload } from "../gcp/gateway";
import { ENVOY_IMAGE, legacyTarget, PROXY_PORT, READY_PATH } from "../gcp/gateway-shape";
import { childOpts } from "../gcp/landing";
import { GOOGLE_LB_RANGES, proxyOnlyRange } from "../gcp/load-balancer";
import { gcpName, GCP_NAME_LIMITS } from "../gcp/names";
import { envoyArgs, VALIDATOR_HEALTH_PORT, validatorArgs } from "../gcp-run/gateway";
import type { GatewayOutputs, GatewayScope } from "../target";
import { gkeLandings, kubeOpts } from "./landing";
import { GKE_METADATA } from "./service";

/** The proxy's Kubernetes name, labels and the NEG the GKE NEG controller creates for it. */
export const GKE_PROXY = { name: "gateway-proxy", envoyUid: 101, opaUid: 65532 } as const;

/** The standalone NEG annotation of the proxy's Service: one NEG per zone, of this name, on the proxy port. */
export function negAnnotation(negName: string): string {
  return JSON.stringify({ exposed_ports: { [String(PROXY_PORT)]: { name: negName } } });
}

/**
 * The gateway on GKE (gcp/gateway.ts): the same Envoy and OPA-Envoy as on Cloud
 * Run, as a Deployment in the fleet's namespace (hardened, two replicas or three in
 * prod, a PDB and CPU autoscaling) with its own Kubernetes service account bound to
 * the proxy's Google account through Workload Identity (Pub/Sub publish on the
 * async agents' topics). Its Service carries a standalone-NEG annotation: GKE's NEG
 * controller creates a NEG per zone of the cluster, named here, which the load
 * balancer's backend service takes (health-checked on the readiness path). Network
 * policies let the load balancer's ranges in on the proxy port, the proxy reach
 * DNS, the metadata server, the agents it calls and HTTPS, and those agents take
 * the proxy's calls. Agents are called in-cluster over their Services.
 */
export function gkeGateway(scope: GatewayScope): GatewayOutputs {
  const gke = gkeLandings.get(scope.platform);
  const runtime: GatewayRuntime = {
    upstream(agent: AgentPlan) {
      return { host: `${agent.name}.${gke.namespace}.svc.cluster.local`, port: 80, tls: false, healthPath: agent.healthPath, retry: agent.retry, circuitBreaker: agent.circuitBreaker };
    },
    minInstances: (_gateway, agent) => agent.scaling.min,
    grantCall(gateway, _landing, agent) {
      const fleet = gateway.platform.plan.fleet.name;
      const labels = costLabels(agent.tags);
      return [
        new k8s.networking.v1.NetworkPolicy(
          `${gateway.resourceName}-to-${agent.name}`,
          {
            metadata: { name: `gateway-to-${agent.name}`, namespace: gke.namespace, labels },
            spec: { podSelector: { matchLabels: agentSelector(fleet, agent.name) }, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: proxySelector(fleet) } }], ports: [{ protocol: "TCP", port: agent.port }] }] },
          },
          kubeOpts(gateway, gke, gke.ready),
        ),
      ];
    },
    proxy: gkeProxy,
  };
  return gcpGateway(scope, runtime);
}

function proxySelector(fleet: string): Record<string, string> {
  return { "app.kubernetes.io/name": GKE_PROXY.name, "app.kubernetes.io/part-of": fleet };
}

function gkeProxy(inputs: ProxyInputs): ProxyWorkload {
  const { scope, landing, identity } = inputs;
  const gke = gkeLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const fleet = plan.fleet.name;
  const ns = gke.namespace;
  const name = scope.resourceName;
  const prod = plan.fleet.environment === "prod";
  const selector = proxySelector(fleet);
  const labels = { ...costLabels(plan.tags), ...selector, "app.kubernetes.io/component": "gateway", "microagents.io/role": "gateway" };
  const negName = gcpName([landing.prefix, landing.region, "gw-proxy"], GCP_NAME_LIMITS.compute);
  const binding = new serviceaccount.IAMMember(
    `${name}-workload-identity`,
    { serviceAccountId: identity.account.name, role: "roles/iam.workloadIdentityUser", member: `serviceAccount:${gke.workloadPool}[${ns}/${GKE_PROXY.name}]` },
    { ...childOpts(scope, landing), dependsOn: [gke.cluster] },
  );
  const opts = kubeOpts(scope, gke, [...gke.ready, binding, ...identity.grants]);
  const account = new k8s.core.v1.ServiceAccount(`${name}-proxy`, { metadata: { name: GKE_PROXY.name, namespace: ns, labels, annotations: { "iam.gke.io/gcp-service-account": identity.account.email } }, automountServiceAccountToken: false }, opts);
  const policy = inputs.validatorPolicy ? new k8s.core.v1.ConfigMap(`${name}-validator-policy`, { metadata: { name: "gateway-validator-policy", namespace: ns, labels }, data: { "policy.rego": inputs.validatorPolicy } }, opts) : undefined;
  const hardened = (uid: number) => ({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, capabilities: { drop: ["ALL"] } });
  const probe = (path: string, port: number) => ({ httpGet: { path, port }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
  const resources = { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "512Mi" } };
  const replicas = prod ? 3 : 2;
  const deployment = new k8s.apps.v1.Deployment(
    `${name}-proxy`,
    {
      metadata: { name: GKE_PROXY.name, namespace: ns, labels },
      spec: {
        replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: GKE_PROXY.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: inputs.timeoutSeconds + 5,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "envoy",
                image: ENVOY_IMAGE,
                imagePullPolicy: "IfNotPresent",
                args: inputs.envoyConfig.apply(envoyArgs),
                ports: [{ name: "http", containerPort: PROXY_PORT, protocol: "TCP" }],
                resources,
                startupProbe: probe(READY_PATH, PROXY_PORT),
                readinessProbe: probe(READY_PATH, PROXY_PORT),
                livenessProbe: probe(READY_PATH, PROXY_PORT),
                securityContext: hardened(GKE_PROXY.envoyUid),
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
              ...(policy
                ? [
                    {
                      name: "validator",
                      image: OPA_ENVOY_IMAGE,
                      imagePullPolicy: "IfNotPresent",
                      args: validatorArgs("/policy/policy.rego"),
                      ports: [{ name: "health", containerPort: VALIDATOR_HEALTH_PORT, protocol: "TCP" }],
                      resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "250m", memory: "256Mi" } },
                      startupProbe: probe("/health", VALIDATOR_HEALTH_PORT),
                      readinessProbe: probe("/health?plugins", VALIDATOR_HEALTH_PORT),
                      livenessProbe: probe("/health", VALIDATOR_HEALTH_PORT),
                      securityContext: hardened(GKE_PROXY.opaUid),
                      volumeMounts: [{ name: "policy", mountPath: "/policy", readOnly: true }],
                    },
                  ]
                : []),
            ],
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }, ...(policy ? [{ name: "policy", configMap: { name: "gateway-validator-policy" } }] : [])],
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
              { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
            ],
          },
        },
      },
    },
    { ...opts, dependsOn: [...gke.ready, binding, account, ...identity.grants, ...(policy ? [policy] : [])] },
  );
  const service = new k8s.core.v1.Service(
    `${name}-proxy`,
    {
      metadata: { name: GKE_PROXY.name, namespace: ns, labels, annotations: { "cloud.google.com/neg": negAnnotation(negName) } },
      spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: PROXY_PORT, targetPort: "http", protocol: "TCP" }] },
    },
    opts,
  );
  new k8s.policy.v1.PodDisruptionBudget(`${name}-proxy`, { metadata: { name: GKE_PROXY.name, namespace: ns, labels }, spec: { selector: { matchLabels: selector }, maxUnavailable: 1 } }, opts);
  new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    `${name}-proxy`,
    {
      metadata: { name: GKE_PROXY.name, namespace: ns, labels },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: GKE_PROXY.name }, minReplicas: replicas, maxReplicas: prod ? 20 : 5, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }] },
    },
    { ...opts, dependsOn: [deployment] },
  );
  const sources = [...GOOGLE_LB_RANGES, ...(scope.settings.public ? [] : [proxyOnlyRange(landing.network.cidr)])];
  new k8s.networking.v1.NetworkPolicy(
    `${name}-proxy`,
    {
      metadata: { name: GKE_PROXY.name, namespace: ns, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: sources.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: PROXY_PORT }] }],
        egress: [
          { to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }], ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] },
          ...GKE_METADATA.map((m) => ({ to: [{ ipBlock: { cidr: m.cidr } }], ports: [{ protocol: "TCP", port: m.port }] })),
          { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/part-of": fleet, "app.kubernetes.io/component": "agent" } } }] },
          // Pub/Sub, the JWKS and the legacy monolith over HTTPS (leaving through Cloud NAT or Private Google Access).
          { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [...new Set([443, ...(scope.settings.legacyBackend ? [legacyTarget(scope.settings.legacyBackend.url).port] : [])])].map((port) => ({ protocol: "TCP", port })) },
        ],
      },
    },
    opts,
  );
  // The NEG controller names each zone's NEG as annotated; the cluster's node zones say which exist.
  const negs = gke.cluster.nodeLocations.apply((zones) => (zones ?? []).map((z) => `projects/${landing.project}/zones/${z}/networkEndpointGroups/${negName}`));
  return { backend: { kind: "zonal", negs }, dependsOn: [service, deployment] };
}
