import type { GpuPoolPlan } from "../../plan/types";
import type { PolicyStatement } from "../aws/iam";

/** The ECS GPU-optimized Amazon Linux 2023 AMI, published by AWS as a public SSM parameter. */
export const ECS_GPU_AMI_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id";

/**
 * Instance user data: join the pool's cluster with GPU support, keep awsvpc tasks
 * away from the instance metadata service, drain spot instances on interruption,
 * and, when the pool time-slices, make the NVIDIA runtime Docker's default so
 * tasks that reserve no whole GPU (ECS cannot reserve a fraction) still see it.
 */
export function gpuUserData(clusterName: string, pool: Pick<GpuPoolPlan, "spot" | "sharing">): string {
  return ["#!/bin/bash", "set -euo pipefail", ...gpuEcsCommands(pool, [`ECS_CLUSTER=${clusterName}`]), ""].join("\n");
}

/** The user-data commands after the shebang: the ECS agent's config (after `first`) and, on time-sliced pools, the NVIDIA runtime as Docker's default. */
export function gpuEcsCommands(pool: Pick<GpuPoolPlan, "spot" | "sharing">, first: ReadonlyArray<string> = []): string[] {
  const config = [
    ...first,
    "ECS_ENABLE_GPU_SUPPORT=true",
    "ECS_AWSVPC_BLOCK_IMDS=true",
    "ECS_ENABLE_TASK_IAM_ROLE=true",
    "ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM=ec2_instance",
    ...(pool.spot ? ["ECS_ENABLE_SPOT_INSTANCE_DRAINING=true"] : []),
  ];
  const timeSliced = pool.sharing === "time-slicing"
    ? ["# Time-slicing: tasks without a whole-GPU reservation reach the GPU through the NVIDIA runtime.", "nvidia-ctk runtime configure --runtime=docker --set-as-default", "systemctl restart docker"]
    : [];
  return ["cat >> /etc/ecs/ecs.config <<'EOF'", ...config, "EOF", ...timeSliced];
}

/**
 * What the ECS container agent on a pool's instances may do: register and report
 * in the pool's cluster and on its container instances only, tag a container
 * instance only as it registers (tag propagation from the EC2 instance, which
 * also reads the instance's tags); finding the poll endpoint and reading EC2 tags
 * name no resource.
 */
export function ecsAgentStatements(clusterArn: string, containerInstancesArn: string): PolicyStatement[] {
  return [
    {
      Sid: "EcsAgentInPoolCluster",
      Effect: "Allow",
      Action: [
        "ecs:RegisterContainerInstance",
        "ecs:DeregisterContainerInstance",
        "ecs:SubmitAttachmentStateChanges",
        "ecs:SubmitContainerStateChange",
        "ecs:SubmitTaskStateChange",
        "ecs:UpdateContainerInstancesState",
        "ecs:Poll",
        "ecs:StartTelemetrySession",
      ],
      Resource: [clusterArn, containerInstancesArn],
    },
    { Sid: "EcsAgentFindsEndpoint", Effect: "Allow", Action: "ecs:DiscoverPollEndpoint", Resource: "*" },
    // ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM=ec2_instance: the agent reads the instance's tags and registers
    // with them, which ECS authorizes as ecs:TagResource on the new container instance (tag on create).
    {
      Sid: "TagContainerInstanceAtRegistration",
      Effect: "Allow",
      Action: "ecs:TagResource",
      Resource: containerInstancesArn,
      Condition: { StringEquals: { "ecs:CreateAction": "RegisterContainerInstance" } },
    },
    { Sid: "ReadInstanceTagsToPropagate", Effect: "Allow", Action: "ec2:DescribeTags", Resource: "*" },
  ];
}
