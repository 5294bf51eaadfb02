import * as ec2 from "@pulumi/aws/ec2";
import * as ecs from "@pulumi/aws/ecs";
import * as iam from "@pulumi/aws/iam";
import { fargateStrategy } from "./fargate";
import { getSecretOutput } from "@pulumi/aws/secretsmanager/getSecret";
import * as servicediscovery from "@pulumi/aws/servicediscovery";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import { invalidProp } from "../../spec/errors";
import type { ServiceOutputs, ServiceScope } from "../target";
import { contractEnv } from "../../plan/contract";
import { awsEnv } from "../aws/contract";
import { syncListener } from "../aws/edge";
import { policyJson, serviceTrust, type PolicyStatement } from "../aws/iam";
import { awsLandings, awsServices, childOpts, queueOf, type AwsLanding } from "../aws/landing";
import { logGroup } from "../aws/logs";
import { awsName, NAME_LIMITS } from "../aws/names";
import { agentStatements, XRAY_STATEMENT } from "../aws/policies-agent";
import { awsTags } from "../aws/tags";
import { ecsAutoscaling } from "./autoscaling";
import { ecsLandings, type EcsGpuCapacity } from "./landing";
import { containerDefinitions, taskShape } from "./task";

/** Where an agent's traces go: the fleet's OTLP endpoint, else an ADOT sidecar to X-Ray where the tier traces. */
export function tracing(plan: { readonly tier: { readonly tracing: boolean }; readonly fleet: { readonly observability: { readonly otlpEndpoint?: string } } }): { sidecar: boolean; endpoint?: string } {
  const given = plan.fleet.observability.otlpEndpoint;
  if (given) return { sidecar: false, endpoint: given };
  return plan.tier.tracing ? { sidecar: true, endpoint: "http://localhost:4317" } : { sidecar: false };
}

/** ECR repository ARN of an image hosted in ECR, for pull permissions; undefined for other registries. */
export function ecrRepositoryArn(image: string, partition: string): string | undefined {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
  return m ? `arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${m[3]}` : undefined;
}

/**
 * One agent on ECS: a task definition (Fargate, or EC2 in its GPU pool), a task
 * role that may use only the agent's own queue, topic and state, a separate
 * execution role that may only pull its image, read its secrets and write its
 * logs, a security group open only to the gateway's load balancer, the service
 * in private subnets with the deployment circuit breaker, Cloud Map discovery,
 * and autoscaling on backlog per task.
 */
