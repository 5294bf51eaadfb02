import type { Fact } from "./types";

export interface CloudFormationResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

export interface CloudFormationTemplate {
  readonly Resources?: Readonly<Record<string, CloudFormationResource>>;
}

/** Facts from a synthesized CloudFormation template. */
export function factsFromCloudFormation(_template: CloudFormationTemplate): Fact[] {
  return [];
}
