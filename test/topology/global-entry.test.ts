import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import type { FleetInput } from "../../lib/spec";
import { GLOBAL_RECORD_TTL } from "../../lib/targets/aws/global-entry";
import { endpointOfUrl } from "../../lib/targets/entry-probe";
import { HEALTH_PATH } from "../../lib/targets/target";
import { agent, JWT } from "../helpers/aws";
import { at, one, ofType } from "../helpers/offline";

const ZONE = "Z0ACMEZONE1234";
const HOST = "agents.acme.example";
const GCP = { project: "acme-agents-prod", billingAccount: "012345-6789AB-CDEF01" };
const T = {
  check: "aws:route53/healthCheck:HealthCheck",
  record: "aws:route53/record:Record",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  entry: "microagents:entry:AwsGlobalEntry",
  platform: "microagents:platform:AgentPlatform",
  service: "microagents:service:MicroAgentService",
  authorizer: "aws:apigateway/authorizer:Authorizer",
};

/** The seed's enterprise shape: every agent on AWS, fewer on Azure and GCP, one route served everywhere. */
const ENTERPRISE: FleetInput = {
  apiVersion: "microagents/v1",
  kind: "Fleet",
  metadata: { name: "acme" },
  spec: {
    tier: "enterprise",
    environment: "prod",
    team: "platform",
    targets: [
      { runtime: "eks", region: "us-east-1" },
      { runtime: "aks", region: "westeurope", agents: ["front", "worker"] },
      { runtime: "gke", region: "europe-west4", ...GCP, agents: ["front", "worker"] },
    ],
    agents: [agent("front", { route: { path: "/front", auth: "jwt" } }), agent("worker", { subscribes: [{ from: "front" }] }), agent("batch", { criticality: "batch" })],
    gateway: { jwt: JWT, hostname: HOST, hostedZoneId: ZONE, public: true },
    observability: { alertEmails: ["oncall@acme.example"] },
  },
};

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
    assert.deepEqual(ofType(graph, T.record).filter((r) => r.name !== "acme-entry-validation").map((r) => r.name).sort(), gateways.map((d) => `acme-entry-${d.target.region}`).sort());
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
          { runtime: "gke", region: "europe-west1", ...GCP, role: "backup" },
          { runtime: "gke", region: "europe-west4", ...GCP },
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
