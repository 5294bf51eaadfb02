import * as logging from "@pulumi/gcp/logging";
import * as pulumi from "@pulumi/pulumi";
import { gcpName, GCP_NAME_LIMITS } from "./names";

export interface LogBucketArgs {
  readonly name: string;
  readonly prefix: string;
  readonly project: string;
  readonly region: string;
  readonly retentionDays: number;
  /** Log filter that selects the fleet's logs. */
  readonly filter: string;
}

/**
 * A regional log bucket with the environment's retention (7, 14 or 30 days) and
 * a project sink that routes the fleet's logs into it. The sink writes into a
 * bucket of the same project, so its writer identity needs no grant. Cloud
 * Logging's own CMEK is a per-project setting (not set here): the bucket uses
 * Google-managed encryption.
 */
export function fleetLogBucket(args: LogBucketArgs, opts: pulumi.CustomResourceOptions): pulumi.Output<string> {
  const bucketId = gcpName([args.prefix, args.region, "agents"], GCP_NAME_LIMITS.logBucket);
  const bucket = new logging.ProjectBucketConfig(
    `${args.name}-logs`,
    { project: args.project, location: args.region, bucketId, retentionDays: args.retentionDays, description: `microagents ${args.prefix} agents' logs`, locked: false },
    opts,
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
