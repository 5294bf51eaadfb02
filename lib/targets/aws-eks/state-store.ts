import type { StateStoreOutputs, StateStoreScope } from "../target";
import { awsStateStore } from "../aws/state-store";

/** As on ECS (the DESIGN table's "as aws-ecs"): lib/targets/aws/state-store.ts. */
export function eksStateStore(scope: StateStoreScope): StateStoreOutputs {
  return awsStateStore(scope);
}
