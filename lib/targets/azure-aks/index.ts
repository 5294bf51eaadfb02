import type { Target } from "../target";
import { aksBroker } from "./broker";
import { aksGpuPool } from "./gpu-pool";
import { aksPlatform } from "./platform";
import { aksService } from "./service";

/**
 * Azure Kubernetes Service: a private, Entra-only cluster with workload identity,
 * the KEDA and Key Vault CSI add-ons and managed Prometheus; GPU node pools (spot,
 * MIG, time-slicing); the Kubernetes target's hardened workloads scaled by KEDA on
 * Service Bus. The gateway, state store and observability stack are not in this
 * version on Azure: AgentFleet leaves them out, and building one fails with a clear error.
 */
export const aksTarget: Target = {
  runtime: "aks",
  platform: aksPlatform,
  broker: aksBroker,
  service: aksService,
  gpuPool: aksGpuPool,
};

export { AKS_VERSION, AKS_SPOT_TAINT, AKS_SYSTEM_SHAPES, aksSystemPool, aksPoolName, aksMigProfile, gpuPoolNodeSettings } from "./cluster-shape";
export { AKS_LOG_CATEGORIES } from "./platform";
export { FEDERATION_AUDIENCE, KEDA_OPERATOR_SUBJECT } from "./federation";
export { aksEgress, aksScheduling } from "./service";
