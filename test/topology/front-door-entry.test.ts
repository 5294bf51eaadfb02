import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { estimateGraph } from "../../lib/cost";
import { factsFromGraph } from "../../lib/facts";
import { runOffline, type CapturedResource, type ResourceGraph } from "../../lib/offline/engine";
import { AZURE_SUBSCRIPTION } from "../../lib/offline/mocks";
import { isConfigError, parseFleet, type FleetInput, type SpecIssue } from "../../lib/spec";
import { healthProbeSource } from "../../lib/targets/aws/health";
import { ORIGIN_HEALTH_ALERT } from "../../lib/targets/azure/entry-parts";
import { FRONT_DOOR_PROBE, WAF_MANAGED_RULE_SETS, wafRateLimitPerMinute } from "../../lib/targets/azure/front-door";
import { GLOBAL_LOAD_BALANCING } from "../../lib/targets/azure/global-entry";
import { globalEntrySettings } from "../../lib/targets/global-entry-shape";
import { loadPolicyConfig } from "../../policies/engine/config";
import { loadEstimator } from "../../policies/engine/cost";
import { evaluate } from "../../policies/engine/evaluate";
import { ENTRY_HOST, enterpriseFleet, GCP_PROJECT } from "../helpers/enterprise";
import { CHECK_DAY } from "../policies/fixtures/kit";
import { at, one, ofType } from "../helpers/offline";

const HOST = ENTRY_HOST;
const ZONE_ID = `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/acme.example`;
const T = {
  profile: "azure-native:cdn:Profile",
  waf: "azure-native:frontdoor:Policy",
  group: "azure-native:cdn:AFDOriginGroup",
  origin: "azure-native:cdn:AFDOrigin",
  route: "azure-native:cdn:Route",
  domain: "azure-native:cdn:AFDCustomDomain",
  security: "azure-native:cdn:SecurityPolicy",
  record: "azure-native:dns:RecordSet",
  alert: "azure-native:monitor:MetricAlert",
  apimPolicy: "azure-native:apimanagement:Policy",
  actionGroup: "azure-native:monitor:ActionGroup",
  authorizer: "aws:apigateway/authorizer:Authorizer",
  method: "aws:apigateway/method:Method",
  lambda: "aws:lambda/function:Function",
};

/** The enterprise fleet (test/helpers/enterprise.ts) with a 300/min route, so the WAF's per-IP limit is its floor of 300. */
function enterprise(gateway: Record<string, unknown>, targets?: FleetInput["spec"]["targets"]): FleetInput {
  return enterpriseFleet(gateway, { rateLimitPerMinute: 300, ...(targets ? { targets } : {}) });
}

function issuesOf(f: () => unknown): ReadonlyArray<SpecIssue> {
  try {
    f();
  } catch (e) {
    if (isConfigError(e)) return e.issues;
    throw e;
  }
  assert.fail("expected a MicroAgentsConfigError");
}

/** A nested value of a plain object (at() reads a resource's inputs). */
const dig = (o: Record<string, unknown>, ...path: string[]): unknown => at({ inputs: o }, ...path);
const text = (v: unknown): string => (typeof v === "string" ? v : String((v as { value?: unknown } | undefined)?.value));

