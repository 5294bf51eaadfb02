import * as pulumi from "@pulumi/pulumi";
import type { MicroAgentService } from "../../components/micro-agent-service";
import type { ServiceOutputs } from "../target";
import { gpuScheduling } from "./gpu-scheduling";
import { brokerQueues, childOpts, landings } from "./landing";
import { scaledObject } from "./scaler";
import { hardenedWorkload } from "./workload";

/** One agent on plain Kubernetes: the hardened workload, draining its JetStream consumer, scaled by KEDA. */
export function kubernetesService(scope: MicroAgentService): ServiceOutputs {
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
    env: {
      MICROAGENTS_NATS_URL: landing.natsUrl,
      MICROAGENTS_INPUT_STREAM: queue.stream,
      MICROAGENTS_CONSUMER: queue.consumer,
      MICROAGENTS_INPUT_SUBJECT: queue.inputSubject,
      MICROAGENTS_EVENTS_SUBJECT: queue.eventsSubject,
    },
    egress: [{ to: [natsPods], ports: [{ protocol: "TCP", port: 4222 }] }],
    ingressNamespaces: ingress,
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
