import { Tags } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/** The cost-allocation tags on every taggable resource under the construct. */
export function tagAll(scope: IConstruct, tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) Tags.of(scope).add(key, value);
}