describe("an enterprise fleet on EKS, AKS and GKE behind one Azure Front Door global entry", () => {
  let graph: ResourceGraph;
  let fleet: AgentFleet | undefined;
  before(async () => {
    graph = await runOffline(() => {
      fleet = new AgentFleet("acme", { fleet: enterprise({ azureDnsZoneId: ZONE_ID, globalEntry: "frontdoor" }) });
    });
  });

  const origin = (key: string): CapturedResource => one(graph, T.origin, `acme-entry-${key}`);

  it("builds one Front Door entry (the edge first) and nothing of Route 53; the AKS gateway keeps no Front Door of its own", () => {
    assert.equal(ofType(graph, "microagents:entry:FrontDoorEdge").length, 1);
    assert.equal(ofType(graph, "microagents:entry:AzureGlobalEntry").length, 1);
    assert.equal(ofType(graph, "microagents:entry:AwsGlobalEntry").length, 0);
    for (const type of ["aws:route53/record:Record", "aws:route53/healthCheck:HealthCheck", "gcp:dns/recordSet:RecordSet"]) assert.equal(ofType(graph, type).length, 0, type);
    assert.deepEqual(ofType(graph, T.profile).map((p) => p.name), ["acme-entry-fd"]);
    assert.deepEqual(ofType(graph, T.waf).map((p) => p.name), ["acme-entry-waf"]);
    assert.equal(fleet?.entry?.url !== undefined, true);
  });

  it("puts Front Door Premium and a Prevention WAF in the AKS target's resource group", () => {
    const profile = one(graph, T.profile, "acme-entry-fd");
    const group = at(one(graph, "azure-native:resources:ResourceGroup", "acme-aks-westeurope-rg"), "resourceGroupName");
    assert.deepEqual([at(profile, "sku"), at(profile, "location"), at(profile, "resourceGroupName"), at(profile, "originResponseTimeoutSeconds")], [{ name: "Premium_AzureFrontDoor" }, "global", group, fleet?.plan.agents.find((a) => a.route)?.route?.timeoutSeconds]);
    const waf = one(graph, T.waf, "acme-entry-waf");
    assert.deepEqual(at(waf, "policySettings"), { enabledState: "Enabled", mode: "Prevention", requestBodyCheck: "Enabled", customBlockResponseStatusCode: 403 });
    assert.deepEqual(at(waf, "managedRules", "managedRuleSets"), WAF_MANAGED_RULE_SETS.map((s) => ({ ...s })));
    assert.equal(at(waf, "customRules", "rules", 0, "rateLimitThreshold"), wafRateLimitPerMinute([300]));
    assert.deepEqual(at(waf, "customRules", "rules", 0, "groupBy"), [{ variableName: "SocketAddr" }]);
    const security = one(graph, T.security, "acme-entry-waf");
    assert.equal((at(security, "parameters", "associations", 0, "domains") as unknown[]).length, 2, "the WAF guards the endpoint and the custom domain");
  });

  it("has one origin group probed on the health route and balanced by latency among equal origins", () => {
    const group = one(graph, T.group, "acme-entry-origins");
    assert.deepEqual(at(group, "healthProbeSettings"), { ...FRONT_DOOR_PROBE });
    assert.deepEqual(at(group, "loadBalancingSettings"), { sampleSize: 4, successfulSamplesRequired: 3, additionalLatencyInMilliseconds: 0 });
    assert.deepEqual(at(group, "loadBalancingSettings"), { ...GLOBAL_LOAD_BALANCING });
    assert.equal(at(group, "sessionAffinityState"), "Disabled");
    assert.deepEqual(ofType(graph, T.origin).map((o) => o.name).sort(), ["acme-entry-aws-us-east-1", "acme-entry-azure-westeurope", "acme-entry-gcp-europe-west4"]);
    for (const o of ofType(graph, T.origin)) {
      assert.deepEqual([at(o, "priority"), at(o, "weight"), at(o, "httpsPort"), at(o, "enforceCertificateNameCheck"), at(o, "enabledState")], [1, 1000, 443, true, "Enabled"], o.name);
    }
  });

  it("reaches each cloud's gateway with a certificate for the name it sends (Host and SNI)", () => {
    const aws = origin("aws-us-east-1");
    assert.match(text(at(aws, "hostName")), /^d-[0-9a-z]+\.execute-api\.us-east-1\.amazonaws\.com$/, "the regional custom domain's target name");
    assert.equal(at(aws, "originHostHeader"), HOST);
    const azure = origin("azure-westeurope");
    assert.match(text(at(azure, "hostName")), /\.azure-api\.net$/);
    assert.equal(at(azure, "originHostHeader"), at(azure, "hostName"), "APIM answers on its own name and certificate");
    const gcp = origin("gcp-europe-west4");
    assert.match(text(at(gcp, "hostName")), /^\d+\.\d+\.\d+\.\d+$/, "the global load balancer's address");
    assert.equal(at(gcp, "originHostHeader"), HOST);
    const domain = one(graph, "aws:apigateway/domainName:DomainName", "acme-entry-us-east-1");
    assert.deepEqual([at(domain, "domainName"), at(domain, "endpointConfiguration"), at(domain, "securityPolicy")], [HOST, { types: "REGIONAL" }, "TLS_1_2"]);
    assert.equal(ofType(graph, "aws:apigateway/basePathMapping:BasePathMapping").length, 1);
    assert.equal(at(one(graph, "gcp:certificatemanager/dnsAuthorization:DnsAuthorization", "acme-gke-europe-west4-gateway-dns-auth"), "domain"), HOST);
  });

  it("serves https://<hostname> with the managed certificate validated in the Azure DNS zone, HTTPS only, no caching", () => {
    const route = one(graph, T.route, "acme-entry-route");
    assert.deepEqual(
      [at(route, "supportedProtocols"), at(route, "httpsRedirect"), at(route, "forwardingProtocol"), at(route, "patternsToMatch"), at(route, "cacheConfiguration"), (at(route, "customDomains") as unknown[]).length],
      [["Http", "Https"], "Enabled", "HttpsOnly", ["/*"], undefined, 1],
    );
    const domain = one(graph, T.domain, "acme-entry-domain");
    assert.deepEqual([at(domain, "hostName"), at(domain, "azureDnsZone"), at(domain, "tlsSettings")], [HOST, { id: ZONE_ID }, { certificateType: "ManagedCertificate", minimumTlsVersion: "TLS12" }]);
    const auth = one(graph, T.record, "acme-entry-dnsauth");
    assert.deepEqual([at(auth, "resourceGroupName"), at(auth, "zoneName"), at(auth, "recordType"), at(auth, "relativeRecordSetName")], ["rg-dns", "acme.example", "TXT", "_dnsauth.agents"]);
    const host = one(graph, T.record, "acme-entry-host");
    assert.deepEqual([at(host, "recordType"), at(host, "relativeRecordSetName")], ["CNAME", "agents"]);
    assert.match(text(at(host, "cnameRecord", "cname")), /\.azurefd\.net$/);
  });

  it("writes the ACM and Certificate Manager validation CNAMEs into the Azure DNS zone", () => {
    const acm = one(graph, T.record, "acme-entry-acm-validation");
    assert.deepEqual([at(acm, "resourceGroupName"), at(acm, "zoneName"), at(acm, "recordType"), at(acm, "ttl")], ["rg-dns", "acme.example", "CNAME", 300]);
    const acmName = text(at(acm, "relativeRecordSetName"));
    assert.match(acmName, /^_[0-9a-z]+\.agents$/);
    assert.match(text(at(acm, "cnameRecord", "cname")), /\.acm-validations\.aws\.$/);
    const validation = one(graph, "aws:acm/certificateValidation:CertificateValidation", "acme-entry-us-east-1");
    assert.deepEqual(at(validation, "validationRecordFqdns"), [`${acmName}.acme.example`], "ACM waits on the record in the Azure zone");
    assert.equal(at(one(graph, "aws:acm/certificate:Certificate", "acme-entry-us-east-1"), "domainName"), HOST);
    const gcp = one(graph, T.record, "acme-entry-europe-west4-cert-validation");
    assert.deepEqual([at(gcp, "resourceGroupName"), at(gcp, "zoneName"), at(gcp, "recordType"), at(gcp, "ttl")], ["rg-dns", "acme.example", "CNAME", 300]);
    assert.match(text(at(gcp, "relativeRecordSetName")), /^_acme-challenge_[0-9a-f]+\.agents$/);
    assert.match(text(at(gcp, "cnameRecord", "cname")), /\.authorize\.certificatemanager\.goog\.$/);
    assert.deepEqual(ofType(graph, T.record).map((r) => r.name).sort(), ["acme-entry-acm-validation", "acme-entry-dnsauth", "acme-entry-europe-west4-cert-validation", "acme-entry-host"]);
  });

  it("has the AWS health route admit this Front Door's id (an identity source every request has, no cache) and APIM admit only this Front Door", () => {
    const apim = one(graph, T.apimPolicy, "acme-entry-westeurope-front-door-only");
    const id = /<value>([0-9a-f-]{36})<\/value>/.exec(text(at(apim, "value")))?.[1];
    assert.ok(id, "the APIM policy names the profile's id");
    assert.match(text(at(apim, "value")), /check-header name="X-Azure-FDID"/);
    const authorizer = ofType(graph, T.authorizer).find((a) => at(a, "name") === "health-probe");
    assert.ok(authorizer);
    assert.deepEqual([at(authorizer, "type"), at(authorizer, "identitySource"), at(authorizer, "authorizerResultTtlInSeconds")], ["REQUEST", "context.identity.sourceIp", 0], "left unset, the provider sends the Authorization header, which Front Door's probes lack: API Gateway would answer 401");
    const method = ofType(graph, T.method).find((m) => at(m, "authorizerId") !== undefined && (JSON.stringify(at(m, "requestParameters")) ?? "").includes("probe"));
    assert.ok(method);
    assert.deepEqual(at(method, "requestParameters"), { "method.request.querystring.probe": false }, "Front Door's probes carry no token");
    const health = one(graph, T.lambda, "acme-eks-us-east-1-gateway-health");
    assert.equal(at(health, "environment", "value", "variables", "FRONT_DOOR_ID"), id, "the Lambda (its environment secret: it holds the token's digest) admits the same profile APIM admits");
  });

  it("has the AWS web ACL and Cloud Armor admit this Front Door only, limiting per client by X-Azure-SocketIP", () => {
    const id = /<value>([0-9a-f-]{36})<\/value>/.exec(text(at(one(graph, T.apimPolicy, "acme-entry-westeurope-front-door-only"), "value")))?.[1];
    assert.ok(id);
    const acl = ofType(graph, "aws:wafv2/webAcl:WebAcl");
    assert.equal(acl.length, 1);
    const rules = at(acl[0], "rules") as Array<Record<string, unknown>>;
    assert.deepEqual(rules.map((r) => [r.name, r.priority]).slice(0, 2), [["front-door-only", 0], ["rate-limit-per-ip", 1]]);
    assert.deepEqual(rules[0].action, { block: {} });
    assert.deepEqual(dig(rules[0], "statement", "notStatement", "statement", "byteMatchStatement"), { fieldToMatch: { singleHeader: { name: "x-azure-fdid" } }, positionalConstraint: "EXACTLY", searchString: id, textTransformations: [{ priority: 0, type: "LOWERCASE" }] });
    assert.deepEqual(dig(rules[1], "statement", "rateBasedStatement", "forwardedIpConfig"), { headerName: "X-Azure-SocketIP", fallbackBehavior: "MATCH" });
    assert.equal(dig(rules[1], "statement", "rateBasedStatement", "aggregateKeyType"), "FORWARDED_IP");
    assert.deepEqual(rules.slice(2).map((r) => r.priority), rules.slice(2).map((_, i) => i + 2), "the managed groups follow, priorities unique");
    const armor = ofType(graph, "gcp:compute/securityPolicy:SecurityPolicy");
    assert.equal(armor.length, 1);
    const armorRules = at(armor[0], "rules") as Array<Record<string, unknown>>;
    const first = armorRules.reduce((a, b) => (Number(a.priority) < Number(b.priority) ? a : b));
    assert.deepEqual([first.priority, first.action, dig(first, "match", "expr", "expression")], [900, "deny(403)", `!has(request.headers['x-azure-fdid']) || request.headers['x-azure-fdid'].lower() != '${id}'`]);
    const throttles = armorRules.filter((r) => r.action === "throttle");
    assert.ok(throttles.length >= 2, "the health route's and the route's throttles");
    for (const t of throttles) assert.deepEqual([dig(t, "rateLimitOptions", "enforceOnKey"), dig(t, "rateLimitOptions", "enforceOnKeyName")], ["HTTP_HEADER", "X-Azure-SocketIP"]);
  });

  it("alerts the fleet's e-mails through the AKS target's action group when an origin's health drops", () => {
    const alerts = ofType(graph, T.alert).filter((a) => a.name.startsWith("acme-entry-"));
    assert.deepEqual(alerts.map((a) => a.name).sort(), ["acme-entry-aws-us-east-1-health", "acme-entry-azure-westeurope-health", "acme-entry-gcp-europe-west4-health"]);
    assert.deepEqual(ofType(graph, T.actionGroup).map((g) => g.name), ["acme-aks-westeurope-alerts"], "the fleet's one Azure action group (its alert e-mails)");
    for (const key of ["aws-us-east-1", "azure-westeurope", "gcp-europe-west4"]) {
      const alert = one(graph, T.alert, `acme-entry-${key}-health`);
      const criterion = at(alert, "criteria", "allOf", 0) as Record<string, unknown>;
      assert.deepEqual(
        [criterion.metricName, criterion.metricNamespace, criterion.operator, criterion.threshold, criterion.timeAggregation, at(alert, "windowSize"), at(alert, "severity"), at(alert, "ruleName")],
        [ORIGIN_HEALTH_ALERT.metricName, ORIGIN_HEALTH_ALERT.metricNamespace, "LessThan", 50, "Average", "PT5M", 1, `acme-prod-${key}-entry-health`],
      );
      const host = text(at(origin(key), "hostName"));
      assert.deepEqual(criterion.dimensions, [{ name: "Origin", operator: "Include", values: [host, `${host}:443`] }], "the alert watches its own origin, in either form of the dimension's value");
      assert.match(text(at(alert, "actions", 0, "actionGroupId")), /resourceGroups\/rg-acme-prod-westeurope\/providers\/Microsoft\.Insights\/actionGroups\/acme-prod-alerts$/i);
      assert.match(text(at(alert, "scopes", 0)), /resourceGroups\/rg-acme-prod-westeurope\/providers\/Microsoft\.Cdn\/profiles\/acme-prod-entry-edge$/);
      assert.equal(at(alert, "resourceGroupName"), "rg-acme-prod-westeurope");
    }
  });
});

