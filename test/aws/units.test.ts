import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { researchFleet } from "../../agents";
import { planFleet } from "../../lib/plan";
import { MicroAgentsConfigError } from "../../lib/spec";
import { queueNames } from "../../lib/targets/aws/broker";
import { filterPolicy } from "../../lib/targets/aws/filter-policy";
import { syncPorts } from "../../lib/targets/aws/gateway-shape";
import { cognitoPool, methodPath, modelName, modelSchema, sendMessageTemplate, wafRateLimit } from "../../lib/targets/aws/gateway-shape";
import { awsName, partitionOf } from "../../lib/targets/aws/names";
import { subnetCidrs } from "../../lib/targets/aws/network";
import { logPattern } from "../../lib/targets/aws/observability";
import { stateSizes } from "../../lib/targets/aws/state-store";
import { cacheAccessString, cacheUsers, CACHE_USERS_PER_GROUP } from "../../lib/targets/aws/state-shape";
import { checkAwsFleet } from "../../lib/targets/aws/validate";
import { fargateTaskSize } from "../../lib/targets/aws-ecs/fargate";
import { gpuUserData } from "../../lib/targets/aws-ecs/gpu-instance";
import { fargateStrategy } from "../../lib/targets/aws-ecs/fargate";
import { ecrRepositoryArn, tracing } from "../../lib/targets/aws-ecs/service";
import { taskShape } from "../../lib/targets/aws-ecs/task";
import { systemNodes } from "../../lib/targets/aws-eks/platform";
import { agent, awsFleet, JWT } from "../helpers/aws";

