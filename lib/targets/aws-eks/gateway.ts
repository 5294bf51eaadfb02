import type { GatewayOutputs, GatewayScope } from "../target";
import { awsGateway } from "../aws/gateway";

/** As on ECS (the DESIGN table's "as aws-ecs"): lib/targets/aws/gateway.ts. */
export function eksGateway(scope: GatewayScope): GatewayOutputs {
  return awsGateway(scope);
}
