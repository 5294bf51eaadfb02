import type { Target } from "../target";
import { azureStateStore } from "../azure/state-store";
import { aksBroker } from "./broker";
import { aksGateway } from "./gateway";
import { aksGpuPool } from "./gpu-pool";
import { aksObservability } from "./observability";
import { aksPlatform } from "./platform";
import { aksService } from "./service";

/**
 * Azure Kubernetes Service: a private, Entra-only cluster with workload identity,
 * the KEDA and Key Vault CSI add-ons and managed Prometheus; GPU node pools (spot,
 * MIG, time-slicing); the Kubernetes target's hardened workloads scaled by KEDA on
 * Service Bus; Azure Monitor alerts (managed Prometheus for memory) and a workbook
 * (ObservabilityStack); Cosmos DB, Managed Redis and Postgres flexible server
 * (AgentStateStore); API Management in the VNet reaching agents through internal
 * load balancers, Front Door with a WAF when public (AgentGateway).
 */
export const aksTarget: Target = {
  runtime: "aks",
  platform: aksPlatform,
  broker: aksBroker,
  service: aksService,
  gpuPool: aksGpuPool,
  gateway: aksGateway,
  stateStore: azureStateStore,
  observability: aksObservability,
};

export { AKS_VERSION, AKS_SPOT_TAINT, AKS_SYSTEM_SHAPES, aksSystemPool, aksPoolName, aksMigProfile, gpuPoolNodeSettings } from "./cluster-shape";
export { AKS_LOG_CATEGORIES } from "./platform";
export { FEDERATION_AUDIENCE, KEDA_OPERATOR_SUBJECT } from "./federation";
export { aksEgress, aksScheduling } from "./service";
