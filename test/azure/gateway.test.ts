import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { researchFleet } from "../../agents/fleets";
import { images } from "../../agents/images";
import { factsFromGraph } from "../../lib/facts";
import type { ResourceGraph } from "../../lib/offline/engine";
import { AZURE_SUBSCRIPTION } from "../../lib/offline/mocks";
import type { FleetInput } from "../../lib/spec";
import { apimSku, apimSubnetCidr, healthPolicy, openIdConfigUrl, reachedByGateway } from "../../lib/targets/azure/gateway-shape";
import { acaMinReplicas, gpuOnDemand } from "../../lib/targets/azure-aca/service";
import { gatewayAddress } from "../../lib/targets/azure-aks/gateway";
import { HEALTH_PATH } from "../../lib/targets/target";
import { rule as routesAuthenticated } from "../../policies/rules/ma-sec-010-routes-authenticated";
import { rule as gatewayLogsWaf } from "../../policies/rules/ma-sec-011-gateway-logs-waf";
import { rule as tls } from "../../policies/rules/ma-sec-012-tls";
import { rule as noPublicAgents } from "../../policies/rules/ma-sec-019-no-public-agents";
import { rule as messagingNamespace } from "../../policies/rules/ma-sec-029-messaging-namespace";
import { planFleet } from "../../lib/plan";
import { ruleContext } from "../../policies/engine/evaluate";
import { CHECK_DAY } from "../policies/fixtures/kit";
import { at, one, ofType, planFleetOffline } from "../helpers/offline";

const JWT = { issuer: "https://auth.acme.example/", jwksUri: "https://auth.acme.example/.well-known/jwks.json", audiences: ["agents.acme.example"] };
const SCHEMA = { type: "object", required: ["subject"], properties: { subject: { type: "string" } } };

/** Every kind of route: async (ordered, with a schema), a sync canary, a weight-0 route, an always-on worker, a batch agent that scales to zero. */
function gatewayFleet(runtime: "aca" | "aks", tier: "small" | "medium", environment: "dev" | "prod", isPublic: boolean): FleetInput {
  return {
    apiVersion: "microagents/v1",
    kind: "Fleet",
    metadata: { name: "acme-gw" },
    spec: {
      tier,
      environment,
      team: "platform",
      targets: [{ runtime, region: "swedencentral" }],
      gateway: { jwt: JWT, legacyBackend: { url: "https://monolith.acme.example" }, public: isPublic },
      agents: [
        { name: "intake", image: images["email-intake"], queue: { fifo: true }, scaling: { mode: "horizontal", min: 1, max: 4 }, route: { path: "/emails", auth: "jwt", rateLimitPerMinute: 300, invoke: "async", schema: SCHEMA } },
        { name: "documents", image: images["document-processor"], port: 8080, healthPath: "/healthz", scaling: { mode: "horizontal", min: 1, max: 4 }, route: { path: "/documents", auth: "jwt", rateLimitPerMinute: 600, invoke: "sync", timeoutSeconds: 60, weight: 25 } },
        { name: "reports", image: images.coordinator, scaling: { mode: "horizontal", min: 1, max: 2 }, route: { path: "/reports", auth: "jwt", rateLimitPerMinute: 60, invoke: "sync", weight: 0 } },
        { name: "batch", image: images["data-fetcher"], criticality: "batch", scaling: { mode: "horizontal", min: 0, max: 3 } },
      ],
    },
  };
}

/** The rules' context: small tier in prod (the rules read here do not depend on the tier). */
const CTX = ruleContext("small", "prod", { now: CHECK_DAY });
const policyOf = (g: ResourceGraph, name: string) => String(at(one(g, "azure-native:apimanagement:ApiPolicy", name), "value"));

