import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { estimateGraph } from "../../lib/cost";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import type { FleetInput } from "../../lib/spec";
import { GATEWAY_ADDRESS_TTL, GLOBAL_RECORD_TTL } from "../../lib/targets/aws/global-entry";
import { endpointOfUrl } from "../../lib/targets/entry-probe";
import { HEALTH_PATH } from "../../lib/targets/target";
import { agent } from "../helpers/aws";
import { ENTRY_HOST, enterpriseFleet, GCP_PROJECT } from "../helpers/enterprise";
import { at, one, ofType } from "../helpers/offline";
import type { CapturedResource } from "../../lib/offline/engine";

const ZONE = "Z0ACMEZONE1234";
const HOST = ENTRY_HOST;
const T = {
  check: "aws:route53/healthCheck:HealthCheck",
  record: "aws:route53/record:Record",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  entry: "microagents:entry:AwsGlobalEntry",
  platform: "microagents:platform:AgentPlatform",
  service: "microagents:service:MicroAgentService",
  authorizer: "aws:apigateway/authorizer:Authorizer",
  address: "gcp:compute/globalAddress:GlobalAddress",
  dnsAuthorization: "gcp:certificatemanager/dnsAuthorization:DnsAuthorization",
  cloudDns: "gcp:dns/recordSet:RecordSet",
  azureDns: "azure-native:dns:RecordSet",
  domain: "azure-native:cdn:AFDCustomDomain",
  route: "azure-native:cdn:Route",
  endpoint: "azure-native:cdn:AFDEndpoint",
  securityPolicy: "azure-native:cdn:SecurityPolicy",
};

/** The entry's latency records (one per cloud gateway), not the records certificates need. */
const latencyRecords = (graph: ResourceGraph): CapturedResource[] => ofType(graph, T.record).filter((r) => at(r, "setIdentifier") !== undefined);
/** The one resource of a type on one platform (its logical name starts with the platform's). */
const onPlatform = (graph: ResourceGraph, type: string, platform: string): CapturedResource => {
  const found = ofType(graph, type).filter((r) => r.name.startsWith(platform));
  assert.equal(found.length, 1, `one ${type} on ${platform}: ${found.map((r) => r.name).join(", ")}`);
  return found[0];
};

const ENTERPRISE: FleetInput = enterpriseFleet({ hostedZoneId: ZONE });

