import type { Target } from "../target";
import { ecsBroker } from "./broker";
import { ecsGpuPool } from "./gpu-pool";
import { ecsPlatform } from "./platform";
import { ecsService } from "./service";

/** AWS ECS: Fargate for CPU agents, an EC2 capacity provider per GPU pool, SQS and SNS, API Gateway, DynamoDB, ElastiCache, RDS, CloudWatch. */
export const ecsTarget: Target = {
  runtime: "ecs",
  platform: ecsPlatform,
  broker: ecsBroker,
  service: ecsService,
  gpuPool: ecsGpuPool,
};

export { fargateTaskSize, cpuUnits } from "./fargate";
export { taskShape, containerDefinitions, ADOT_IMAGE, AGENT_UID } from "./task";
export { BACKLOG_PER_TASK_EXPRESSION, WAKE_EXPRESSION } from "./autoscaling";
export { gpuUserData, ECS_GPU_AMI_PARAMETER } from "./gpu-pool";
