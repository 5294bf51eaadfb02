import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import type { ResourceGraph } from "../../lib/offline/engine";
import { GCP_PROJECT_NUMBER } from "../../lib/offline/mocks/gcp";
import { planFleet } from "../../lib/plan";
import { runShape } from "../../lib/targets/gcp-run";
import { KEY_ROTATION_SECONDS } from "../../lib/targets/gcp/kms";
import { MicroAgentsConfigError } from "../../lib/spec";
import { BILLING, gcpAgent, gcpFleet, planGcp, PROJECT } from "../helpers/gcp";
import { at, one, ofType } from "../helpers/offline";

const fleet = gcpFleet(
  "run",
  [
    gcpAgent("intake", { route: { path: "/in", auth: "jwt" }, queue: { fifo: true }, secrets: { TOKEN: { ref: "intake-token" } }, resources: { cpu: 0.5, memory: "1Gi" } }),
    gcpAgent("writer", { subscribes: [{ from: "intake", eventTypes: ["ticket.created", "ticket.updated"] }], scaling: { mode: "horizontal", min: 0, max: 5 }, queue: { batchSize: 8, visibilityTimeoutSeconds: 120, maxReceiveCount: 7 } }),
    gcpAgent("vision", { resources: { cpu: 2, memory: "8Gi", gpu: { share: 1, memoryGi: 16 } }, criticality: "batch" }),
  ],
  {
    environment: "prod",
    budget: { monthlyUsd: 900, alertEmails: ["finops@acme.example"] },
    observability: { alertEmails: ["oncall@acme.example"] },
    gateway: { hostname: "agents.acme.example", jwt: { issuer: "https://auth.acme.example/", jwksUri: "https://auth.acme.example/.well-known/jwks.json", audiences: ["agents.acme.example"] } },
  },
);

async function rejects(f: typeof fleet, path: string, pattern: RegExp): Promise<void> {
  await assert.rejects(planGcp(f), (e: unknown) => {
    assert.ok(e instanceof MicroAgentsConfigError, String(e));
    assert.ok(e.issues.some((i) => i.path === path && pattern.test(`${i.message} ${i.hint ?? ""}`)), JSON.stringify(e.issues));
    return true;
  });
}

