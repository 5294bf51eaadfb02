import type { Target } from "../target";
import { ecsBroker } from "./broker";
import { ecsGateway } from "./gateway";
import { ecsGpuPool } from "./gpu-pool";
import { ecsObservability } from "./observability";
import { ecsPlatform } from "./platform";
import { ecsService } from "./service";
import { ecsStateStore } from "./state-store";

/** AWS ECS: Fargate for CPU agents, an EC2 capacity provider per GPU pool, SQS and SNS, API Gateway, DynamoDB, ElastiCache, RDS, CloudWatch. */
export const ecsTarget: Target = {
  runtime: "ecs",
  platform: ecsPlatform,
  broker: ecsBroker,
  service: ecsService,
  gpuPool: ecsGpuPool,
  gateway: ecsGateway,
  stateStore: ecsStateStore,
  observability: ecsObservability,
};

export { fargateTaskSize, cpuUnits } from "./fargate";
export { taskShape, containerDefinitions, ADOT_IMAGE, AGENT_UID } from "./task";
export { BACKLOG_PER_TASK_EXPRESSION, WAKE_EXPRESSION } from "../aws/metric-math";
export { gpuUserData, ECS_GPU_AMI_PARAMETER } from "./gpu-instance";
