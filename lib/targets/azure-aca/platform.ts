import * as app from "@pulumi/azure-native/app";
import * as monitor from "@pulumi/azure-native/monitor";
import type { PlatformOutputs, PlatformScope } from "../target";
import { azureFoundation } from "../azure/foundation";
import { azureLandings, childOpts } from "../azure/landing";
import { AZURE_NAME_LIMITS, azureName } from "../azure/names";
import { acaLandings } from "./landing";
import { leaseStore } from "./leases";
import { acaIssues, dedicatedProfiles, SERVERLESS_GPU_PROFILES } from "./sizing";

/**
 * The Azure foundation plus a workload-profiles Container Apps environment on the
 * VNet: internal only (no public IP, public network access off), logs to the
 * workspace through a diagnostic setting (no shared key), mTLS between apps, zone
 * redundant in prod, and every profile declared up front: Consumption, the
 * serverless GPU profile of each GPU pool (no counts: ARM rejects them on
 * consumption profiles; GPU profiles cannot be added later), and Dedicated profiles
 * for agents past 4 vCPU / 8 GiB.
 */
export function acaPlatform(scope: PlatformScope): PlatformOutputs {
  const landing = azureFoundation(scope, "aca", acaIssues(scope.plan, scope.target.region));
  const { plan } = scope;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const gpuProfiles = new Map<string, string>();
  const profiles: Array<{ name: string; workloadProfileType: string; minimumCount?: number; maximumCount?: number }> = [{ name: "Consumption", workloadProfileType: "Consumption" }];
  for (const pool of plan.gpuPools) {
    const gpu = SERVERLESS_GPU_PROFILES[pool.accelerator];
    if (!gpu) continue;
    gpuProfiles.set(pool.name, gpu.name);
    if (!profiles.some((p) => p.name === gpu.name)) profiles.push({ name: gpu.name, workloadProfileType: gpu.type });
  }
  profiles.push(...dedicatedProfiles(plan));
  const prod = plan.fleet.environment === "prod";
  const environment = new app.ManagedEnvironment(
    `${name}-env`,
    {
      resourceGroupName: landing.resourceGroupName,
      location: landing.location,
      environmentName: azureName([landing.prefix, "agents"], AZURE_NAME_LIMITS.managedEnvironment),
      workloadProfiles: profiles,
      vnetConfiguration: { infrastructureSubnetId: landing.network.workloadSubnetId, internal: true },
      publicNetworkAccess: "Disabled",
      appLogsConfiguration: { destination: "azure-monitor" },
      peerTrafficConfiguration: { encryption: { enabled: true } },
      zoneRedundant: prod,
      tags: { ...landing.tags },
    },
    opts,
  );
  new monitor.DiagnosticSetting(
    `${name}-env-logs`,
    {
      name: "to-log-analytics",
      resourceUri: environment.id,
      workspaceId: landing.workspace.id,
      logAnalyticsDestinationType: "Dedicated",
      logs: [{ categoryGroup: "allLogs", enabled: true }],
      metrics: [{ category: "AllMetrics", enabled: true }],
    },
    opts,
  );
  const leases = plan.agents.some((a) => a.scaling.activePassive) ? leaseStore(scope, name, landing, opts) : undefined;
  azureLandings.set(scope, landing);
  acaLandings.set(scope, { environment, environmentId: environment.id, defaultDomain: environment.defaultDomain, gpuProfiles, ...(leases ? { leases } : {}) });
  return {
    environmentName: environment.name,
    extra: { resourceGroup: landing.resourceGroupName, environmentId: environment.id, vaultUri: landing.vaultUri, workspaceId: landing.workspace.id, location: landing.location },
  };
}
