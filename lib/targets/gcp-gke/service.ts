import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { costLabels } from "../../plan/tags";
import type { AgentPlan } from "../../plan/types";
import { CLOUD_TRACE_OTLP, gcpEnv } from "../gcp/contract";
import { agentIdentity } from "../gcp/identity";
import { childOpts, gcpLandings, gcpQueueOf, gcpServices, type GcpLanding } from "../gcp/landing";
import { gpuScheduling } from "../kubernetes/gpu-scheduling";
import { scaledObject } from "../kubernetes/scaler";
import { hardenedWorkload } from "../kubernetes/workload";
import type { ServiceOutputs, ServiceScope } from "../target";
import { gkeLandings, kubeOpts, type GkeLanding } from "./landing";

/** The GKE metadata server on Dataplane V2 nodes (Workload Identity tokens), and the metadata address it answers on. */
export const GKE_METADATA = [
  { cidr: "169.254.169.252/32", port: 988 },
  { cidr: "169.254.169.254/32", port: 80 },
] as const;

/**
 * On GKE a time-shared GPU is requested as one `nvidia.com/gpu` (one shared client,
 * whatever the share: GKE refuses more on a time-shared node), a MIG slice as one
 * partition, whole GPUs as themselves.
 */
export function gkeGpuRequest(agent: AgentPlan, sharing: "time-slicing" | "mig" | "none"): AgentPlan {
  if (!agent.gpu) return agent;
  const count = agent.gpu.share >= 1 && sharing === "none" ? agent.gpu.share : 1;
  return { ...agent, gpu: { ...agent.gpu, resourceName: "nvidia.com/gpu", resourceCount: count } };
}

/**
 * One agent on GKE: its Google service account (grants on its own subscriptions,
 * events topic and secrets), bound to its Kubernetes service account through
 * Workload Identity (a grant on that account only); the Kubernetes target's
 * hardened workload with the GCP wiring and egress to the metadata server and the
 * private services range; secrets synced from Secret Manager; a KEDA ScaledObject
 * with a `gcp-pubsub` trigger on the subscription's backlog.
 */
export function gkeService(scope: ServiceScope): ServiceOutputs {
  const landing = gcpLandings.get(scope.platform);
  const gke = gkeLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const agent = scope.agent;
  const queue = gcpQueueOf(scope.broker, agent.name);
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const ns = gke.namespace;
  const otlp = plan.fleet.observability.otlpEndpoint ?? (plan.tier.tracing ? CLOUD_TRACE_OTLP : undefined);
  const identity = agentIdentity(name, landing, agent, queue, true, otlp === CLOUD_TRACE_OTLP, opts, scope.secrets);
  const binding = new serviceaccount.IAMMember(`${name}-workload-identity`, { serviceAccountId: identity.account.name, role: "roles/iam.workloadIdentityUser", member: `serviceAccount:${gke.workloadPool}[${ns}/${agent.name}]` }, { ...opts, dependsOn: [gke.cluster] });
  const k8sOpts = kubeOpts(scope, gke, [...gke.ready, binding, ...identity.grants]);
  const synced = [...secretSync(name, landing, gke, agent, k8sOpts), ...computedSecretSync(name, landing, gke, agent, scope.secrets, k8sOpts)];
  const pool = agent.gpu ? plan.gpuPools.find((p) => p.name === agent.gpu?.pool) : undefined;
  const workload = hardenedWorkload({
    scope,
    name,
    plan,
    agent: gkeGpuRequest(agent, pool?.sharing ?? "none"),
    namespace: ns,
    opts: { ...k8sOpts, dependsOn: [...gke.ready, binding, ...identity.grants, ...synced] },
    image: scope.image,
    secrets: scope.secrets,
    env: { ...scope.env, ...gcpEnv(landing, agent, queue, "pull", otlp) },
    serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": identity.account.email },
    egress: [
      ...GKE_METADATA.map((m) => ({ to: [{ ipBlock: { cidr: m.cidr } }], ports: [{ protocol: "TCP", port: m.port }] })),
      // Cloud SQL: private services access, the range the (pair's one) network reserved for it.
      { to: [{ ipBlock: { cidr: privateServicesCidr(landing) } }], ports: [{ protocol: "TCP", port: 5432 }] },
      // Memorystore for Valkey: its Private Service Connect endpoints take addresses in this region's subnet (the service connection policy's),
      // on 6379 and 11000-13047 (cloud.google.com/memorystore/docs/valkey/connect-instance, "Allow ports on your firewall").
      { to: [{ ipBlock: { cidr: landing.network.cidr } }], ports: [{ protocol: "TCP", port: 6379 }, { protocol: "TCP", port: 11000, endPort: 13047 }] },
    ],
    ingressNamespaces: [],
    scheduling: gpuScheduling(agent),
  });
  scaledObject(
    name,
    plan.fleet.name,
    agent,
    ns,
    { type: "gcp-pubsub", metadata: { subscriptionName: queue.subscription.id, mode: "SubscriptionSize", value: String(agent.triggers.backlogPerReplica), activationValue: "0" }, authenticationRef: { name: gke.triggerAuthentication } },
    kubeOpts(scope, gke, [...gke.ready, workload.deployment]),
  );
  gcpServices.set(scope, {
    agent,
    serviceAccount: identity.account,
    member: identity.member,
    workloadName: workload.deployment.metadata.name,
    resourceFilter: `resource.type = "k8s_container" AND resource.labels.cluster_name = "${gke.clusterName}" AND resource.labels.namespace_name = "${ns}" AND resource.labels.container_name = "agent" AND metadata.user_labels."app.kubernetes.io/name" = "${agent.name}"`,
    memoryMetric: "kubernetes.io/container/memory/limit_utilization",
    logKey: agent.name,
  });
  return { workloadName: workload.deployment.metadata.name, endpoint: pulumi.interpolate`http://${workload.service.metadata.name}.${ns}.svc.cluster.local`, identity: identity.account.email };
}

