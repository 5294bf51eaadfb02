import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { contractEnv } from "../../plan/contract";
import { GPU_SHARE_ANNOTATION } from "../../plan/tags";
import type { AgentPlan, FleetPlan } from "../../plan/types";
import { formatCpu, formatMemory } from "../../spec/quantities";
import { agentLabels, agentSelector } from "./labels";

type NetworkPolicyPeer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type NetworkPolicyPort = k8s.types.input.networking.v1.NetworkPolicyPort;
type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

/** Everything the hardened workload needs; targets (kubernetes, eks, aks, gke) fill the differences. */
export interface WorkloadParams {
  readonly scope: pulumi.Resource;
  /** Logical-name prefix for the objects. */
  readonly name: string;
  readonly plan: FleetPlan;
  readonly agent: AgentPlan;
  readonly namespace: string;
  readonly opts: pulumi.CustomResourceOptions;
  /**
   * The image to run, when the program computes it (MicroAgentService.image).
   * @default the agent's image
   */
  readonly image?: pulumi.Input<string>;
  /**
   * Secrets whose reference the program computes (MicroAgentService.secrets), beside the agent's own.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, { readonly ref: pulumi.Input<string>; readonly key: string }>>;
  /** Extra environment (queue coordinates, telemetry endpoint). */
  readonly env: Readonly<Record<string, pulumi.Input<string>>>;
  /** Annotations on the ServiceAccount: IRSA role, GKE or Azure workload identity. */
  readonly serviceAccountAnnotations?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Extra pod labels (e.g. `azure.workload.identity/use`). */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Egress the agent needs beyond DNS and HTTPS to the internet: its broker, its telemetry. */
  readonly egress: ReadonlyArray<EgressRule>;
  /** Namespaces allowed to call the agent (the gateway) and to scrape it. */
  readonly ingressNamespaces: ReadonlyArray<string>;
  /**
   * Extra read-only volumes (TLS material, credentials), each mounted at its path.
   * @default none
   */
  readonly volumes?: ReadonlyArray<{ readonly volume: k8s.types.input.core.v1.Volume; readonly mountPath: string }>;
  /**
   * Environment from ConfigMaps or Secrets (e.g. optional ones another component fills later).
   * @default none
   */
  readonly envFrom?: ReadonlyArray<k8s.types.input.core.v1.EnvFromSource>;
  /** Node selection and tolerations for GPU pools and spot capacity. */
  readonly scheduling?: {
    readonly nodeSelector?: Readonly<Record<string, string>>;
    readonly tolerations?: ReadonlyArray<k8s.types.input.core.v1.Toleration>;
    readonly requiredNodeLabels?: Readonly<Record<string, ReadonlyArray<string>>>;
  };
}

export interface Workload {
  readonly deployment: k8s.apps.v1.Deployment;
  readonly serviceAccount: k8s.core.v1.ServiceAccount;
  readonly service: k8s.core.v1.Service;
}

/** Private, link-local and metadata ranges an agent's internet egress must not reach. */
export const NON_PUBLIC_CIDRS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"];

const UID = 65532;

/** Resource requests and limits: equal, so agents get the Guaranteed QoS class. */
export function containerResources(agent: AgentPlan): { requests: Record<string, string>; limits: Record<string, string> } {
  const base: Record<string, string> = { cpu: formatCpu(agent.resources.cpu), memory: formatMemory(agent.resources.memoryMiB) };
  const gpu = agent.gpu ? { [agent.gpu.resourceName]: String(agent.gpu.resourceCount) } : {};
  return { requests: { ...base, ...gpu }, limits: { ...base, ...gpu } };
}

