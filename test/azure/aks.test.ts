import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { customerServiceFleet } from "../../agents/fleets";
import type { ResourceGraph } from "../../lib/offline/engine";
import { planFleet } from "../../lib/plan";
import { AKS_VERSION, aksMigProfile, KEDA_OPERATOR_SUBJECT } from "../../lib/targets/azure-aks";
import { at, one, ofType, planFleetOffline } from "../helpers/offline";

const fleet = customerServiceFleet({ tier: "medium", environment: "prod", targets: [{ runtime: "aks", region: "westeurope" }] });

describe("aks: the customer-service fleet on AKS", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await planFleetOffline(fleet);
  });

  it("builds an Entra-only private cluster with workload identity, KMS, the CSI and KEDA add-ons", () => {
    const c = one(g, "azure-native:containerservice:ManagedCluster", "acme-support");
    assert.equal(at(c, "kubernetesVersion"), AKS_VERSION);
    assert.equal(at(c, "disableLocalAccounts"), true);
    assert.equal(at(c, "aadProfile", "managed"), true);
    assert.equal(at(c, "aadProfile", "enableAzureRBAC"), true);
    assert.deepEqual(at(c, "apiServerAccessProfile"), { enablePrivateCluster: true, privateDNSZone: "system", enablePrivateClusterPublicFQDN: false });
    assert.deepEqual(at(c, "oidcIssuerProfile"), { enabled: true });
    assert.equal(at(c, "securityProfile", "workloadIdentity", "enabled"), true);
    assert.equal(at(c, "securityProfile", "azureKeyVaultKms", "enabled"), true);
    assert.equal(at(c, "securityProfile", "azureKeyVaultKms", "keyVaultNetworkAccess"), "Private");
    assert.equal(at(c, "addonProfiles", "azureKeyvaultSecretsProvider", "enabled"), true);
    assert.deepEqual(at(c, "workloadAutoScalerProfile"), { keda: { enabled: true } });
    assert.deepEqual(at(c, "autoUpgradeProfile"), { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" });
    assert.deepEqual(at(c, "azureMonitorProfile"), { metrics: { enabled: true } });
    assert.equal(at(c, "networkProfile", "outboundType"), "userAssignedNATGateway");
    assert.equal(at(c, "networkProfile", "networkPolicy"), "cilium");
    assert.equal(at(c, "agentPoolProfiles", 0, "mode"), "System");
    assert.equal(at(c, "agentPoolProfiles", 0, "enableAutoScaling"), true);
    assert.equal(at(c, "sku", "tier"), "Standard");
  });

  it("wires managed Prometheus completely: workspace, endpoint, rule and both associations with the cluster", () => {
    assert.equal(ofType(g, "azure-native:monitor:AzureMonitorWorkspace").length, 1);
    const rule = one(g, "azure-native:monitor:DataCollectionRule", "acme-support-prometheus");
    assert.deepEqual(at(rule, "dataFlows"), [{ streams: ["Microsoft-PrometheusMetrics"], destinations: ["MonitoringAccount1"] }]);
    const assoc = ofType(g, "azure-native:monitor:DataCollectionRuleAssociation");
    assert.equal(assoc.length, 3, "Prometheus rule and endpoint, and Container insights' rule");
    assert.ok(assoc.every((a) => /managedClusters\/acme-support-prod$/.test(String(at(a, "resourceUri")))));
    assert.ok(assoc.some((a) => at(a, "associationName") === "configurationAccessEndpoint" && at(a, "dataCollectionEndpointId") !== undefined));
    assert.ok(assoc.some((a) => at(a, "dataCollectionRuleId") !== undefined));
  });

  it("adds an AgentPool per planned GPU pool with the packing's size and bounds, the GPU taint and the Kubernetes target's labels", () => {
    const plan = planFleet(fleet);
    const pools = ofType(g, "azure-native:containerservice:AgentPool");
    assert.equal(pools.length, plan.gpuPools.length);
    for (const pool of plan.gpuPools) {
      const ap = one(g, "azure-native:containerservice:AgentPool", `acme-support-${pool.name}`);
      assert.equal(at(ap, "vmSize"), pool.shapes.azure?.instanceType);
      assert.equal(at(ap, "minCount"), pool.minNodes);
      assert.equal(at(ap, "maxCount"), pool.maxNodes);
      assert.equal(at(ap, "enableAutoScaling"), true);
      assert.deepEqual(at(ap, "nodeTaints"), ["nvidia.com/gpu=present:NoSchedule"]);
      assert.equal((at(ap, "nodeLabels") as Record<string, string>)["microagents.io/gpu-pool"], pool.name);
      assert.equal(at(ap, "scaleSetPriority"), pool.spot ? "Spot" : "Regular");
      if (pool.spot) assert.equal(at(ap, "scaleSetEvictionPolicy"), "Delete");
    }
  });

  it("picks the smallest MIG profile of a MIG pool", () => {
    assert.equal(aksMigProfile({ sharing: "mig", migProfiles: { a: "1g.10gb", b: "3g.40gb" } }), "MIG1g");
    assert.equal(aksMigProfile({ sharing: "time-slicing", migProfiles: {} }), undefined);
  });

  it("scales agents with KEDA's azure-servicebus trigger through azure-workload, on KEDA's federated identity", () => {
    const auth = one(g, "kubernetes:keda.sh/v1alpha1:TriggerAuthentication", "acme-support-keda-azure");
    assert.equal(at(auth, "spec", "podIdentity", "provider"), "azure-workload");
    const fic = one(g, "azure-native:managedidentity:FederatedIdentityCredential", "acme-support-keda");
    assert.equal(at(fic, "subject"), KEDA_OPERATOR_SUBJECT);
    assert.equal(at(fic, "resourceName"), "acme-support-prod-keda");
    const so = ofType(g, "kubernetes:keda.sh/v1alpha1:ScaledObject")[0];
    const trigger = (at(so, "spec", "triggers") as Array<{ type: string; metadata: Record<string, string>; authenticationRef: { name: string } }>)[0];
    assert.equal(trigger.type, "azure-servicebus");
    assert.equal(trigger.authenticationRef.name, "azure-workload");
    assert.equal(trigger.metadata.messageCount, "10");
  });

  it("runs each agent with Entra workload identity: its own identity federated with its ServiceAccount", () => {
    const sa = one(g, "kubernetes:core/v1:ServiceAccount", "acme-support-classifier");
    assert.match(String(at(sa, "metadata", "annotations", "azure.workload.identity/client-id")), /^[0-9a-f-]{36}$/);
    const dep = one(g, "kubernetes:apps/v1:Deployment", "acme-support-classifier");
    assert.equal(at(dep, "spec", "template", "metadata", "labels", "azure.workload.identity/use"), "true");
    const fic = one(g, "azure-native:managedidentity:FederatedIdentityCredential", "acme-support-classifier-sa");
    assert.equal(at(fic, "subject"), "system:serviceaccount:acme-support:classifier");
  });
});