function privateServicesCidr(landing: GcpLanding): string {
  return landing.network.privateServicesCidr;
}

/** The SecretProviderClass of one Secret Manager secret, and the SecretSync that writes it into a Kubernetes Secret of the same name under the given keys. */
function syncOne(name: string, suffix: string, landing: GcpLanding, gke: GkeLanding, agent: AgentPlan, ref: pulumi.Input<string>, keys: ReadonlyArray<string>, opts: pulumi.CustomResourceOptions): pulumi.Resource {
  const labels = costLabels(agent.tags);
  const className = pulumi.output(ref).apply((r) => `${agent.name}-${r}`.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 63).replace(/-+$/, ""));
  const spc = new k8s.apiextensions.CustomResource(
    `${name}-spc${suffix}`,
    {
      apiVersion: "secrets-store.csi.x-k8s.io/v1",
      kind: "SecretProviderClass",
      metadata: { name: className, namespace: gke.namespace, labels },
      spec: { provider: "gke", parameters: { secrets: pulumi.interpolate`- resourceName: "projects/${landing.project}/secrets/${ref}/versions/latest"\n  path: "value"\n` } },
    },
    opts,
  );
  return new k8s.apiextensions.CustomResource(
    `${name}-sync${suffix}`,
    {
      apiVersion: "secret-sync.gke.io/v1",
      kind: "SecretSync",
      metadata: { name: ref, namespace: gke.namespace, labels },
      spec: { serviceAccountName: agent.name, secretProviderClassName: className, secretObject: { type: "Opaque", data: keys.map((key) => ({ sourcePath: "value", targetKey: key })) } },
    },
    { ...opts, dependsOn: [spc] },
  );
}

/** Secrets the program names as Inputs (ServiceScope.secrets), synced like the agent's own: one class and sync per variable, named when the ref resolves. */
function computedSecretSync(name: string, landing: GcpLanding, gke: GkeLanding, agent: AgentPlan, secrets: ServiceScope["secrets"], opts: pulumi.CustomResourceOptions): pulumi.Resource[] {
  return Object.entries(secrets).map(([envName, s]) => syncOne(name, `-env-${envName.toLowerCase()}`, landing, gke, agent, s.ref, [s.key], opts));
}

/**
 * Secret Manager secrets as Kubernetes Secrets of the same name (what the hardened
 * workload's secretKeyRef reads): a SecretProviderClass of GKE's Secret Manager
 * add-on and a SecretSync, read with the agent's own identity.
 */
function secretSync(name: string, landing: GcpLanding, gke: GkeLanding, agent: AgentPlan, opts: pulumi.CustomResourceOptions): pulumi.Resource[] {
  const refs = new Map<string, Set<string>>();
  for (const s of Object.values(agent.secrets)) refs.set(s.ref, new Set([...(refs.get(s.ref) ?? []), s.key]));
  return [...refs].map(([ref, keys]) => syncOne(name, `-${ref}`, landing, gke, agent, ref, [...keys], opts));
}
