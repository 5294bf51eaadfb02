import { CfnResource } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { invalidProp } from "../spec/errors";
import { CFN_STACK_RESOURCE_LIMIT } from "./sharding";

/** CloudFormation resources defined under a construct. */
export function cfnResourceCount(scope: IConstruct): number {
  return scope.node.findAll().filter((c) => c instanceof CfnResource).length;
}

/** A stack the fleet needs whole (state, gateway) must fit CloudFormation's resource limit; otherwise a config error at `spec.agents`. */
export function assertFitsOneStack(stack: IConstruct, what: string, hint: string): void {
  const count = cfnResourceCount(stack);
  if (count > CFN_STACK_RESOURCE_LIMIT) invalidProp("spec.agents", `${what} needs ${count} resources, over CloudFormation's ${CFN_STACK_RESOURCE_LIMIT} a stack`, hint);
}