describe("an enterprise fleet on three clouds behind one Route 53 global entry", () => {
  let graph: ResourceGraph;
  let fleet: AgentFleet | undefined;
  before(async () => {
    graph = await runOffline(() => {
      fleet = new AgentFleet("acme", { fleet: ENTERPRISE });
    });
  });

  it("plans three platforms, each with only its placed agents", () => {
    assert.deepEqual(ofType(graph, T.platform).map((p) => p.name).sort(), ["acme-aks-westeurope", "acme-eks-us-east-1", "acme-gke-europe-west4"]);
    assert.deepEqual(ofType(graph, T.service).map((s) => s.name).sort(), ["acme-aks-westeurope-front", "acme-aks-westeurope-worker", "acme-eks-us-east-1-batch", "acme-eks-us-east-1-front", "acme-eks-us-east-1-worker", "acme-gke-europe-west4-front", "acme-gke-europe-west4-worker"]);
    assert.ok(fleet);
    assert.deepEqual(fleet.deployments.map((d) => Object.keys(d.services)), [["front", "worker", "batch"], ["front", "worker"], ["front", "worker"]]);
  });

  it("builds one global entry with a latency record, health check and alarm per cloud gateway", () => {
    assert.ok(fleet);
    assert.equal(ofType(graph, T.entry).length, 1);
    const gateways = fleet.deployments.filter((d) => d.gateway);
    assert.ok(gateways.length >= 2, "AWS and Azure have gateways; GCP's joins when its target has one");
    const checks = ofType(graph, T.check);
    assert.equal(checks.length, gateways.length, "a health check per cloud gateway");
    assert.deepEqual(latencyRecords(graph).map((r) => r.name).sort(), gateways.map((d) => `acme-entry-${d.target.region}`).sort());
  });

  it("answers with latency CNAME records measured from the nearest AWS region, each tied to its health check", () => {
    const aws = one(graph, T.record, "acme-entry-us-east-1");
    const azure = one(graph, T.record, "acme-entry-westeurope");
    for (const [record, cloud, region, measured] of [[aws, "aws", "us-east-1", "us-east-1"], [azure, "azure", "westeurope", "eu-central-1"]] as const) {
      assert.equal(at(record, "zoneId"), ZONE);
      assert.equal(at(record, "name"), HOST);
      assert.equal(at(record, "type"), "CNAME");
      assert.equal(at(record, "ttl"), GLOBAL_RECORD_TTL);
      assert.equal(at(record, "setIdentifier"), `${cloud}-${region}`);
      assert.deepEqual(at(record, "latencyRoutingPolicies"), [{ region: measured }]);
      const alarmed = (at(one(graph, T.alarm, `acme-entry-${region}`), "dimensions") as { HealthCheckId: string }).HealthCheckId;
      assert.match(String(at(record, "healthCheckId")), /\S/);
      assert.equal(at(record, "healthCheckId"), alarmed, "the record and the alarm follow the same health check");
      assert.equal(at(record, "failoverRoutingPolicies"), undefined);
    }
    assert.match(String((at(aws, "records") as string[])[0]), /^d-[0-9a-z]+\.execute-api\.us-east-1\.amazonaws\.com$/, "AWS answers through its regional custom domain");
  });

  it("probes each cloud's gateway over HTTPS on the health route (AWS with its probe token)", () => {
    const common = { type: "HTTPS", port: 443, requestInterval: 30, failureThreshold: 3, enableSni: true, measureLatency: false };
    const aws = one(graph, T.check, "acme-entry-us-east-1");
    for (const [k, v] of Object.entries(common)) assert.equal(at(aws, k), v, k);
    assert.match(String(at(aws, "fqdn")), /^[0-9a-z]+\.execute-api\.us-east-1\.amazonaws\.com$/);
    const path = at(aws, "resourcePath");
    const value = typeof path === "string" ? path : String((path as { value: string }).value);
    assert.match(value, new RegExp(`^/prod${HEALTH_PATH}\\?probe=[0-9a-f]{64}$`));
    assert.equal(ofType(graph, T.authorizer).filter((a) => at(a, "name") === "health-probe").length, 1, "the AWS gateway serves the entry's health route");
    const azure = one(graph, T.check, "acme-entry-westeurope");
    for (const [k, v] of Object.entries(common)) assert.equal(at(azure, k), v, k);
    const azureRecord = one(graph, T.record, "acme-entry-westeurope");
    assert.equal(at(azure, "fqdn"), (at(azureRecord, "records") as string[])[0], "the record and the check name the same gateway host");
    assert.equal(at(azure, "resourcePath"), HEALTH_PATH);
  });

  it("alarms the fleet's alert topic in us-east-1 when a cloud's check fails", () => {
    for (const [region, who] of [["us-east-1", "aws (eks us-east-1)"], ["westeurope", "azure (aks westeurope)"]] as const) {
      const alarm = one(graph, T.alarm, `acme-entry-${region}`);
      assert.equal(at(alarm, "name"), `acme-prod-${region}-health`);
      assert.equal(at(alarm, "namespace"), "AWS/Route53");
      assert.equal(at(alarm, "metricName"), "HealthCheckStatus");
      assert.equal(at(alarm, "statistic"), "Minimum");
      assert.equal(at(alarm, "threshold"), 1);
      assert.equal(at(alarm, "comparisonOperator"), "LessThanThreshold");
      assert.equal(at(alarm, "treatMissingData"), "breaching");
      assert.deepEqual(at(alarm, "alarmActions"), ["arn:aws:sns:us-east-1:123456789012:acme-prod-alarms"]);
      assert.deepEqual(at(alarm, "okActions"), at(alarm, "alarmActions"));
      assert.match(String(at(alarm, "alarmDescription")), new RegExp(`the ${who.replace(/[()]/g, "\\$&")} gateway's health check fails`));
    }
  });

  it("points no latency record at the entry's own host name", () => {
    const records = latencyRecords(graph);
    assert.equal(records.length, 3);
    for (const r of records) {
      const targets = at(r, "records") as string[];
      assert.equal(targets.length, 1, r.name);
      assert.notEqual(targets[0], HOST, `${r.name} is a CNAME from ${HOST} to itself`);
      assert.match(targets[0], /^[a-z0-9.-]+$/, r.name);
    }
  });

  it("reaches the GCP gateway through an A record of its load balancer's address, probed by address with the host name as Host and SNI", () => {
    const lbAddress = onPlatform(graph, T.address, "acme-gke-europe-west4-gateway").outputs.address;
    assert.match(String(lbAddress), /^\d+\.\d+\.\d+\.\d+$/);
    const a = one(graph, T.record, "acme-entry-europe-west4-address");
    assert.deepEqual(
      { zoneId: at(a, "zoneId"), name: at(a, "name"), type: at(a, "type"), ttl: at(a, "ttl"), records: at(a, "records"), setIdentifier: at(a, "setIdentifier"), healthCheckId: at(a, "healthCheckId") },
      { zoneId: ZONE, name: `gcp-europe-west4.${HOST}`, type: "A", ttl: GATEWAY_ADDRESS_TTL, records: [lbAddress], setIdentifier: undefined, healthCheckId: undefined },
    );
    const cname = one(graph, T.record, "acme-entry-europe-west4");
    assert.deepEqual(
      [at(cname, "name"), at(cname, "type"), at(cname, "records"), at(cname, "setIdentifier"), at(cname, "latencyRoutingPolicies")],
      [HOST, "CNAME", [`gcp-europe-west4.${HOST}`], "gcp-europe-west4", [{ region: "eu-central-1" }]],
    );
    const check = one(graph, T.check, "acme-entry-europe-west4");
    const alarmed = (at(one(graph, T.alarm, "acme-entry-europe-west4"), "dimensions") as { HealthCheckId: string }).HealthCheckId;
    assert.equal(at(cname, "healthCheckId"), alarmed, "the latency record and the alarm follow the GCP health check");
    const inputs = Object.fromEntries(["type", "port", "ipAddress", "fqdn", "enableSni", "resourcePath", "requestInterval", "failureThreshold", "measureLatency"].map((k) => [k, at(check, k)]));
    assert.deepEqual(inputs, { type: "HTTPS", port: 443, ipAddress: lbAddress, fqdn: HOST, enableSni: true, resourcePath: HEALTH_PATH, requestInterval: 30, failureThreshold: 3, measureLatency: false });
  });

  it("writes the GCP certificate's DNS authorization CNAME into the Route 53 zone, and nothing into Cloud DNS", () => {
    const auth = onPlatform(graph, T.dnsAuthorization, "acme-gke-europe-west4");
    const [wanted] = auth.outputs.dnsResourceRecords as Array<{ name: string; type: string; data: string }>;
    assert.match(wanted.name, new RegExp(`^_acme-challenge_[0-9a-f]+\\.${HOST.replace(/\./g, "\\.")}\\.$`));
    const record = one(graph, T.record, "acme-entry-gcp-acme-agents-prod-dns-auth");
    assert.deepEqual([at(record, "zoneId"), at(record, "name"), at(record, "type"), at(record, "records"), at(record, "ttl")], [ZONE, wanted.name, "CNAME", [wanted.data], 300]);
    assert.equal(ofType(graph, T.cloudDns).length, 0, "the host name's zone is Route 53: no Cloud DNS record");
  });

  it("gives the AKS gateway's own Front Door the host name: managed certificate, _dnsauth TXT in Route 53, on the route and the WAF", () => {
    const domain = onPlatform(graph, T.domain, "acme-aks-westeurope");
    assert.deepEqual(
      [at(domain, "hostName"), at(domain, "customDomainName"), at(domain, "tlsSettings"), at(domain, "azureDnsZone")],
      [HOST, HOST.replace(/\./g, "-"), { certificateType: "ManagedCertificate", minimumTlsVersion: "TLS12" }, undefined],
    );
    const token = (domain.outputs.validationProperties as { validationToken: string }).validationToken;
    assert.match(token, /\S{8,}/);
    const txt = one(graph, T.record, "acme-entry-azure-dnsauth");
    assert.deepEqual([at(txt, "zoneId"), at(txt, "name"), at(txt, "type"), at(txt, "records"), at(txt, "ttl")], [ZONE, `_dnsauth.${HOST}`, "TXT", [token], 300]);
    const domainId = /^\/subscriptions\/[0-9a-f-]+\/resourceGroups\/rg-acme-prod-westeurope\/providers\/Microsoft\.Cdn\/profiles\/acme-prod-edge\/customDomains\/agents-acme-example$/;
    const route = onPlatform(graph, T.route, "acme-aks-westeurope");
    const onRoute = at(route, "customDomains") as Array<{ id: string }>;
    assert.equal(onRoute.length, 1);
    assert.match(onRoute[0].id, domainId, "the route serves the host name");
    const waf = onPlatform(graph, T.securityPolicy, "acme-aks-westeurope");
    const covered = (at(waf, "parameters", "associations") as Array<{ domains: Array<{ id: string }> }>)[0].domains;
    assert.deepEqual([covered.length, domainId.test(covered[1].id)], [2, true], "the WAF covers the endpoint and the host name");
    assert.equal(ofType(graph, T.azureDns).length, 0, "no Azure DNS zone: the records are Route 53's");
    const endpointHost = onPlatform(graph, T.endpoint, "acme-aks-westeurope").outputs.hostName;
    assert.match(String(endpointHost), /\.azurefd\.net$/);
    assert.deepEqual(at(one(graph, T.record, "acme-entry-westeurope"), "records"), [endpointHost], "the latency record points at the Front Door endpoint");
    const check = one(graph, T.check, "acme-entry-westeurope");
    assert.deepEqual([at(check, "fqdn"), at(check, "ipAddress"), at(check, "resourcePath")], [endpointHost, undefined, HEALTH_PATH], "probed on the endpoint's own domain, linked to the same route");
  });

  it("prices the GCP and Azure checks as non-AWS endpoints, and the AKS gateway's own Front Door at its gateway's share of requests", () => {
    const e = estimateGraph(graph);
    const check = (region: string) => e.items.find((i) => i.type === T.check && i.resource === `acme-entry-${region}`);
    assert.deepEqual(
      ["us-east-1", "europe-west4", "westeurope"].map((r) => [check(r)?.monthlyUsd, /^health check of (an AWS|a non-AWS) endpoint/.exec(check(r)?.basis ?? "")?.[1]]),
      [[1.5, "an AWS"], [2.75, "a non-AWS"], [2.75, "a non-AWS"]],
      "$0.50 + $1 HTTPS for an AWS endpoint; $0.75 + $2 HTTPS for another cloud's",
    );
    const profile = e.items.find((i) => i.type === "azure-native:cdn:Profile");
    assert.match(profile?.basis ?? "", /requests ÷ \d+ gateways\)/, "a gateway's own profile carries its gateway's share");
  });

  it("reads a gateway URL into the host the entry points at and its health path", () => {
    assert.deepEqual(endpointOfUrl("https://gw.example.net/base/"), { host: "gw.example.net", healthPath: `/base${HEALTH_PATH}` });
    assert.deepEqual(endpointOfUrl("https://acme.azurefd.net"), { host: "acme.azurefd.net", healthPath: HEALTH_PATH });
  });
});

