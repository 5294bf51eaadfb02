import type * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import { gcpName, GCP_NAME_LIMITS } from "../gcp/names";
import { Registry } from "../target";
import type { PlatformScope } from "../target";

/** What the Cloud Run platform adds to the shared GCP landing. */
export interface RunLanding {
  /** The account push subscriptions sign their OIDC tokens as; it may invoke the fleet's services and nothing else. */
  readonly invoker: serviceaccount.Account;
  readonly invokerMember: pulumi.Output<string>;
  /** The grant that lets the Pub/Sub service agent mint the invoker's tokens. */
  readonly tokenGrant: pulumi.Resource;
  /** The Cloud Run service agent's grant on the fleet key, which services encrypted with it wait for. */
  readonly keyGrant: pulumi.Resource;
}

export const runLandings = new Registry<PlatformScope, RunLanding>("PlatformScope");

/** A Cloud Run service's name: `<fleet>-<env>-<agent>`, at most 49 characters. */
export function runServiceName(prefix: string, agent: string): string {
  return gcpName([prefix, agent], GCP_NAME_LIMITS.runService);
}

/** The audience push tokens carry, set as the service's custom audience. */
export function pushAudience(prefix: string, agent: string): string {
  return `microagents/${prefix}/${agent}`;
}

/** Cloud Run's deterministic URL: `https://<service>-<project number>.<region>.run.app`. */
export function runUrl(service: string, projectNumber: pulumi.Input<string>, region: string): pulumi.Output<string> {
  return pulumi.interpolate`https://${service}-${projectNumber}.${region}.run.app`;
}