const issues = (f: () => void) => {
  try {
    f();
  } catch (e) {
    if (e instanceof MicroAgentsConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
};

describe("AWS naming", () => {
  it("keeps names under the service's limit with a stable hash of the whole", () => {
    assert.equal(awsName(["acme", "prod", "worker"], 64), "acme-prod-worker");
    const long = awsName(["a".repeat(24), "prod", "b".repeat(40), "task", "ap-southeast-2"], 64);
    assert.equal(long.length, 64);
    assert.match(long, /^a{24}-prod-b+-[0-9a-f]{7}$/);
    assert.equal(long, awsName(["a".repeat(24), "prod", "b".repeat(40), "task", "ap-southeast-2"], 64));
    assert.notEqual(long, awsName(["a".repeat(24), "prod", "b".repeat(40), "task", "ap-southeast-1"], 64), "the region still tells them apart");
    assert.equal(awsName(["acme-prod", "edge"], 32), "acme-prod-edge");
  });
  it("knows the partition of a region", () => {
    assert.deepEqual(["us-east-1", "cn-north-1", "us-gov-west-1"].map(partitionOf), ["aws", "aws-cn", "aws-us-gov"]);
  });
  it("names FIFO queues, their DLQs and topics with .fifo", () => {
    assert.deepEqual(queueNames("acme-prod", "intake", true), { queue: "acme-prod-intake.fifo", deadLetter: "acme-prod-intake-dlq.fifo", topic: "acme-prod-intake-events.fifo" });
    assert.deepEqual(queueNames("acme-prod", "intake", false), { queue: "acme-prod-intake", deadLetter: "acme-prod-intake-dlq", topic: "acme-prod-intake-events" });
    const max = queueNames("f".repeat(24) + "-staging", "a".repeat(40), true);
    assert.ok(max.deadLetter.length <= 80 && max.queue.endsWith(".fifo"));
  });
  it("lays subnets out without overlap", () => {
    assert.deepEqual(subnetCidrs(1, 3), { private: ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/20"], public: ["10.1.240.0/24", "10.1.241.0/24", "10.1.242.0/24"] });
  });
});

describe("Fargate sizes", () => {
  it("takes the smallest valid size that holds the request", () => {
    assert.deepEqual(fargateTaskSize(512, 1024), { cpu: 512, memory: 1024 });
    assert.deepEqual(fargateTaskSize(1024, 1024), { cpu: 1024, memory: 2048 });
    assert.deepEqual(fargateTaskSize(640, 1280), { cpu: 1024, memory: 2048 });
    assert.deepEqual(fargateTaskSize(1024, 9000), { cpu: 2048, memory: 9216 });
    assert.deepEqual(fargateTaskSize(8192, 32768), { cpu: 8192, memory: 32768 });
    assert.deepEqual(fargateTaskSize(8192, 33000), { cpu: 8192, memory: 36864 }, "8 vCPU memory steps are 4 GiB");
    assert.equal(fargateTaskSize(16385, 1024), undefined);
    assert.equal(fargateTaskSize(1024, 123000), undefined);
  });
  it("rejects an agent larger than Fargate by its path, before any resource", () => {
    const plan = planFleet(awsFleet("ecs", [agent("huge", { resources: { cpu: 16, memory: "121Gi" } })], { tier: "enterprise" }));
    assert.deepEqual(issues(() => taskShape(plan, plan.agents[0], false)), ["spec.agents[0].resources: 16 vCPU and 123904 MiB exceed the largest Fargate task (16 vCPU, 120 GiB)"]);
  });
  it("adds the collector sidecar to the task size", () => {
    const plan = planFleet(awsFleet("ecs", [agent("w", { resources: { cpu: 1, memory: "2Gi" } })], { tier: "medium" }));
    assert.deepEqual(taskShape(plan, plan.agents[0], true), { launch: "FARGATE", cpu: 2048, memory: 4096, agentCpu: 1024, agentMemory: 2048, gpus: 0 });
    assert.deepEqual(taskShape(plan, plan.agents[0], false), { launch: "FARGATE", cpu: 1024, memory: 2048, agentCpu: 1024, agentMemory: 2048, gpus: 0 });
  });
  it("reserves a time-sliced agent's share of the node's CPU, and whole GPUs through ECS", () => {
    const plan = planFleet(awsFleet("ecs", [agent("slice", { resources: { cpu: 0.5, memory: "2Gi", gpu: { share: 0.25, memoryGi: 4 } } }), agent("whole", { resources: { cpu: 2, memory: "8Gi", gpu: { share: 1, memoryGi: 16 } } })]));
    const shape = { instanceType: "g6.xlarge", gpus: 1, vcpu: 4, memoryGiB: 16 };
    const capacity = (pool: string) => ({ pool: plan.gpuPools.find((p) => p.name === pool)!, shape, cluster: undefined as never, capacityProviderName: undefined as never });
    const slice = plan.agents[0];
    const whole = plan.agents[1];
    assert.deepEqual(taskShape(plan, slice, false, capacity(slice.gpu!.pool)), { launch: "EC2", cpu: 1024, memory: 2048, agentCpu: 1024, agentMemory: 2048, gpus: 0 });
    assert.deepEqual(taskShape(plan, whole, false, capacity(whole.gpu!.pool)), { launch: "EC2", cpu: 2048, memory: 8192, agentCpu: 2048, agentMemory: 8192, gpus: 1 });
  });
});

describe("placement and scaling choices", () => {
  it("puts spot-eligible queue agents mostly on Fargate Spot, never sync-routed ones", () => {
    const plan = planFleet(awsFleet("ecs", [agent("batch", { criticality: "batch" }), agent("api", { criticality: "batch", route: { path: "/a", invoke: "sync", auth: "none" } }), agent("core", { criticality: "critical" })]));
    assert.deepEqual(fargateStrategy(plan.agents[0]), [
      { capacityProvider: "FARGATE_SPOT", weight: 4, base: 0 },
      { capacityProvider: "FARGATE", weight: 1, base: 0 },
    ]);
    assert.deepEqual(fargateStrategy(plan.agents[1]), [{ capacityProvider: "FARGATE", weight: 1, base: 0 }]);
    assert.deepEqual(fargateStrategy(plan.agents[2]), [{ capacityProvider: "FARGATE", weight: 1, base: 0 }]);
  });
  it("traces through the fleet's OTLP endpoint, else an X-Ray sidecar where the tier traces", () => {
    assert.deepEqual(tracing(planFleet(awsFleet("ecs", [agent("w")], { tier: "small" }))), { sidecar: false });
    assert.deepEqual(tracing(planFleet(awsFleet("ecs", [agent("w")], { tier: "medium" }))), { sidecar: true, endpoint: "http://localhost:4317" });
    assert.deepEqual(tracing(planFleet(awsFleet("ecs", [agent("w")], { tier: "medium", observability: { otlpEndpoint: "https://otel.acme.example" } }))), { sidecar: false, endpoint: "https://otel.acme.example" });
  });
  it("finds the ECR repository of ECR images only", () => {
    assert.equal(ecrRepositoryArn("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/agent@sha256:abc", "aws"), "arn:aws:ecr:eu-west-1:123456789012:repository/team/agent");
    assert.equal(ecrRepositoryArn("ghcr.io/acme/agent:1.0", "aws"), undefined);
  });
  it("sizes the EKS system node group for the largest CPU agent and every CPU agent at max", () => {
    const plan = planFleet(awsFleet("eks", [agent("a", { resources: { cpu: 3, memory: "4Gi" }, scaling: { mode: "horizontal", min: 1, max: 4 } }), agent("b", { resources: { cpu: 1, memory: "2Gi" } })]));
    assert.deepEqual(systemNodes(plan), { instanceType: "m7i.2xlarge", min: 2, max: 3 }, "13 vCPU at max: m7i.xlarge would need 5 nodes, over the small tier's 4");
    const dev = planFleet(awsFleet("eks", [agent("a")], { environment: "dev" }));
    assert.deepEqual(systemNodes(dev), { instanceType: "m7i.large", min: 1, max: 2 });
    const busy = planFleet(awsFleet("eks", [agent("a", { resources: { cpu: 1, memory: "2Gi" }, scaling: { mode: "horizontal", min: 1, max: 20 } })]));
    assert.deepEqual(systemNodes(busy), { instanceType: "m7i.2xlarge", min: 2, max: 4 }, "larger nodes keep 20 vCPU within the small tier's 4 nodes");
    const huge = planFleet(awsFleet("eks", [agent("a", { resources: { cpu: 4, memory: "8Gi" }, scaling: { mode: "horizontal", min: 1, max: 20 } })]));
    assert.deepEqual(systemNodes(huge), { instanceType: "m7i.4xlarge", min: 2, max: 4 }, "the cap wins when no shape is enough");
  });
  it("runs GPU pools on node shapes that hold their agents' vCPU and memory", () => {
    const plan = planFleet(researchFleet({ tier: "small", environment: "prod", targets: [{ runtime: "ecs", region: "us-east-1" }] }));
    const pool = plan.gpuPools[0];
    // language-analyzer asks 8 vCPU and 32 GiB with its GPU: more than a g4dn.xlarge has.
    assert.equal(pool.shapes.aws?.instanceType, "g4dn.12xlarge");
  });
  it("gives sync agents stable NLB ports by their position in the fleet", () => {
    const plan = planFleet(awsFleet("ecs", [agent("a"), agent("b", { route: { path: "/b", invoke: "sync", auth: "none" } })]));
    assert.deepEqual([...syncPorts(plan)], [["b", 10001]]);
  });
  it("sizes state by tier", () => {
    const small = planFleet(awsFleet("ecs", [agent("a")], { environment: "dev" }));
    assert.deepEqual(stateSizes(small), { instanceClass: "db.t4g.micro", multiAz: false, backupDays: 7, cacheGb: 5, cacheEcpu: 5000, snapshots: 1 });
    const medium = planFleet(awsFleet("ecs", [agent("a")], { tier: "medium" }));
    assert.deepEqual(stateSizes(medium), { instanceClass: "db.m7g.large", multiAz: true, backupDays: 14, cacheGb: 50, cacheEcpu: 50000, snapshots: 7 });
  });
});

describe("broker filters", () => {
  it("filters a subscription on pipeline and event type, and merges several edges with $or", () => {
    assert.equal(filterPolicy([{ subscriber: "b", publisher: "a" }]), undefined);
    assert.deepEqual(filterPolicy([{ subscriber: "b", publisher: "a", pipeline: "p" }]), { pipeline: ["p"] });
    assert.deepEqual(filterPolicy([{ subscriber: "a", publisher: "b", pipeline: "p", eventTypes: ["retry"] }]), { pipeline: ["p"], eventType: ["retry"] });
    assert.deepEqual(filterPolicy([{ subscriber: "b", publisher: "a", pipeline: "p" }, { subscriber: "b", publisher: "a", eventTypes: ["done"] }]), { $or: [{ pipeline: ["p"] }, { eventType: ["done"] }] });
    assert.equal(filterPolicy([{ subscriber: "b", publisher: "a", pipeline: "p" }, { subscriber: "b", publisher: "a" }]), undefined, "an unfiltered edge takes everything");
  });
});

describe("what AWS cannot do is rejected before any resource", () => {
  it("rejects per-route weights API Gateway cannot split, with the field path", () => {
    const plan = planFleet(awsFleet("ecs", [agent("a", { route: { path: "/a", weight: 30 } }), agent("b", { route: { path: "/b", weight: 0 } })], { gateway: { jwt: JWT, legacyBackend: { url: "https://m.example" } } }));
    assert.deepEqual(issues(() => checkAwsFleet(plan)), ["spec.agents[0].route.weight: API Gateway (runtime ecs/eks) cannot split one route 30/70 between the agent and the legacy backend"]);
  });
  it("rejects a FIFO queue subscribed to a standard topic", () => {
    const plan = planFleet(awsFleet("ecs", [agent("a"), agent("b", { queue: { fifo: true }, subscribes: [{ from: "a" }] })]));
    assert.deepEqual(issues(() => checkAwsFleet(plan)), ["spec.agents[1].queue.fifo: 'b' has a FIFO queue but receives events of 'a', whose topic is standard; SNS cannot deliver a standard topic to a FIFO queue"]);
    assert.deepEqual(issues(() => checkAwsFleet(planFleet(awsFleet("ecs", [agent("a", { queue: { fifo: true } }), agent("b", { queue: { fifo: true }, subscribes: [{ from: "a" }] })])))), []);
  });
});

describe("gateway pieces", () => {
  it("recognises Cognito issuers", () => {
    assert.deepEqual(cognitoPool("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"), { region: "eu-west-1", poolId: "eu-west-1_AbC123" });
    assert.equal(cognitoPool(JWT.issuer), undefined);
  });
  it("names models and method paths as API Gateway wants them", () => {
    assert.equal(modelName("document-processor"), "DocumentProcessorRequest");
    assert.equal(methodPath("/documents/{id}", "POST"), "documents/{id}/POST");
  });
  it("turns a route schema into a draft-04 model", () => {
    const plan = planFleet(awsFleet("ecs", [agent("a", { route: { path: "/a", auth: "none", schema: { $schema: "https://json-schema.org/draft/2020-12/schema", type: "object", required: ["q"] } } })]));
    assert.deepEqual(JSON.parse(modelSchema(plan.agents[0]) ?? "null"), { $schema: "http://json-schema.org/draft-04/schema#", type: "object", required: ["q"], title: "ARequest" });
    assert.equal(modelSchema(planFleet(awsFleet("ecs", [agent("a")])).agents[0]), undefined);
  });
  it("enqueues FIFO requests with a group and the request id as deduplication id", () => {
    assert.equal(sendMessageTemplate(false), "Action=SendMessage&MessageBody=$util.urlEncode($input.body)&MessageAttribute.1.Name=requestId&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=$context.requestId");
    assert.match(sendMessageTemplate(true), /MessageGroupId=\$util\.urlEncode\(\$group\)&MessageDeduplicationId=\$context\.requestId$/);
  });
  it("rate-limits each client IP at five minutes of every route's limit", () => {
    const plan = planFleet(awsFleet("ecs", [agent("a", { route: { path: "/a", auth: "none", rateLimitPerMinute: 120 } }), agent("b", { route: { path: "/b", auth: "none", rateLimitPerMinute: 30 } })]));
    assert.equal(wafRateLimit(plan.agents), 750);
    assert.equal(wafRateLimit([]), 100);
  });
});

describe("GPU instance user data and log patterns", () => {
  it("joins the pool's cluster, blocks IMDS for tasks, and makes the NVIDIA runtime the default only for time-sliced pools", () => {
    const sliced = gpuUserData("acme-prod-l4-shared", { spot: true, sharing: "time-slicing" });
    assert.match(sliced, /^#!\/bin\/bash\n/);
    for (const line of ["ECS_CLUSTER=acme-prod-l4-shared", "ECS_ENABLE_GPU_SUPPORT=true", "ECS_AWSVPC_BLOCK_IMDS=true", "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true", "nvidia-ctk runtime configure --runtime=docker --set-as-default"]) assert.ok(sliced.includes(line), line);
    const whole = gpuUserData("c", { spot: false, sharing: "none" });
    assert.ok(!whole.includes("nvidia-ctk") && !whole.includes("SPOT"));
  });
  it("matches agents' JSON log lines directly on ECS and inside Container Insights records on EKS", () => {
    assert.equal(logPattern({}, '$.level = "error"'), '{ $.level = "error" }');
    assert.equal(logPattern({ logSelector: '$.kubernetes.pod_name = "a-*"' }, '$.level = "error"'), '{ ($.kubernetes.pod_name = "a-*") && ($.log_processed.level = "error") }');
  });
});

describe("cacheUsers", () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `agent-${i}`);
  it("gives each agent its own cache user while they fit one user group beside the default user", () => {
    const users = cacheUsers("acme-prod", names(CACHE_USERS_PER_GROUP - 1));
    assert.equal(users.length, CACHE_USERS_PER_GROUP - 1);
    assert.deepEqual(users[0], { id: "acme-prod-agent-0", key: "agent-0", agents: ["agent-0"] });
  });
  it("makes a larger fleet's agents share one user", () => {
    const users = cacheUsers("acme-prod", names(CACHE_USERS_PER_GROUP));
    assert.deepEqual(users.map((u) => [u.id, u.agents.length]), [["acme-prod-agents", CACHE_USERS_PER_GROUP]]);
  });
  it("limits an agent's own user to its `<agent>:` keys and channels, and every user to non-dangerous data commands", () => {
    const [own] = cacheUsers("acme-prod", ["intake"]);
    assert.equal(cacheAccessString(own), "on ~intake:* &intake:* -@all +@read +@write +@connection -@dangerous -scan -randomkey");
    const [shared] = cacheUsers("acme-prod", names(CACHE_USERS_PER_GROUP));
    assert.equal(cacheAccessString(shared), "on ~* &* -@all +@read +@write +@connection -@dangerous -scan -randomkey");
  });
});
