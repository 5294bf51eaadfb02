import { listManagedClusterUserCredentialsOutput } from "@pulumi/azure-native/containerservice";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as monitor from "@pulumi/azure-native/monitor";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { costLabels, REGION_ANNOTATION } from "../../plan/tags";
import { invalidProp } from "../../spec/errors";
import type { PlatformOutputs, PlatformScope } from "../target";
import { azureFoundation } from "../azure/foundation";
import { azureLandings, childOpts, type AzureLanding } from "../azure/landing";
import { AZURE_NAME_LIMITS, azureName } from "../azure/names";
import { assignRole } from "../azure/roles";
import { managedClusterDevicePlugin } from "../kubernetes/gpu-pool";
import { AKS_NETWORK, AKS_VERSION, aksSystemPool } from "./cluster-shape";
import { containerInsights } from "./container-insights";
import { FEDERATION_AUDIENCE, KEDA_OPERATOR_SUBJECT } from "./federation";
import { aksLandings, kubeOpts } from "./landing";
import { secretClasses } from "./secrets";

/** Control-plane log categories sent to the workspace (audit included). */
export const AKS_LOG_CATEGORIES = ["kube-apiserver", "kube-audit-admin", "kube-controller-manager", "cluster-autoscaler", "guard"] as const;

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * The Azure foundation plus an AKS cluster: Entra ID with Azure RBAC and local
 * accounts off, a private API server (or authorized IP ranges when
 * `clusterEndpointCidrs` are given), OIDC issuer and workload identity, the Key
 * Vault secrets CSI add-on with rotation, the KEDA add-on, Container insights and
 * managed Prometheus wired completely (Azure Monitor workspace, data collection
 * endpoint, rule and both associations), patch auto-upgrade with node-image OS
 * upgrades, Azure CNI overlay with Cilium network policy, outbound through the NAT
 * gateway, an autoscaling system pool, control-plane logs (audit included) to the
 * workspace. In the cluster: the fleet's namespace (restricted Pod Security,
 * default deny), KEDA's `azure-workload` TriggerAuthentication, the NVIDIA device
 * plugin with the pools' time-slicing or MIG configs, and a SecretProviderClass per secret.
 */
