import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { researchFleet } from "../../agents/fleets";
import type { ResourceGraph } from "../../lib/offline/engine";
import { AZURE_SUBSCRIPTION } from "../../lib/offline/mocks";
import { planFleet } from "../../lib/plan";
import { acaSize } from "../../lib/targets/azure-aca";
import { at, one, ofType, planFleetOffline } from "../helpers/offline";

const RG = "rg-acme-research-dev-swedencentral";
const dev = researchFleet({ tier: "small", environment: "dev", targets: [{ runtime: "aca", region: "swedencentral" }] });
const prod = researchFleet({ tier: "small", environment: "prod", targets: [{ runtime: "aca", region: "swedencentral" }] });

describe("aca: the research fleet on Container Apps", () => {
  let g: ResourceGraph;
  let p: ResourceGraph;
  before(async () => {
    g = await planFleetOffline(dev);
    p = await planFleetOffline(prod);
  });

  it("lands in one resource group per fleet and region, on a private VNet with a NAT gateway", () => {
    assert.equal(at(one(g, "azure-native:resources:ResourceGroup", "acme-research-rg"), "resourceGroupName"), RG);
    const apps = one(g, "azure-native:network:Subnet", "acme-research-workloads");
    assert.equal(at(apps, "addressPrefix"), "10.40.0.0/21");
    assert.equal(at(apps, "defaultOutboundAccess"), false);
    assert.deepEqual(at(apps, "delegations"), [{ name: "containerapps", serviceName: "Microsoft.App/environments" }]);
    assert.match(String(at(apps, "natGateway", "id")), /natGateways\/acme-research-dev-nat$/);
    assert.deepEqual(at(one(g, "azure-native:network:NatGateway", "acme-research-nat"), "sku"), { name: "Standard" });
  });

  it("keeps secrets in an RBAC-mode vault with purge protection, private in prod", () => {
    const props = (graph: ResourceGraph) => at(one(graph, "azure-native:keyvault:Vault", "acme-research-kv"), "properties") as Record<string, unknown>;
    assert.equal(props(g).enableRbacAuthorization, true);
    assert.equal(props(g).enablePurgeProtection, true);
    assert.equal(props(g).enableSoftDelete, true);
    assert.equal(props(g).publicNetworkAccess, "Enabled");
    assert.equal(props(p).publicNetworkAccess, "Disabled");
    assert.deepEqual(props(p).networkAcls, { defaultAction: "Deny", bypass: "AzureServices" });
    const endpoints = ofType(p, "azure-native:network:PrivateEndpoint").map((e) => e.name);
    assert.ok(endpoints.includes("acme-research-kv-pe") && endpoints.includes("acme-research-leases-pe"), "vault and lease account");
    assert.ok(!endpoints.includes("acme-research-sb-pe"), "the small tier's namespace is Standard behind an IP firewall (lib/targets/azure/broker.ts brokerNetworking)");
  });

  it("logs to a workspace with retention, App Insights without local auth, an action group and a budget at 80/100% actual and 100% forecast", () => {
    assert.equal(at(one(g, "azure-native:operationalinsights:Workspace", "acme-research-logs"), "retentionInDays"), 30);
    assert.equal(at(one(g, "azure-native:applicationinsights:Component", "acme-research-appinsights"), "disableLocalAuth"), true);
    const budget = one(g, "azure-native:consumption:Budget", "acme-research-budget");
    assert.equal(at(budget, "scope"), `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/${RG}`);
    assert.equal(at(budget, "amount"), 1000);
    const n = at(budget, "notifications") as Record<string, { threshold: number; thresholdType: string; operator: string }>;
    assert.deepEqual(
      Object.values(n).map((x) => `${x.thresholdType}:${x.threshold}`).sort(),
      ["Actual:100", "Actual:80", "Forecasted:100"],
    );
  });

  it("declares every workload profile up front: Consumption and the pool's serverless T4, with no counts", () => {
    const env = one(g, "azure-native:app:ManagedEnvironment", "acme-research-env");
    assert.deepEqual(at(env, "workloadProfiles"), [
      { name: "Consumption", workloadProfileType: "Consumption" },
      { name: "gpu-t4", workloadProfileType: "Consumption-GPU-NC8as-T4" },
    ]);
    assert.equal(at(env, "vnetConfiguration", "internal"), true);
    assert.equal(at(env, "publicNetworkAccess"), "Disabled");
    assert.deepEqual(at(env, "appLogsConfiguration"), { destination: "azure-monitor" });
    assert.match(String(at(one(g, "azure-native:monitor:DiagnosticSetting", "acme-research-env-logs"), "workspaceId")), /workspaces\/acme-research-dev-swedencentral-logs$/);
  });

  it("runs each agent as a Container App: ACA sizes, probes, internal ingress, KEDA on Service Bus with KEDA's identity", () => {
    const app = one(g, "azure-native:app:ContainerApp", "acme-research-document-processor");
    assert.equal(at(app, "workloadProfileName"), "Consumption");
    assert.deepEqual(at(app, "template", "containers", 0, "resources"), { cpu: 2, memory: "4Gi" });
    assert.deepEqual(
      (at(app, "template", "containers", 0, "probes") as Array<{ type: string }>).map((x) => x.type),
      ["Startup", "Liveness", "Readiness"],
    );
    // Sync-routed: open to the VNet, from the gateway's APIM subnet alone.
    assert.deepEqual(at(app, "configuration", "ingress"), {
      external: true,
      targetPort: 8080,
      transport: "http",
      allowInsecure: false,
      ipSecurityRestrictions: [{ name: "gateway", description: "the fleet's API Management subnet", action: "Allow", ipAddressRange: "10.40.12.0/24" }],
    });
    const scale = at(app, "template", "scale") as { minReplicas: number; maxReplicas: number; rules: Array<{ name: string; custom: { type: string; metadata: Record<string, string>; identity?: string } }> };
    assert.equal(scale.minReplicas, 2);
    assert.equal(scale.maxReplicas, 20);
    assert.equal(scale.rules[0].custom.type, "azure-servicebus");
    assert.equal(scale.rules[0].custom.metadata.queueName, "document-processor");
    assert.equal(scale.rules[0].custom.metadata.messageCount, "10");
    assert.match(String(scale.rules[0].custom.identity), /userAssignedIdentities\/acme-research-dev-keda$/);
    const secrets = at(app, "configuration", "secrets") as Array<{ name: string; keyVaultUrl: string; identity: string }>;
    assert.equal(secrets.length, 1);
    assert.equal(secrets[0].name, "kv-openai-key");
    assert.match(secrets[0].keyVaultUrl, /^https:\/\/kv-acme-[a-z-]+-[0-9a-f]{8}\.vault\.azure\.net\/secrets\/openai-key$/);
    assert.match(secrets[0].identity, /userAssignedIdentities\/acme-research-dev-document-processor$/);
    const env = at(app, "template", "containers", 0, "env") as Array<{ name: string; value?: string; secretRef?: string }>;
    assert.deepEqual(env.find((e) => e.name === "OPENAI_API_KEY"), { name: "OPENAI_API_KEY", secretRef: "kv-openai-key" });
    assert.ok(!env.some((e) => /connection/i.test(e.name)), "no connection strings");
  });

  it("rounds sizes up to what ACA accepts and notes it", () => {
    const plan = planFleet(dev);
    const fetcher = plan.agent("data-fetcher");
    assert.deepEqual(acaSize(fetcher), { cpu: 1, memory: "2Gi", memoryGi: 2, profile: "Consumption" });
    const odd = { ...fetcher, resources: { cpu: 0.6, memoryMiB: 3072 } };
    const s = acaSize(odd);
    assert.equal(s.cpu, 1.5);
    assert.equal(s.memory, "3Gi");
    assert.match(s.note ?? "", /rounded up to 1.5 vCPU \/ 3 GiB/);
  });

  it("runs a fixed active-passive agent at exactly two replicas with a blob lease the agent alone may write", () => {
    const app = one(g, "azure-native:app:ContainerApp", "acme-research-coordinator");
    assert.deepEqual(at(app, "template", "scale"), { minReplicas: 2, maxReplicas: 2, rules: [] });
    const env = at(app, "template", "containers", 0, "env") as Array<{ name: string; value?: string }>;
    assert.match(String(env.find((e) => e.name === "MICROAGENTS_LEADER_LEASE_URL")?.value), /^https:\/\/lease[a-z0-9]+\.blob\.core\.windows\.net\/leases$/);
    const account = one(g, "azure-native:storage:StorageAccount", "acme-research-leases");
    assert.equal(at(account, "allowSharedKeyAccess"), false);
    assert.equal(at(account, "allowBlobPublicAccess"), false);
    assert.equal(at(account, "minimumTlsVersion"), "TLS1_2");
    const lease = one(g, "azure-native:authorization:RoleAssignment", "acme-research-coordinator-lease");
    assert.match(String(at(lease, "scope")), /storageAccounts\/lease[a-z0-9]+\/blobServices\/default\/containers\/leases$/);
  });

  it("puts the GPU agent on the serverless T4 profile and lets it reach zero, in prod too unless critical", () => {
    const app = one(g, "azure-native:app:ContainerApp", "acme-research-language-analyzer");
    assert.equal(at(app, "workloadProfileName"), "gpu-t4");
    assert.equal(at(app, "template", "scale", "minReplicas"), 0);
    assert.equal(at(one(p, "azure-native:app:ContainerApp", "acme-research-language-analyzer"), "template", "scale", "minReplicas"), 0, "standard criticality: started by its queue");
  });
});