describe("AgentGateway on Azure: API Management", () => {
  let aca: ResourceGraph;
  let aks: ResourceGraph;
  before(async () => {
    aca = await planFleetOffline(gatewayFleet("aca", "medium", "prod", false));
    aks = await planFleetOffline(gatewayFleet("aks", "small", "prod", true));
  });

  it("picks a SKU with every policy used and VNet injection: Premium in medium and enterprise prod, Developer elsewhere (the small tier's budget)", () => {
    const medium = planFleet(gatewayFleet("aca", "medium", "prod", false));
    assert.deepEqual(apimSku(medium), { name: "Premium", capacity: 1 });
    assert.deepEqual(apimSku(planFleet(gatewayFleet("aca", "small", "prod", false))), { name: "Developer", capacity: 1 });
    assert.deepEqual(apimSku(planFleet(gatewayFleet("aca", "medium", "dev", false))), { name: "Developer", capacity: 1 });
    const svc = one(aca, "azure-native:apimanagement:ApiManagementService", "acme-gw-gateway-apim");
    assert.deepEqual(at(svc, "sku"), { name: "Premium", capacity: 1 });
    assert.deepEqual(at(svc, "identity"), { type: "SystemAssigned" });
    assert.equal(at(svc, "virtualNetworkType"), "Internal");
    assert.match(String(at(svc, "virtualNetworkConfiguration", "subnetResourceId")), /virtualNetworks\/acme-gw-prod-vnet\/subnets\/apim$/);
    assert.match(String(at(svc, "publicIpAddressId")), /publicIPAddresses\/acme-gw-prod-apim-ip$/);
    assert.equal(at(svc, "developerPortalStatus"), "Disabled");
    const props = at(svc, "customProperties") as Record<string, string>;
    assert.equal(props["Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10"], "false");
    assert.equal(props["Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls11"], "false");
    assert.equal(at(one(aks, "azure-native:apimanagement:ApiManagementService", "acme-gw-gateway-apim"), "virtualNetworkType"), "External");
    assert.equal(at(one(aca, "azure-native:network:Subnet", "acme-gw-gateway-apim"), "addressPrefix"), "10.40.12.0/24");
    assert.equal(apimSubnetCidr("10.41.0.0/16"), "10.41.12.0/24");
    const rules = (g: ResourceGraph) => at(one(g, "azure-native:network:NetworkSecurityGroup", "acme-gw-gateway-apim"), "securityRules") as Array<{ name: string; sourceAddressPrefix?: string; destinationPortRange?: string }>;
    assert.equal(rules(aca).find((r) => r.name === "clients-https")?.sourceAddressPrefix, "VirtualNetwork");
    assert.equal(rules(aks).find((r) => r.name === "clients-https")?.sourceAddressPrefix, "AzureFrontDoor.Backend");
    assert.deepEqual(rules(aca).filter((r) => r.destinationPortRange).map((r) => `${r.sourceAddressPrefix}:${r.destinationPortRange}`), ["VirtualNetwork:443", "ApiManagement:3443", "AzureLoadBalancer:6390"]);
    // An internal APIM resolves in the VNet through azure-api.net.
    assert.equal(at(one(aca, "azure-native:privatedns:PrivateZone", "acme-gw-gateway-apim-zone"), "privateZoneName"), "azure-api.net");
    assert.deepEqual(at(one(aca, "azure-native:monitor:DiagnosticSetting", "acme-gw-gateway-apim-logs"), "logs"), [{ category: "GatewayLogs", enabled: true }, { category: "WebSocketConnectionLogs", enabled: true }]);
  });

  it("has an API per route with its operations, over HTTPS, no subscription keys for JWT routes, and the route's JSON schema as an APIM schema", () => {
    const apis = ofType(aca, "azure-native:apimanagement:Api").map((a) => `${String(at(a, "apiId"))}:/${String(at(a, "path"))}:${JSON.stringify(at(a, "protocols"))}:${String(at(a, "subscriptionRequired"))}`);
    assert.deepEqual(apis.sort(), ['documents:/documents:["https"]:false', 'intake:/emails:["https"]:false', 'legacy:/:["https"]:false', `microagents-health:${HEALTH_PATH}:["https"]:false`, 'reports:/reports:["https"]:false']);
    const ops = (api: string) => ofType(aca, "azure-native:apimanagement:ApiOperation").filter((o) => o.name.startsWith(`acme-gw-gateway-${api}-`)).map((o) => `${String(at(o, "method"))} ${String(at(o, "urlTemplate"))}`).sort();
    assert.deepEqual(ops("intake"), ["POST /"]);
    assert.deepEqual(ops("documents"), ["GET /", "GET /*", "POST /", "POST /*"]);
    const schema = one(aca, "azure-native:apimanagement:GlobalSchema", "acme-gw-gateway-intake-schema");
    assert.equal(at(schema, "schemaType"), "json");
    assert.equal(at(schema, "schemaId"), "intake-request");
    assert.deepEqual(JSON.parse(String(at(schema, "value"))), SCHEMA);
  });

  it("async route: JWT, rate limit, schema, then the agent's queue over REST with APIM's identity, 202 back, the plan's retries", () => {
    const xml = policyOf(aca, "acme-gw-gateway-intake-policy");
    assert.ok(xml.includes(`<openid-config url="${openIdConfigUrl(JWT.issuer)}" />`));
    assert.equal(openIdConfigUrl(JWT.issuer), "https://auth.acme.example/.well-known/openid-configuration");
    assert.ok(xml.includes("<audiences><audience>agents.acme.example</audience></audiences><issuers><issuer>https://auth.acme.example/</issuer></issuers>"));
    assert.ok(xml.includes('<rate-limit-by-key calls="300" renewal-period="60" counter-key="route-intake" />'));
    assert.ok(xml.includes('schema-id="intake-request"'));
    assert.ok(xml.includes('<set-backend-service backend-id="queue-intake" />'));
    assert.ok(xml.includes('<rewrite-uri template="/messages" copy-unmatched-params="false" />'));
    assert.ok(xml.includes('<authentication-managed-identity resource="https://servicebus.azure.net" />'));
    assert.ok(xml.includes('new JProperty("SessionId", context.Request.Headers.GetValueOrDefault("X-Message-Group-Id", "default"))'), "ordered queue: a session per message group");
    assert.ok(xml.includes('<set-status code="202" reason="Accepted" />'));
    assert.ok(xml.includes('<set-status code="502" reason="Bad Gateway" />'));
    // 4 attempts from 1 s doubling: 3 retries at 1, 2, 4 s (interval 1 + (2^n - 1) × delta 1), the route's timeout each.
    assert.ok(xml.includes('count="3" interval="1" delta="1" max-interval="4" first-fast-retry="false"><forward-request timeout="29" buffer-request-body="true" /></retry>'), "the route's timeout: the seed's 29 s");
    const queue = one(aca, "azure-native:apimanagement:Backend", "acme-gw-gateway-queue-intake");
    assert.match(String(at(queue, "url")), /^https:\/\/sb-acme-gw-prod-[a-z0-9-]+\.servicebus\.windows\.net\/intake$/);
    assert.deepEqual(at(queue, "circuitBreaker"), { rules: [{ name: "server-errors", failureCondition: { count: 5, interval: "PT60S", statusCodeRanges: [{ min: 500, max: 599 }], errorReasons: ["Server errors"] }, tripDuration: "PT60S", acceptRetryAfter: true }] });
  });

  it("gives APIM's identity Azure Service Bus Data Sender on each async agent's queue only", () => {
    const senders = ofType(aca, "azure-native:authorization:RoleAssignment").filter((r) => r.name.endsWith("-enqueue"));
    assert.equal(senders.length, 1);
    assert.match(String(at(senders[0], "roleDefinitionId")), /roleDefinitions\/69a216fc-b8fb-44d8-bc22-1f3c2cd27a39$/);
    assert.match(String(at(senders[0], "scope")), /\/namespaces\/sb-acme-gw-prod-[a-z0-9-]+\/queues\/intake$/);
    assert.equal(at(senders[0], "principalType"), "ServicePrincipal");
    const apim = ofType(aca, "azure-native:apimanagement:ApiManagementService")[0];
    assert.ok(String(at(senders[0], "principalId")).length === 36, "APIM's system-assigned principal");
    assert.match(apim.urn, /ApiManagementService/);
    assert.ok(String(at(senders[0], "scope")).startsWith(`/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/rg-acme-gw-prod-swedencentral/`));
  });

  it("sync canary: a weighted pool of the agent (25%) and the monolith (75%), each with the circuit breaker; weight 0 goes to the monolith", () => {
    const pool = one(aca, "azure-native:apimanagement:Backend", "acme-gw-gateway-canary-documents");
    assert.equal(at(pool, "type"), "Pool");
    const members = at(pool, "pool", "services") as Array<{ id: string; weight: number; priority: number }>;
    assert.deepEqual(members.map((m) => [m.id.split("/").pop(), m.weight, m.priority]), [["agent-documents", 25, 1], ["legacy-documents", 75, 1]]);
    assert.match(String(at(one(aca, "azure-native:apimanagement:Backend", "acme-gw-gateway-agent-documents"), "url")), /^https:\/\/documents\.acme-gw-prod-agents\.[0-9a-f]+\.swedencentral\.azurecontainerapps\.io\/documents$/);
    assert.equal(at(one(aca, "azure-native:apimanagement:Backend", "acme-gw-gateway-legacy-documents"), "url"), "https://monolith.acme.example/documents");
    const xml = policyOf(aca, "acme-gw-gateway-documents-policy");
    assert.ok(xml.includes('<set-backend-service backend-id="canary-documents" />'));
    assert.ok(xml.includes('<forward-request timeout="60" buffer-request-body="true" />'));
    assert.ok(policyOf(aca, "acme-gw-gateway-reports-policy").includes('<set-backend-service backend-id="legacy-reports" />'));
    assert.ok(!ofType(aca, "azure-native:apimanagement:Backend").some((b) => b.name === "acme-gw-gateway-agent-reports"), "a weight-0 route has no agent backend");
    const fallback = policyOf(aca, "acme-gw-gateway-legacy-policy");
    assert.ok(fallback.includes("<validate-jwt") && fallback.includes('<set-backend-service backend-id="legacy" />'));
    assert.deepEqual(ofType(aca, "azure-native:apimanagement:ApiOperation").filter((o) => o.name.startsWith("acme-gw-gateway-legacy-")).map((o) => String(at(o, "method"))).sort(), ["DELETE", "GET", "PATCH", "POST", "PUT"]);
  });

  it("health route: probes the always-on agents inside the VNet, 200 only when all answer, 503 otherwise, tagged public", () => {
    const xml = policyOf(aca, "acme-gw-gateway-health-policy");
    const urls = [...xml.matchAll(/<set-url>([^<]+)<\/set-url>/g)].map((m) => m[1].replace(/\.acme-gw-prod-agents\.[0-9a-f]+\.swedencentral\.azurecontainerapps\.io/, ".<domain>"));
    assert.deepEqual(urls, ["https://intake.<domain>/healthz", "https://documents.<domain>/healthz", "https://reports.<domain>/healthz"], "batch scales to zero: not probed");
    assert.ok(xml.includes('<set-status code="503" reason="Service Unavailable" />'));
    assert.equal(at(one(aca, "azure-native:apimanagement:TagByApi", "acme-gw-gateway-health-public"), "tagId"), "public");
    assert.equal(healthPolicy([]).includes("@(true ?"), true, "no always-on agent: healthy");
    // On AKS the probes go to each agent's internal load balancer address.
    assert.deepEqual([...policyOf(aks, "acme-gw-gateway-health-policy").matchAll(/<set-url>([^<]+)<\/set-url>/g)].map((m) => m[1]), ["http://10.40.7.254/healthz", "http://10.40.7.253/healthz", "http://10.40.7.252/healthz"]);
  });

  it("reaches Container Apps through VNet ingress from the APIM subnet alone, and the environment's domain in a private zone", () => {
    const documents = one(aca, "azure-native:app:ContainerApp", "acme-gw-documents");
    assert.deepEqual(at(documents, "configuration", "ingress"), {
      external: true,
      targetPort: 8080,
      transport: "http",
      allowInsecure: false,
      ipSecurityRestrictions: [{ name: "gateway", description: "the fleet's API Management subnet", action: "Allow", ipAddressRange: "10.40.12.0/24" }],
    });
    assert.equal(at(one(aca, "azure-native:app:ContainerApp", "acme-gw-batch"), "configuration", "ingress", "external"), false);
    const wildcard = one(aca, "azure-native:privatedns:PrivateRecordSet", "acme-gw-gateway-apps-wildcard");
    assert.equal(at(wildcard, "relativeRecordSetName"), "*");
    assert.deepEqual(at(wildcard, "aRecords"), [{ ipv4Address: "10.0.0.250" }]);
    const plan = planFleet(gatewayFleet("aca", "medium", "prod", false));
    assert.equal(reachedByGateway(plan, plan.agent("batch"), 0), false);
    assert.equal(reachedByGateway(plan, plan.agent("intake"), 1), true);
  });

  it("reaches AKS agents through internal load balancers at fixed addresses, admitted by a NetworkPolicy from the APIM subnet", () => {
    const svc = one(aks, "kubernetes:core/v1:Service", "acme-gw-gateway-documents-ilb");
    assert.deepEqual(at(svc, "metadata", "annotations"), { "service.beta.kubernetes.io/azure-load-balancer-internal": "true", "service.beta.kubernetes.io/azure-load-balancer-internal-subnet": "workloads", "service.beta.kubernetes.io/azure-load-balancer-ipv4": "10.40.7.253" });
    assert.equal(at(svc, "spec", "externalTrafficPolicy"), "Local");
    assert.equal(gatewayAddress("10.40.0.0/16", 0), "10.40.7.254");
    assert.equal(gatewayAddress("10.40.0.0/16", 254), "10.40.7.0");
    const np = one(aks, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "acme-gw-gateway-documents-from-gateway");
    assert.deepEqual(at(np, "spec", "ingress"), [{ from: [{ ipBlock: { cidr: "10.40.12.0/24" } }], ports: [{ protocol: "TCP", port: 8080 }] }]);
    assert.equal(at(one(aks, "azure-native:apimanagement:Backend", "acme-gw-gateway-agent-documents"), "url"), "http://10.40.7.253/documents");
    assert.ok(!ofType(aks, "kubernetes:core/v1:Service").some((s) => s.name === "acme-gw-gateway-batch-ilb"));
  });

  it("puts a public gateway behind Front Door Premium: WAF in Prevention with Microsoft's rule sets, HTTPS only, and APIM admits that Front Door alone", () => {
    const waf = one(aks, "azure-native:frontdoor:Policy", "acme-gw-gateway-waf");
    assert.deepEqual(at(waf, "sku"), { name: "Premium_AzureFrontDoor" });
    assert.equal(at(waf, "policySettings", "mode"), "Prevention");
    assert.deepEqual((at(waf, "managedRules", "managedRuleSets") as Array<{ ruleSetType: string; ruleSetVersion: string }>).map((r) => `${r.ruleSetType}/${r.ruleSetVersion}`), ["Microsoft_DefaultRuleSet/2.1", "Microsoft_BotManagerRuleSet/1.1"]);
    assert.equal(at(waf, "customRules", "rules", 0, "rateLimitThreshold"), 960);
    assert.deepEqual(at(one(aks, "azure-native:cdn:Profile", "acme-gw-gateway-fd"), "sku"), { name: "Premium_AzureFrontDoor" });
    const origin = one(aks, "azure-native:cdn:AFDOrigin", "acme-gw-gateway-swedencentral");
    assert.match(String(at(origin, "hostName")), /^apim-acme-gw-prod-[0-9a-f]{8}\.azure-api\.net$/);
    assert.equal(at(origin, "priority"), 1);
    assert.deepEqual(at(one(aks, "azure-native:cdn:AFDOriginGroup", "acme-gw-gateway-origins"), "healthProbeSettings"), { probePath: HEALTH_PATH, probeProtocol: "Https", probeRequestType: "GET", probeIntervalInSeconds: 30 });
    const route = one(aks, "azure-native:cdn:Route", "acme-gw-gateway-route");
    assert.equal(at(route, "httpsRedirect"), "Enabled");
    assert.equal(at(route, "forwardingProtocol"), "HttpsOnly");
    assert.match(String(at(one(aks, "azure-native:cdn:SecurityPolicy", "acme-gw-gateway-waf"), "parameters", "wafPolicy", "id")), /frontDoorWebApplicationFirewallPolicies\/acmegwprodwaf$/);
    const only = String(at(one(aks, "azure-native:apimanagement:Policy", "acme-gw-gateway-front-door-only"), "value"));
    assert.match(only, /<check-header name="X-Azure-FDID" failed-check-httpcode="403"[^>]*><value>[0-9a-f-]{36}<\/value><\/check-header>/);
    assert.ok(ofType(aca, "azure-native:cdn:Profile").length === 0, "an internal gateway has no Front Door");
  });

  it("small tier prod: a Standard namespace behind an IP firewall (the NAT egress IP, trusted services), no Premium, no private endpoint", () => {
    const ns = ofType(aks, "azure-native:servicebus:Namespace")[0];
    assert.deepEqual(at(ns, "sku"), { name: "Standard", tier: "Standard" });
    assert.equal(at(ns, "disableLocalAuth"), true);
    const firewall = one(aks, "azure-native:servicebus:NamespaceNetworkRuleSet", "acme-gw-sb-firewall");
    assert.equal(at(firewall, "defaultAction"), "Deny");
    assert.equal(at(firewall, "trustedServiceAccessEnabled"), true);
    assert.match(String(at(firewall, "ipRules", 0, "ipMask")), /^20\.\d+\.\d+\.\d+$/);
    assert.ok(!ofType(aks, "azure-native:network:PrivateEndpoint").some((p) => p.name.startsWith("acme-gw-sb")));
    assert.deepEqual(at(ofType(aca, "azure-native:servicebus:Namespace")[0], "sku"), { name: "Premium", tier: "Premium", capacity: 1 }, "medium prod keeps Premium and its private endpoint");
  });

  it("small budget on aca: GPU agents start on their queue unless critical or active-passive; others keep the plan's minimum", () => {
    const plan = planFleet(researchFleet({ tier: "small", environment: "prod", targets: [{ runtime: "aca", region: "swedencentral" }] }));
    const pool = plan.gpuPools[0];
    assert.ok(pool && pool.minNodes >= 1, "prod keeps the pool's node");
    const agent = plan.agent("language-analyzer");
    assert.equal(agent.criticality, "standard");
    assert.equal(gpuOnDemand({ ...agent, criticality: "standard" }, pool), true);
    assert.equal(acaMinReplicas({ ...agent, criticality: "standard" }, pool), 0);
    assert.equal(gpuOnDemand({ ...agent, criticality: "critical" }, pool), false);
    assert.equal(acaMinReplicas({ ...agent, criticality: "critical" }, pool), agent.scaling.min);
    assert.equal(gpuOnDemand({ ...agent, scaling: { ...agent.scaling, activePassive: true } }, pool), false);
    assert.equal(acaMinReplicas(plan.agent("document-processor")), plan.agent("document-processor").scaling.min, "a CPU agent keeps its minimum");
  });

  it("the rules judge the gateways: routes authenticated, logs and WAF, TLS 1.2, no public agent, the firewalled namespace; and catch realistic mistakes", () => {
    for (const g of [aca, aks]) {
      const facts = factsFromGraph(g);
      for (const r of [routesAuthenticated, gatewayLogsWaf, tls, noPublicAgents, messagingNamespace]) assert.deepEqual(r.check(facts, CTX).map((f) => f.message), [], r.id);
    }
    const mutate = (g: ResourceGraph, type: string, name: string, patch: (inputs: Record<string, unknown>) => Record<string, unknown>): ResourceGraph => ({
      ...g,
      resources: g.resources.map((r) => (r.type === type && r.name === name ? { ...r, inputs: patch(r.inputs) } : r)),
    });
    const untagged: ResourceGraph = { ...aks, resources: aks.resources.filter((r) => r.type !== "azure-native:apimanagement:TagByApi") };
    assert.deepEqual(routesAuthenticated.check(factsFromGraph(untagged), CTX).map((f) => f.message), [`route '${HEALTH_PATH}' has no authentication`]);
    const noJwt = mutate(aks, "azure-native:apimanagement:ApiPolicy", "acme-gw-gateway-intake-policy", (i) => ({ ...i, value: String(i.value).replace(/<validate-jwt[\s\S]*?<\/validate-jwt>/, "") }));
    assert.deepEqual(routesAuthenticated.check(factsFromGraph(noJwt), CTX).map((f) => f.message), ["route '/emails' has no authentication"]);
    const detection = mutate(aks, "azure-native:frontdoor:Policy", "acme-gw-gateway-waf", (i) => ({ ...i, policySettings: { ...(i.policySettings as object), mode: "Detection" } }));
    assert.deepEqual(gatewayLogsWaf.check(factsFromGraph(detection), CTX).map((f) => f.message), ["public gateway has neither a WAF nor a rate limit"]);
    const tls11 = mutate(aks, "azure-native:apimanagement:ApiManagementService", "acme-gw-gateway-apim", (i) => ({ ...i, customProperties: { ...(i.customProperties as object), "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11": "true" } }));
    assert.deepEqual(tls.check(factsFromGraph(tls11), CTX).map((f) => f.message), ["gateway accepts TLS 1.1"]);
    const httpRoute = mutate(aks, "azure-native:cdn:Route", "acme-gw-gateway-route", (i) => ({ ...i, httpsRedirect: "Disabled" }));
    assert.deepEqual(tls.check(factsFromGraph(httpRoute), CTX).map((f) => f.message), ["accepts plain HTTP"]);
    const open = mutate(aca, "azure-native:app:ContainerApp", "acme-gw-documents", (i) => ({ ...i, configuration: { ...(i.configuration as object), ingress: { external: true, targetPort: 8080 } } }));
    assert.deepEqual(noPublicAgents.check(factsFromGraph(open), CTX).map((f) => f.message), ["agent documents takes traffic from the internet directly"]);
    const wide = mutate(aks, "azure-native:servicebus:NamespaceNetworkRuleSet", "acme-gw-sb-firewall", (i) => ({ ...i, ipRules: [{ ipMask: "0.0.0.0/0", action: "Allow" }] }));
    assert.equal(messagingNamespace.check(factsFromGraph(wide), CTX).length, 1);
    const noFirewall: ResourceGraph = { ...aks, resources: aks.resources.filter((r) => r.type !== "azure-native:servicebus:NamespaceNetworkRuleSet") };
    assert.match(messagingNamespace.check(factsFromGraph(noFirewall), CTX)[0].message, /accepts traffic from public networks/);
  });
});
