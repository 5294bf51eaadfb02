import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildCatalog, estimateCost, priceCatalog, resolveUsage } from "../../lib/cost";
import { cloudOfRegion, nodeFraction, REFERENCE_NODES } from "../../lib/cost/compute";
import { instanceHourly } from "../../lib/prices/rates";
import catalogFile from "../../lib/prices/prices.json";
import { factsFromResources, type RawResource } from "../../lib/facts";

const tags = (agent?: string) => ({ fleet: "acme", tier: "small", environment: "prod", team: "t", "managed-by": "microagents", agent: agent ?? "shared" });
const labels = (agent?: string) => Object.fromEntries(Object.entries(tags(agent)).map(([k, v]) => [k === "managed-by" ? "app.kubernetes.io/managed-by" : `microagents.io/${k}`, v]));

function raw(type: string, name: string, inputs: Record<string, unknown>): RawResource {
  return { urn: `urn:pulumi:test::test::${type}::${name}`, type, name, inputs, custom: true };
}

function deployment(name: string, opts: { cpu: string; memory: string; replicas?: number; gpu?: number; selector?: Record<string, string> }): RawResource {
  const limits: Record<string, string> = { cpu: opts.cpu, memory: opts.memory, ...(opts.gpu ? { "nvidia.com/gpu": String(opts.gpu) } : {}) };
  return raw("kubernetes:apps/v1:Deployment", name, {
    metadata: { name, namespace: "acme", labels: labels(name) },
    spec: {
      replicas: opts.replicas ?? 1,
      template: { spec: { ...(opts.selector ? { nodeSelector: opts.selector } : {}), containers: [{ name: "agent", image: "x@sha256:1", resources: { requests: limits, limits } }] } },
    },
  });
}

function fargateService(name: string, strategies: Array<{ capacityProvider: string; weight: number }>, desired = 2): RawResource[] {
  return [
    raw("aws:ecs/taskDefinition:TaskDefinition", name, {
      family: name,
      cpu: "1024",
      memory: "2048",
      requiresCompatibilities: ["FARGATE"],
      containerDefinitions: JSON.stringify([{ name: "agent", image: "x@sha256:1", cpu: 1024, memory: 2048 }]),
      tags: tags(name),
    }),
    raw("aws:ecs/service:Service", name, { name, desiredCount: desired, capacityProviderStrategies: strategies, taskDefinition: `arn:aws:ecs:us-east-1:1:task-definition/${name}:1`, tags: tags(name) }),
  ];
}

const small = resolveUsage("small");
const H = 730;

