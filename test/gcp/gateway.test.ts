import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { estimateCost } from "../../lib/cost/estimate";
import { factsFromGraph } from "../../lib/facts";
import { envoyConfigOf } from "../../lib/facts/gcp-gateway";
import type { CapturedResource, ResourceGraph } from "../../lib/offline/engine";
import { GCP_PROJECT_NUMBER } from "../../lib/offline/mocks/gcp";
import { MicroAgentsConfigError } from "../../lib/spec";
import { armorRule, RULE_DESCRIPTION_MAX } from "../../lib/targets/gcp/armor";
import { ARMOR_WAF_RULES, armorRules, ENVOY_IMAGE, READY_PATH, type GcpRoute } from "../../lib/targets/gcp/gateway-shape";
import { OPA_ENVOY_IMAGE } from "../../lib/targets/kubernetes/request-validator";
import { HEALTH_PATH } from "../../lib/targets/target";
import { ruleById } from "../../policies/rules";
import { ruleContext } from "../../policies/engine/evaluate";
import { gcpAgent, gcpFleet, planGcp, PROJECT } from "../helpers/gcp";
import { at, one, ofType } from "../helpers/offline";

const JWT = { issuer: "https://auth.acme.example/", jwksUri: "https://auth.acme.example/.well-known/jwks.json", audiences: ["agents.acme.example"] };
const SCHEMA = { type: "object", required: ["subject"], properties: { subject: { type: "string" } } };
const agents = [
  gcpAgent("intake", { route: { path: "/emails", auth: "jwt", rateLimitPerMinute: 300, schema: SCHEMA }, queue: { fifo: true } }),
  gcpAgent("search", { route: { path: "/search", auth: "jwt", invoke: "sync", weight: 25, timeoutSeconds: 20 }, scaling: { mode: "horizontal", min: 1, max: 4 } }),
  gcpAgent("billing", { route: { path: "/billing", auth: "jwt", weight: 0 } }),
  gcpAgent("writer", { scaling: { mode: "horizontal", min: 0, max: 3 } }),
];
const gateway = { hostname: "agents.acme.example", jwt: JWT, legacyBackend: { url: "https://monolith.acme.example/app" } };
const publicFleet = (runtime: "run" | "gke") => gcpFleet(runtime, agents, { gateway: { ...gateway, public: true } });

type Route = { name: string; match: Record<string, unknown>; route?: Record<string, unknown>; direct_response?: { status: number }; typed_per_filter_config: Record<string, Record<string, unknown>> };

/** The Envoy routes a proxy runs, from its container arguments. */
function envoyRoutes(args: unknown): Route[] {
  const config = envoyConfigOf(Array.isArray(args) ? args.map(String) : []);
  assert.ok(config, "the proxy runs an Envoy bootstrap given as --config-yaml");
  const hcm = (config.static_resources as { listeners: Array<{ filter_chains: Array<{ filters: Array<{ typed_config: { route_config: { virtual_hosts: Array<{ routes: Route[] }> }; http_filters: Array<{ name: string }> } }> }> }> }).listeners[0].filter_chains[0].filters[0].typed_config;
  return hcm.route_config.virtual_hosts[0].routes;
}

function route(routes: Route[], name: string): Route {
  const r = routes.find((x) => x.name === name);
  assert.ok(r, `no Envoy route ${name}: ${routes.map((x) => x.name).join(", ")}`);
  return r;
}

const proxyOf = (g: ResourceGraph): CapturedResource => one(g, "gcp:cloudrunv2/service:Service", "acme-gateway-proxy");

