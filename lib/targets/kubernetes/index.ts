import type { Target } from "../target";
import { kubernetesBroker } from "./broker";
import { kubernetesPlatform } from "./platform";
import { kubernetesService } from "./service";

/** Any conformant Kubernetes cluster: NATS JetStream, KEDA, hardened workloads. */
export const kubernetesTarget: Target = {
  runtime: "kubernetes",
  platform: kubernetesPlatform,
  broker: kubernetesBroker,
  service: kubernetesService,
};

export { hardenedWorkload, containerResources, agentEnv, NON_PUBLIC_CIDRS, type WorkloadParams, type Workload } from "./workload";
export { scaledObject, type KedaTrigger } from "./scaler";
export { gpuScheduling, GPU_POOL_LABEL, GPU_TAINT } from "./gpu-scheduling";
export { agentLabels, agentSelector } from "./labels";
