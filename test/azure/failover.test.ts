import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import { AZURE_SUBSCRIPTION } from "../../lib/offline/mocks";
import { planFleet } from "../../lib/plan";
import { MicroAgentsConfigError, parseFleet, type FleetInput, type SpecIssue } from "../../lib/spec";
import { AzureFailoverEntry } from "../../lib/targets/azure/failover";
import { azureEntrySettings, frontedByEntry, parseDnsZoneId } from "../../lib/targets/azure/failover-shape";
import { relativeName } from "../../lib/targets/azure/front-door";
import { HEALTH_PATH } from "../../lib/targets/target";
import { azurePairFleet } from "../helpers/azure";
import { at, one, ofType } from "../helpers/offline";

const ZONE_ID = `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/acme.example`;

const pairFleet = (runtime: "aca" | "aks"): FleetInput => azurePairFleet(runtime, ZONE_ID);

function issuesOf(f: () => unknown): ReadonlyArray<SpecIssue> {
  try {
    f();
  } catch (e) {
    if (e instanceof MicroAgentsConfigError) return e.issues;
    throw e;
  }
  return assert.fail("no config error");
}

describe("the medium tier's failover entry on Azure: Front Door priority origins", () => {
  let g: ResourceGraph;
  before(async () => {
    const input = pairFleet("aks");
    g = await runOffline(() => {
      const fleet = new AgentFleet("acme-support", { fleet: input });
      // AgentFleet builds the entry once it is wired there; otherwise the test builds it over the fleet's two gateways.
      if (fleet.entry) return;
      const [primary, backup] = fleet.deployments.map((d) => d.gateway);
      if (!primary || !backup) throw new Error("both regions have a gateway");
      new AzureFailoverEntry("acme-support-entry", { plan: fleet.plan, settings: azureEntrySettings(fleet.plan.fleet), primary, backup });
    });
  });

  it("keeps the regional gateways without a Front Door of their own: the entry fronts them", () => {
    const plan = planFleet(pairFleet("aks"));
    assert.deepEqual(plan.fleet.targets.map((t) => frontedByEntry(plan.fleet, t)), [true, true]);
    assert.equal(ofType(g, "azure-native:cdn:Profile").length, 1);
    assert.deepEqual(ofType(g, "azure-native:apimanagement:ApiManagementService").map((s) => at(s, "virtualNetworkType")), ["External", "External"]);
  });

  it("has one origin group probed on the health route and the two regions' gateways at priorities 1 and 2", () => {
    const group = one(g, "azure-native:cdn:AFDOriginGroup", "acme-support-entry-origins");
    assert.deepEqual(at(group, "healthProbeSettings"), { probePath: HEALTH_PATH, probeProtocol: "Https", probeRequestType: "GET", probeIntervalInSeconds: 30 });
    assert.deepEqual(at(group, "loadBalancingSettings"), { sampleSize: 4, successfulSamplesRequired: 3, additionalLatencyInMilliseconds: 0 });
    const origins = ["westeurope", "northeurope"].map((r) => one(g, "azure-native:cdn:AFDOrigin", `acme-support-entry-${r}`));
    assert.deepEqual(origins.map((o) => at(o, "priority")), [1, 2]);
    const apimIn = (region: string) => ofType(g, "azure-native:apimanagement:ApiManagementService").find((s) => at(s, "location") === region);
    const hosts = ["westeurope", "northeurope"].map((r) => `${String(at(apimIn(r) ?? { inputs: {} }, "serviceName"))}.azure-api.net`);
    assert.deepEqual(origins.map((o) => at(o, "hostName")), hosts);
    assert.deepEqual(origins.map((o) => at(o, "originHostHeader")), hosts);
    assert.ok(origins.every((o) => at(o, "enforceCertificateNameCheck") === true && at(o, "httpsPort") === 443));
  });

  it("answers on the fleet's host name: a managed certificate (TLS 1.2) validated in the Azure DNS zone, a CNAME to the endpoint", () => {
    const domain = one(g, "azure-native:cdn:AFDCustomDomain", "acme-support-entry-domain");
    assert.equal(at(domain, "hostName"), "agents.acme.example");
    assert.deepEqual(at(domain, "tlsSettings"), { certificateType: "ManagedCertificate", minimumTlsVersion: "TLS12" });
    assert.deepEqual(at(domain, "azureDnsZone"), { id: ZONE_ID });
    const txt = one(g, "azure-native:dns:RecordSet", "acme-support-entry-dnsauth");
    assert.deepEqual([at(txt, "resourceGroupName"), at(txt, "zoneName"), at(txt, "recordType"), at(txt, "relativeRecordSetName")], ["rg-dns", "acme.example", "TXT", "_dnsauth.agents"]);
    assert.match(String(at(txt, "txtRecords", 0, "value", 0)), /^[0-9a-f]{28,32}$/);
    const cname = one(g, "azure-native:dns:RecordSet", "acme-support-entry-host");
    assert.equal(at(cname, "relativeRecordSetName"), "agents");
    assert.match(String(at(cname, "cnameRecord", "cname")), /\.z01\.azurefd\.net$/);
    const route = one(g, "azure-native:cdn:Route", "acme-support-entry-route");
    assert.match(String((at(route, "customDomains") as Array<{ id: string }>)[0].id), /customDomains\/agents-acme-example$/);
    assert.equal(relativeName("acme.example", "acme.example"), "@");
  });

  it("puts the WAF at the edge, and each region's APIM admits the entry's Front Door alone", () => {
    const waf = one(g, "azure-native:frontdoor:Policy", "acme-support-entry-waf");
    assert.equal(at(waf, "policySettings", "mode"), "Prevention");
    const sp = one(g, "azure-native:cdn:SecurityPolicy", "acme-support-entry-waf");
    assert.equal((at(sp, "parameters", "associations", 0, "domains") as unknown[]).length, 2, "the endpoint and the custom domain");
    const policies = ofType(g, "azure-native:apimanagement:Policy");
    assert.deepEqual(policies.map((p) => p.name).sort(), ["acme-support-entry-northeurope-front-door-only", "acme-support-entry-westeurope-front-door-only"]);
    const fdid = String(policies[0].inputs.value).match(/<value>([0-9a-f-]{36})<\/value>/)?.[1];
    assert.ok(fdid && policies.every((p) => String(p.inputs.value).includes(fdid)));
  });

  it("alerts each region's action group when Front Door finds its gateway unhealthy", () => {
    const alerts = ["westeurope", "northeurope"].map((r) => one(g, "azure-native:monitor:MetricAlert", `acme-support-entry-${r}-health`));
    for (const [i, a] of alerts.entries()) {
      assert.equal(at(a, "criteria", "allOf", 0, "metricName"), "OriginHealthPercentage");
      assert.equal(at(a, "criteria", "allOf", 0, "threshold"), 50);
      assert.match(String(at(a, "scopes", 0)), /Microsoft\.Cdn\/profiles\/acme-support-prod-entry-edge$/);
      assert.match(String(at(a, "actions", 0, "actionGroupId")), new RegExp(`resourceGroups/rg-acme-support-prod-${["westeurope", "northeurope"][i]}/`));
    }
  });

  it("needs a host name, an Azure DNS zone holding it, and public gateways: every problem at once, with the field and the fix", () => {
    const fleet = (gateway: Record<string, unknown>) => parseFleet({ ...pairFleet("aca"), spec: { ...pairFleet("aca").spec, gateway: { jwt: pairFleet("aca").spec.gateway?.jwt, ...gateway } } });
    assert.deepEqual(
      issuesOf(() => azureEntrySettings(fleet({}))).map((i) => i.path),
      ["spec.gateway.hostname", "spec.gateway.azureDnsZoneId", "spec.gateway.public"],
    );
    const wrongZone = issuesOf(() => azureEntrySettings(fleet({ hostname: "agents.other.example", public: true }), { azureDnsZoneId: ZONE_ID }));
    assert.deepEqual(wrongZone.map((i) => `${i.path}: ${i.message}`), ["spec.gateway.hostname: 'agents.other.example' is not in the DNS zone acme.example"]);
    const notAnId = issuesOf(() => azureEntrySettings(fleet({ hostname: "agents.acme.example", public: true }), { azureDnsZoneId: "acme.example" }));
    assert.match(notAnId[0].hint ?? "", /dnszones\/example\.com/);
    assert.deepEqual(azureEntrySettings(fleet({ public: true }), { hostname: "agents.acme.example", azureDnsZoneId: ZONE_ID }).zone, { id: ZONE_ID, subscriptionId: AZURE_SUBSCRIPTION, resourceGroupName: "rg-dns", zoneName: "acme.example" });
    assert.equal(parseDnsZoneId("/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/dnszones/a.b"), undefined, "not a subscription id");
  });
});