describe("run: Cloud Run services fed by Pub/Sub push", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await planGcp(fleet);
  });

  it("uses one provider pinned to the project and region, billing quota to the project", () => {
    const [p] = ofType(g, "pulumi:providers:gcp");
    assert.deepEqual({ ...p.inputs, version: undefined }, { project: PROJECT, region: "us-central1", billingProject: PROJECT, userProjectOverride: "true", version: undefined });
  });

  it("builds the fleet key with 90-day rotation, and the Pub/Sub agent may use it", () => {
    const key = one(g, "gcp:kms/cryptoKey:CryptoKey", "acme-key");
    assert.equal(at(key, "rotationPeriod"), `${KEY_ROTATION_SECONDS}s`);
    assert.equal(KEY_ROTATION_SECONDS, 7776000);
    assert.equal(at(key, "purpose"), "ENCRYPT_DECRYPT");
    const grant = one(g, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "acme-key-pubsub");
    assert.equal(at(grant, "role"), "roles/cloudkms.cryptoKeyEncrypterDecrypter");
    assert.equal(at(grant, "member"), `serviceAccount:service-${GCP_PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com`);
  });

  it("gives each agent an input subscription with the plan's ack deadline, backoff, dead-lettering and ordering", () => {
    const intake = one(g, "gcp:pubsub/subscription:Subscription", "acme-intake-in");
    assert.equal(at(intake, "ackDeadlineSeconds"), 300);
    assert.deepEqual(at(intake, "retryPolicy"), { minimumBackoff: "1s", maximumBackoff: "4s" });
    assert.deepEqual(at(intake, "deadLetterPolicy"), { deadLetterTopic: `projects/${PROJECT}/topics/acme-prod-intake-dlq`, maxDeliveryAttempts: 5 });
    assert.equal(at(intake, "enableMessageOrdering"), true);
    assert.deepEqual(at(intake, "expirationPolicy"), { ttl: "" });
    assert.equal(at(intake, "pushConfig", "pushEndpoint"), `https://acme-prod-intake-${GCP_PROJECT_NUMBER}.us-central1.run.app/_microagents/pubsub`);
    assert.deepEqual(at(intake, "pushConfig", "oidcToken"), { serviceAccountEmail: `acme-prod-push@${PROJECT}.iam.gserviceaccount.com`, audience: "microagents/acme-prod/intake" });
    const writer = one(g, "gcp:pubsub/subscription:Subscription", "acme-writer-in");
    assert.equal(at(writer, "ackDeadlineSeconds"), 120);
    assert.equal(at(writer, "deadLetterPolicy", "maxDeliveryAttempts"), 7);
  });

  it("filters event subscriptions on eventType and dead-letters them into the subscriber's topic", () => {
    const sub = one(g, "gcp:pubsub/subscription:Subscription", "acme-writer-from-intake");
    assert.equal(at(sub, "topic"), `projects/${PROJECT}/topics/acme-prod-intake-events`);
    assert.equal(at(sub, "filter"), '(attributes.eventType = "ticket.created" OR attributes.eventType = "ticket.updated")');
    assert.equal(at(sub, "deadLetterPolicy", "deadLetterTopic"), `projects/${PROJECT}/topics/acme-prod-writer-dlq`);
  });

  it("encrypts every topic with the fleet key and keeps it in the region; every dead-letter topic has a subscription", () => {
    const topics = ofType(g, "gcp:pubsub/topic:Topic");
    assert.equal(topics.length, 9);
    for (const t of topics) {
      assert.match(String(at(t, "kmsKeyName")), /cryptoKeys\/acme-prod-fleet$/);
      assert.deepEqual(at(t, "messageStoragePolicy"), { allowedPersistenceRegions: ["us-central1"] });
    }
    const subs = ofType(g, "gcp:pubsub/subscription:Subscription");
    for (const dlt of topics.filter((t) => String(at(t, "name")).endsWith("-dlq"))) {
      assert.ok(subs.some((s) => at(s, "topic") === `projects/${PROJECT}/topics/${String(at(dlt, "name"))}`), `${dlt.name} has a subscription`);
    }
  });

  it("lets the Pub/Sub service agent publish to dead-letter topics and subscribe to their sources, nothing wider", () => {
    const agent = `serviceAccount:service-${GCP_PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com`;
    const topicGrants = ofType(g, "gcp:pubsub/topicIAMMember:TopicIAMMember").filter((r) => at(r, "member") === agent);
    assert.deepEqual(topicGrants.map((r) => [at(r, "topic"), at(r, "role")]).sort(), [
      ["acme-prod-intake-dlq", "roles/pubsub.publisher"],
      ["acme-prod-vision-dlq", "roles/pubsub.publisher"],
      ["acme-prod-writer-dlq", "roles/pubsub.publisher"],
    ]);
    const subGrants = ofType(g, "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember").filter((r) => at(r, "member") === agent);
    assert.equal(subGrants.length, 4);
    for (const s of subGrants) assert.equal(at(s, "role"), "roles/pubsub.subscriber");
    const unconditioned = ofType(g, "gcp:projects/iAMMember:IAMMember").filter((m) => at(m, "condition") === undefined);
    assert.deepEqual(unconditioned.map((m) => m.name), [], "small tier: no trace role, no project-wide grant (state grants carry a condition)");
  });

  it("runs each agent as a Cloud Run v2 service: sizes, probes, secrets, ingress, scaling, concurrency, deletion protection", () => {
    const intake = one(g, "gcp:cloudrunv2/service:Service", "acme-intake");
    assert.equal(at(intake, "ingress"), "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
    assert.equal(at(intake, "deletionProtection"), true);
    assert.deepEqual(at(intake, "template", "containers", 0, "resources"), { limits: { cpu: "1", memory: "1024Mi" }, cpuIdle: true, startupCpuBoost: true });
    assert.deepEqual(at(intake, "template", "scaling"), { minInstanceCount: 1, maxInstanceCount: 1 });
    assert.equal(at(intake, "template", "maxInstanceRequestConcurrency"), 32);
    assert.equal(at(intake, "template", "serviceAccount"), `acme-prod-intake@${PROJECT}.iam.gserviceaccount.com`);
    assert.deepEqual(at(intake, "template", "containers", 0, "startupProbe"), { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 });
    assert.deepEqual(at(intake, "template", "vpcAccess", "egress"), "PRIVATE_RANGES_ONLY");
    const envs = at(intake, "template", "containers", 0, "envs") as Array<{ name: string; valueSource?: unknown }>;
    assert.deepEqual(envs.find((e) => e.name === "TOKEN"), { name: "TOKEN", valueSource: { secretKeyRef: { secret: "intake-token", version: "latest" } } });
    const writer = one(g, "gcp:cloudrunv2/service:Service", "acme-writer");
    assert.equal(at(writer, "ingress"), "INGRESS_TRAFFIC_INTERNAL_ONLY");
    assert.deepEqual(at(writer, "template", "scaling"), { minInstanceCount: 0, maxInstanceCount: 5 });
    assert.equal(at(writer, "template", "maxInstanceRequestConcurrency"), 8);
  });

  it("gives a GPU agent one whole L4 with at least 4 vCPU and 16 GiB, CPU always allocated", () => {
    const vision = one(g, "gcp:cloudrunv2/service:Service", "acme-vision");
    assert.deepEqual(at(vision, "template", "nodeSelector"), { accelerator: "nvidia-l4" });
    assert.deepEqual(at(vision, "template", "containers", 0, "resources"), { limits: { cpu: "4", memory: "16384Mi", "nvidia.com/gpu": "1" }, cpuIdle: false, startupCpuBoost: true });
  });

  it("lets only the push invoker invoke services, and only Pub/Sub mint its tokens", () => {
    // The gateway proxy's own invoker grants (on the agents it calls) are asserted in test/gcp/gateway.test.ts.
    const members = ofType(g, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember").filter((m) => !m.name.startsWith("acme-gateway-"));
    assert.equal(members.length, 3);
    for (const m of members) assert.deepEqual([at(m, "role"), at(m, "member")], ["roles/run.invoker", `serviceAccount:acme-prod-push@${PROJECT}.iam.gserviceaccount.com`]);
    const token = one(g, "gcp:serviceaccount/iAMMember:IAMMember", "acme-push-invoker-token");
    assert.equal(at(token, "role"), "roles/iam.serviceAccountTokenCreator");
    assert.equal(at(token, "serviceAccountId"), `projects/${PROJECT}/serviceAccounts/acme-prod-push@${PROJECT}.iam.gserviceaccount.com`);
  });

  it("grants each agent its own events topic and secrets, per resource", () => {
    const secret = one(g, "gcp:secretmanager/secretIamMember:SecretIamMember", "acme-intake-secret-intake-token");
    assert.deepEqual([at(secret, "secretId"), at(secret, "role"), at(secret, "member")], ["intake-token", "roles/secretmanager.secretAccessor", `serviceAccount:acme-prod-intake@${PROJECT}.iam.gserviceaccount.com`]);
    const publish = one(g, "gcp:pubsub/topicIAMMember:TopicIAMMember", "acme-intake-publish-events");
    assert.deepEqual([at(publish, "topic"), at(publish, "role")], ["acme-prod-intake-events", "roles/pubsub.publisher"]);
  });

  it("routes the fleet's logs to a bucket with the environment's retention, and budgets on the fleet label", () => {
    const bucket = ofType(g, "gcp:logging/projectBucketConfig:ProjectBucketConfig")[0];
    assert.equal(at(bucket, "retentionDays"), planFleet(fleet).logRetentionDays);
    const budget = ofType(g, "gcp:billing/budget:Budget")[0];
    assert.equal(at(budget, "billingAccount"), BILLING);
    assert.deepEqual(at(budget, "budgetFilter", "labels"), { fleet: "acme" });
    assert.deepEqual(at(budget, "budgetFilter", "projects"), [`projects/${GCP_PROJECT_NUMBER}`]);
    assert.deepEqual(at(budget, "thresholdRules"), [
      { thresholdPercent: 0.8, spendBasis: "CURRENT_SPEND" },
      { thresholdPercent: 1, spendBasis: "CURRENT_SPEND" },
      { thresholdPercent: 1, spendBasis: "FORECASTED_SPEND" },
    ]);
    assert.deepEqual(at(budget, "amount"), { specifiedAmount: { currencyCode: "USD", units: "900" } });
  });

  it("builds a private network: custom subnets, Private Google Access, Cloud NAT, private services access", () => {
    assert.equal(at(ofType(g, "gcp:compute/network:Network")[0], "autoCreateSubnetworks"), false);
    const subnet = one(g, "gcp:compute/subnetwork:Subnetwork", "acme-private");
    assert.equal(at(subnet, "privateIpGoogleAccess"), true);
    assert.equal(at(subnet, "ipCidrRange"), "10.0.0.0/20");
    assert.equal(at(ofType(g, "gcp:compute/routerNat:RouterNat")[0], "sourceSubnetworkIpRangesToNat"), "LIST_OF_SUBNETWORKS");
    assert.deepEqual(at(ofType(g, "gcp:servicenetworking/connection:Connection")[0], "reservedPeeringRanges"), ["acme-prod-us-central1-private-services"]);
  });
});

