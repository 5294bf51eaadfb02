import * as dynamodb from "@pulumi/aws/dynamodb";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { Provider } from "@pulumi/aws/provider";
import { RUNTIME_CLOUD } from "../../plan/gpu-placement";
import { alarmTopic, fleetBudget } from "./alarms";
import { fleetEdge } from "./edge";
import { fleetKey } from "./kms";
import type { AwsLanding } from "./landing";
import { awsName, NAME_LIMITS, partitionOf } from "./names";
import { fleetNetwork } from "./network";
import { awsTags } from "./tags";
import { checkAwsFleet } from "./validate";
import { invalidProp } from "../../spec/errors";
import type { PlatformScope } from "../target";

/**
 * The AWS provider every resource of the target goes through: the caller's (given to the
 * platform, the fleet or any parent through `provider`/`providers`), else one of the
 * package's own pinned to the target's region. The caller's provider must be for the
 * target's region: names, ARNs and endpoints are built from `target.region`.
 */
export function awsProvider(scope: PlatformScope): Provider {
  const given = scope.getProvider("aws::");
  if (given === undefined) return new Provider(`${scope.resourceName}-aws`, { region: scope.target.region }, { parent: scope });
  // The providers map is keyed by package, so "aws" holds an AWS provider; isInstance checks the type token, whichever copy of @pulumi/aws made it.
  if (!Provider.isInstance(given)) invalidProp("opts.providers.aws", "the provider given for package 'aws' is not an aws.Provider", "pass a provider made with new aws.Provider(...)");
  return given;
}

/**
 * What ECS and EKS platforms share: the target's AWS provider (awsProvider), the
 * account, the fleet key, the network, the alarm topic, the AWS budget (once per
 * fleet, on its first AWS target), the internal NLB for sync routes and, for
 * active-passive agents, a lease table.
 */
export function awsFoundation(scope: PlatformScope, runtime: "ecs" | "eks"): AwsLanding {
  const { plan, target } = scope;
  checkAwsFleet(plan);
  const name = scope.resourceName;
  const region = target.region;
  const partition = partitionOf(region);
  const prefix = `${plan.fleet.name}-${plan.fleet.environment}`;
  const tags = plan.tags;
  const provider = awsProvider(scope);
  const opts = { parent: scope, provider };
  const accountId = getCallerIdentityOutput({}, opts).accountId;
  const prod = plan.fleet.environment === "prod";
  const key = fleetKey({ name, prefix, region, partition, accountId, tags, prod }, opts);
  const targetIndex = plan.fleet.targets.indexOf(target);
  const network = fleetNetwork(
    {
      name,
      prefix,
      region,
      accountId,
      octet: Math.max(targetIndex, 0),
      zones: plan.tier.name === "small" || plan.fleet.environment === "dev" ? 2 : 3,
      singleNat: plan.tier.natGateways === "single" || plan.environment.singleNat,
      tags,
      key,
      logRetentionDays: plan.logRetentionDays,
      provider,
    },
    scope,
  );
  const topic = alarmTopic({ name, prefix, accountId, key, tags, emails: plan.fleet.observability.alertEmails }, opts);
  const firstAws = plan.fleet.targets.findIndex((t) => RUNTIME_CLOUD[t.runtime] === "aws");
  if (firstAws === targetIndex) fleetBudget(`${name}-budget`, plan, prefix, topic, opts);
  const edge = fleetEdge(name, prefix, plan, network, provider, scope);
  const leaseTable = plan.agents.some((a) => a.scaling.activePassive)
    ? new dynamodb.Table(
        `${name}-leases`,
        {
          name: awsName([prefix, "leases"], NAME_LIMITS.dynamodbTable),
          billingMode: "PAY_PER_REQUEST",
          hashKey: "lease",
          attributes: [{ name: "lease", type: "S" }],
          ttl: { attributeName: "expiresAt", enabled: true },
          pointInTimeRecovery: { enabled: true },
          serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
          deletionProtectionEnabled: true,
          tags: awsTags(tags, `${prefix}-leases`),
        },
        opts,
      )
    : undefined;
  return {
    runtime,
    provider,
    region,
    partition,
    accountId,
    prefix,
    key,
    network,
    alarmTopic: topic,
    logRetentionDays: plan.logRetentionDays,
    ...(edge ? { edge } : {}),
    ...(leaseTable ? { leaseTable } : {}),
  };
}
