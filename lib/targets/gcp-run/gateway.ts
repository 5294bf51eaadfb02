import * as cloudrunv2 from "@pulumi/gcp/cloudrunv2";
import * as compute from "@pulumi/gcp/compute";
import * as projects from "@pulumi/gcp/projects";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import type * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import { OPA_ENVOY_IMAGE, VALIDATOR_PORT } from "../kubernetes/request-validator";
import { ENVOY_IMAGE, PROXY_PORT, READY_PATH } from "../gcp/gateway-shape";
import { gcpGateway, type GatewayRuntime, type ProxyInputs, type ProxyWorkload } from "../gcp/gateway";
import { keyGrant } from "../gcp/kms";
import { childOpts, gcpLandings } from "../gcp/landing";
import { gcpName, GCP_NAME_LIMITS } from "../gcp/names";
import type { GatewayOutputs, GatewayScope } from "../target";
import { runServiceName } from "./landing";
import { minInstances } from "./service";

/** OPA's diagnostic port (health) in the proxy's validator sidecar. */
export const VALIDATOR_HEALTH_PORT = 8282;

/** The validator's arguments: the same policy and settings as the Kubernetes target's OPA-Envoy, on localhost. */
export function validatorArgs(policyFile: string): string[] {
  return [
    "run",
    "--server",
    "--addr=127.0.0.1:8181",
    `--diagnostic-addr=0.0.0.0:${VALIDATOR_HEALTH_PORT}`,
    `--set=plugins.envoy_ext_authz_grpc.addr=127.0.0.1:${VALIDATOR_PORT}`,
    "--set=plugins.envoy_ext_authz_grpc.path=microagents/validate/result",
    "--set=plugins.envoy_ext_authz_grpc.enable-reflection=false",
    "--set=decision_logs.console=false",
    policyFile,
  ];
}

/** Envoy's arguments: the bootstrap inline, warnings and errors only. */
export function envoyArgs(config: string): string[] {
  return ["--config-yaml", config, "--log-level", "warn", "--disable-hot-restart"];
}

/**
 * The gateway on Cloud Run (gcp/gateway.ts): the proxy is a Cloud Run service of
 * its own, Envoy with the validator as a sidecar (OPA-Envoy, pinned by digest,
 * its policy a CMEK-encrypted Secret Manager secret mounted as a file), reached only
 * through the load balancer (ingress internal and Cloud Load Balancing; the
 * invoker IAM check is off for this service alone because Google's load balancer
 * sends no identity token: Cloud Armor and the proxy's JWT check guard it), with
 * Direct VPC egress for all traffic (so its calls to the agents count as internal
 * and leave through Cloud NAT to the internet). It calls agents at their run.app
 * URL with an identity token for the service (`roles/run.invoker` on that service
 * only: never allUsers). A serverless NEG puts it behind the load balancer.
 */
export function runGateway(scope: GatewayScope): GatewayOutputs {
  const landing = gcpLandings.get(scope.platform);
  // Cloud Run agents: each service's run.app URL over HTTPS, with an identity token of the proxy's account.
  const runtime: GatewayRuntime = {
    upstream(agent: AgentPlan, projectNumber: string) {
      const host = `${runServiceName(landing.prefix, agent.name)}-${projectNumber}.${landing.region}.run.app`;
      return { host, port: 443, tls: true, audience: `https://${host}`, healthPath: agent.healthPath, retry: agent.retry, circuitBreaker: agent.circuitBreaker };
    },
    minInstances: (gateway, agent) => minInstances({ agent, platform: gateway.platform }),
    grantCall(gateway, l, agent, member, opts) {
      // The grant names the service by its physical name: it waits for the agent's component (its service) to exist.
      const service = gateway.services.find((x) => x.agent.name === agent.name);
      return [new cloudrunv2.ServiceIamMember(`${gateway.resourceName}-invoke-${agent.name}`, { name: runServiceName(l.prefix, agent.name), location: l.region, role: "roles/run.invoker", member }, { ...opts, ...(service ? { dependsOn: [service] } : {}) })];
    },
    proxy: runProxy,
  };
  return gcpGateway(scope, runtime);
}