describe("primary and backup pairs on Azure and GCP", () => {
  let fleet: AgentFleet | undefined;
  before(async () => {
    const input: FleetInput = {
      apiVersion: "microagents/v1",
      kind: "Fleet",
      metadata: { name: "pairs" },
      spec: {
        tier: "medium",
        environment: "prod",
        team: "platform",
        targets: [
          { runtime: "aks", region: "westeurope" },
          { runtime: "aks", region: "northeurope", role: "backup" },
          { runtime: "gke", region: "europe-west1", ...GCP_PROJECT, role: "backup" },
          { runtime: "gke", region: "europe-west4", ...GCP_PROJECT },
        ],
        agents: [agent("worker")],
        observability: { alertEmails: ["oncall@acme.example"] },
      },
    };
    await runOffline(() => {
      fleet = new AgentFleet("pairs", { fleet: input });
    });
  });

  it("hands each backup's state store its primary's store, and each primary its backup's platform", () => {
    assert.ok(fleet);
    const [azurePrimary, azureBackup, gcpBackup, gcpPrimary] = fleet.deployments;
    for (const [primary, backup] of [[azurePrimary, azureBackup], [gcpPrimary, gcpBackup]] as const) {
      assert.ok(primary.stateStore && backup.stateStore);
      assert.deepEqual(primary.stateStore.replicaPlatforms, [backup.platform]);
      assert.equal(backup.stateStore.replicaOf, primary.stateStore);
      assert.deepEqual(backup.stateStore.replicaPlatforms, []);
    }
    assert.equal(fleet.entry, undefined, "two pairs on two clouds: no single failover entry");
  });
});
