import type { StateStoreOutputs, StateStoreScope } from "../target";
import { awsStateStore } from "../aws/state-store";

/** As on EKS: lib/targets/aws/state-store.ts. */
export function ecsStateStore(scope: StateStoreScope): StateStoreOutputs {
  return awsStateStore(scope);
}