function runProxy(inputs: ProxyInputs): ProxyWorkload {
  const { scope, landing, identity } = inputs;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const prod = scope.platform.plan.fleet.environment === "prod";
  const serviceName = gcpName([landing.prefix, "gateway"], GCP_NAME_LIMITS.runService);
  const deps: pulumi.Resource[] = [...identity.grants];
  let validator: { secret: secretmanager.Secret } | undefined;
  if (inputs.validatorPolicy) {
    const agent = new projects.ServiceIdentity(`${name}-secretmanager-agent`, { project: landing.project, service: "secretmanager.googleapis.com" }, opts);
    const grant = keyGrant(`${name}-key-secretmanager`, landing.key, agent.member, opts);
    const secret = new secretmanager.Secret(
      `${name}-validator-policy`,
      {
        secretId: gcpName([landing.prefix, "gateway-validator-policy"], GCP_NAME_LIMITS.pubsub),
        replication: { userManaged: { replicas: [{ location: landing.region, customerManagedEncryption: { kmsKeyName: landing.key.id } }] } },
        labels: { ...landing.labels },
      },
      { ...opts, dependsOn: [grant] },
    );
    const version = new secretmanager.SecretVersion(`${name}-validator-policy`, { secret: secret.id, secretData: inputs.validatorPolicy }, opts);
    deps.push(new secretmanager.SecretIamMember(`${name}-validator-policy`, { secretId: secret.secretId, role: "roles/secretmanager.secretAccessor", member: identity.member }, opts), version);
    validator = { secret };
  }
  const probe = (path: string, port: number) => ({ httpGet: { path, port }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
  const service = new cloudrunv2.Service(
    `${name}-proxy`,
    {
      name: serviceName,
      location: landing.region,
      description: `microagents gateway proxy of ${landing.prefix}`,
      ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
      // Google's load balancer carries no identity token to a serverless NEG; ingress keeps everything but the load balancer and the VPC out.
      invokerIamDisabled: true,
      deletionProtection: landing.deletionProtection,
      labels: { ...landing.labels, "microagents-role": "gateway" },
      template: {
        serviceAccount: identity.account.email,
        encryptionKey: landing.key.id,
        executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
        maxInstanceRequestConcurrency: 250,
        timeout: `${inputs.timeoutSeconds + 5}s`,
        scaling: { minInstanceCount: prod ? 2 : 1, maxInstanceCount: prod ? 20 : 5 },
        vpcAccess: { networkInterfaces: [{ network: landing.network.network.id, subnetwork: landing.network.subnet.id }], egress: "ALL_TRAFFIC" },
        labels: { ...landing.labels, "microagents-role": "gateway" },
        ...(validator ? { volumes: [{ name: "validator-policy", secret: { secret: validator.secret.secretId, items: [{ version: "latest", path: "policy.rego" }] } }] } : {}),
        containers: [
          {
            name: "envoy",
            image: ENVOY_IMAGE,
            args: inputs.envoyConfig.apply(envoyArgs),
            ports: { name: "http1", containerPort: PROXY_PORT },
            resources: { limits: { cpu: "1", memory: "512Mi" }, cpuIdle: true, startupCpuBoost: true },
            startupProbe: probe(READY_PATH, PROXY_PORT),
            livenessProbe: probe(READY_PATH, PROXY_PORT),
            ...(validator ? { dependsOns: ["validator"] } : {}),
          },
          ...(validator
            ? [
                {
                  name: "validator",
                  image: OPA_ENVOY_IMAGE,
                  args: validatorArgs("/policy/policy.rego"),
                  resources: { limits: { cpu: "1", memory: "512Mi" }, cpuIdle: true },
                  startupProbe: probe("/health?plugins", VALIDATOR_HEALTH_PORT),
                  livenessProbe: probe("/health", VALIDATOR_HEALTH_PORT),
                  volumeMounts: [{ name: "validator-policy", mountPath: "/policy" }],
                },
              ]
            : []),
        ],
      },
    },
    { ...opts, dependsOn: deps },
  );
  const neg = new compute.RegionNetworkEndpointGroup(
    `${name}-proxy`,
    { name: gcpName([landing.prefix, landing.region, "gw-proxy"], GCP_NAME_LIMITS.compute), region: landing.region, networkEndpointType: "SERVERLESS", cloudRun: { service: service.name }, description: "The gateway proxy's Cloud Run service" },
    opts,
  );
  return { backend: { kind: "serverless", neg }, dependsOn: [service] };
}
