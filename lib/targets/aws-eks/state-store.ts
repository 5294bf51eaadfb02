import type { AgentStateStore } from "../../components/agent-state-store";
import type { StateStoreOutputs } from "../target";
import { awsStateStore } from "../aws/state-store";

/** As on ECS (the DESIGN table's "as aws-ecs"): lib/targets/aws/state-store.ts. */
export function eksStateStore(scope: AgentStateStore): StateStoreOutputs {
  return awsStateStore(scope);
}
