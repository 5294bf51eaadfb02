import * as pulumi from "@pulumi/pulumi";
import { invalidProp } from "../../spec/errors";
import { CLOUD_RUN_ACCELERATOR } from "../gcp/validate";
import type { GpuPoolOutputs, GpuPoolScope } from "../target";

/**
 * Cloud Run has no GPU capacity to manage: each GPU agent's instances get one
 * NVIDIA L4 of Google's (the service asks for it). The pool only checks that it
 * holds whole GPUs (and, when declared, L4s), and names the capacity.
 */
export function runGpuPool(scope: GpuPoolScope): GpuPoolOutputs {
  const pool = scope.pool;
  if (pool.source === "spec" && pool.accelerator !== CLOUD_RUN_ACCELERATOR) invalidProp("pool", `GPU pool '${pool.name}' uses ${pool.accelerator}; Cloud Run offers only the NVIDIA L4`, "use an nvidia-l4 pool, or runtime 'gke'");
  const fractional = pool.assignments.length > 0 && pool.slicesPerGpu > 1;
  if (fractional) invalidProp("pool", `GPU pool '${pool.name}' shares GPUs (${pool.slicesPerGpu} slices); Cloud Run gives each instance a whole GPU`, "use runtime 'gke' for GPU time-sharing");
  return { capacityName: pulumi.output(`cloud-run/${CLOUD_RUN_ACCELERATOR}`) };
}
