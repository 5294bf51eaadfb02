import type { AgentStateStore } from "../../components/agent-state-store";
import type { StateStoreOutputs } from "../target";
import { awsStateStore } from "../aws/state-store";

/** As on EKS: lib/targets/aws/state-store.ts. */
export function ecsStateStore(scope: AgentStateStore): StateStoreOutputs {
  return awsStateStore(scope);
}
