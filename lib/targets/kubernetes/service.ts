import * as pulumi from "@pulumi/pulumi";
import type { ServiceOutputs, ServiceScope } from "../target";
import { gpuScheduling } from "./gpu-scheduling";
import { brokerQueues, childOpts, landings } from "./landing";
import { scaledObject } from "./scaler";
import { cacheKeyPrefix } from "./state-store";
import { AGENT_FILES, fleetNames } from "./names";
import { hardenedWorkload, type WorkloadParams } from "./workload";

/** One agent on plain Kubernetes: the hardened workload, draining its JetStream consumer, scaled by KEDA. */
export function kubernetesService(scope: ServiceScope): ServiceOutputs {
  const landing = landings.get(scope.platform);
  const queue = brokerQueues.get(scope.broker).get(scope.agent.name);
  if (!queue) throw new Error(`broker '${scope.broker.resourceName}' has no queue for '${scope.agent.name}'`);
  const plan = scope.platform.plan;
  const agent = scope.agent;
  const opts = childOpts(scope, landing);
  const ingress = [landing.monitoringNamespace, ...(agent.route ? [landing.gatewayNamespace] : [])];
  const natsPods = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": landing.natsNamespace } } };
  const workload = hardenedWorkload({
    scope,
    name: scope.resourceName,
    plan,
    agent,
    namespace: landing.namespace,
    opts,
    image: scope.image,
    secrets: scope.secrets,
    env: {
      ...scope.env,
      MICROAGENTS_NATS_URL: landing.natsUrl,
      MICROAGENTS_INPUT_STREAM: queue.stream,
      MICROAGENTS_CONSUMER: queue.consumer,
      MICROAGENTS_INPUT_SUBJECT: queue.inputSubject,
      MICROAGENTS_EVENTS_SUBJECT: queue.eventsSubject,
      MICROAGENTS_TLS_DIR: `${AGENT_FILES}/tls`,
      // The agent's own Valkey user (password in cache/password) may touch only keys under this prefix.
      MICROAGENTS_RESULTS_CACHE_USER: agent.name,
      MICROAGENTS_RESULTS_CACHE_PREFIX: cacheKeyPrefix(agent.name),
      ...(agent.route ? { MICROAGENTS_ROUTE_PATH: agent.route.path, MICROAGENTS_ROUTE_INVOKE: agent.route.invoke } : {}),
    },
    egress: [{ to: [natsPods], ports: [{ protocol: "TCP", port: 4222 }] }],
    ingressNamespaces: ingress,
    volumes: agentFiles(plan.fleet.name, agent.name),
    envFrom: sharedEnv(plan.fleet.name),
    scheduling: gpuScheduling(agent),
  });
  scaledObject(
    scope.resourceName,
    plan.fleet.name,
    agent,
    landing.namespace,
    {
      type: "nats-jetstream",
      metadata: {
        natsServerMonitoringEndpoint: landing.natsMonitoringEndpoint,
        account: "$G",
        stream: queue.stream,
        consumer: queue.consumer,
        lagThreshold: String(agent.triggers.backlogPerReplica),
        activationLagThreshold: "0",
      },
    },
    childOpts(scope, landing, [...landing.crdsReady, workload.deployment]),
  );
  return {
    workloadName: workload.deployment.metadata.name,
    endpoint: pulumi.interpolate`http://${workload.service.metadata.name}.${landing.namespace}.svc.cluster.local`,
    identity: workload.serviceAccount.metadata.name,
  };
}

/**
 * Files every agent reads under /etc/microagents: its client certificate and the
 * fleet CA (`tls/`), the Postgres CA and app credentials (`db/`) and the password
 * of the agent's own Valkey user (`cache/`, key `<agent>` of `<fleet>-valkey-auth`). Sources other components create later are optional, so an
 * agent built alone still starts.
 */
export function agentFiles(fleet: string, agent: string): NonNullable<WorkloadParams["volumes"]> {
  const n = fleetNames(fleet);
  const item = (key: string, path: string) => ({ key, path });
  return [
    {
      mountPath: AGENT_FILES,
      volume: {
        name: "microagents",
        projected: {
          defaultMode: 0o440,
          sources: [
            { secret: { name: n.agentTlsSecret, optional: true, items: [item("ca.crt", "tls/ca.crt"), item("tls.crt", "tls/tls.crt"), item("tls.key", "tls/tls.key")] } },
            { secret: { name: n.postgresCaSecret, optional: true, items: [item("ca.crt", "db/ca.crt")] } },
            { secret: { name: n.postgresAppSecret, optional: true, items: [item("username", "db/username"), item("password", "db/password")] } },
            { secret: { name: n.valkeyAuthSecret, optional: true, items: [item(agent, "cache/password")] } },
          ],
        },
      },
    },
  ];
}

/** Endpoints of the shared state and telemetry, from ConfigMaps the state store and observability write. */
export function sharedEnv(fleet: string): NonNullable<WorkloadParams["envFrom"]> {
  const n = fleetNames(fleet);
  return [{ configMapRef: { name: n.stateConfig, optional: true } }, { configMapRef: { name: n.telemetryConfig, optional: true } }];
}
