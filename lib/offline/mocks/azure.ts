import { createHash } from "node:crypto";
import type { InvokeMock } from "../invokes";
import type { MockContext, OutputRule } from "./common";
import { AZURE_SUBSCRIPTION, suffix } from "./common";

/**
 * Provider-computed outputs for azure-native resources: ARM resource ids built from
 * the resource group and names, the physical name (the input name, else the
 * logical name with a suffix, as auto-naming does), and what a type computes
 * (identity principal and client ids, vault URI, environment domain, workspace id,
 * App Insights connection string...).
 */

export const AZURE_TENANT = "11111111-1111-4111-8111-111111111111";

function uuid(ctx: Pick<MockContext, "type" | "name">, salt = ""): string {
  const h = createHash("sha256").update(`${ctx.type}::${ctx.name}::${salt}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const s = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
const rec = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

interface ArmShape {
  /** Input holding the physical name. */
  readonly nameKey: string;
  /** `Microsoft.X/type` under the resource group, or a path under a parent built from inputs. */
  readonly path: (ctx: MockContext, name: string) => string;
  readonly extra?: (ctx: MockContext, name: string, id: string) => Record<string, unknown>;
}

const rgId = (ctx: MockContext) => `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/${s(ctx.inputs.resourceGroupName) ?? "rg"}`;
const under = (type: string) => (ctx: MockContext, name: string) => `${rgId(ctx)}/providers/${type}/${name}`;
const nested = (type: string, parents: ReadonlyArray<[string, string]>) => (ctx: MockContext, name: string) =>
  `${rgId(ctx)}/providers/${type}/${parents.map(([key, seg]) => `${s(ctx.inputs[key]) ?? key}/${seg}`).join("/")}/${name}`;

const SHAPES: Readonly<Record<string, ArmShape>> = {
  "azure-native:resources:ResourceGroup": { nameKey: "resourceGroupName", path: (_ctx, name) => `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/${name}` },
  "azure-native:network:VirtualNetwork": { nameKey: "virtualNetworkName", path: under("Microsoft.Network/virtualNetworks") },
  "azure-native:network:Subnet": { nameKey: "subnetName", path: nested("Microsoft.Network/virtualNetworks", [["virtualNetworkName", "subnets"]]) },
  "azure-native:network:NatGateway": { nameKey: "natGatewayName", path: under("Microsoft.Network/natGateways") },
  "azure-native:network:PublicIPAddress": {
    nameKey: "publicIpAddressName",
    path: under("Microsoft.Network/publicIPAddresses"),
    extra: (ctx) => ({ ipAddress: `20.${parseInt(suffix(ctx).slice(0, 2), 16)}.${parseInt(suffix(ctx).slice(2, 4), 16)}.${parseInt(suffix(ctx).slice(4, 6), 16)}` }),
  },
  "azure-native:network:PrivateEndpoint": { nameKey: "privateEndpointName", path: under("Microsoft.Network/privateEndpoints") },
  "azure-native:network:PrivateDnsZoneGroup": { nameKey: "privateDnsZoneGroupName", path: nested("Microsoft.Network/privateEndpoints", [["privateEndpointName", "privateDnsZoneGroups"]]) },
  "azure-native:privatedns:PrivateZone": { nameKey: "privateZoneName", path: under("Microsoft.Network/privateDnsZones") },
  "azure-native:privatedns:VirtualNetworkLink": { nameKey: "virtualNetworkLinkName", path: nested("Microsoft.Network/privateDnsZones", [["privateZoneName", "virtualNetworkLinks"]]) },
  "azure-native:keyvault:Vault": {
    nameKey: "vaultName",
    path: under("Microsoft.KeyVault/vaults"),
    extra: (ctx, name) => ({ properties: { ...rec(ctx.inputs.properties), vaultUri: `https://${name}.vault.azure.net/` } }),
  },
  "azure-native:keyvault:Key": {
    nameKey: "keyName",
    path: nested("Microsoft.KeyVault/vaults", [["vaultName", "keys"]]),
    extra: (ctx, name) => {
      const uri = `https://${s(ctx.inputs.vaultName) ?? "vault"}.vault.azure.net/keys/${name}`;
      return { keyUri: uri, keyUriWithVersion: `${uri}/${suffix(ctx)}${suffix({ type: ctx.type, name: `${ctx.name}-v` })}` };
    },
  },
  "azure-native:managedidentity:UserAssignedIdentity": {
    nameKey: "resourceName",
    path: under("Microsoft.ManagedIdentity/userAssignedIdentities"),
    extra: (ctx) => ({ principalId: uuid(ctx, "principal"), clientId: uuid(ctx, "client"), tenantId: AZURE_TENANT }),
  },
  "azure-native:managedidentity:FederatedIdentityCredential": {
    nameKey: "federatedIdentityCredentialResourceName",
    path: nested("Microsoft.ManagedIdentity/userAssignedIdentities", [["resourceName", "federatedIdentityCredentials"]]),
  },
  "azure-native:authorization:RoleAssignment": {
    nameKey: "roleAssignmentName",
    path: (ctx, name) => `${s(ctx.inputs.scope) ?? ""}/providers/Microsoft.Authorization/roleAssignments/${name}`,
  },
  "azure-native:operationalinsights:Workspace": { nameKey: "workspaceName", path: under("Microsoft.OperationalInsights/workspaces"), extra: (ctx) => ({ customerId: uuid(ctx, "customer") }) },
  "azure-native:applicationinsights:Component": {
    nameKey: "resourceName",
    path: under("Microsoft.Insights/components"),
    extra: (ctx, name) => {
      const key = uuid(ctx, "ikey");
      return { instrumentationKey: key, appId: uuid(ctx, "app"), connectionString: `InstrumentationKey=${key};IngestionEndpoint=https://offline.in.applicationinsights.azure.com/;ApplicationId=${name}` };
    },
  },
  "azure-native:monitor:ActionGroup": { nameKey: "actionGroupName", path: under("Microsoft.Insights/actionGroups") },
  "azure-native:monitor:DiagnosticSetting": { nameKey: "name", path: (ctx, name) => `${s(ctx.inputs.resourceUri) ?? ""}/providers/Microsoft.Insights/diagnosticSettings/${name}` },
  "azure-native:monitor:MetricAlert": { nameKey: "ruleName", path: under("Microsoft.Insights/metricAlerts") },
  "azure-native:monitor:ScheduledQueryRule": { nameKey: "ruleName", path: under("Microsoft.Insights/scheduledQueryRules") },
  "azure-native:alertsmanagement:PrometheusRuleGroup": { nameKey: "ruleGroupName", path: under("Microsoft.AlertsManagement/prometheusRuleGroups") },
  "azure-native:applicationinsights:Workbook": { nameKey: "resourceName", path: under("Microsoft.Insights/workbooks"), extra: (ctx) => ({ displayName: s(ctx.inputs.displayName) ?? "" }) },
  "azure-native:monitor:AzureMonitorWorkspace": {
    nameKey: "azureMonitorWorkspaceName",
    path: under("Microsoft.Monitor/accounts"),
    extra: (ctx, name) => ({ metrics: { prometheusQueryEndpoint: `https://${name}.${s(ctx.inputs.location) ?? "westeurope"}.prometheus.monitor.azure.com`, internalId: uuid(ctx, "amw") } }),
  },
  "azure-native:monitor:DataCollectionEndpoint": { nameKey: "dataCollectionEndpointName", path: under("Microsoft.Insights/dataCollectionEndpoints") },
  "azure-native:monitor:DataCollectionRule": { nameKey: "dataCollectionRuleName", path: under("Microsoft.Insights/dataCollectionRules") },
  "azure-native:monitor:DataCollectionRuleAssociation": { nameKey: "associationName", path: (ctx, name) => `${s(ctx.inputs.resourceUri) ?? ""}/providers/Microsoft.Insights/dataCollectionRuleAssociations/${name}` },
  "azure-native:consumption:Budget": { nameKey: "budgetName", path: (ctx, name) => `${s(ctx.inputs.scope) ?? ""}/providers/Microsoft.Consumption/budgets/${name}` },
  "azure-native:servicebus:Namespace": {
    nameKey: "namespaceName",
    path: under("Microsoft.ServiceBus/namespaces"),
    extra: (_ctx, name) => ({ serviceBusEndpoint: `https://${name}.servicebus.windows.net:443/` }),
  },
  "azure-native:servicebus:Queue": { nameKey: "queueName", path: nested("Microsoft.ServiceBus/namespaces", [["namespaceName", "queues"]]) },
  "azure-native:servicebus:Topic": { nameKey: "topicName", path: nested("Microsoft.ServiceBus/namespaces", [["namespaceName", "topics"]]) },
  "azure-native:servicebus:Subscription": { nameKey: "subscriptionName", path: nested("Microsoft.ServiceBus/namespaces", [["namespaceName", "topics"], ["topicName", "subscriptions"]]) },
  "azure-native:servicebus:Rule": { nameKey: "ruleName", path: nested("Microsoft.ServiceBus/namespaces", [["namespaceName", "topics"], ["topicName", "subscriptions"], ["subscriptionName", "rules"]]) },
  "azure-native:storage:StorageAccount": {
    nameKey: "accountName",
    path: under("Microsoft.Storage/storageAccounts"),
    extra: (_ctx, name) => ({ primaryEndpoints: { blob: `https://${name}.blob.core.windows.net/` } }),
  },
  "azure-native:storage:BlobServiceProperties": { nameKey: "blobServicesName", path: nested("Microsoft.Storage/storageAccounts", [["accountName", "blobServices"]]) },
  "azure-native:storage:BlobContainer": { nameKey: "containerName", path: nested("Microsoft.Storage/storageAccounts", [["accountName", "blobServices/default/containers"]]) },
  "azure-native:app:ManagedEnvironment": {
    nameKey: "environmentName",
    path: under("Microsoft.App/managedEnvironments"),
    extra: (ctx, name) => ({ defaultDomain: `${name}.${suffix(ctx)}.${s(ctx.inputs.location) ?? "westeurope"}.azurecontainerapps.io`, staticIp: "10.0.0.250" }),
  },
  "azure-native:app:ContainerApp": {
    nameKey: "containerAppName",
    path: under("Microsoft.App/containerApps"),
    extra: (ctx, name) => ({ latestRevisionName: `${name}--${suffix(ctx)}`, outboundIpAddresses: [] }),
  },
  "azure-native:containerservice:ManagedCluster": {
    nameKey: "resourceName",
    path: under("Microsoft.ContainerService/managedClusters"),
    extra: (ctx, name) => ({
      fqdn: `${name}-${suffix(ctx)}.hcp.${s(ctx.inputs.location) ?? "westeurope"}.azmk8s.io`,
      privateFQDN: `${name}-${suffix(ctx)}.privatelink.${s(ctx.inputs.location) ?? "westeurope"}.azmk8s.io`,
      oidcIssuerProfile: { ...rec(ctx.inputs.oidcIssuerProfile), issuerURL: `https://${s(ctx.inputs.location) ?? "westeurope"}.oic.prod-aks.azure.com/${AZURE_TENANT}/${uuid(ctx, "oidc")}/` },
      identityProfile: { kubeletidentity: { clientId: uuid(ctx, "kubelet-client"), objectId: uuid(ctx, "kubelet-object"), resourceId: `${rgId(ctx)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}-agentpool` } },
      nodeResourceGroup: `MC_${s(ctx.inputs.resourceGroupName) ?? "rg"}_${name}_${s(ctx.inputs.location) ?? "westeurope"}`,
    }),
  },
  "azure-native:containerservice:AgentPool": { nameKey: "agentPoolName", path: nested("Microsoft.ContainerService/managedClusters", [["resourceName", "agentPools"]]) },
  // API Management (the gateway) and Front Door (public gateways, failover and global entries).
  "azure-native:apimanagement:ApiManagementService": {
    nameKey: "serviceName",
    path: under("Microsoft.ApiManagement/service"),
    extra: (ctx, name) => ({
      gatewayUrl: `https://${name}.azure-api.net`,
      identity: { ...rec(ctx.inputs.identity), principalId: uuid(ctx, "principal"), tenantId: AZURE_TENANT },
      privateIPAddresses: ["10.40.12.4"],
      publicIPAddresses: [`20.${parseInt(suffix(ctx).slice(0, 2), 16)}.${parseInt(suffix(ctx).slice(2, 4), 16)}.7`],
    }),
  },
  "azure-native:apimanagement:Api": { nameKey: "apiId", path: nested("Microsoft.ApiManagement/service", [["serviceName", "apis"]]) },
  "azure-native:apimanagement:ApiOperation": { nameKey: "operationId", path: nested("Microsoft.ApiManagement/service", [["serviceName", "apis"], ["apiId", "operations"]]) },
  "azure-native:apimanagement:ApiPolicy": { nameKey: "policyId", path: nested("Microsoft.ApiManagement/service", [["serviceName", "apis"], ["apiId", "policies"]]) },
  "azure-native:apimanagement:Policy": { nameKey: "policyId", path: nested("Microsoft.ApiManagement/service", [["serviceName", "policies"]]) },
  "azure-native:apimanagement:Backend": { nameKey: "backendId", path: nested("Microsoft.ApiManagement/service", [["serviceName", "backends"]]) },
  "azure-native:apimanagement:GlobalSchema": { nameKey: "schemaId", path: nested("Microsoft.ApiManagement/service", [["serviceName", "schemas"]]) },
  "azure-native:apimanagement:Tag": { nameKey: "tagId", path: nested("Microsoft.ApiManagement/service", [["serviceName", "tags"]]) },
  "azure-native:apimanagement:TagByApi": { nameKey: "tagId", path: nested("Microsoft.ApiManagement/service", [["serviceName", "apis"], ["apiId", "tags"]]) },
  "azure-native:network:NetworkSecurityGroup": { nameKey: "networkSecurityGroupName", path: under("Microsoft.Network/networkSecurityGroups") },
  "azure-native:privatedns:PrivateRecordSet": {
    nameKey: "relativeRecordSetName",
    path: (ctx, name) => `${rgId(ctx)}/providers/Microsoft.Network/privateDnsZones/${s(ctx.inputs.privateZoneName) ?? "zone"}/${s(ctx.inputs.recordType) ?? "A"}/${name}`,
  },
  "azure-native:dns:RecordSet": {
    nameKey: "relativeRecordSetName",
    path: (ctx, name) => `${rgId(ctx)}/providers/Microsoft.Network/dnszones/${s(ctx.inputs.zoneName) ?? "zone"}/${s(ctx.inputs.recordType) ?? "A"}/${name}`,
    extra: (ctx, name) => ({ fqdn: `${name}.${s(ctx.inputs.zoneName) ?? "zone"}.` }),
  },
  "azure-native:frontdoor:Policy": { nameKey: "policyName", path: under("Microsoft.Network/frontDoorWebApplicationFirewallPolicies") },
  "azure-native:cdn:Profile": { nameKey: "profileName", path: under("Microsoft.Cdn/profiles"), extra: (ctx) => ({ frontDoorId: uuid(ctx, "fdid") }) },
  "azure-native:cdn:AFDEndpoint": {
    nameKey: "endpointName",
    path: nested("Microsoft.Cdn/profiles", [["profileName", "afdEndpoints"]]),
    extra: (ctx, name) => ({ hostName: `${name}-${suffix(ctx).slice(0, 8)}.z01.azurefd.net` }),
  },
  "azure-native:cdn:AFDOriginGroup": { nameKey: "originGroupName", path: nested("Microsoft.Cdn/profiles", [["profileName", "originGroups"]]) },
  "azure-native:cdn:AFDOrigin": { nameKey: "originName", path: nested("Microsoft.Cdn/profiles", [["profileName", "originGroups"], ["originGroupName", "origins"]]) },
  "azure-native:cdn:Route": { nameKey: "routeName", path: nested("Microsoft.Cdn/profiles", [["profileName", "afdEndpoints"], ["endpointName", "routes"]]) },
  "azure-native:cdn:SecurityPolicy": { nameKey: "securityPolicyName", path: nested("Microsoft.Cdn/profiles", [["profileName", "securityPolicies"]]) },
  "azure-native:cdn:AFDCustomDomain": {
    nameKey: "customDomainName",
    path: nested("Microsoft.Cdn/profiles", [["profileName", "customDomains"]]),
    extra: (ctx) => ({ validationProperties: { validationToken: suffix(ctx).repeat(4).slice(0, 32), expirationDate: "2027-01-01T00:00:00Z" }, domainValidationState: "Pending" }),
  },
  "azure-native:cosmosdb:DatabaseAccount": {
    nameKey: "accountName",
    path: under("Microsoft.DocumentDB/databaseAccounts"),
    extra: (_ctx, name) => ({ documentEndpoint: `https://${name}.documents.azure.com:443/` }),
  },
  "azure-native:cosmosdb:SqlResourceSqlDatabase": { nameKey: "databaseName", path: nested("Microsoft.DocumentDB/databaseAccounts", [["accountName", "sqlDatabases"]]) },
  "azure-native:cosmosdb:SqlResourceSqlContainer": { nameKey: "containerName", path: nested("Microsoft.DocumentDB/databaseAccounts", [["accountName", "sqlDatabases"], ["databaseName", "containers"]]) },
  "azure-native:cosmosdb:SqlResourceSqlRoleAssignment": { nameKey: "roleAssignmentId", path: nested("Microsoft.DocumentDB/databaseAccounts", [["accountName", "sqlRoleAssignments"]]) },
  "azure-native:redisenterprise:RedisEnterprise": {
    nameKey: "clusterName",
    path: under("Microsoft.Cache/redisEnterprise"),
    extra: (ctx, name) => ({ hostName: `${name}.${s(ctx.inputs.location) ?? "westeurope"}.redis.azure.net` }),
  },
  "azure-native:redisenterprise:Database": { nameKey: "databaseName", path: nested("Microsoft.Cache/redisEnterprise", [["clusterName", "databases"]]) },
  "azure-native:redisenterprise:AccessPolicyAssignment": {
    nameKey: "accessPolicyAssignmentName",
    path: nested("Microsoft.Cache/redisEnterprise", [["clusterName", "databases"], ["databaseName", "accessPolicyAssignments"]]),
  },
  "azure-native:dbforpostgresql:Server": {
    nameKey: "serverName",
    path: under("Microsoft.DBforPostgreSQL/flexibleServers"),
    extra: (_ctx, name) => ({ fullyQualifiedDomainName: `${name}.postgres.database.azure.com` }),
  },
  "azure-native:dbforpostgresql:Configuration": { nameKey: "configurationName", path: nested("Microsoft.DBforPostgreSQL/flexibleServers", [["serverName", "configurations"]]) },
  "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra": { nameKey: "objectId", path: nested("Microsoft.DBforPostgreSQL/flexibleServers", [["serverName", "administrators"]]) },
  "azure-native:dbforpostgresql:Database": { nameKey: "databaseName", path: nested("Microsoft.DBforPostgreSQL/flexibleServers", [["serverName", "databases"]]) },
  "azure-native:authorization:ManagementLockByScope": { nameKey: "lockName", path: (ctx, name) => `${s(ctx.inputs.scope) ?? ""}/providers/Microsoft.Authorization/locks/${name}` },
};