export function agentEnv(
  plan: FleetPlan,
  agent: AgentPlan,
  extra: Readonly<Record<string, pulumi.Input<string>>>,
  moreSecrets: Readonly<Record<string, { readonly ref: pulumi.Input<string>; readonly key: string }>> = {},
): k8s.types.input.core.v1.EnvVar[] {
  const literal = Object.entries(contractEnv(plan, agent)).map(([name, value]) => ({ name, value }));
  const computed = Object.entries(extra).map(([name, value]) => ({ name, value }));
  const secrets = Object.entries({ ...agent.secrets, ...moreSecrets }).map(([name, s]) => ({ name, valueFrom: { secretKeyRef: { name: s.ref, key: s.key } } }));
  return [...literal, ...computed, ...secrets].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A hardened agent workload: ServiceAccount without token automount, a Deployment
 * that runs non-root on a read-only root filesystem with every capability dropped,
 * probes, topology spread and Guaranteed resources, a ClusterIP Service, a
 * NetworkPolicy that allows only what the agent needs, a PodDisruptionBudget when
 * it can run more than one replica, and, for active-passive agents, a leader Lease
 * with a Role that may touch only that Lease.
 */
export function hardenedWorkload(p: WorkloadParams): Workload {
  const { agent, plan, namespace, opts, name } = p;
  const fleet = plan.fleet.name;
  const labels = agentLabels(fleet, agent.name, agent.tags);
  const selector = agentSelector(fleet, agent.name);
  const needsApi = agent.scaling.activePassive;

  const serviceAccount = new k8s.core.v1.ServiceAccount(
    name,
    {
      metadata: { name: agent.name, namespace, labels, ...(p.serviceAccountAnnotations ? { annotations: { ...p.serviceAccountAnnotations } } : {}) },
      automountServiceAccountToken: false,
    },
    opts,
  );

  const env = agentEnv(plan, agent, needsApi ? { ...p.env, MICROAGENTS_LEADER_LEASE: `${agent.name}-leader`, MICROAGENTS_NAMESPACE: namespace } : p.env, p.secrets);
  const probe = (periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path: agent.healthPath, port: "http" },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold,
  });
  const requiredAffinity = p.scheduling?.requiredNodeLabels
    ? {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: Object.entries(p.scheduling.requiredNodeLabels).map(([key, values]) => ({ key, operator: "In", values: [...values] })) },
            ],
          },
        },
      }
    : undefined;
  // Fixed agents keep exact replicas; queue-scaled agents leave replicas to KEDA.
  const replicas = agent.triggers.queue ? {} : { replicas: agent.scaling.min };
  const deployment = new k8s.apps.v1.Deployment(
    name,
    {
      metadata: { name: agent.name, namespace, labels },
      spec: {
        ...replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: {
            labels: { ...labels, ...p.podLabels },
            // A time-sliced GPU request counts slices, not GPUs: say the real share for policies and cost.
            ...(agent.gpu ? { annotations: { [GPU_SHARE_ANNOTATION]: String(agent.gpu.share) } } : {}),
          },
          spec: {
            serviceAccountName: agent.name,
            automountServiceAccountToken: needsApi,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: Math.min(agent.queue.visibilityTimeoutSeconds, 300),
            securityContext: { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, fsGroup: UID, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "agent",
                image: p.image ?? agent.image,
                imagePullPolicy: "IfNotPresent",
                ports: [{ name: "http", containerPort: agent.port, protocol: "TCP" }],
                env,
                ...(p.envFrom && p.envFrom.length > 0 ? { envFrom: [...p.envFrom] } : {}),
                resources: containerResources(agent),
                startupProbe: probe(10, agent.gpu ? 60 : 30),
                livenessProbe: probe(10, 3),
                readinessProbe: probe(5, 3),
                securityContext: {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ["ALL"] },
                },
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, ...(p.volumes ?? []).map((v) => ({ name: v.volume.name, mountPath: v.mountPath, readOnly: true }))],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "1Gi" } }, ...(p.volumes ?? []).map((v) => v.volume)],
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
              { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
            ],
            ...(p.scheduling?.nodeSelector ? { nodeSelector: { ...p.scheduling.nodeSelector } } : {}),
            ...(p.scheduling?.tolerations ? { tolerations: [...p.scheduling.tolerations] } : {}),
            ...(requiredAffinity ? { affinity: requiredAffinity } : {}),
          },
        },
      },
    },
    { ...opts, dependsOn: [serviceAccount] },
  );

  const service = new k8s.core.v1.Service(
    name,
    {
      metadata: { name: agent.name, namespace, labels },
      spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
    },
    opts,
  );

  networkPolicy(p, labels, selector);
  if (agent.scaling.max > 1) {
    new k8s.policy.v1.PodDisruptionBudget(
      name,
      {
        metadata: { name: agent.name, namespace, labels },
        spec: { selector: { matchLabels: selector }, ...(agent.scaling.activePassive ? { minAvailable: 1 } : { maxUnavailable: 1 }) },
      },
      opts,
    );
  }
  if (needsApi) leaderLease(p, labels);
  return { deployment, serviceAccount, service };
}

function networkPolicy(p: WorkloadParams, labels: Record<string, string>, selector: Record<string, string>): void {
  const { agent, namespace, opts, name } = p;
  const http: NetworkPolicyPort[] = [{ protocol: "TCP", port: agent.port }];
  const fromNamespaces: NetworkPolicyPeer[] = p.ingressNamespaces.map((ns) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } }));
  const dns: EgressRule = {
    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
    ports: [
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ],
  };
  const internetHttps: EgressRule = { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: NON_PUBLIC_CIDRS } }], ports: [{ protocol: "TCP", port: 443 }] };
  // The API server sits at a private address; only active-passive agents talk to it (for their Lease).
  const apiServer: EgressRule[] = agent.scaling.activePassive ? [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 6443 }] }] : [];
  new k8s.networking.v1.NetworkPolicy(
    name,
    {
      metadata: { name: agent.name, namespace, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress", "Egress"],
        ingress: fromNamespaces.length > 0 ? [{ from: fromNamespaces, ports: http }] : [],
        egress: [dns, internetHttps, ...p.egress, ...apiServer],
      },
    },
    opts,
  );
}

function leaderLease(p: WorkloadParams, labels: Record<string, string>): void {
  const { agent, namespace, opts, name } = p;
  const leaseName = `${agent.name}-leader`;
  new k8s.coordination.v1.Lease(`${name}-leader`, { metadata: { name: leaseName, namespace, labels }, spec: { leaseDurationSeconds: 15 } }, opts);
  new k8s.rbac.v1.Role(
    `${name}-leader`,
    {
      metadata: { name: leaseName, namespace, labels },
      rules: [{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: [leaseName], verbs: ["get", "update", "patch"] }],
    },
    opts,
  );
  new k8s.rbac.v1.RoleBinding(
    `${name}-leader`,
    {
      metadata: { name: leaseName, namespace, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: leaseName },
      subjects: [{ kind: "ServiceAccount", name: agent.name, namespace }],
    },
    opts,
  );
}
