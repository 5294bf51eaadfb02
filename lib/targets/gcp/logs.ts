import type * as kms from "@pulumi/gcp/kms";
import * as logging from "@pulumi/gcp/logging";
import * as pulumi from "@pulumi/pulumi";
import { keyGrant } from "./kms";
import { gcpName, GCP_NAME_LIMITS } from "./names";

export interface LogBucketArgs {
  readonly name: string;
  readonly prefix: string;
  readonly project: string;
  readonly region: string;
  readonly retentionDays: number;
  /** Log filter that selects the fleet's logs. */
  readonly filter: string;
  /** The fleet key of the bucket's region (a log bucket's key must be in the bucket's location). */
  readonly key: kms.CryptoKey;
}

/**
 * A regional log bucket with the environment's retention (7, 14 or 30 days) and
 * a project sink that routes the fleet's logs into it. The sink writes into a
 * bucket of the same project, so its writer identity needs no grant. The bucket
 * is encrypted with the fleet key (`cmekSettings`): the project's Logging service
 * agent, as `getProjectCmekSettings` names it, may use that key alone, granted
 * before the bucket is created. A bucket's CMEK cannot be changed or removed
 * once it is created (cloud.google.com/logging/docs/routing/managed-encryption-storage).
 */
export function fleetLogBucket(args: LogBucketArgs, opts: pulumi.CustomResourceOptions): pulumi.Output<string> {
  const bucketId = gcpName([args.prefix, args.region, "agents"], GCP_NAME_LIMITS.logBucket);
  const loggingAgent = logging.getProjectCmekSettingsOutput({ project: args.project }, opts).serviceAccountId;
  const grant = keyGrant(`${args.name}-key-logging`, args.key, pulumi.interpolate`serviceAccount:${loggingAgent}`, opts);
  const bucket = new logging.ProjectBucketConfig(
    `${args.name}-logs`,
    { project: args.project, location: args.region, bucketId, retentionDays: args.retentionDays, description: `microagents ${args.prefix} agents' logs`, locked: false, cmekSettings: { kmsKeyName: args.key.id } },
    { ...opts, dependsOn: [grant] },
  );
  new logging.ProjectSink(
    `${args.name}-logs`,
    {
      name: gcpName([args.prefix, args.region, "agents"], GCP_NAME_LIMITS.logBucket),
      destination: pulumi.interpolate`logging.googleapis.com/${bucket.id}`,
      filter: args.filter,
      uniqueWriterIdentity: true,
      description: `Routes fleet ${args.prefix}'s logs to its bucket`,
    },
    opts,
  );
  return bucket.id;
}