describe("gcp gateway: the same routes on Cloud Run and GKE, behind Google's load balancer", () => {
  let run: ResourceGraph;
  let gke: ResourceGraph;
  let internal: ResourceGraph;
  before(async () => {
    run = await planGcp(publicFleet("run"));
    gke = await planGcp(publicFleet("gke"));
    internal = await planGcp(gcpFleet("run", agents, { gateway }));
  });

  it("runs Envoy and the OPA-Envoy validator on Cloud Run, reached only through the load balancer", () => {
    const proxy = proxyOf(run);
    assert.equal(at(proxy, "ingress"), "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
    assert.equal(at(proxy, "invokerIamDisabled"), true);
    assert.equal(at(proxy, "template", "serviceAccount"), `acme-prod-gateway@${PROJECT}.iam.gserviceaccount.com`);
    assert.equal(at(proxy, "template", "vpcAccess", "egress"), "ALL_TRAFFIC");
    const containers = at(proxy, "template", "containers") as Array<Record<string, unknown>>;
    assert.deepEqual(containers.map((c) => [c.name, c.image]), [["envoy", ENVOY_IMAGE], ["validator", OPA_ENVOY_IMAGE]]);
    assert.deepEqual(at(proxy, "template", "containers", 0, "dependsOns"), ["validator"]);
    assert.deepEqual(at(proxy, "template", "containers", 0, "startupProbe", "httpGet"), { path: READY_PATH, port: 8080 });
    assert.deepEqual(at(proxy, "template", "volumes", 0, "secret", "items"), [{ version: "latest", path: "policy.rego" }]);
    const secret = one(run, "gcp:secretmanager/secret:Secret", "acme-gateway-validator-policy");
    assert.match(String(at(secret, "replication", "userManaged", "replicas", 0, "customerManagedEncryption", "kmsKeyName")), /cryptoKeys\//);
    // A secret input is captured as Pulumi's secret envelope: its `value` is the policy.
    assert.match(String(at(one(run, "gcp:secretmanager/secretVersion:SecretVersion", "acme-gateway-validator-policy"), "secretData", "value")), /json\.match_schema\(input\.parsed_body, schemas\[route\]\)/);
    const neg = one(run, "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup", "acme-gateway-proxy");
    assert.deepEqual([at(neg, "networkEndpointType"), at(neg, "cloudRun", "service")], ["SERVERLESS", "acme-prod-gateway"]);
  });

  it("publishes async routes to the agent's topic (Lua, 202) and proxies sync routes to the agent with an identity token", () => {
    const routes = envoyRoutes(at(proxyOf(run), "template", "containers", 0, "args"));
    const intake = route(routes, "intake");
    assert.deepEqual(intake.match, { path: "/emails" });
    assert.equal(intake.direct_response?.status, 502, "a request the Lua script did not publish is not sent anywhere");
    const lua = String((intake.typed_per_filter_config["envoy.filters.http.lua"].source_code as { inline_string: string }).inline_string);
    assert.match(lua, new RegExp(`/v1/projects/${PROJECT}/topics/acme-prod-intake-in:publish`));
    assert.match(lua, /us-central1-pubsub\.googleapis\.com/);
    assert.match(lua, /local ORDERED = true/);
    assert.match(lua, /reply\(h, "202"/);
    assert.match(lua, /h:base64Escape\(data\)/);
    assert.equal(intake.typed_per_filter_config["envoy.filters.http.jwt_authn"].requirement_name, "fleet");
    assert.deepEqual(intake.typed_per_filter_config["envoy.filters.http.ext_authz"], { "@type": "type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute", check_settings: {} });
    assert.deepEqual((intake.typed_per_filter_config["envoy.filters.http.local_ratelimit"].token_bucket as object), { max_tokens: 300, tokens_per_fill: 300, fill_interval: "60s" });
    assert.deepEqual(route(routes, "intake-subpaths").match, { prefix: "/emails/" });

    const search = route(routes, "search");
    const host = `acme-prod-search-${GCP_PROJECT_NUMBER}.us-central1.run.app`;
    assert.deepEqual(search.route?.weighted_clusters, { clusters: [{ name: "agent-search", weight: 25, host_rewrite_literal: host }, { name: "legacy", weight: 75, host_rewrite_literal: "monolith.acme.example" }] });
    assert.equal(search.route?.timeout, "20s");
    assert.deepEqual(search.route?.retry_policy, { retry_on: "connect-failure,refused-stream,reset,retriable-status-codes", retriable_status_codes: [502, 503, 504], num_retries: 3, retry_back_off: { base_interval: "1s", max_interval: "4s" } });
    assert.deepEqual(search.typed_per_filter_config["envoy.filters.http.ext_authz"].disabled, true);

    const billing = route(routes, "billing");
    assert.deepEqual(billing.route, { cluster: "legacy", host_rewrite_literal: "monolith.acme.example", timeout: "29s", regex_rewrite: { pattern: { regex: "^(.*)$" }, substitution: "/app\\1" } });
    const fallback = route(routes, "legacy-fallback");
    assert.deepEqual(fallback.match, { prefix: "/" });
    assert.equal(fallback.typed_per_filter_config["envoy.filters.http.jwt_authn"].requirement_name, "fleet", "paths no agent serves go to the monolith with the fleet's JWT");

    const config = envoyConfigOf((at(proxyOf(run), "template", "containers", 0, "args") as string[]).map(String)) as Record<string, unknown>;
    const clusters = (config.static_resources as { clusters: Array<Record<string, unknown>> }).clusters;
    const agent = clusters.find((c) => c.name === "agent-search");
    assert.deepEqual(agent?.metadata, { typed_filter_metadata: { "envoy.filters.http.gcp_authn": { "@type": "type.googleapis.com/envoy.extensions.filters.http.gcp_authn.v3.Audience", url: `https://${host}` } } });
    assert.deepEqual((agent?.outlier_detection as { consecutive_5xx: number }).consecutive_5xx, 5);
    assert.ok(!clusters.some((c) => c.name === "agent-writer"), "an agent that scales to zero is neither called nor health-checked");
  });

  it("serves the health route from the always-on agents' own health paths", () => {
    const health = route(envoyRoutes(at(proxyOf(run), "template", "containers", 0, "args")), "health");
    assert.deepEqual(health.match, { path: HEALTH_PATH, headers: [{ name: ":method", string_match: { exact: "GET" } }] });
    assert.equal(health.direct_response?.status, 503, "without the script's answer the region is degraded");
    const lua = String((health.typed_per_filter_config["envoy.filters.http.lua"].source_code as { inline_string: string }).inline_string);
    for (const a of ["intake", "search", "billing"]) assert.match(lua, new RegExp(`cluster = "agent-${a}", path = "/healthz"`));
    assert.doesNotMatch(lua, /agent-writer/);
    assert.match(lua, /service-accounts\/default\/identity\?audience=/);
  });

  it("grants the proxy invoker on the agents it calls and publisher on async topics; never allUsers", () => {
    const invokers = ofType(run, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember").filter((m) => m.name.startsWith("acme-gateway-"));
    assert.deepEqual(invokers.map((m) => [at(m, "name"), at(m, "role"), at(m, "member")]).sort(), [
      ["acme-prod-billing", "roles/run.invoker", `serviceAccount:acme-prod-gateway@${PROJECT}.iam.gserviceaccount.com`],
      ["acme-prod-intake", "roles/run.invoker", `serviceAccount:acme-prod-gateway@${PROJECT}.iam.gserviceaccount.com`],
      ["acme-prod-search", "roles/run.invoker", `serviceAccount:acme-prod-gateway@${PROJECT}.iam.gserviceaccount.com`],
    ]);
    const publish = one(run, "gcp:pubsub/topicIAMMember:TopicIAMMember", "acme-gateway-publish-intake");
    assert.deepEqual([at(publish, "topic"), at(publish, "role")], ["acme-prod-intake-in", "roles/pubsub.publisher"]);
    for (const g of [run, gke, internal]) {
      const text = JSON.stringify(g.resources.map((r) => r.inputs));
      assert.doesNotMatch(text, /allUsers|allAuthenticatedUsers/);
    }
  });

  it("puts a global external load balancer with a managed certificate, TLS 1.2 and an HTTPS redirect in front of a public gateway", () => {
    const backend = one(run, "gcp:compute/backendService:BackendService", "acme-gateway-proxy");
    assert.deepEqual([at(backend, "loadBalancingScheme"), at(backend, "protocol"), at(backend, "logConfig")], ["EXTERNAL_MANAGED", "HTTPS", { enable: true, sampleRate: 1 }]);
    assert.match(String(at(backend, "securityPolicy")), /securityPolicies\/acme-prod-us-central1-gw/);
    assert.match(String(at(backend, "backends", 0, "group")), /networkEndpointGroups\/acme-prod-us-central1-gw-proxy$/);
    const map = one(run, "gcp:compute/uRLMap:URLMap", "acme-gateway");
    assert.deepEqual(at(map, "hostRules"), [{ hosts: ["agents.acme.example"], pathMatcher: "gateway" }]);
    assert.equal(at(map, "defaultUrlRedirect", "hostRedirect"), "agents.acme.example");
    assert.deepEqual([at(one(run, "gcp:compute/sSLPolicy:SSLPolicy", "acme-gateway-tls"), "profile"), at(one(run, "gcp:compute/sSLPolicy:SSLPolicy", "acme-gateway-tls"), "minTlsVersion")], ["MODERN", "TLS_1_2"]);
    const cert = one(run, "gcp:certificatemanager/certificate:Certificate", "acme-gateway-cert");
    assert.deepEqual(at(cert, "managed", "domains"), ["agents.acme.example"]);
    assert.equal(at(one(run, "gcp:certificatemanager/dnsAuthorization:DnsAuthorization", "acme-gateway-dns-auth"), "type"), "PER_PROJECT_RECORD");
    assert.match(String(at(one(run, "gcp:compute/targetHttpsProxy:TargetHttpsProxy", "acme-gateway-https"), "certificateMap")), /^\/\/certificatemanager\.googleapis\.com\/projects\/.*\/certificateMaps\//);
    // The host name's entry for clients that send it as SNI; the PRIMARY entry, the same certificate, for those that send none (the uptime checks connect to the address).
    const entries = ofType(run, "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry").map((e) => ({ hostname: at(e, "hostname"), matcher: at(e, "matcher"), certificates: at(e, "certificates") }));
    const certId = `projects/${PROJECT}/locations/global/certificates/${String(at(cert, "name"))}`;
    assert.deepEqual(entries, [
      { hostname: "agents.acme.example", matcher: undefined, certificates: [certId] },
      { hostname: undefined, matcher: "PRIMARY", certificates: [certId] },
    ]);
    const rules = ofType(run, "gcp:compute/globalForwardingRule:GlobalForwardingRule").map((r) => [r.name, at(r, "portRange"), at(r, "loadBalancingScheme")]);
    assert.deepEqual(rules.sort(), [["acme-gateway-http", "80", "EXTERNAL_MANAGED"], ["acme-gateway-https", "443", "EXTERNAL_MANAGED"]]);
    assert.equal(at(one(run, "gcp:compute/uRLMap:URLMap", "acme-gateway-redirect"), "defaultUrlRedirect", "httpsRedirect"), true);
  });

  it("has Cloud Armor with the preconfigured WAF and a throttle per route on a public gateway", () => {
    const armor = one(run, "gcp:compute/securityPolicy:SecurityPolicy", "acme-gateway-armor");
    const rules = at(armor, "rules") as Array<{ priority: number; action: string; match: { expr?: { expression: string } }; rateLimitOptions?: { rateLimitThreshold: { count: number; intervalSec: number }; enforceOnKey: string; exceedAction: string } }>;
    const waf = rules.filter((r) => r.match.expr?.expression.startsWith("evaluatePreconfiguredWaf"));
    assert.deepEqual(waf.map((r) => r.match.expr?.expression), ARMOR_WAF_RULES.map((w) => `evaluatePreconfiguredWaf('${w}', {'sensitivity': 1})`));
    assert.ok(waf.every((r) => r.action === "deny(403)"));
    const emails = rules.find((r) => r.match.expr?.expression === "request.path == '/emails' || request.path.startsWith('/emails/')");
    assert.deepEqual([emails?.action, emails?.rateLimitOptions?.rateLimitThreshold, emails?.rateLimitOptions?.enforceOnKey, emails?.rateLimitOptions?.exceedAction], ["throttle", { count: 300, intervalSec: 60 }, "IP", "deny(429)"]);
    assert.equal(rules.at(-1)?.priority, 2147483647);
    assert.equal(at(armor, "adaptiveProtectionConfig", "layer7DdosDefenseConfig", "enable"), true);
  });

  it("keeps every Cloud Armor rule description within the 64 characters a rule takes, however long the route's path", () => {
    const descriptions = (at(one(run, "gcp:compute/securityPolicy:SecurityPolicy", "acme-gateway-armor"), "rules") as Array<{ description?: string }>).map((r) => r.description ?? "");
    assert.ok(descriptions.every((d) => d.length <= RULE_DESCRIPTION_MAX), JSON.stringify(descriptions));
    const long: GcpRoute = { path: "/v1/customer-support/escalations/priority-queue", agent: "customer-support-escalation-triage", kind: "sync", auth: "jwt", rateLimitPerMinute: 60, timeoutSeconds: 29, weight: 100, ordered: false };
    const [route] = armorRules([long], false).filter((r) => r.priority >= 2000);
    assert.ok(route.description.length > RULE_DESCRIPTION_MAX, "the route's own description is longer than a rule takes");
    const rule = armorRule(route);
    assert.equal(rule.description, `${route.description.slice(0, RULE_DESCRIPTION_MAX - 3)}...`);
    assert.equal(String(rule.description).length, RULE_DESCRIPTION_MAX);
  });

  it("builds a regional internal load balancer for an internal gateway, with its proxy-only subnet and a regional Armor policy without WAF", () => {
    const backend = one(internal, "gcp:compute/regionBackendService:RegionBackendService", "acme-gateway-proxy");
    assert.deepEqual([at(backend, "loadBalancingScheme"), at(backend, "logConfig", "enable")], ["INTERNAL_MANAGED", true]);
    assert.deepEqual([at(one(internal, "gcp:compute/subnetwork:Subnetwork", "acme-gateway-proxy-only"), "purpose"), at(one(internal, "gcp:compute/subnetwork:Subnetwork", "acme-gateway-proxy-only"), "ipCidrRange")], ["REGIONAL_MANAGED_PROXY", "10.0.48.0/23"]);
    const rule = one(internal, "gcp:compute/forwardingRule:ForwardingRule", "acme-gateway-https");
    assert.deepEqual([at(rule, "loadBalancingScheme"), at(rule, "portRange"), at(rule, "allowGlobalAccess")], ["INTERNAL_MANAGED", "443", false]);
    assert.equal(ofType(internal, "gcp:compute/globalForwardingRule:GlobalForwardingRule").length, 0);
    const armor = one(internal, "gcp:compute/regionSecurityPolicy:RegionSecurityPolicy", "acme-gateway-armor");
    assert.ok(!(at(armor, "rules") as Array<{ match: { expr?: { expression: string } } }>).some((r) => r.match.expr?.expression.startsWith("evaluatePreconfiguredWaf")));
    assert.equal(at(one(internal, "gcp:certificatemanager/certificate:Certificate", "acme-gateway-cert"), "location"), "us-central1");
    assert.equal(at(one(internal, "gcp:compute/regionSslPolicy:RegionSslPolicy", "acme-gateway-tls"), "minTlsVersion"), "TLS_1_2");
  });

  it("runs the same proxy on GKE: a hardened Deployment behind standalone NEGs, health-checked, the same routes and Armor rules", () => {
    const deployment = one(gke, "kubernetes:apps/v1:Deployment", "acme-gateway-proxy");
    const pod = at(deployment, "spec", "template", "spec") as { containers: Array<{ name: string; image: string; args: string[]; securityContext: { readOnlyRootFilesystem: boolean; runAsNonRoot: boolean } }>; automountServiceAccountToken: boolean };
    assert.deepEqual(pod.containers.map((c) => [c.name, c.image, c.securityContext.readOnlyRootFilesystem, c.securityContext.runAsNonRoot]), [["envoy", ENVOY_IMAGE, true, true], ["validator", OPA_ENVOY_IMAGE, true, true]]);
    assert.equal(pod.automountServiceAccountToken, false);
    const strip = (rs: Route[]) => rs.map((r) => ({ ...r, route: r.route ? { ...r.route, weighted_clusters: undefined, host_rewrite_literal: undefined } : undefined, typed_per_filter_config: { ...r.typed_per_filter_config, "envoy.filters.http.lua": r.name === "health" ? {} : r.typed_per_filter_config["envoy.filters.http.lua"] } }));
    assert.deepEqual(strip(envoyRoutes(pod.containers[0].args)), strip(envoyRoutes(at(proxyOf(run), "template", "containers", 0, "args"))), "one fleet file, the same routes");
    assert.deepEqual(at(one(gke, "gcp:compute/securityPolicy:SecurityPolicy", "acme-gateway-armor"), "rules"), at(one(run, "gcp:compute/securityPolicy:SecurityPolicy", "acme-gateway-armor"), "rules"));
    const service = one(gke, "kubernetes:core/v1:Service", "acme-gateway-proxy");
    assert.deepEqual(JSON.parse(String(at(service, "metadata", "annotations", "cloud.google.com/neg"))), { exposed_ports: { "8080": { name: "acme-prod-us-central1-gw-proxy" } } });
    const backend = one(gke, "gcp:compute/backendService:BackendService", "acme-gateway-proxy");
    assert.deepEqual((at(backend, "backends") as Array<{ group: string }>).map((b) => b.group), ["a", "b", "c"].map((z) => `projects/${PROJECT}/zones/us-central1-${z}/networkEndpointGroups/acme-prod-us-central1-gw-proxy`));
    assert.equal(at(one(gke, "gcp:compute/healthCheck:HealthCheck", "acme-gateway-ready"), "httpHealthCheck", "requestPath"), READY_PATH);
    const wi = one(gke, "gcp:serviceaccount/iAMMember:IAMMember", "acme-gateway-workload-identity");
    assert.equal(at(wi, "member"), `serviceAccount:${PROJECT}.svc.id.goog[acme/gateway-proxy]`);
    const allow = one(gke, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "acme-gateway-to-search");
    assert.deepEqual(at(allow, "spec", "ingress", 0, "from"), [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "gateway-proxy", "app.kubernetes.io/part-of": "acme" } } }]);
    const lua = String((route(envoyRoutes(pod.containers[0].args), "search").route as { cluster?: string }).cluster ?? "");
    assert.equal(lua, "", "the canary split is a weighted route on GKE too");
  });

  it("is read by the rules: routes authenticated, logs and WAF on, TLS 1.2, no public principal", () => {
    for (const g of [run, gke, internal]) {
      const facts = factsFromGraph(g);
      const routes = facts.filter((f) => f.kind === "gateway-route" && f.service === "load-balancer");
      assert.ok(routes.some((r) => r.kind === "gateway-route" && r.path === "/emails" && r.auth === "jwt" && r.rateLimitPerMinute === 300));
      const ctx = ruleContext("small", "prod");
      for (const id of ["MA-SEC-009", "MA-SEC-010", "MA-SEC-011", "MA-SEC-012", "MA-SEC-019"]) {
        const rule = ruleById(id);
        assert.ok(rule, id);
        assert.deepEqual(rule.check(facts, ctx).map((f) => `${f.resource.name}: ${f.message}`), [], id);
      }
    }
  });

  it("prices every gateway resource: forwarding rules, data processed, Cloud Armor by policy, rule and request, the certificate, the proxy", () => {
    for (const g of [run, gke, internal]) {
      const e = estimateCost(factsFromGraph(g));
      const mine = (t: string) => e.items.filter((i) => i.type === t && i.resource.startsWith("acme-gateway"));
      assert.deepEqual(e.unpriced.filter((u) => u.resource.startsWith("acme-gateway")).map((u) => `${u.type} ${u.resource}`), []);
      const rules = [...mine("gcp:compute/globalForwardingRule:GlobalForwardingRule"), ...mine("gcp:compute/forwardingRule:ForwardingRule")];
      assert.equal(rules.length, 2);
      const https = rules.find((r) => r.resource === "acme-gateway-https");
      assert.ok(https && https.monthlyUsd > 18.25 && /GiB processed/.test(https.basis), https?.basis);
      const armor = [...mine("gcp:compute/securityPolicy:SecurityPolicy"), ...mine("gcp:compute/regionSecurityPolicy:RegionSecurityPolicy")];
      assert.equal(armor.length, 1);
      const count = (at(one(g, armor[0].type, "acme-gateway-armor"), "rules") as unknown[]).length;
      assert.match(armor[0].basis, new RegExp(`\\$5/policy \\+ ${count} rules`));
      assert.equal(mine("gcp:certificatemanager/certificate:Certificate")[0]?.monthlyUsd, 0.2);
      for (const free of [...mine("gcp:compute/backendService:BackendService"), ...mine("gcp:compute/regionBackendService:RegionBackendService"), ...mine("gcp:compute/uRLMap:URLMap")]) assert.equal(free.monthlyUsd, 0, free.resource);
    }
    const proxy = estimateCost(factsFromGraph(run)).items.find((i) => i.resource === "acme-gateway-proxy" && i.type === "gcp:cloudrunv2/service:Service");
    assert.ok(proxy && proxy.monthlyUsd > 0, "the Cloud Run proxy is priced as compute");
  });
});

describe("gcp gateway: what it cannot build is an error with a path and a hint", () => {
  async function rejects(fleet: ReturnType<typeof gcpFleet>, path: string, pattern: RegExp): Promise<void> {
    await assert.rejects(planGcp(fleet), (e: unknown) => {
      assert.ok(e instanceof MicroAgentsConfigError, String(e));
      assert.ok(e.issues.some((i) => i.path === path && pattern.test(`${i.message} ${i.hint ?? ""}`)), JSON.stringify(e.issues));
      return true;
    });
  }
  it("rejects a routed fleet without a host name, and API-key routes", async () => {
    await rejects(gcpFleet("run", [gcpAgent("a", { route: { path: "/a", auth: "apiKey" } })]), "spec.gateway.hostname", /Google-managed certificate/);
    await rejects(gcpFleet("gke", [gcpAgent("a", { route: { path: "/a", auth: "apiKey" } })], { gateway: { hostname: "agents.acme.example" } }), "spec.agents[0].route.auth", /use auth: jwt/);
  });
});
