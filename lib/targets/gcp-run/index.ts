import type { Target } from "../target";
import { runBroker } from "./broker";
import { runGateway } from "./gateway";
import { runGpuPool } from "./gpu-pool";
import { runPlatform } from "./platform";
import { runService } from "./service";
import { gcpObservability } from "../gcp/observability";
import { gcpStateStore } from "../gcp/state-store";

/** Google Cloud Run: a Cloud Run v2 service per agent fed by Pub/Sub push, whole NVIDIA L4 GPUs, over the shared GCP foundation (KMS, VPC with NAT, logs, budget). */
export const runTarget: Target = {
  runtime: "run",
  platform: runPlatform,
  broker: runBroker,
  service: runService,
  gpuPool: runGpuPool,
  gateway: runGateway,
  stateStore: gcpStateStore,
  observability: gcpObservability,
};

export { runShape, RUN_CPU_SIZES, RUN_GPU_MIN } from "./shape";
export { runIngress } from "./service";
export { runServiceName, pushAudience } from "./landing";