export function ecsService(scope: ServiceScope): ServiceOutputs {
  const landing = awsLandings.get(scope.platform);
  const ecsLanding = ecsLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const agent = scope.agent;
  const queue = queueOf(scope.broker, agent.name);
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const capacity = agent.gpu ? gpuCapacity(ecsLanding.gpuPools, agent) : undefined;
  const cluster = capacity?.cluster ?? ecsLanding.cluster;
  const trace = tracing(plan);
  const shape = taskShape(plan, agent, trace.sidecar, capacity);

  const group = logGroup(`${name}-logs`, { name: `/microagents/${landing.prefix}/${agent.name}`, key: landing.key, retentionDays: landing.logRetentionDays, tags: agent.tags }, opts);
  const secrets = Object.entries({ ...agent.secrets, ...scope.secrets }).map(([envName, s]) => {
    const secret = getSecretOutput({ name: s.ref, region: landing.region }, { parent: scope, provider: landing.provider });
    return { name: envName, arn: secret.arn, valueFrom: pulumi.interpolate`${secret.arn}:${s.key}::` };
  });

  const taskFamily = awsName([landing.prefix, agent.name], NAME_LIMITS.taskFamily);
  const trust = serviceTrust("ecs-tasks.amazonaws.com", landing.accountId, { sourceArnLike: pulumi.interpolate`arn:${landing.partition}:ecs:${landing.region}:${landing.accountId}:*` });
  const executionRole = new iam.Role(
    `${name}-execution`,
    { name: awsName([landing.prefix, agent.name, "exec", landing.region], NAME_LIMITS.iamRole), description: `ECS pulls ${agent.name}'s image, reads its secrets, writes its logs`, assumeRolePolicy: trust, tags: awsTags(agent.tags) },
    opts,
  );
  // The image may be computed by the program: the pull permission follows it once it resolves.
  const executionPolicy = scope.image.apply((image) => policyJson(executionStatements(landing, image, group.arn, secrets.map((s) => s.arn))));
  new iam.RolePolicy(`${name}-execution`, { role: executionRole.id, policy: executionPolicy }, opts);
  const taskRole = new iam.Role(
    `${name}-task`,
    { name: awsName([landing.prefix, agent.name, "task", landing.region], NAME_LIMITS.iamRole), description: `What agent ${agent.name} itself may do`, assumeRolePolicy: trust, tags: awsTags(agent.tags) },
    opts,
  );
  const taskStatements: PolicyStatement[] = [...agentStatements(landing, agent, queue)];
  if (trace.sidecar) taskStatements.push(XRAY_STATEMENT);
  if (agent.scaling.scaleInProtection) {
    taskStatements.push({
      Sid: "ProtectOwnTasksFromScaleIn",
      Effect: "Allow",
      Action: ["ecs:UpdateTaskProtection", "ecs:GetTaskProtection"],
      Resource: pulumi.interpolate`arn:${landing.partition}:ecs:${landing.region}:${landing.accountId}:task/${cluster.name}/*`,
    });
  }
  new iam.RolePolicy(`${name}-task`, { role: taskRole.id, policy: policyJson(taskStatements) }, opts);

  const securityGroup = agentSecurityGroup(name, landing, agent, opts);
  const discovery = new servicediscovery.Service(
    name,
    {
      name: agent.name,
      dnsConfig: { namespaceId: ecsLanding.namespace.id, dnsRecords: [{ type: "A", ttl: 10 }], routingPolicy: "MULTIVALUE" },
      healthCheckCustomConfig: {},
      forceDestroy: true,
      tags: awsTags(agent.tags),
    },
    opts,
  );
  const sync = agent.route?.invoke === "sync" ? syncListener(name, landing, agent, { type: "ip", port: agent.port }, opts) : undefined;

  const env = {
    ...scope.env,
    ...contractEnv(plan, agent),
    ...awsEnv(agent, {
      region: landing.region,
      prefix: landing.prefix,
      queueUrl: queue.queue.url,
      deadLetterUrl: queue.deadLetter.url,
      eventsTopicArn: queue.topic.arn,
      ...(trace.endpoint ? { otlpEndpoint: trace.endpoint } : {}),
      ...(landing.leaseTable ? { leaseTable: landing.leaseTable.name } : {}),
    }),
    // A time-sliced agent reserves no GPU through ECS; the pool's instances make
    // the NVIDIA runtime the default, and this makes the GPU visible to it.
    ...(agent.gpu && shape.gpus === 0 ? { NVIDIA_VISIBLE_DEVICES: "all", NVIDIA_DRIVER_CAPABILITIES: "compute,utility" } : {}),
  };
  const taskDefinition = new ecs.TaskDefinition(
    name,
    {
      family: taskFamily,
      networkMode: "awsvpc",
      requiresCompatibilities: [shape.launch],
      cpu: String(shape.cpu),
      memory: String(shape.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      volumes: [{ name: "tmp" }],
      containerDefinitions: containerDefinitions({ agent, image: scope.image, shape, region: landing.region, logGroup: group.name, environment: env, secrets: secrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom })), sidecar: trace.sidecar }),
      tags: awsTags(agent.tags),
    },
    opts,
  );

  const scaled = agent.triggers.queue;
  const service = new ecs.Service(
    name,
    {
      name: agent.name,
      cluster: cluster.arn,
      taskDefinition: taskDefinition.arn,
      desiredCount: agent.scaling.min,
      ...(capacity
        ? { capacityProviderStrategies: [{ capacityProvider: capacity.capacityProviderName, weight: 1, base: 0 }], orderedPlacementStrategies: [{ type: "binpack", field: "cpu" }] }
        : { capacityProviderStrategies: fargateStrategy(agent) }),
      networkConfiguration: { subnets: [...landing.network.privateSubnetIds], securityGroups: [securityGroup.id], assignPublicIp: false },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      enableExecuteCommand: false,
      availabilityZoneRebalancing: "ENABLED",
      serviceRegistries: { registryArn: discovery.arn },
      ...(sync ? { loadBalancers: [{ targetGroupArn: sync.targetGroup.arn, containerName: "agent", containerPort: agent.port }], healthCheckGracePeriodSeconds: agent.gpu ? 300 : 60 } : {}),
      tags: awsTags(agent.tags),
    },
    { ...opts, ...(scaled ? { ignoreChanges: ["desiredCount"] } : {}), ...(sync ? { dependsOn: [sync.listener] } : {}) },
  );
  ecsAutoscaling(name, landing, agent, queue, { clusterName: cluster.name, serviceName: service.name }, opts);

  awsServices.set(scope, {
    agent,
    role: taskRole,
    sourceSecurityGroupId: securityGroup.id,
    logGroupName: group.name,
    cpu: { namespace: "AWS/ECS", metricName: "CPUUtilization", dimensions: { ClusterName: cluster.name, ServiceName: service.name }, stat: "Average" },
    memory: { namespace: "AWS/ECS", metricName: "MemoryUtilization", dimensions: { ClusterName: cluster.name, ServiceName: service.name }, stat: "Maximum" },
    replicas: { namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", dimensions: { ClusterName: cluster.name, ServiceName: service.name }, stat: "Average" },
  });
  return {
    workloadName: service.name,
    endpoint: pulumi.interpolate`http://${agent.name}.${ecsLanding.namespaceName}:${agent.port}`,
    identity: taskRole.arn,
  };
}

