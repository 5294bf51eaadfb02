import type * as app from "@pulumi/azure-native/app";
import type * as storage from "@pulumi/azure-native/storage";
import type * as pulumi from "@pulumi/pulumi";
import { Registry } from "../target";
import type { PlatformScope } from "../target";

/** What the Container Apps platform adds to the shared Azure landing. */
export interface AcaLanding {
  readonly environment: app.ManagedEnvironment;
  readonly environmentId: pulumi.Output<string>;
  /** The environment's private DNS suffix: agents are `https://<app>.<domain>` inside the VNet. */
  readonly defaultDomain: pulumi.Output<string>;
  /** Workload profile per GPU pool (serverless GPU profiles declared with the environment). */
  readonly gpuProfiles: ReadonlyMap<string, string>;
  /** Blob container of the leader leases of active-passive agents (present when the fleet has one). */
  readonly leases?: { readonly account: storage.StorageAccount; readonly container: storage.BlobContainer; readonly url: pulumi.Output<string> };
}

export const acaLandings = new Registry<PlatformScope, AcaLanding>("PlatformScope");
