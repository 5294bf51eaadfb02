import * as managedidentity from "@pulumi/azure-native/managedidentity";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import type { ServiceOutputs, ServiceScope } from "../target";
import { azureEnv } from "../azure/contract";
import { agentIdentity } from "../azure/identity";
import { agentTelemetry, APPINSIGHTS_CONNECTION_ENV } from "../azure/telemetry";
import { azureBrokers, azureLandings, azureQueueOf, azureServices, childOpts } from "../azure/landing";
import { gpuScheduling } from "../kubernetes/gpu-scheduling";
import { scaledObject } from "../kubernetes/scaler";
import { hardenedWorkload, NON_PUBLIC_CIDRS, type WorkloadParams } from "../kubernetes/workload";
import { azureStateEnv } from "../azure/state-env";
import { PGBOUNCER_PORT, POSTGRES_PORT, REDIS_PORT } from "../azure/state-shape";
import { AKS_SPOT_TAINT } from "./cluster-shape";
import { FEDERATION_AUDIENCE } from "./federation";
import { aksInputSecrets, appInsightsSecret, inputSecretGrants } from "./input-secrets";
import { aksLandings, kubeOpts } from "./landing";

/**
 * Service Bus over AMQP (5671) or AMQP over WebSockets and HTTPS (443), Key Vault
 * and Cosmos DB (443), Postgres (5432, PgBouncer 6432) and Managed Redis (10000):
 * private endpoints inside the VNet. Where the fleet is not private the cache's
 * public endpoint is reached on 10000 too (HTTPS to the internet is the workload's own rule).
 */
export function aksEgress(vnetCidr: string, publicCache = false): k8s.types.input.networking.v1.NetworkPolicyEgressRule[] {
  const ports = [443, 5671, POSTGRES_PORT, PGBOUNCER_PORT, REDIS_PORT].map((port) => ({ protocol: "TCP", port }));
  return [
    { to: [{ ipBlock: { cidr: vnetCidr } }], ports },
    ...(publicCache ? [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...NON_PUBLIC_CIDRS] } }], ports: [{ protocol: "TCP", port: REDIS_PORT }] }] : []),
  ];
}

/** GPU agents tolerate the GPU taint and, on spot pools, AKS's spot taint; they require their pool's nodes. */
export function aksScheduling(agent: AgentPlan, spot: boolean): WorkloadParams["scheduling"] {
  const base = gpuScheduling(agent);
  if (!base || !spot) return base;
  return { ...base, tolerations: [...(base.tolerations ?? []), { ...AKS_SPOT_TAINT }] };
}

/**
 * One agent on AKS: its user-assigned identity (receive on its queue, publish on its
 * topic) federated with its ServiceAccount, then the Kubernetes target's hardened
 * workload (non-root, read-only root, probes, NetworkPolicy, PDB) with Entra
 * workload identity, its Key Vault secrets mounted through their SecretProviderClass,
 * and a KEDA ScaledObject with an `azure-servicebus` trigger through the
 * `azure-workload` TriggerAuthentication (KEDA's own identity, which may read this
 * queue's counts only).
 */
export function aksService(scope: ServiceScope): ServiceOutputs {
  const landing = azureLandings.get(scope.platform);
  const aks = aksLandings.get(scope.platform);
  const broker = azureBrokers.get(scope.broker);
  const plan = scope.platform.plan;
  const agent = scope.agent;
  const queue = azureQueueOf(scope.broker, agent.name);
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const telemetry = agentTelemetry(plan, landing);
  const { identity, assignments } = agentIdentity(name, landing, agent, queue, [...telemetry.grants, ...inputSecretGrants(landing, scope.secrets)], opts, false);
  const federation = new managedidentity.FederatedIdentityCredential(
    `${name}-sa`,
    {
      resourceGroupName: landing.resourceGroupName,
      resourceName: identity.name,
      federatedIdentityCredentialResourceName: "serviceaccount",
      issuer: aks.oidcIssuer,
      subject: `system:serviceaccount:${aks.namespace}:${agent.name}`,
      audiences: [FEDERATION_AUDIENCE],
    },
    opts,
  );
  const inputs = aksInputSecrets(name, { scope, agent, landing, aks, clientId: identity.clientId, secrets: scope.secrets });
  const appInsights = telemetry.appInsightsConnectionString ? appInsightsSecret(name, { scope, agent, aks, connectionString: telemetry.appInsightsConnectionString }) : undefined;
  const refs = [...new Set(Object.values(agent.secrets).map((s) => s.ref))];
  const pool = agent.gpu ? plan.gpuPools.find((p) => p.name === agent.gpu?.pool) : undefined;
  const workload = hardenedWorkload({
    scope,
    name,
    plan,
    agent,
    namespace: aks.namespace,
    opts: kubeOpts(scope, aks, [...aks.ready, federation, ...assignments]),
    image: scope.image,
    secrets: { ...inputs.env, ...(appInsights ? { [APPINSIGHTS_CONNECTION_ENV]: appInsights } : {}) },
    env: {
      ...azureStateEnv(plan, scope.platform.target, agent, { clientId: identity.clientId, principalId: identity.principalId, name: identity.name }),
      ...scope.env,
      ...azureEnv(agent, {
      namespaceName: broker.namespaceName,
      queueName: queue.queue.name,
      topicName: queue.topic.name,
      clientId: identity.clientId,
      vaultUri: landing.vaultUri,
      ...(telemetry.otlpEndpoint ? { otlpEndpoint: telemetry.otlpEndpoint } : {}),
      ...(appInsights ? { appInsights: true } : {}),
      }),
    },
    serviceAccountAnnotations: { "azure.workload.identity/client-id": identity.clientId },
    podLabels: { "azure.workload.identity/use": "true" },
    egress: aksEgress(landing.network.cidr, !landing.privateNetworking),
    ingressNamespaces: [],
    scheduling: aksScheduling(agent, pool?.spot ?? false),
    volumes: [
      ...refs.map((ref, i) => ({
        volume: { name: `secrets-${i}`, csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: aks.secretClasses.get(ref)?.className ?? ref } } },
        mountPath: `/mnt/secrets/${i}`,
      })),
      ...inputs.volumes,
    ],
  });
  scaledObject(
    name,
    plan.fleet.name,
    agent,
    aks.namespace,
    {
      type: "azure-servicebus",
      metadata: { queueName: queue.queue.name, namespace: broker.namespaceName, messageCount: String(agent.triggers.backlogPerReplica), activationMessageCount: "0" },
      authenticationRef: { name: aks.triggerAuthentication },
    },
    kubeOpts(scope, aks, [...aks.ready, workload.deployment]),
  );
  azureServices.set(scope, { agent, identity, metricsResourceId: aks.cluster.id });
  return {
    workloadName: workload.deployment.metadata.name,
    endpoint: pulumi.interpolate`http://${workload.service.metadata.name}.${aks.namespace}.svc.cluster.local`,
    identity: identity.id,
  };
}
