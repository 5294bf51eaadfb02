import type * as pulumi from "@pulumi/pulumi";
import type { FailoverPair } from "../plan/topology";
import type { FleetPlan } from "../plan/types";
import type { Fleet } from "../spec/types";
import { failoverEntrySettings, type FailoverEntrySettings } from "./aws/failover-shape";
import { azureEntrySettings, type AzureEntrySettings } from "./azure/failover-shape";
import { gcpFailoverEntrySettings, type GcpFailoverEntrySettings } from "./gcp/failover-shape";
import type { GatewayScope } from "./target";

/**
 * The medium tier's failover entry on whichever cloud the fleet's pair is on
 * (lib/plan/topology.ts failoverPair): each cloud's own settings resolver, checked
 * before any resource, and its entry, loaded on use so a fleet never loads another
 * cloud's SDK. AWS: Route 53 failover records (aws/failover.ts); Azure: Front Door
 * priority origins (azure/failover.ts); GCP: a Cloud DNS primary-backup record
 * (gcp/failover.ts).
 */

/** Where an entry's host name and zone come from when the fleet does not say (Pulumi config, or a zone the program computes). */
export interface PairEntryConfig {
  readonly hostname?: string;
  /** Route 53 hosted zone (AWS). */
  readonly hostedZoneId?: pulumi.Input<string>;
  /** Azure DNS zone resource id (Azure). */
  readonly azureDnsZoneId?: string;
  /** Cloud DNS managed zone name (GCP). */
  readonly dnsZone?: pulumi.Input<string>;
}

export type PairEntrySettings =
  | { readonly cloud: "aws"; readonly settings: FailoverEntrySettings<pulumi.Input<string>> }
  | { readonly cloud: "azure"; readonly settings: AzureEntrySettings }
  | { readonly cloud: "gcp"; readonly settings: GcpFailoverEntrySettings<pulumi.Input<string>> };

/** The pair's entry settings, or every problem at once (MicroAgentsConfigError). */
export function pairEntrySettings(pair: FailoverPair, fleet: Fleet, config: PairEntryConfig): PairEntrySettings {
  switch (pair.cloud) {
    case "aws":
      return { cloud: "aws", settings: failoverEntrySettings<pulumi.Input<string>>(fleet, { hostname: config.hostname, hostedZoneId: config.hostedZoneId }) };
    case "azure":
      return { cloud: "azure", settings: azureEntrySettings(fleet, { hostname: config.hostname, azureDnsZoneId: config.azureDnsZoneId }) };
    case "gcp":
      return { cloud: "gcp", settings: gcpFailoverEntrySettings<pulumi.Input<string>>(fleet, { hostname: config.hostname, dnsZone: config.dnsZone }) };
  }
}

/** The entry in front of the pair's two gateways. */
export function pairEntry(name: string, plan: FleetPlan, entry: PairEntrySettings, primary: GatewayScope, backup: GatewayScope, opts: pulumi.ComponentResourceOptions): { readonly url: pulumi.Output<string> } {
  switch (entry.cloud) {
    case "aws": {
      const { AwsFailoverEntry } = require("./aws/failover") as typeof import("./aws/failover");
      return new AwsFailoverEntry(name, { plan, settings: entry.settings, primary, backup }, opts);
    }
    case "azure": {
      const { AzureFailoverEntry } = require("./azure/failover") as typeof import("./azure/failover");
      return new AzureFailoverEntry(name, { plan, settings: entry.settings, primary, backup }, opts);
    }
    case "gcp": {
      const { GcpFailoverEntry } = require("./gcp/failover") as typeof import("./gcp/failover");
      return new GcpFailoverEntry(name, { plan, settings: entry.settings, primary, backup }, opts);
    }
  }
}
