import type { AgentGateway } from "../../components/agent-gateway";
import type { GatewayOutputs } from "../target";
import { awsGateway } from "../aws/gateway";

/** As on EKS: lib/targets/aws/gateway.ts. */
export function ecsGateway(scope: AgentGateway): GatewayOutputs {
  return awsGateway(scope);
}