export function aksPlatform(scope: PlatformScope): PlatformOutputs {
  scope.clusterEndpointCidrs.forEach((c, i) => {
    const m = CIDR.exec(c);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) invalidProp(`clusterEndpointCidrs[${i}]`, `'${c}' is not an IPv4 CIDR`, "write it like 203.0.113.0/24");
  });
  const landing = azureFoundation(scope, "aks");
  const { plan, target } = scope;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const rg = landing.resourceGroupName;
  const clusterName = azureName([target.cluster ?? landing.prefix], AZURE_NAME_LIMITS.aksCluster);
  const prod = plan.fleet.environment === "prod";

  const controlPlane = new managedidentity.UserAssignedIdentity(`${name}-aks`, { resourceGroupName: rg, location: landing.location, resourceName: azureName([landing.prefix, "aks"], AZURE_NAME_LIMITS.identity), tags: { ...landing.tags } }, opts);
  const subnetJoin = assignRole(
    `${name}-aks-subnet`,
    { subscriptionId: landing.subscriptionId, principalId: controlPlane.principalId, role: "networkContributor", scope: landing.network.workloadSubnetId, description: "AKS control plane joins nodes to the workload subnet" },
    opts,
  );
  const kms = clusterKey(name, landing, controlPlane, opts);
  const system = aksSystemPool(plan);
  const publicCidrs = [...scope.clusterEndpointCidrs];
  const cluster = new containerservice.ManagedCluster(
    name,
    {
      resourceGroupName: rg,
      location: landing.location,
      resourceName: clusterName,
      dnsPrefix: clusterName,
      kubernetesVersion: AKS_VERSION,
      sku: { name: "Base", tier: prod ? "Standard" : "Free" },
      supportPlan: "KubernetesOfficial",
      identity: { type: "UserAssigned", userAssignedIdentities: [controlPlane.id] },
      enableRBAC: true,
      aadProfile: { managed: true, enableAzureRBAC: true, tenantID: landing.tenantId },
      disableLocalAccounts: true,
      apiServerAccessProfile: publicCidrs.length > 0 ? { enablePrivateCluster: false, authorizedIPRanges: publicCidrs } : { enablePrivateCluster: true, privateDNSZone: "system", enablePrivateClusterPublicFQDN: false },
      oidcIssuerProfile: { enabled: true },
      securityProfile: {
        workloadIdentity: { enabled: true },
        imageCleaner: { enabled: true, intervalHours: 168 },
        azureKeyVaultKms: {
          enabled: true,
          keyId: kms.key.keyUriWithVersion,
          keyVaultNetworkAccess: landing.privateNetworking ? "Private" : "Public",
          ...(landing.privateNetworking ? { keyVaultResourceId: landing.vault.id } : {}),
        },
      },
      autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
      workloadAutoScalerProfile: { keda: { enabled: true } },
      azureMonitorProfile: { metrics: { enabled: true } },
      addonProfiles: {
        azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: "true", rotationPollInterval: "2m" } },
        omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: landing.workspace.id, useAADAuth: "true" } },
      },
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkDataplane: "cilium",
        networkPolicy: "cilium",
        loadBalancerSku: "standard",
        outboundType: "userAssignedNATGateway",
        ...AKS_NETWORK,
      },
      agentPoolProfiles: [
        {
          name: "system",
          mode: "System",
          vmSize: system.vmSize,
          osType: "Linux",
          osSKU: "AzureLinux",
          osDiskType: "Managed",
          osDiskSizeGB: 64,
          enableAutoScaling: true,
          minCount: system.min,
          maxCount: system.max,
          count: system.min,
          vnetSubnetID: landing.network.workloadSubnetId,
          enableNodePublicIP: false,
          maxPods: 110,
          upgradeSettings: { maxSurge: "33%" },
          nodeLabels: { "microagents.io/node-role": "system" },
          ...(prod ? { availabilityZones: ["1", "2", "3"] } : {}),
          tags: { ...landing.tags },
        },
      ],
      tags: { ...landing.tags },
    },
    // The autoscaler moves the system pool's count; the pool list grows with AgentPool resources.
    { ...opts, dependsOn: [subnetJoin, kms.access], ignoreChanges: ["agentPoolProfiles[0].count"], protect: prod },
  );
  new monitor.DiagnosticSetting(
    `${name}-control-plane`,
    { name: "to-log-analytics", resourceUri: cluster.id, workspaceId: landing.workspace.id, logAnalyticsDestinationType: "Dedicated", logs: AKS_LOG_CATEGORIES.map((category) => ({ category, enabled: true })) },
    opts,
  );
  const prometheus = managedPrometheus(name, landing, cluster, opts);
  containerInsights(name, landing, cluster, clusterName, opts);
  const deployer = assignRole(
    `${name}-deployer`,
    { subscriptionId: landing.subscriptionId, principalId: landing.deployerObjectId, role: "aksRbacClusterAdmin", scope: cluster.id, description: "the deploying principal applies the fleet's Kubernetes objects", principalType: undefined },
    opts,
  );
  const oidcIssuer = cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? "");
  new managedidentity.FederatedIdentityCredential(
    `${name}-keda`,
    { resourceGroupName: rg, resourceName: landing.scalerIdentity.name, federatedIdentityCredentialResourceName: "keda-operator", issuer: oidcIssuer, subject: KEDA_OPERATOR_SUBJECT, audiences: [FEDERATION_AUDIENCE] },
    opts,
  );

  const credentials = listManagedClusterUserCredentialsOutput({ resourceGroupName: rg, resourceName: cluster.name, format: "exec" }, { parent: scope, provider: landing.provider });
  const kubeconfig = pulumi.secret(credentials.kubeconfigs.apply((k) => Buffer.from(k[0]?.value ?? "", "base64").toString("utf8")));
  const kubernetes = new k8s.Provider(`${name}-cluster`, { kubeconfig, enableServerSideApply: true }, { parent: scope, dependsOn: [cluster, deployer] });
  const ns = target.namespace;
  const labels = { ...costLabels(plan.tags), "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" };
  const namespace = new k8s.core.v1.Namespace(name, { metadata: { name: ns, labels, annotations: { [REGION_ANNOTATION]: target.region } } }, kubeOpts(scope, { kubernetes }));
  new k8s.networking.v1.NetworkPolicy(`${name}-default-deny`, { metadata: { name: "default-deny", namespace: ns, labels: costLabels(plan.tags) }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }, kubeOpts(scope, { kubernetes }, [namespace]));
  const ready: pulumi.Resource[] = [namespace];
  const triggerAuthentication = "azure-workload";
  new k8s.apiextensions.CustomResource(
    `${name}-keda-azure`,
    {
      apiVersion: "keda.sh/v1alpha1",
      kind: "TriggerAuthentication",
      metadata: { name: triggerAuthentication, namespace: ns, labels: costLabels(plan.tags) },
      spec: { podIdentity: { provider: "azure-workload", identityId: landing.scalerIdentity.clientId } },
    },
    kubeOpts(scope, { kubernetes }, ready),
  );
  managedClusterDevicePlugin(name, plan, scope.addons, kubeOpts(scope, { kubernetes }));

  const classes = secretClasses({ name, landing, plan, namespace: ns, kubernetes, scope, ready, oidcIssuer });

  azureLandings.set(scope, landing);
  aksLandings.set(scope, { cluster, clusterName, kubernetes, namespace: ns, oidcIssuer, ready, triggerAuthentication, secretClasses: classes, prometheusWorkspaceId: prometheus.id });
  return { environmentName: namespace.metadata.name, extra: { cluster: cluster.name, namespace: namespace.metadata.name, resourceGroup: rg, location: landing.location, vaultUri: landing.vaultUri } };
}

