import type { ObservabilityStack } from "../../components/observability-stack";
import type { ObservabilityOutputs } from "../target";
import { awsObservability } from "../aws/observability";

/** As on EKS: lib/targets/aws/observability.ts. */
export function ecsObservability(scope: ObservabilityStack): ObservabilityOutputs {
  return awsObservability(scope);
}
