import type { ObservabilityStack } from "../../components/observability-stack";
import type { ObservabilityOutputs } from "../target";
import { awsObservability } from "../aws/observability";

/** As on ECS (the DESIGN table's "as aws-ecs"): lib/targets/aws/observability.ts. */
export function eksObservability(scope: ObservabilityStack): ObservabilityOutputs {
  return awsObservability(scope);
}
