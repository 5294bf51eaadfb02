import type { ObservabilityOutputs, ObservabilityScope } from "../target";
import { awsObservability } from "../aws/observability";

/** As on EKS: lib/targets/aws/observability.ts. */
export function ecsObservability(scope: ObservabilityScope): ObservabilityOutputs {
  return awsObservability(scope);
}