describe("estimateCost", () => {
  it("prices Fargate tasks per task-hour, with the Fargate Spot share discounted", () => {
    const facts = factsFromResources([...fargateService("api", [{ capacityProvider: "FARGATE", weight: 1 }]), ...fargateService("batch", [{ capacityProvider: "FARGATE_SPOT", weight: 3 }, { capacityProvider: "FARGATE", weight: 1 }])]);
    const e = estimateCost(facts, { usage: small });
    const hourly = 1 * 0.04048 + 2 * 0.004445;
    const api = e.items.find((i) => i.resource === "api" && i.type === "aws:ecs/service:Service");
    const batch = e.items.find((i) => i.resource === "batch" && i.type === "aws:ecs/service:Service");
    assert.equal(api?.monthlyUsd, Math.round(hourly * 2 * H * 100) / 100);
    assert.equal(batch?.monthlyUsd, Math.round(hourly * 2 * H * (1 - 0.6 * 0.75) * 100) / 100);
    assert.match(batch?.basis ?? "", /75% on Fargate Spot at 60% off/);
    assert.equal(api?.agent, "api");
    const td = e.items.find((i) => i.resource === "api" && i.type === "aws:ecs/taskDefinition:TaskDefinition");
    assert.equal(td?.monthlyUsd, 0);
    assert.match(td?.basis ?? "", /^no charge/);
  });

  it("shares a node pool's cost out to its pods by dominant resource and keeps the rest on the pool", () => {
    const pool = raw("aws:eks/nodeGroup:NodeGroup", "general", {
      nodeGroupName: "general",
      instanceTypes: ["m6i.xlarge"],
      scalingConfig: { minSize: 3, maxSize: 5, desiredSize: 3 },
      labels: { role: "general" },
      tags: tags(),
    });
    // 2 vCPU / 4 GiB of a 4 vCPU / 16 GiB node: half a node a replica; 2 replicas need 1 node, the pool runs 3.
    const facts = factsFromResources([pool, deployment("worker", { cpu: "2", memory: "4Gi", replicas: 2, selector: { role: "general" } })]);
    const e = estimateCost(facts, { usage: small });
    const poolItem = e.items.find((i) => i.resource === "general");
    const worker = e.items.find((i) => i.resource === "worker");
    assert.ok(poolItem && worker);
    const node = 0.192 * H;
    assert.equal(worker.monthlyUsd, Math.round(node * 100) / 100, "two half-node replicas pay one node");
    assert.equal(poolItem.monthlyUsd, Math.round(2 * node * 100) / 100, "the two nodes above the need are idle capacity");
    assert.match(poolItem.basis, /3 node\(s\) × 730 h/);
    assert.equal(Math.round((worker.monthlyUsd + poolItem.monthlyUsd) * 100), Math.round(3 * node * 100), "pool and pods add up to the pool's nodes");
  });

  it("prices pods of a cluster whose cloud is unknown against a reference node, and says so", () => {
    const e = estimateCost(factsFromResources([deployment("worker", { cpu: "1", memory: "1Gi" })]), { usage: small });
    const worker = e.items.find((i) => i.resource === "worker");
    assert.equal(worker?.monthlyUsd, Math.round(0.25 * 0.192 * H * 100) / 100);
    assert.match(worker?.basis ?? "", /m6i\.xlarge.*reference/);
    assert.ok(e.assumptions.some((a) => /reference/.test(a)));
  });

  it("lists what it cannot price, with a reason, and never counts it as zero", () => {
    const facts = factsFromResources([
      raw("aws:made/up:Thing", "mystery", { tags: tags() }),
      raw("kubernetes:helm.sh/v3:Release", "nats", { chart: "nats", namespace: "nats" }),
      deployment("gpu-worker", { cpu: "1", memory: "2Gi", gpu: 1, selector: { "microagents.io/gpu-pool": "inference" } }),
    ]);
    const e = estimateCost(facts, { usage: small });
    assert.deepEqual(e.unpriced.map((u) => u.resource).sort(), ["gpu-worker", "mystery", "nats"]);
    assert.match(e.unpriced.find((u) => u.resource === "mystery")?.reason ?? "", /no adapter or price rule/);
    assert.match(e.unpriced.find((u) => u.resource === "gpu-worker")?.reason ?? "", /which GPU/);
    assert.equal(e.items.length, 0);
    assert.equal(e.totalMonthlyUsd, 0);
  });

  it("prices the GPU of a plain-Kubernetes pool from the fleet's plan", () => {
    const facts = factsFromResources([deployment("gpu-worker", { cpu: "1", memory: "2Gi", gpu: 1, selector: { "microagents.io/gpu-pool": "inference" } })]);
    const e = estimateCost(facts, {
      usage: small,
      kubernetesCloud: "aws",
      gpuPools: [{ name: "inference", accelerator: "nvidia-l4", sharing: "time-slicing", slicesPerGpu: 4, spot: false, nodesAtMin: 1, nodesAtMax: 1, minNodes: 1, maxNodes: 1, instanceTypes: { aws: "g6.xlarge" } }],
    });
    assert.deepEqual(e.unpriced, []);
    const item = e.items.find((i) => i.resource === "gpu-worker");
    assert.equal(item?.monthlyUsd, Math.round(0.8048 * H * 100) / 100, "the only pod on a one-node pool pays the node");
    assert.match(item?.basis ?? "", /25\.0% of a g6\.xlarge/);
  });

  it("recognises free things as free, not unpriced", () => {
    const facts = factsFromResources([
      raw("kubernetes:core/v1:Service", "svc", { metadata: { name: "svc", labels: labels() }, spec: { type: "ClusterIP", ports: [{ port: 80 }] } }),
      raw("aws:iam/role:Role", "role", { assumeRolePolicy: JSON.stringify({ Statement: [] }), tags: tags() }),
      raw("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcEndpointType: "Gateway", serviceName: "com.amazonaws.us-east-1.s3" }),
    ]);
    const e = estimateCost(facts, { usage: small });
    assert.deepEqual(e.unpriced, []);
    assert.equal(e.items.length, 3);
    for (const i of e.items) {
      assert.equal(i.monthlyUsd, 0);
      assert.match(i.basis, /^no charge: /, i.resource);
    }
  });

  it("splits queue usage over the input queues and follows a fleet's usage override", () => {
    const queues = [raw("aws:sqs/queue:Queue", "a", { name: "a", tags: tags("a") }), raw("aws:sqs/queue:Queue", "b", { name: "b", tags: tags("b") })];
    const preset = estimateCost(factsFromResources(queues), { usage: small });
    const perQueue = (3_000_000 / 2) * 3 * (0.4 / 1e6);
    assert.deepEqual(preset.items.map((i) => i.monthlyUsd), [perQueue, perQueue].map((x) => Math.round(x * 100) / 100));
    const busier = estimateCost(factsFromResources(queues), { usage: resolveUsage("small", { messagesPerMonth: 30_000_000 }) });
    assert.equal(busier.items[0].monthlyUsd, Math.round(perQueue * 10 * 100) / 100);
    assert.deepEqual(busier.usage.overridden, ["messagesPerMonth"]);
  });

  it("adds every item to the total and every agent's items to its figure", () => {
    const facts = factsFromResources([
      ...fargateService("api", [{ capacityProvider: "FARGATE", weight: 1 }]),
      raw("aws:sqs/queue:Queue", "api-in", { name: "api-in", tags: tags("api") }),
      raw("aws:ec2/natGateway:NatGateway", "nat", { allocationId: "eip", subnetId: "s", tags: tags() }),
      raw("aws:kms/key:Key", "key", { enableKeyRotation: true, tags: tags() }),
    ]);
    const e = estimateCost(facts, { usage: small });
    const cents = (n: number) => Math.round(n * 100);
    assert.equal(cents(e.totalMonthlyUsd), e.items.reduce((s, i) => s + cents(i.monthlyUsd), 0));
    assert.equal(cents(e.totalMonthlyUsd), Object.values(e.byAgent).reduce((s, v) => s + cents(v), 0));
    assert.ok(e.byAgent.api > 0 && e.byAgent.shared > 0);
  });

  it("takes the budget from the stack's budgets: a fleet's per-cloud parts and every fleet summed", () => {
    const budget = (name: string, fleet: string, amount: number) => raw("aws:budgets/budget:Budget", name, { budgetType: "COST", limitAmount: String(amount), limitUnit: "USD", timeUnit: "MONTHLY", tags: { ...tags(), fleet } });
    const facts = factsFromResources([budget("a1", "a", 700), budget("a2", "a", 300), budget("b", "b", 500)]);
    assert.equal(estimateCost(facts, { usage: small }).budgetMonthlyUsd, 1500);
    assert.equal(estimateCost(facts, { usage: small, budgetMonthlyUsd: 42 }).budgetMonthlyUsd, 42);
    assert.equal(estimateCost([], { usage: small }).budgetMonthlyUsd, undefined);
  });

  it("falls back to the tier's default budget when the stack declares none", () => {
    const facts = factsFromResources([raw("aws:sqs/queue:Queue", "q", { name: "q", tags: { ...tags("a"), tier: "medium" } })]);
    const e = estimateCost(facts);
    assert.equal(e.budgetMonthlyUsd, 50000);
    assert.equal(e.usage.tier, "medium");
    assert.ok(e.assumptions.some((a) => a.startsWith("budget: the medium tier's default")));
  });

  it("prices spot capacity with a configurable discount, and the naive deployment on demand with whole GPUs", () => {
    const pool = raw("aws:eks/nodeGroup:NodeGroup", "gpu", {
      nodeGroupName: "gpu",
      instanceTypes: ["g6.xlarge"],
      capacityType: "SPOT",
      scalingConfig: { minSize: 0, maxSize: 2, desiredSize: 1 },
      labels: { "microagents.io/gpu-pool": "gpu" },
      taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }],
      tags: tags(),
    });
    const pods = [deployment("a", { cpu: "1", memory: "2Gi", gpu: 1, selector: { "microagents.io/gpu-pool": "gpu" } }), deployment("b", { cpu: "1", memory: "2Gi", gpu: 1, selector: { "microagents.io/gpu-pool": "gpu" } })];
    const facts = factsFromResources([pool, ...pods]);
    const at60 = estimateCost(facts, { usage: small });
    const at30 = estimateCost(facts, { usage: small, spotDiscount: 0.3 });
    const naive = estimateCost(facts, { usage: small, naive: true });
    assert.equal(Math.round(at60.totalMonthlyUsd), Math.round(2 * 0.8048 * 0.4 * H), "two whole-GPU pods need both nodes");
    assert.equal(Math.round(at30.totalMonthlyUsd), Math.round(2 * 0.8048 * 0.7 * H));
    assert.equal(Math.round(naive.totalMonthlyUsd), Math.round(2 * 0.8048 * H));
  });
});