describe("the Front Door health route's authorizer, as shipped", () => {
  type Authorize = (event: unknown, expectedHex: string, frontDoorId?: string) => { principalId: string };
  let authorize: Authorize;
  const FDID = "0f0e0d0c-0b0a-4908-8706-050403020100";
  const METHOD = "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/_microagents/health";
  before(async () => {
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(healthProbeSource()).toString("base64")}`)) as { authorize: Authorize };
    authorize = mod.authorize;
  });

  it("admits the profile's X-Azure-FDID whatever the header's case, and nothing else without the token", () => {
    assert.equal(authorize({ type: "REQUEST", methodArn: METHOD, headers: { "X-Azure-FDID": FDID } }, "0".repeat(64), FDID).principalId, "front-door-health-probe");
    assert.equal(authorize({ type: "REQUEST", methodArn: METHOD, headers: { "x-azure-fdid": FDID.toUpperCase() } }, "0".repeat(64), FDID).principalId, "front-door-health-probe");
    for (const headers of [{}, { "X-Azure-FDID": "11111111-2222-4333-8444-555555555555" }, { "X-Azure-FDID": "" }]) {
      assert.throws(() => authorize({ type: "REQUEST", methodArn: METHOD, headers }, "0".repeat(64), FDID), /Unauthorized/);
    }
    assert.throws(() => authorize({ type: "REQUEST", methodArn: METHOD, headers: { "X-Azure-FDID": FDID } }, "0".repeat(64), undefined), /Unauthorized/, "without a Front Door entry the header admits nothing");
  });
});

describe("Front Door global entry settings", () => {
  const parsed = (gateway: Record<string, unknown>, targets?: FleetInput["spec"]["targets"]) => parseFleet(enterprise(gateway, targets));

  it("resolves the Azure DNS zone from the fleet or from config", () => {
    const fromSpec = globalEntrySettings(parsed({ azureDnsZoneId: ZONE_ID, globalEntry: "frontdoor" }));
    assert.deepEqual(fromSpec, { kind: "frontdoor", hostname: HOST, zone: { id: ZONE_ID, subscriptionId: AZURE_SUBSCRIPTION, resourceGroupName: "rg-dns", zoneName: "acme.example" }, targets: [0, 1, 2] });
    assert.deepEqual(globalEntrySettings(parsed({ globalEntry: "frontdoor" }), { azureDnsZoneId: ZONE_ID })?.zone, fromSpec?.zone);
  });

  it("reports a missing zone, no Azure target and a private gateway, every one at once, naming the field and the fix", () => {
    const issues = issuesOf(() => globalEntrySettings(parsed({ globalEntry: "frontdoor", public: false }, [{ runtime: "eks", region: "us-east-1" }, { runtime: "gke", region: "europe-west4", ...GCP_PROJECT }])));
    assert.deepEqual(issues.map((i) => i.path), ["spec.gateway.public", "spec.gateway.azureDnsZoneId", "spec.gateway.globalEntry"]);
    assert.match(issues[1].message, /an Azure Front Door global entry needs the Azure DNS zone/);
    assert.match(issues[1].hint ?? "", /microagents:azureDnsZoneId/);
    assert.match(issues[2].message, /no target behind it is on Azure \(aws \(eks us-east-1\), gcp \(gke europe-west4\)\)/);
    assert.match(issues[2].hint ?? "", /globalEntry: route53, or add an aca or aks target/);
    const wrongZone = issuesOf(() => globalEntrySettings(parsed({ globalEntry: "frontdoor", hostname: "agents.other.example" }), { azureDnsZoneId: ZONE_ID }));
    assert.deepEqual(wrongZone.map((i) => [i.path, i.message]), [["spec.gateway.hostname", "'agents.other.example' is not in the DNS zone acme.example"]]);
  });
});

describe("the Route 53 global entry is unchanged by Front Door", () => {
  let graph: ResourceGraph;
  before(async () => {
    graph = await runOffline(() => new AgentFleet("r53", { fleet: enterprise({ hostedZoneId: "Z0ACMEZONE1234" }, [{ runtime: "eks", region: "us-east-1" }, { runtime: "aks", region: "westeurope", agents: ["front", "worker"] }]) }));
  });

  it("keeps the query-token authorizer, its cache and its ACM record in Route 53; the AKS gateway keeps its own Front Door", () => {
    const authorizer = ofType(graph, T.authorizer).find((a) => at(a, "name") === "health-probe");
    assert.ok(authorizer);
    assert.deepEqual([at(authorizer, "identitySource"), at(authorizer, "authorizerResultTtlInSeconds")], ["method.request.querystring.probe", 300]);
    assert.deepEqual(Object.keys(at(one(graph, T.lambda, "r53-eks-us-east-1-gateway-health"), "environment", "value", "variables") as object), ["PROBE_TOKEN_SHA256"], "no Front Door id to admit");
    assert.equal(at(one(graph, "aws:route53/record:Record", "r53-entry-validation"), "type"), "CNAME");
    assert.equal(ofType(graph, "microagents:entry:AzureGlobalEntry").length + ofType(graph, "microagents:entry:FrontDoorEdge").length, 0);
    assert.equal(ofType(graph, T.record).some((r) => r.name.endsWith("acm-validation")), false);
    assert.equal(ofType(graph, T.profile).length, 1, "behind Route 53 the public AKS gateway keeps its own Front Door");
    const rules = at(one(graph, "aws:wafv2/webAcl:WebAcl", "r53-eks-us-east-1-gateway"), "rules") as Array<Record<string, unknown>>;
    assert.deepEqual([rules[0].name, rules[0].priority, dig(rules[0], "statement", "rateBasedStatement", "aggregateKeyType")], ["rate-limit-per-ip", 0, "IP"], "no Front Door rule, the limit per source address");
  });
});

describe("stacks/enterprise.ts with microagents:globalEntry=frontdoor passes every mandatory rule", () => {
  it("in prod, with one Front Door entry and no Route 53 zone", async () => {
    const config = { "gcp:project": "acme-research-prod", "microagents:billingAccount": "012345-6789AB-CDEF01", "microagents:environment": "prod", "microagents:globalEntry": "frontdoor", "microagents:azureDnsZoneId": ZONE_ID };
    const graph = await runOffline("stacks/enterprise.ts", { config });
    assert.equal(ofType(graph, "microagents:entry:AzureGlobalEntry").length, 1);
    assert.equal(ofType(graph, "aws:route53/zone:Zone").length, 0, "the stack creates no Route 53 zone for a Front Door entry");
    assert.equal(ofType(graph, T.origin).length, 3, "an origin per cloud gateway");
    const profile = estimateGraph(graph).items.filter((i) => i.type === "azure-native:cdn:Profile");
    assert.deepEqual(profile.map((p) => [p.resource, /\(every request of the fleet \(an entry's profile\)\)/.test(p.basis)]), [["acme-research-entry-fd", true]], "the entry's profile carries every request, not one gateway's share");
    const { tier: _tier, environment: _environment, ...shared } = loadPolicyConfig("policies/prod.json");
    const result = evaluate(factsFromGraph(graph), { config: shared, now: CHECK_DAY, estimateCost: loadEstimator() });
    assert.equal(result.environment, "prod");
    assert.deepEqual(result.violations.filter((v) => v.enforcement === "mandatory").map((v) => `${v.ruleId} ${v.resource}: ${v.message}`), []);
  });
});
