import type { AgentGateway } from "../../components/agent-gateway";
import type { GatewayOutputs } from "../target";
import { awsGateway } from "../aws/gateway";

/** As on ECS (the DESIGN table's "as aws-ecs"): lib/targets/aws/gateway.ts. */
export function eksGateway(scope: AgentGateway): GatewayOutputs {
  return awsGateway(scope);
}
