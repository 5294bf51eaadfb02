import type { Target } from "../target";
import { azureStateStore } from "../azure/state-store";
import { acaBroker } from "./broker";
import { acaGateway } from "./gateway";
import { acaGpuPool } from "./gpu-pool";
import { acaObservability } from "./observability";
import { acaPlatform } from "./platform";
import { acaService } from "./service";

/**
 * Azure Container Apps: a workload-profiles environment on a private VNet, a
 * Container App per agent with its own managed identity, Service Bus queues and
 * topics, serverless GPU profiles (whole GPUs), Key Vault, Log Analytics and a
 * budget; Azure Monitor alerts and a workbook (ObservabilityStack); Cosmos DB,
 * Managed Redis and Postgres flexible server (AgentStateStore); API Management in
 * the VNet, Front Door with a WAF when public (AgentGateway).
 */
export const acaTarget: Target = {
  runtime: "aca",
  platform: acaPlatform,
  broker: acaBroker,
  service: acaService,
  gpuPool: acaGpuPool,
  gateway: acaGateway,
  stateStore: azureStateStore,
  observability: acaObservability,
};

export { acaSize, acaIssues, dedicatedProfiles, SERVERLESS_GPU_PROFILES, SERVERLESS_GPU_REGIONS, DEDICATED_PROFILES } from "./sizing";
export { acaProbes, acaScale, appSecretName, identityRegistry } from "./service";