function armOutputs(type: string, shape: ArmShape) {
  return (ctx: MockContext) => {
    const name = s(ctx.inputs[shape.nameKey]) ?? (type === "azure-native:authorization:RoleAssignment" ? uuid(ctx) : `${ctx.name}${suffix(ctx).slice(0, 6)}`);
    const id = shape.path(ctx, name);
    return { id, state: { name, [shape.nameKey]: name, ...(shape.extra ? shape.extra(ctx, name, id) : {}) } };
  };
}

const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const azureRules: ReadonlyArray<OutputRule> = [
  { match: /^pulumi:providers:azure-native$/, outputs: (ctx) => ({ id: `${ctx.name}-${suffix(ctx)}`, state: {} }) },
  ...Object.entries(SHAPES).map(([type, shape]) => ({ match: new RegExp(`^${escape(type)}$`), outputs: armOutputs(type, shape) })),
  // Any other azure-native resource: an ARM-shaped id under its resource group, and its name.
  {
    match: /^azure-native:/,
    outputs: (ctx: MockContext) => {
      const name = `${ctx.name}${suffix(ctx).slice(0, 6)}`;
      return { id: `${rgId(ctx)}/providers/Microsoft.Offline/${ctx.type.split(":").pop() ?? "resource"}/${name}`, state: { name } };
    },
  },
];

/** The Azure functions the targets call: the deployer's tenant and subscription. */
export const azureInvokes: Readonly<Record<string, InvokeMock>> = {
  "azure-native:authorization:getClientConfig": () => ({ clientId: "22222222-2222-4222-8222-222222222222", objectId: "33333333-3333-4333-8333-333333333333", subscriptionId: AZURE_SUBSCRIPTION, tenantId: AZURE_TENANT }),
  // The user kubeconfig of an Entra-only cluster: kubelogin exchanges the deployer's Azure CLI login (format `exec`).
  "azure-native:containerservice:listManagedClusterUserCredentials": (inputs) => {
    const cluster = s(inputs.resourceName) ?? "cluster";
    const server = `https://${cluster}.privatelink.offline.azmk8s.io:443`;
    const kubeconfig = [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{name: ${cluster}, cluster: {server: "${server}", certificate-authority-data: "T0ZGTElORQ=="}}]`,
      `contexts: [{name: ${cluster}, context: {cluster: ${cluster}, user: clusterUser}}]`,
      `current-context: ${cluster}`,
      "users: [{name: clusterUser, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: kubelogin, args: [get-token, --login, azurecli, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]}}}]",
    ].join("\n");
    return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(kubeconfig).toString("base64") }] };
  },
};
