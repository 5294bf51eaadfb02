import { overLimit, type LimitFinding } from "./check";
import { LIMITS } from "./sources";

/** The parts of a CloudFormation template the limits read. */
export interface TemplateShape {
  readonly Resources?: Readonly<Record<string, unknown>>;
  readonly Outputs?: Readonly<Record<string, unknown>>;
  readonly Parameters?: Readonly<Record<string, unknown>>;
}

/**
 * One stack's template against CloudFormation's limits. CDK deploys templates
 * through its bootstrap bucket (TemplateURL, 1 MB); `direct` checks the 51,200-byte
 * TemplateBody limit instead (a template passed inline by the CLI or an SDK).
 */
export function checkTemplate(stack: string, template: TemplateShape, opts: { readonly direct?: boolean } = {}): LimitFinding[] {
  const bytes = Buffer.byteLength(JSON.stringify(template), "utf8");
  const size = opts.direct ? LIMITS.cfnTemplateBodyBytes : LIMITS.cfnTemplateS3Bytes;
  return [
    ...overLimit(LIMITS.cfnResources, stack, Object.keys(template.Resources ?? {}).length, "split the stack: AgentFleetStacks shards agents (agentsPerStack / maxResourcesPerStack)"),
    ...overLimit(LIMITS.cfnOutputs, stack, Object.keys(template.Outputs ?? {}).length, "fewer cross-stack references: shard so consumers and producers share stacks"),
    ...overLimit(LIMITS.cfnParameters, stack, Object.keys(template.Parameters ?? {}).length, "fewer asset or context parameters in one stack"),
    ...overLimit(size, stack, bytes, opts.direct ? "deploy through S3 (cdk deploy does) or split the stack" : "split the stack"),
  ];
}
