import * as cloudwatch from "@pulumi/aws/cloudwatch";
import type * as kms from "@pulumi/aws/kms";
import type * as pulumi from "@pulumi/pulumi";
import { awsTags } from "./tags";

export interface LogGroupArgs {
  readonly name: pulumi.Input<string>;
  readonly key: kms.Key;
  readonly retentionDays: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** Every log group of the fleet: encrypted with the fleet key, kept for the environment's retention. */
export function logGroup(logicalName: string, args: LogGroupArgs, opts: pulumi.CustomResourceOptions): cloudwatch.LogGroup {
  return new cloudwatch.LogGroup(
    logicalName,
    { name: args.name, retentionInDays: args.retentionDays, kmsKeyId: args.key.arn, logGroupClass: "STANDARD", tags: awsTags(args.tags) },
    opts,
  );
}
