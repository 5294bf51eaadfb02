import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan, FleetPlan } from "../../plan/types";
import { invalidProp } from "../../spec/errors";
import { cpuUnits, fargateTaskSize } from "./fargate";
import type { EcsGpuCapacity } from "./landing";

/** Non-root UID agents run as on every target (the distroless `nonroot` user). */
export const AGENT_UID = 65532;

/**
 * AWS Distro for OpenTelemetry collector: OTLP in, X-Ray out (its bundled
 * `ecs-xray.yaml` config, which enables the health_check extension). Pinned by
 * digest as the security policy requires; the digest was read from a public build
 * script that checks this base image, not from the registry itself (unconfirmed).
 */
export const ADOT_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.48.0@sha256:9b28046359054b414f4ba76056ba4e8cffda2d53fbcee06171d7eeecd71326c3";
export const ADOT_CONFIG = "--config=/etc/ecs/ecs-xray.yaml";
export const ADOT_RESOURCES = { cpu: 128, memory: 256 } as const;

export interface TaskShape {
  readonly launch: "FARGATE" | "EC2";
  /** Task-level CPU units and MiB. */
  readonly cpu: number;
  readonly memory: number;
  /** What the agent container reserves. */
  readonly agentCpu: number;
  readonly agentMemory: number;
  /** Whole GPUs reserved through ECS, or 0 for a time-sliced share. */
  readonly gpus: number;
}

/**
 * The task's size. Fargate tasks take the smallest valid Fargate size that holds the
 * agent (and the collector sidecar). GPU tasks run on the pool's EC2 instances:
 * whole-GPU agents reserve GPUs through ECS; ECS cannot reserve a fraction of a GPU,
 * so a fractional agent reserves its share of the node's CPU instead (at least what
 * it asked for), which caps the tasks per node at what the packing planned.
 */
export function taskShape(plan: FleetPlan, agent: AgentPlan, sidecar: boolean, capacity?: Pick<EcsGpuCapacity, "shape">): TaskShape {
  const extraCpu = sidecar ? ADOT_RESOURCES.cpu : 0;
  const extraMem = sidecar ? ADOT_RESOURCES.memory : 0;
  const agentCpu = cpuUnits(agent.resources.cpu);
  const agentMemory = agent.resources.memoryMiB;
  if (capacity && agent.gpu) {
    const share = agent.gpu.share;
    const gpus = share >= 1 ? share : 0;
    const perGpuCpu = (capacity.shape.vcpu * 1024) / capacity.shape.gpus;
    const reserved = share >= 1 ? agentCpu : Math.max(agentCpu, Math.floor(share * perGpuCpu));
    return { launch: "EC2", cpu: reserved + extraCpu, memory: agentMemory + extraMem, agentCpu: reserved, agentMemory, gpus };
  }
  const size = fargateTaskSize(agentCpu + extraCpu, agentMemory + extraMem);
  if (!size) {
    const i = plan.fleet.agents.findIndex((a) => a.name === agent.name);
    invalidProp(
      i >= 0 ? `spec.agents[${i}].resources` : "agent.resources",
      `${agent.resources.cpu} vCPU and ${agent.resources.memoryMiB} MiB exceed the largest Fargate task (16 vCPU, 120 GiB)`,
      "lower the request, or give the agent a GPU pool (EC2 capacity)",
    );
  }
  return { launch: "FARGATE", cpu: size.cpu, memory: size.memory, agentCpu, agentMemory, gpus: 0 };
}

export interface ContainerArgs {
  readonly agent: AgentPlan;
  /**
   * The image to run, when the program computes it (MicroAgentService.image).
   * @default the agent's image
   */
  readonly image?: pulumi.Input<string>;
  readonly shape: TaskShape;
  readonly region: string;
  readonly logGroup: pulumi.Input<string>;
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  readonly secrets: ReadonlyArray<{ readonly name: string; readonly valueFrom: pulumi.Input<string> }>;
  readonly sidecar: boolean;
}

/** ECS health checks run inside the container: the image must carry curl (ECS has no HTTP probe of its own). */
export function healthCommand(agent: AgentPlan): string[] {
  return ["CMD-SHELL", `curl -fsS -o /dev/null http://127.0.0.1:${agent.port}${agent.healthPath} || exit 1`];
}

/**
 * The container definitions: the agent as non-root on a read-only root filesystem
 * with a writable /tmp volume, every capability dropped, secrets only through
 * `secrets`, awslogs to its encrypted log group, a health check; and, when traces
 * go to X-Ray, the ADOT collector beside it.
 */
export function containerDefinitions(c: ContainerArgs): pulumi.Output<string> {
  const { agent, shape } = c;
  const logs = (prefix: string) => ({
    logDriver: "awslogs",
    options: { "awslogs-group": c.logGroup, "awslogs-region": c.region, "awslogs-stream-prefix": prefix, mode: "non-blocking", "max-buffer-size": "25m" },
  });
  const hardening = {
    readonlyRootFilesystem: true,
    privileged: false,
    linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"], add: [] } },
    // Fargate rejects dockerSecurityOptions; on EC2 the daemon takes no-new-privileges.
    ...(shape.launch === "EC2" ? { dockerSecurityOptions: ["no-new-privileges"] } : {}),
  };
  const environment = Object.entries(c.environment)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const agentContainer = {
    name: "agent",
    image: c.image ?? agent.image,
    essential: true,
    user: `${AGENT_UID}:${AGENT_UID}`,
    cpu: shape.agentCpu,
    memory: shape.agentMemory,
    ...hardening,
    portMappings: [{ name: "http", containerPort: agent.port, hostPort: agent.port, protocol: "tcp", appProtocol: "http" }],
    environment,
    secrets: [...c.secrets].sort((a, b) => a.name.localeCompare(b.name)),
    mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
    logConfiguration: logs(agent.name),
    healthCheck: { command: healthCommand(agent), interval: 30, timeout: 5, retries: 3, startPeriod: agent.gpu ? 300 : 60 },
    stopTimeout: Math.min(agent.queue.visibilityTimeoutSeconds, 120),
    ulimits: [{ name: "nofile", softLimit: 65536, hardLimit: 65536 }],
    ...(shape.gpus > 0 ? { resourceRequirements: [{ type: "GPU", value: String(shape.gpus) }] } : {}),
    ...(c.sidecar ? { dependsOn: [{ containerName: "otel-collector", condition: "START" }] } : {}),
  };
  const collector = {
    name: "otel-collector",
    image: ADOT_IMAGE,
    essential: false,
    command: [ADOT_CONFIG],
    user: "10001:10001",
    cpu: ADOT_RESOURCES.cpu,
    memory: ADOT_RESOURCES.memory,
    ...hardening,
    environment: [{ name: "AWS_REGION", value: c.region }],
    logConfiguration: logs("otel-collector"),
    // The image's own probe of the health_check extension.
    healthCheck: { command: ["/healthcheck"], interval: 10, timeout: 5, retries: 5, startPeriod: 10 },
  };
  return pulumi.jsonStringify(c.sidecar ? [agentContainer, collector] : [agentContainer]);
}
