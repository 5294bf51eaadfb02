import * as app from "@pulumi/azure-native/app";
import * as pulumi from "@pulumi/pulumi";
import type { MicroAgentService } from "../../components/micro-agent-service";
import type { AgentPlan, GpuPoolPlan } from "../../plan/types";
import type { ServiceOutputs } from "../target";
import { azureEnv } from "../azure/contract";
import { agentIdentity, type AgentGrant } from "../azure/identity";
import { azureBrokers, azureLandings, azureQueueOf, azureServices, childOpts } from "../azure/landing";
import { AZURE_NAME_LIMITS, azureName } from "../azure/names";
import { acaLandings } from "./landing";
import { acaSize } from "./sizing";

/** Container App secret name of a Key Vault secret: lowercase letters, digits and '-'. */
export function appSecretName(ref: string): string {
  return `kv-${ref.toLowerCase()}`;
}

/** Startup (model loading: up to 150 s), liveness and readiness probes on the agent's health path. */
export function acaProbes(agent: Pick<AgentPlan, "port" | "healthPath">) {
  const httpGet = { path: agent.healthPath, port: agent.port, scheme: "HTTP" };
  return [
    { type: "Startup", httpGet, periodSeconds: 15, failureThreshold: 10, timeoutSeconds: 5 },
    { type: "Liveness", httpGet, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 },
    { type: "Readiness", httpGet, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 3 },
  ];
}

/** Registries the image comes from that take the agent's identity: Azure Container Registry. */
export function identityRegistry(image: string): string | undefined {
  const host = image.split("/")[0];
  return /\.azurecr\.io$/.test(host) ? host : undefined;
}

/**
 * Replicas and scale rules: fixed agents run exactly their replicas (active-passive
 * ones two, one holding the lease); queue agents scale on KEDA's azure-servicebus
 * scaler authenticated with KEDA's identity, one replica per `backlogPerReplica`
 * active messages, from zero where the plan allows; and on CPU when asked.
 */
export function acaScale(agent: AgentPlan, namespace: pulumi.Input<string>, queueName: pulumi.Input<string>, scalerIdentityId: pulumi.Input<string>, pool?: GpuPoolPlan) {
  const t = agent.triggers;
  if (!t.queue) return { minReplicas: agent.scaling.min, maxReplicas: agent.scaling.max, rules: [] };
  // A serverless GPU profile has no nodes to keep: where the plan lets the agent's pool reach zero nodes, its replicas reach zero.
  const min = pool && pool.minNodes === 0 ? 0 : agent.scaling.min;
  const rules: Array<{ name: string; custom: { type: string; metadata: Record<string, pulumi.Input<string>>; identity?: pulumi.Input<string> } }> = [
    {
      name: "queue-backlog",
      custom: {
        type: "azure-servicebus",
        metadata: { namespace, queueName, messageCount: String(t.backlogPerReplica), activationMessageCount: "0" },
        identity: scalerIdentityId,
      },
    },
  ];
  if (t.cpuTargetPercent !== undefined) rules.push({ name: "cpu", custom: { type: "cpu", metadata: { type: "Utilization", value: String(t.cpuTargetPercent) } } });
  return { minReplicas: min, maxReplicas: agent.scaling.max, cooldownPeriod: t.cooldownSeconds, pollingInterval: t.pollingIntervalSeconds, rules };
}

/**
 * One agent on Container Apps: its user-assigned identity with roles on its own
 * queue, topic, secrets (and lease) only; a Container App on the environment's
 * Consumption, serverless GPU or Dedicated profile, at ACA's CPU/memory sizes;
 * probes; Key Vault secrets referenced through the identity (never values); image
 * pulls from ACR with the identity; internal ingress only (HTTPS inside the VNet);
 * KEDA azure-servicebus scaling with KEDA's identity.
 */
export function acaService(scope: MicroAgentService): ServiceOutputs {
  const landing = azureLandings.get(scope.platform);
  const aca = acaLandings.get(scope.platform);
  const broker = azureBrokers.get(scope.broker);
  const agent = scope.agent;
  const queue = azureQueueOf(scope.broker, agent.name);
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const pool = agent.gpu ? scope.platform.plan.gpuPools.find((p) => p.name === agent.gpu?.pool) : undefined;
  const size = acaSize(agent, pool);
  const profile = pool ? (aca.gpuProfiles.get(pool.name) ?? size.profile) : size.profile;
  const grants: AgentGrant[] = aca.leases && agent.scaling.activePassive ? [{ key: "lease", role: "storageBlobDataContributor", scope: aca.leases.container.id, why: "hold its leader lease" }] : [];
  const { identity, assignments, secretRefs } = agentIdentity(name, landing, agent, queue, grants, opts);
  const traces = scope.platform.plan.fleet.observability.otlpEndpoint;
  const env = azureEnv(agent, {
    namespaceName: broker.namespaceName,
    queueName: queue.queue.name,
    topicName: queue.topic.name,
    clientId: identity.clientId,
    vaultUri: landing.vaultUri,
    ...(traces ? { otlpEndpoint: traces } : {}),
    ...(aca.leases ? { leaseUrl: aca.leases.url } : {}),
  });
  const registry = identityRegistry(agent.image);
  const containerApp = new app.ContainerApp(
    name,
    {
      resourceGroupName: landing.resourceGroupName,
      location: landing.location,
      containerAppName: azureName([agent.name], AZURE_NAME_LIMITS.containerApp),
      managedEnvironmentId: aca.environmentId,
      workloadProfileName: profile,
      identity: { type: "UserAssigned", userAssignedIdentities: [identity.id, landing.scalerIdentity.id] },
      configuration: {
        activeRevisionsMode: "Single",
        maxInactiveRevisions: 5,
        ingress: { external: false, targetPort: agent.port, transport: "http", allowInsecure: false },
        secrets: secretRefs.map((ref) => ({ name: appSecretName(ref), keyVaultUrl: pulumi.interpolate`${landing.vaultUri}secrets/${ref}`, identity: identity.id })),
        ...(registry ? { registries: [{ server: registry, identity: identity.id }] } : {}),
      },
      template: {
        containers: [
          {
            name: "agent",
            image: agent.image,
            resources: { cpu: size.cpu, memory: size.memory },
            env: [
              ...Object.entries({ ...agent.env, ...env }).map(([k, value]) => ({ name: k, value })),
              ...Object.entries(agent.secrets).map(([k, s]) => ({ name: k, secretRef: appSecretName(s.ref) })),
            ],
            probes: acaProbes(agent),
          },
        ],
        scale: acaScale(agent, broker.namespaceName, queue.queue.name, landing.scalerIdentity.id, pool),
        terminationGracePeriodSeconds: Math.min(agent.queue.visibilityTimeoutSeconds, 600),
      },
      tags: { ...agent.tags },
    },
    // Key Vault references and the scaler resolve at revision start: the roles must exist first.
    { ...opts, dependsOn: assignments },
  );
  azureServices.set(scope, { agent, identity, metricsResourceId: containerApp.id });
  return {
    workloadName: containerApp.name,
    endpoint: pulumi.interpolate`https://${containerApp.name}.internal.${aca.defaultDomain}`,
    identity: identity.id,
  };
}
