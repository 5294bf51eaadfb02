import * as app from "@pulumi/azure-native/app";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan, FleetPlan, GpuPoolPlan } from "../../plan/types";
import type { ServiceOutputs, ServiceScope } from "../target";
import { azureEnv } from "../azure/contract";
import { azureStateEnv } from "../azure/state-env";
import { agentIdentity, type AgentGrant } from "../azure/identity";
import { apimSubnetCidr, reachedByGateway } from "../azure/gateway-shape";
import { agentTelemetry, APPINSIGHTS_CONNECTION_ENV } from "../azure/telemetry";
import { azureBrokers, azureLandings, azureQueueOf, azureServices, childOpts } from "../azure/landing";
import { AZURE_NAME_LIMITS, azureName } from "../azure/names";
import { acaLandings } from "./landing";
import { acaSize } from "./sizing";

/** Container App secret name of a Key Vault secret: lowercase letters, digits and '-'. */
export function appSecretName(ref: string): string {
  return `kv-${ref.toLowerCase()}`;
}

/** Container App secret name of a secret reference the program computes (ServiceScope.secrets), by its variable. */
export function inputSecretName(envName: string): string {
  return `in-${envName.toLowerCase().replace(/_/g, "-")}`;
}

/** Container App secret holding Application Insights' connection string. */
export const APPINSIGHTS_SECRET = "appinsights-connection-string";

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
 * Fewest replicas: the plan's minimum, except GPU agents, which reach zero where
 * their pool may reach zero nodes and, in every environment, unless critical (as on
 * Cloud Run; fixed GPU agents too, scaled 0..max on their queue): a message starts a
 * replica (Service Bus keeps it until a replica receives it), and an idle whole
 * serverless GPU costs as much as a busy one. Critical GPU agents keep their minimum.
 */
export function acaMinReplicas(agent: AgentPlan, pool?: GpuPoolPlan): number {
  if (gpuOnDemand(agent, pool)) return 0;
  if (!agent.triggers.queue) return agent.scaling.min;
  return pool && pool.minNodes === 0 ? 0 : agent.scaling.min;
}

/** A GPU agent that starts on its queue's first message: on a serverless GPU profile, not critical, not active-passive (fixed agents too). */
export function gpuOnDemand(agent: Pick<AgentPlan, "criticality" | "scaling">, pool?: GpuPoolPlan): boolean {
  return pool !== undefined && agent.criticality !== "critical" && !agent.scaling.activePassive;
}

/**
 * Ingress of a Container App on the internal environment: environment-only, except
 * for the agents the gateway calls (reachedByGateway), which take traffic from the
 * VNet (`external` on an internal environment) and from the APIM subnet alone (an
 * allow-list: every other address is refused). Never plain HTTP.
 */
export function acaIngress(plan: FleetPlan, agent: AgentPlan, vnetCidr: string, pool?: GpuPoolPlan) {
  const base = { targetPort: agent.port, transport: "http", allowInsecure: false };
  if (!reachedByGateway(plan, agent, acaMinReplicas(agent, pool))) return { external: false, ...base };
  return { external: true, ...base, ipSecurityRestrictions: [{ name: "gateway", description: "the fleet's API Management subnet", action: "Allow", ipAddressRange: apimSubnetCidr(vnetCidr) }] };
}

/**
 * Replicas and scale rules: fixed agents run exactly their replicas (active-passive
 * ones two, one holding the lease); queue agents scale on KEDA's azure-servicebus
 * scaler authenticated with KEDA's identity, one replica per `backlogPerReplica`
 * active messages, from zero where the plan allows; and on CPU when asked.
 */
export function acaScale(agent: AgentPlan, namespace: pulumi.Input<string>, queueName: pulumi.Input<string>, scalerIdentityId: pulumi.Input<string>, pool?: GpuPoolPlan) {
  const t = agent.triggers;
  if (!t.queue && !gpuOnDemand(agent, pool)) return { minReplicas: agent.scaling.min, maxReplicas: agent.scaling.max, rules: [] };
  const min = acaMinReplicas(agent, pool);
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
  return { minReplicas: min, maxReplicas: Math.max(agent.scaling.max, 1), cooldownPeriod: t.cooldownSeconds, pollingInterval: t.pollingIntervalSeconds, rules };
}

