import type { Target } from "../target";
import { eksBroker } from "./broker";
import { eksGateway } from "./gateway";
import { eksGpuPool } from "./gpu-pool";
import { eksObservability } from "./observability";
import { eksPlatform } from "./platform";
import { eksService } from "./service";
import { eksStateStore } from "./state-store";

/** AWS EKS: managed node groups (GPU pools on the NVIDIA AMI), the Kubernetes target's hardened workloads with Pod Identity and KEDA on SQS; broker, gateway, state and monitoring as on ECS. */
export const eksTarget: Target = {
  runtime: "eks",
  platform: eksPlatform,
  broker: eksBroker,
  service: eksService,
  gpuPool: eksGpuPool,
  gateway: eksGateway,
  stateStore: eksStateStore,
  observability: eksObservability,
};

export { systemNodes, CONTROL_PLANE_LOGS, EKS_MANAGED_POLICIES } from "./platform";
export { EKS_CHARTS, EKS_VERSION, CLUSTER_AUTOSCALER_TAG } from "./charts";
export { nodePort, POD_IDENTITY_ENDPOINT, CLOUDWATCH_AGENT_OTLP } from "./service";
