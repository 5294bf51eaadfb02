import type { GatewayOutputs, GatewayScope } from "../target";
import { awsGateway } from "../aws/gateway";

/** As on EKS: lib/targets/aws/gateway.ts. */
export function ecsGateway(scope: GatewayScope): GatewayOutputs {
  return awsGateway(scope);
}
