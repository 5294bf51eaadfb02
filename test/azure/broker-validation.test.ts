import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { emailFleet, researchFleet } from "../../agents/fleets";
import type { ResourceGraph } from "../../lib/offline/engine";
import { eventFilter } from "../../lib/targets/azure/broker";
import { fleetIssues } from "../helpers/azure";
import { at, one, ofType, planFleetOffline } from "../helpers/offline";

describe("AgentBroker on Service Bus", () => {
  let g: ResourceGraph;
  let p: ResourceGraph;
  before(async () => {
    const ordered = emailFleet({ tier: "small", environment: "dev", targets: [{ runtime: "aks", region: "westeurope" }] });
    ordered.spec.agents[2] = { ...ordered.spec.agents[2], queue: { fifo: true, visibilityTimeoutSeconds: 120, maxReceiveCount: 6 } };
    g = await planFleetOffline(ordered);
    p = await planFleetOffline(emailFleet({ tier: "medium", environment: "prod", targets: [{ runtime: "aks", region: "westeurope" }] }));
  });

  it("makes an identity-only namespace: SAS off, TLS 1.2; Standard in dev, Premium and private in prod", () => {
    const ns = one(g, "azure-native:servicebus:Namespace", "acme-email-sb");
    assert.equal(at(ns, "disableLocalAuth"), true);
    assert.equal(at(ns, "minimumTlsVersion"), "1.2");
    assert.deepEqual(at(ns, "sku"), { name: "Standard", tier: "Standard" });
    const prodNs = one(p, "azure-native:servicebus:Namespace", "acme-email-sb");
    assert.deepEqual(at(prodNs, "sku"), { name: "Premium", tier: "Premium", capacity: 1 });
    assert.equal(at(prodNs, "publicNetworkAccess"), "Disabled");
    assert.equal(at(one(p, "azure-native:network:PrivateEndpoint", "acme-email-sb-pe"), "privateLinkServiceConnections", 0, "groupIds", 0), "namespace");
  });

  it("gives each agent a queue that dead-letters after maxReceiveCount and on expiry, locked for the visibility timeout", () => {
    const q = one(g, "azure-native:servicebus:Queue", "acme-email-sentiment");
    assert.equal(at(q, "maxDeliveryCount"), 4);
    assert.equal(at(q, "lockDuration"), "PT5M");
    assert.equal(at(q, "deadLetteringOnMessageExpiration"), true);
    assert.equal(at(q, "defaultMessageTimeToLive"), "P4D");
    assert.equal(at(q, "requiresSession"), false);
    const ordered = one(g, "azure-native:servicebus:Queue", "acme-email-technical");
    assert.equal(at(ordered, "requiresSession"), true);
    assert.equal(at(ordered, "requiresDuplicateDetection"), true);
    assert.equal(at(ordered, "duplicateDetectionHistoryTimeWindow"), "PT10M");
    assert.equal(at(ordered, "lockDuration"), "PT2M");
    assert.equal(at(ordered, "maxDeliveryCount"), 6);
  });

  it("forwards a publisher's events to each subscriber's queue through a subscription", () => {
    const subs = ofType(g, "azure-native:servicebus:Subscription");
    const intakeToSentiment = one(g, "azure-native:servicebus:Subscription", "acme-email-email-intake-to-sentiment");
    assert.equal(at(intakeToSentiment, "topicName"), "email-intake-events");
    assert.equal(at(intakeToSentiment, "forwardTo"), "sentiment");
    assert.equal(at(intakeToSentiment, "deadLetteringOnFilterEvaluationExceptions"), true);
    assert.ok(subs.length >= 4);
  });

  it("filters on event types with a SQL rule that replaces the catch-all $Default", () => {
    assert.equal(eventFilter({ eventTypes: ["email.received", "o'brien"] }), "eventType IN ('email.received', 'o''brien')");
    assert.equal(eventFilter({}), undefined);
  });

  it("lets KEDA's identity read each queue's counts, scoped to that queue", () => {
    const keda = one(g, "azure-native:authorization:RoleAssignment", "acme-email-sentiment-keda");
    assert.match(String(at(keda, "roleDefinitionId")), /roleDefinitions\/090c5cfd-751d-490a-894a-3ce6f1109419$/);
    assert.match(String(at(keda, "scope")), /namespaces\/[a-z0-9-]+\/queues\/sentiment$/);
  });
});

describe("Azure validation: what Service Bus and Container Apps cannot run fails before any resource", () => {
  it("rejects a lock longer than Service Bus's 5 minutes, naming the field", async () => {
    const fleet = researchFleet({ tier: "small", environment: "dev", targets: [{ runtime: "aks", region: "westeurope" }] });
    fleet.spec.agents[0] = { ...fleet.spec.agents[0], queue: { visibilityTimeoutSeconds: 900 } };
    const issues = await fleetIssues(fleet);
    assert.deepEqual(issues.map((i) => i.path), ["spec.agents[0].queue.visibilityTimeoutSeconds"]);
    assert.match(issues[0].message, /900 s is longer than Service Bus's longest message lock \(300 s\)/);
    assert.match(issues[0].hint ?? "", /renewMessageLock/);
  });

  it("rejects a fractional GPU on aca and points to aks", async () => {
    const issues = await fleetIssues(emailFleet({ tier: "small", environment: "dev", targets: [{ runtime: "aca", region: "swedencentral" }] }));
    assert.deepEqual(issues.map((i) => i.path), ["spec.agents[1].resources.gpu.share", "spec.agents[3].resources.gpu.share"]);
    assert.match(issues[0].message, /whole GPUs: a 0.25 share cannot be served/);
    assert.match(issues[0].hint ?? "", /aks/);
  });

  it("rejects a GPU agent on aca in a region without serverless GPUs", async () => {
    const issues = await fleetIssues(researchFleet({ tier: "small", environment: "dev", targets: [{ runtime: "aca", region: "westeurope" }] }));
    assert.deepEqual(issues.map((i) => i.path), ["spec.agents[1].resources.gpu"]);
    assert.match(issues[0].message, /region 'westeurope' has no Container Apps serverless GPUs/);
    assert.match(issues[0].hint ?? "", /westus3, australiaeast, swedencentral/);
  });

  it("rejects a Key Vault secret name Key Vault cannot hold", async () => {
    const fleet = researchFleet({ tier: "small", environment: "dev", targets: [{ runtime: "aks", region: "westeurope" }] });
    fleet.spec.agents[0] = { ...fleet.spec.agents[0], secrets: { KEY: { ref: "team/openai.key" } } };
    const issues = await fleetIssues(fleet);
    assert.deepEqual(issues.map((i) => i.path), ["spec.agents[0].secrets.KEY.ref"]);
  });
});
