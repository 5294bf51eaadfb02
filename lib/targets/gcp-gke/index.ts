import type { Target } from "../target";
import { gkeBroker } from "./broker";
import { gkeGateway } from "./gateway";
import { gkeGpuPool } from "./gpu-pool";
import { gkePlatform } from "./platform";
import { gkeService } from "./service";
import { gcpObservability } from "../gcp/observability";
import { gcpStateStore } from "../gcp/state-store";

/** Google Kubernetes Engine: a private GKE Standard cluster, GPU node pools with time-sharing or MIG, the Kubernetes target's hardened workloads with Workload Identity and KEDA on Pub/Sub backlogs, over the shared GCP foundation. */
export const gkeTarget: Target = {
  runtime: "gke",
  platform: gkePlatform,
  broker: gkeBroker,
  service: gkeService,
  gpuPool: gkeGpuPool,
  gateway: gkeGateway,
  stateStore: gcpStateStore,
  observability: gcpObservability,
};

export { gkeSharing } from "./gpu-pool";
export { gkeGpuRequest, GKE_METADATA } from "./service";
export { gkeSystemNodes } from "./nodes";
export { NODE_ROLES, KEDA_ROLE } from "./platform";