function gpuCapacity(pools: ReadonlyMap<string, EcsGpuCapacity>, agent: AgentPlan): EcsGpuCapacity {
  const pool = agent.gpu?.pool ?? "";
  const capacity = pools.get(pool);
  if (!capacity) invalidProp("agent", `agent '${agent.name}' runs in GPU pool '${pool}', which this platform has not built`, `create GpuAgentPool for pool '${pool}' on the same AgentPlatform before the service (AgentFleet does)`);
  return capacity;
}

function executionStatements(landing: AwsLanding, image: string, logGroupArn: pulumi.Output<string>, secretArns: ReadonlyArray<pulumi.Output<string>>): PolicyStatement[] {
  const statements: PolicyStatement[] = [{ Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroupArn}:log-stream:*` }];
  if (secretArns.length > 0) statements.push({ Sid: "ReadOwnSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [...secretArns] });
  const repo = ecrRepositoryArn(image, landing.partition);
  if (repo) {
    statements.push({ Sid: "PullOwnImage", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], Resource: repo });
    statements.push({ Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" });
  }
  return statements;
}

/**
 * The agent's security group: ingress only from the gateway's load balancer, and
 * only for sync-routed agents; egress to HTTPS (AWS APIs, model providers) and to
 * the fleet's cache and database inside the VPC.
 */
export function agentSecurityGroup(name: string, landing: AwsLanding, agent: AgentPlan, opts: pulumi.CustomResourceOptions): ec2.SecurityGroup {
  const edge = agent.route?.invoke === "sync" ? landing.edge : undefined;
  return new ec2.SecurityGroup(
    name,
    {
      name: awsName([landing.prefix, agent.name], NAME_LIMITS.securityGroup),
      description: `Agent ${agent.name}: in from the gateway only, out to HTTPS and the fleet's state`,
      vpcId: landing.network.vpcId,
      ingress: edge ? [{ description: "gateway NLB", protocol: "tcp", fromPort: agent.port, toPort: agent.port, securityGroups: [edge.securityGroup.id] }] : [],
      egress: [
        { description: "HTTPS: AWS APIs and model providers", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
        { description: "results cache (Valkey, TLS)", protocol: "tcp", fromPort: 6379, toPort: 6380, cidrBlocks: [landing.network.cidr] },
        { description: "shared database (Postgres, TLS)", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: [landing.network.cidr] },
      ],
      tags: awsTags(agent.tags, awsName([landing.prefix, agent.name], NAME_LIMITS.securityGroup)),
    },
    opts,
  );
}
