import * as kms from "@pulumi/aws/kms";
import type * as pulumi from "@pulumi/pulumi";
import { policyJson } from "./iam";
import { fleetKeyPolicy } from "./key-policy";
import { awsTags } from "./tags";

export interface FleetKeyArgs {
  readonly name: string;
  readonly prefix: string;
  readonly region: string;
  readonly partition: string;
  readonly accountId: pulumi.Output<string>;
  readonly tags: Readonly<Record<string, string>>;
  readonly prod: boolean;
}

/** The customer-managed key every encrypted fleet resource uses, with yearly rotation and an alias. */
export function fleetKey(args: FleetKeyArgs, opts: pulumi.CustomResourceOptions): kms.Key {
  const key = new kms.Key(
    `${args.name}-key`,
    {
      description: `microagents fleet key for ${args.prefix} in ${args.region}`,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: args.prod ? 30 : 7,
      policy: args.accountId.apply((account) => policyJson(fleetKeyPolicy(args.region, account, args.partition))),
      tags: awsTags(args.tags, `${args.prefix}-key`),
    },
    opts,
  );
  new kms.Alias(`${args.name}-key`, { name: `alias/microagents/${args.prefix}`, targetKeyId: key.keyId }, opts);
  return key;
}
