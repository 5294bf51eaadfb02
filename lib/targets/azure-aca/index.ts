import type { Target } from "../target";
import { acaBroker } from "./broker";
import { acaGpuPool } from "./gpu-pool";
import { acaPlatform } from "./platform";
import { acaService } from "./service";

/**
 * Azure Container Apps: a workload-profiles environment on a private VNet, a
 * Container App per agent with its own managed identity, Service Bus queues and
 * topics, serverless GPU profiles (whole GPUs), Key Vault, Log Analytics and a
 * budget. The gateway, state store and observability stack are not in this version
 * on Azure: AgentFleet leaves them out, and building one fails with a clear error.
 */
export const acaTarget: Target = {
  runtime: "aca",
  platform: acaPlatform,
  broker: acaBroker,
  service: acaService,
  gpuPool: acaGpuPool,
};

export { acaSize, acaIssues, dedicatedProfiles, SERVERLESS_GPU_PROFILES, SERVERLESS_GPU_REGIONS, DEDICATED_PROFILES } from "./sizing";
export { acaProbes, acaScale, appSecretName, identityRegistry } from "./service";
