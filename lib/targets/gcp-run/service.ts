import * as cloudrunv2 from "@pulumi/gcp/cloudrunv2";
import * as pulumi from "@pulumi/pulumi";
import { contractEnv } from "../../plan/contract";
import type { AgentPlan } from "../../plan/types";
import { CLOUD_TRACE_OTLP, gcpEnv } from "../gcp/contract";
import { agentIdentity } from "../gcp/identity";
import { childOpts, gcpLandings, gcpQueueOf, gcpServices } from "../gcp/landing";
import type { ServiceOutputs, ServiceScope } from "../target";
import { pushAudience, runLandings, runServiceName, runUrl } from "./landing";
import { RUN_MAX_CONCURRENCY, RUN_MAX_TIMEOUT_SECONDS, runShape } from "./shape";

/** Ingress of an agent's service: reachable through the internal or external Application Load Balancer when the gateway routes to it, else from inside the project only (Pub/Sub push counts as internal). */
export function runIngress(agent: AgentPlan): "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" | "INGRESS_TRAFFIC_INTERNAL_ONLY" {
  return agent.route ? "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" : "INGRESS_TRAFFIC_INTERNAL_ONLY";
}

/**
 * Fewest instances: the plan's minimum, except that GPU agents scale to zero
 * outside prod, and in prod unless critical: a push starts an instance (Pub/Sub
 * retries with backoff while the model loads), and an idle whole L4 costs as much
 * as a busy one.
 */
export function minInstances(scope: Pick<ServiceScope, "agent" | "platform">): number {
  const { agent } = scope;
  if (!agent.gpu) return agent.scaling.min;
  return scope.platform.plan.fleet.environment !== "prod" || agent.criticality !== "critical" ? 0 : agent.scaling.min;
}

/** Environment entries for Cloud Run: literals (with the program's computed env), then secrets from Secret Manager (the latest version), the agent's and the program's. */
function runEnvs(scope: ServiceScope, wiring: Record<string, pulumi.Input<string>>): Array<{ name: string; value?: pulumi.Input<string>; valueSource?: { secretKeyRef: { secret: pulumi.Input<string>; version: string } } }> {
  const agent = scope.agent;
  const literal = Object.entries({ ...contractEnv(scope.platform.plan, agent), ...scope.env, ...wiring }).map(([name, value]) => ({ name, value }));
  const secrets = Object.entries({ ...agent.secrets, ...scope.secrets }).map(([name, s]) => ({ name, valueSource: { secretKeyRef: { secret: s.ref, version: "latest" } } }));
  return [...literal, ...secrets].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * One agent on Cloud Run: its own service account (no keys; its topic,
 * subscriptions' publisher side, secrets), then a Cloud Run v2 service: the
 * plan's CPU and memory rounded up to a Cloud Run size, startup and liveness
 * probes on the health path, secrets from Secret Manager, ingress through the
 * load balancer or internal only, min and max instances from the plan,
 * concurrency from the batch size, Direct VPC egress to private ranges (state
 * store), a custom audience for push tokens; GPU agents get one NVIDIA L4 with
 * CPU always allocated; the fleet key as its CMEK (the Cloud Run service agent
 * is granted that key alone). Only the fleet's push invoker may invoke it (the gateway
 * adds its own grant); never allUsers. Deletion protection is on outside dev:
 * `pulumi destroy` needs an `up` with it off first.
 */
export function runService(scope: ServiceScope): ServiceOutputs {
  const landing = gcpLandings.get(scope.platform);
  const run = runLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const agent = scope.agent;
  const queue = gcpQueueOf(scope.broker, agent.name);
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const otlp = plan.fleet.observability.otlpEndpoint ?? (plan.tier.tracing ? CLOUD_TRACE_OTLP : undefined);
  const identity = agentIdentity(name, landing, agent, queue, false, otlp === CLOUD_TRACE_OTLP, opts, scope.secrets);
  const shape = runShape(agent);
  const serviceName = runServiceName(landing.prefix, agent.name);
  const probe = (periodSeconds: number, failureThreshold: number) => ({ httpGet: { path: agent.healthPath, port: agent.port }, periodSeconds, timeoutSeconds: 5, failureThreshold });
  const service = new cloudrunv2.Service(
    name,
    {
      name: serviceName,
      location: landing.region,
      description: `microagents agent ${agent.name} of ${landing.prefix}`,
      ingress: runIngress(agent),
      deletionProtection: landing.deletionProtection,
      customAudiences: [pushAudience(landing.prefix, agent.name)],
      invokerIamDisabled: false,
      labels: { ...agent.tags },
      template: {
        serviceAccount: identity.account.email,
        executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
        // CMEK: the revision's copy of the image under the fleet key.
        encryptionKey: landing.key.id,
        maxInstanceRequestConcurrency: Math.min(RUN_MAX_CONCURRENCY, agent.queue.batchSize),
        timeout: `${Math.min(RUN_MAX_TIMEOUT_SECONDS, Math.max(agent.queue.visibilityTimeoutSeconds, agent.route?.timeoutSeconds ?? 0, 10))}s`,
        scaling: { minInstanceCount: minInstances(scope), maxInstanceCount: agent.scaling.max },
        vpcAccess: { networkInterfaces: [{ network: landing.network.network.id, subnetwork: landing.network.subnet.id }], egress: "PRIVATE_RANGES_ONLY" },
        ...(agent.gpu ? { nodeSelector: { accelerator: "nvidia-l4" }, gpuZonalRedundancyDisabled: false } : {}),
        labels: { ...agent.tags },
        containers: [
          {
            name: "agent",
            image: scope.image,
            ports: { name: "http1", containerPort: agent.port },
            envs: runEnvs(scope, gcpEnv(landing, agent, queue, "push", otlp)),
            resources: {
              limits: { cpu: shape.cpu, memory: shape.memory, ...(agent.gpu ? { "nvidia.com/gpu": "1" } : {}) },
              // GPU instances need CPU always allocated; other agents are billed while they handle pushes.
              cpuIdle: !agent.gpu,
              startupCpuBoost: true,
            },
            startupProbe: probe(10, agent.gpu ? 60 : 30),
            livenessProbe: probe(10, 3),
          },
        ],
      },
    },
    { ...opts, dependsOn: [...identity.grants, run.keyGrant] },
  );
  new cloudrunv2.ServiceIamMember(`${name}-push-invoker`, { name: service.name, location: landing.region, role: "roles/run.invoker", member: run.invokerMember }, opts);
  gcpServices.set(scope, {
    agent,
    serviceAccount: identity.account,
    member: identity.member,
    workloadName: service.name,
    resourceFilter: `resource.type = "cloud_run_revision" AND resource.labels.service_name = "${serviceName}"`,
    memoryMetric: "run.googleapis.com/container/memory/utilizations",
    logKey: serviceName,
  });
  return { workloadName: service.name, endpoint: runUrl(serviceName, landing.projectNumber, landing.region), identity: identity.account.email };
}