/**
 * The cluster's KMS key in the fleet vault (RSA 3072, rotated yearly; AKS KMS v2
 * picks up new versions), usable by the control-plane identity only: Kubernetes
 * Secrets are encrypted with it at rest.
 */
function clusterKey(name: string, landing: AzureLanding, controlPlane: managedidentity.UserAssignedIdentity, opts: pulumi.CustomResourceOptions) {
  const key = new keyvault.Key(
    `${name}-kms`,
    {
      resourceGroupName: landing.resourceGroupName,
      vaultName: landing.vault.name,
      keyName: "aks-kms",
      properties: {
        kty: "RSA",
        keySize: 3072,
        keyOps: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
        rotationPolicy: { attributes: { expiryTime: "P2Y" }, lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P365D" } }, { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } }] },
      },
      tags: { ...landing.tags },
    },
    opts,
  );
  const access = assignRole(
    `${name}-kms`,
    { subscriptionId: landing.subscriptionId, principalId: controlPlane.principalId, role: "keyVaultCryptoUser", scope: pulumi.interpolate`${landing.vault.id}/keys/aks-kms`, description: "AKS encrypts Kubernetes Secrets with the cluster key" },
    { ...opts, dependsOn: [key] },
  );
  return { key, access };
}

/**
 * Managed Prometheus end to end: an Azure Monitor workspace, a Linux data
 * collection endpoint, a rule forwarding `Microsoft-PrometheusMetrics` to the
 * workspace, and the cluster's associations with the rule and with the endpoint
 * (without them the metrics add-on's pods crash-loop).
 */
function managedPrometheus(name: string, landing: AzureLanding, cluster: containerservice.ManagedCluster, opts: pulumi.CustomResourceOptions): monitor.AzureMonitorWorkspace {
  const rg = landing.resourceGroupName;
  const account = new monitor.AzureMonitorWorkspace(`${name}-prometheus`, { resourceGroupName: rg, location: landing.location, azureMonitorWorkspaceName: azureName([landing.prefix, "prometheus"], 63), tags: { ...landing.tags } }, opts);
  const endpoint = new monitor.DataCollectionEndpoint(
    `${name}-prometheus`,
    { resourceGroupName: rg, location: landing.location, dataCollectionEndpointName: azureName(["MSProm", landing.location, landing.prefix], 44), kind: "Linux", tags: { ...landing.tags } },
    opts,
  );
  const rule = new monitor.DataCollectionRule(
    `${name}-prometheus`,
    {
      resourceGroupName: rg,
      location: landing.location,
      dataCollectionRuleName: azureName(["MSProm", landing.location, landing.prefix], 64),
      kind: "Linux",
      dataCollectionEndpointId: endpoint.id,
      dataSources: { prometheusForwarder: [{ name: "PrometheusDataSource", streams: ["Microsoft-PrometheusMetrics"], labelIncludeFilter: {} }] },
      destinations: { monitoringAccounts: [{ name: "MonitoringAccount1", accountResourceId: account.id }] },
      dataFlows: [{ streams: ["Microsoft-PrometheusMetrics"], destinations: ["MonitoringAccount1"] }],
      tags: { ...landing.tags },
    },
    opts,
  );
  new monitor.DataCollectionRuleAssociation(`${name}-prometheus-rule`, { resourceUri: cluster.id, associationName: azureName(["MSProm", landing.location, landing.prefix], 64), dataCollectionRuleId: rule.id }, opts);
  new monitor.DataCollectionRuleAssociation(`${name}-prometheus-endpoint`, { resourceUri: cluster.id, associationName: "configurationAccessEndpoint", dataCollectionEndpointId: endpoint.id }, opts);
  return account;
}
