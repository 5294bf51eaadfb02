import type { ObservabilityOutputs, ObservabilityScope } from "../target";
import { awsObservability } from "../aws/observability";

/** As on ECS (the DESIGN table's "as aws-ecs"): lib/targets/aws/observability.ts. */
export function eksObservability(scope: ObservabilityScope): ObservabilityOutputs {
  return awsObservability(scope);
}