describe("run: what Cloud Run cannot do is an error with a path and a hint", () => {
  it("rejects a fractional GPU and points to gke", async () => {
    await rejects(gcpFleet("run", [gcpAgent("v", { resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.5, memoryGi: 8 } } })]), "spec.agents[0].resources.gpu.share", /runtime 'gke'/);
  });
  it("rejects a GPU agent in a region without Cloud Run GPUs, naming the regions", async () => {
    const f = gcpFleet("run", [gcpAgent("v", { resources: { cpu: 4, memory: "16Gi", gpu: { share: 1, memoryGi: 16 } } })]);
    f.spec.targets = [{ runtime: "run", region: "us-west1", project: PROJECT, billingAccount: BILLING }];
    await rejects(f, "spec.targets[0].region", /Cloud Run has no GPUs in us-west1.*us-central1/);
  });
  it("rejects an ack deadline over 600 s, naming the field", async () => {
    await rejects(gcpFleet("run", [gcpAgent("slow", { queue: { visibilityTimeoutSeconds: 900 } })]), "spec.agents[0].queue.visibilityTimeoutSeconds", /600/);
  });
  it("asks for the project when neither the target nor gcp:project gives it", async () => {
    const f = gcpFleet("run", [gcpAgent("a")]);
    f.spec.targets = [{ runtime: "run", region: "us-central1" }];
    await assert.rejects(planGcp(f, { "microagents:billingAccount": BILLING }), (e: unknown) => e instanceof MicroAgentsConfigError && e.issues[0].path === "spec.targets[0].project" && /gcp:project/.test(e.issues[0].hint ?? ""));
  });
  it("rounds CPU and memory up to Cloud Run sizes", () => {
    const plan = planFleet(gcpFleet("run", [gcpAgent("a", { resources: { cpu: 3, memory: "1500Mi" } })]));
    assert.deepEqual({ ...runShape(plan.agents[0]), notes: undefined }, { cpu: "4", memory: "2048Mi", cpuCount: 4, memoryMiB: 2048, notes: undefined });
  });
});