describe("compute price functions", () => {
  it("knows the cloud of a region name", () => {
    assert.equal(cloudOfRegion("us-east-1"), "aws");
    assert.equal(cloudOfRegion("europe-west4"), "gcp");
    assert.equal(cloudOfRegion("westeurope"), "azure");
    assert.equal(cloudOfRegion("local"), undefined);
    assert.equal(cloudOfRegion(undefined), undefined);
  });

  it("takes a replica's dominant share of a node", () => {
    const node = REFERENCE_NODES.aws;
    assert.equal(nodeFraction({ cpu: 1, memoryMiB: 1024, gpus: 0 }, node), 0.25, "cpu binds");
    assert.equal(nodeFraction({ cpu: 0.5, memoryMiB: 8192, gpus: 0 }, node), 0.5, "memory binds");
    assert.equal(nodeFraction({ cpu: 0.5, memoryMiB: 1024, gpus: 0.5 }, { ...node, gpus: 1 }), 0.5, "the GPU binds");
    assert.equal(nodeFraction({ cpu: 64, memoryMiB: 1024, gpus: 0 }, node), 1, "never more than a node");
  });

  it("reads instance prices from the catalog and refuses unknown types", () => {
    assert.equal(instanceHourly("aws", "g5.xlarge")?.usd, 1.006);
    assert.equal(instanceHourly("aws", "x9.nothing"), undefined);
    const tiny = buildCatalog({ ...catalogFile, prices: catalogFile.prices.filter((p) => p.key !== "aws.ec2.g5.xlarge.hour") });
    assert.equal(instanceHourly("aws", "g5.xlarge", tiny), undefined);
    assert.equal(priceCatalog().find("aws.ec2.g5.xlarge.hour")?.confidence, "list");
  });
});
