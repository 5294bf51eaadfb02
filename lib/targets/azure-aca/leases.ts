import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import type { AzureLanding } from "../azure/landing";
import { globalName } from "../azure/names";
import { privateEndpoint } from "../azure/private-link";

/**
 * Leader election for active-passive agents on Container Apps, which has none of
 * its own: both replicas run, and only the holder of a blob lease (60 s, renewed)
 * on `leases/<agent>` works the queue. A storage account with shared keys, public
 * blobs and plain HTTP off, TLS 1.2, soft delete on, private in prod; each
 * active-passive agent may write its own lease blob only (role scoped to the container).
 */
export function leaseStore(owner: object, name: string, landing: AzureLanding, opts: pulumi.CustomResourceOptions) {
  const account = new storage.StorageAccount(
    `${name}-leases`,
    {
      resourceGroupName: landing.resourceGroupName,
      location: landing.location,
      // 3-24 lowercase letters and digits, globally unique.
      accountName: globalName("lease", landing.prefix, landing.location, 24).replace(/-/g, ""),
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      accessTier: "Hot",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      allowCrossTenantReplication: false,
      publicNetworkAccess: landing.privateNetworking ? "Disabled" : "Enabled",
      networkRuleSet: { defaultAction: landing.privateNetworking ? "Deny" : "Allow", bypass: "AzureServices" },
      tags: { ...landing.tags },
    },
    opts,
  );
  new storage.BlobServiceProperties(
    `${name}-leases`,
    { resourceGroupName: landing.resourceGroupName, accountName: account.name, blobServicesName: "default", deleteRetentionPolicy: { enabled: true, days: 7 }, containerDeleteRetentionPolicy: { enabled: true, days: 7 } },
    opts,
  );
  const container = new storage.BlobContainer(`${name}-leases`, { resourceGroupName: landing.resourceGroupName, accountName: account.name, containerName: "leases", publicAccess: "None" }, opts);
  if (landing.privateNetworking) privateEndpoint(owner, `${name}-leases`, landing, { id: account.id, group: "blob" }, opts);
  return { account, container, url: pulumi.interpolate`https://${account.name}.blob.core.windows.net/leases` };
}