/**
 * One agent on Container Apps: its user-assigned identity with roles on its own
 * queue, topic, secrets (and lease) only; a Container App on the environment's
 * Consumption, serverless GPU or Dedicated profile, at ACA's CPU/memory sizes;
 * probes; Key Vault secrets referenced through the identity (never values); image
 * pulls from ACR with the identity; internal ingress only (HTTPS inside the VNet);
 * KEDA azure-servicebus scaling with KEDA's identity.
 */
export function acaService(scope: ServiceScope): ServiceOutputs {
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
  const telemetry = agentTelemetry(scope.platform.plan, landing);
  const computed = Object.entries(scope.secrets);
  const grants: AgentGrant[] = [
    ...(aca.leases && agent.scaling.activePassive ? [{ key: "lease", role: "storageBlobDataContributor" as const, scope: aca.leases.container.id, why: "hold its leader lease" }] : []),
    ...telemetry.grants,
    // Secret references the program computes: read on each one's own secret, as for the spec's.
    ...computed.map(([envName, s]) => ({ key: `secret-${inputSecretName(envName)}`, role: "keyVaultSecretsUser" as const, scope: pulumi.interpolate`${landing.vault.id}/secrets/${s.ref}`, why: `read the secret given for ${envName}` })),
  ];
  const { identity, assignments, secretRefs } = agentIdentity(name, landing, agent, queue, grants, opts);
  const env = azureEnv(agent, {
    namespaceName: broker.namespaceName,
    queueName: queue.queue.name,
    topicName: queue.topic.name,
    clientId: identity.clientId,
    vaultUri: landing.vaultUri,
    ...(telemetry.otlpEndpoint ? { otlpEndpoint: telemetry.otlpEndpoint } : {}),
    ...(telemetry.appInsightsConnectionString ? { appInsights: true } : {}),
    ...(aca.leases ? { leaseUrl: aca.leases.url } : {}),
  });
  Object.assign(env, azureStateEnv(scope.platform.plan, scope.platform.target, agent, { clientId: identity.clientId, principalId: identity.principalId, name: identity.name }));
  // The image may be computed (ServiceScope.image): its registry is known when it resolves.
  const registries = pulumi.all([scope.image, identity.id]).apply(([image, id]) => {
    const server = identityRegistry(image);
    return server ? [{ server, identity: id }] : [];
  });
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
        ingress: acaIngress(scope.platform.plan, agent, landing.network.cidr, pool),
        secrets: [
          ...secretRefs.map((ref) => ({ name: appSecretName(ref), keyVaultUrl: pulumi.interpolate`${landing.vaultUri}secrets/${ref}`, identity: identity.id })),
          ...computed.map(([envName, s]) => ({ name: inputSecretName(envName), keyVaultUrl: pulumi.interpolate`${landing.vaultUri}secrets/${s.ref}`, identity: identity.id })),
          ...(telemetry.appInsightsConnectionString ? [{ name: APPINSIGHTS_SECRET, value: telemetry.appInsightsConnectionString }] : []),
        ],
        registries,
      },
      template: {
        containers: [
          {
            name: "agent",
            image: scope.image,
            resources: { cpu: size.cpu, memory: size.memory },
            env: [
              ...Object.entries({ ...agent.env, ...scope.env, ...env }).map(([k, value]) => ({ name: k, value })),
              ...Object.entries(agent.secrets).map(([k, s]) => ({ name: k, secretRef: appSecretName(s.ref) })),
              ...computed.map(([k]) => ({ name: k, secretRef: inputSecretName(k) })),
              ...(telemetry.appInsightsConnectionString ? [{ name: APPINSIGHTS_CONNECTION_ENV, secretRef: APPINSIGHTS_SECRET }] : []),
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
