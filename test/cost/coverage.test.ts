import { test } from "node:test";
import assert from "node:assert/strict";
import { estimateCost } from "../../lib/cost";
import { nodeShape, REFERENCE_NODES } from "../../lib/cost/compute";
import { rdsClassVcpus } from "../../lib/cost/services";
import type { Fact } from "../../lib/facts/types";
import { priceCatalog } from "../../lib/prices/catalog";
import { instanceHourly } from "../../lib/prices/rates";
import { ACCELERATOR_INFO, ACCELERATORS, type Cloud } from "../../lib/spec/accelerators";
import { ENVIRONMENTS, TIERS } from "../../lib/spec/tiers";
import { planFleet } from "../../lib/plan/plan-fleet";
import { emailFleet } from "../../agents";
import { stateSizes } from "../../lib/targets/aws/state-shape";
import { SYSTEM_SHAPES } from "../../lib/targets/aws-eks/platform";

/** Every machine type the plan or a target can choose, with the cloud it is sold on and who chooses it. */
function choosableMachines(): Array<{ cloud: Cloud; type: string; by: string }> {
  const out: Array<{ cloud: Cloud; type: string; by: string }> = [];
  for (const acc of ACCELERATORS) {
    for (const [cloud, shapes] of Object.entries(ACCELERATOR_INFO[acc].shapes) as Array<[Cloud, ReadonlyArray<{ instanceType: string }>]>) {
      for (const s of shapes) out.push({ cloud, type: s.instanceType, by: `GPU pool shape for ${acc}` });
    }
  }
  for (const s of SYSTEM_SHAPES) out.push({ cloud: "aws", type: s.instanceType, by: "EKS system node group" });
  for (const node of Object.values(REFERENCE_NODES)) out.push({ cloud: node.cloud, type: node.instanceType, by: "reference node for pods with no declared pool" });
  return out;
}

test("every machine type the plan or a target can pick has a price and a shape", () => {
  const missing = choosableMachines().filter((m) => !instanceHourly(m.cloud, m.type) || !nodeShape(m.cloud, m.type));
  assert.deepEqual(missing, []);
});

test("every RDS class the AWS state store can pick, in every tier and environment, has a price and a vCPU count (for RDS Proxy)", () => {
  const classes = new Set<string>();
  for (const tier of TIERS) for (const environment of ENVIRONMENTS) classes.add(stateSizes(planFleet(emailFleet({ tier, environment, targets: [{ runtime: "ecs", region: "us-east-1" }] }))).instanceClass);
  assert.ok(classes.has("db.m7g.large") && classes.size >= 3, `classes read: ${[...classes].join(", ")}`);
  for (const cls of classes) {
    assert.ok(priceCatalog().find(`aws.rds.postgres.${cls}.hour`), `no price for RDS ${cls}`);
    assert.equal(rdsClassVcpus(cls), 2, cls);
  }
  assert.equal(rdsClassVcpus("db.r7g.4xlarge"), 16);
  assert.equal(rdsClassVcpus("db.m7g.xlarge"), 4);
  assert.equal(rdsClassVcpus("postgres"), undefined);
});

const ref = (name: string, type: string, extra: Partial<{ component: { type: string; name: string } }> = {}) => ({ urn: `urn:${type}:${name}`, name, type, ...extra });
const tags = (agent?: string) => ({ fleet: "f", tier: "medium", ...(agent ? { agent } : {}) });
const resource = (name: string, type: string, agent?: string, component?: string): Fact => ({
  kind: "resource",
  resource: ref(name, type, component ? { component: { type: component, name: "c" } } : {}),
  cloud: "aws",
  region: "us-east-1",
  tags: tags(agent),
  ...(agent ? { agent } : {}),
  taggable: true,
  known: true,
});

test("the agents' logs, messages and state split over the resources that carry them, not the flow-log group, alarm topic or lease table", () => {
  const logGroup = (name: string, agent?: string): Fact[] => [
    resource(name, "aws:cloudwatch/logGroup:LogGroup", agent),
    { kind: "log-group", resource: ref(name, "aws:cloudwatch/logGroup:LogGroup"), cloud: "aws", region: "us-east-1", tags: tags(agent), ...(agent ? { agent } : {}), service: "cloudwatch", retentionDays: 30, encryption: { atRest: "provider-key" } },
  ];
  const topic = (name: string, agent?: string): Fact[] => [
    resource(name, "aws:sns/topic:Topic", agent),
    { kind: "topic", resource: ref(name, "aws:sns/topic:Topic"), cloud: "aws", region: "us-east-1", tags: tags(agent), ...(agent ? { agent } : {}), service: "sns", encryption: { atRest: "provider-key" } } as Fact,
  ];
  const table = (name: string, component: string): Fact[] => [
    resource(name, "aws:dynamodb/table:Table", undefined, component),
    { kind: "store", resource: ref(name, "aws:dynamodb/table:Table", { component: { type: component, name: "c" } }), cloud: "aws", region: "us-east-1", tags: tags(), storeKind: "dynamodb", capacityMode: "on-demand", backups: { pointInTime: true }, encryption: { atRest: "provider-key" } },
  ];
  const facts: Fact[] = [
    ...logGroup("a-logs", "a"),
    ...logGroup("b-logs", "b"),
    ...logGroup("flow-logs"),
    ...topic("a-events", "a"),
    ...topic("alarms"),
    ...table("tasks", "microagents:state:AgentStateStore"),
    ...table("context", "microagents:state:AgentStateStore"),
    ...table("leases", "microagents:platform:AgentPlatform"),
  ];
  const e = estimateCost(facts, { usage: { requestsPerMonth: 0, messagesPerMonth: 1_000_000, logsGbPerMonth: 100, storageGb: 100, busyHoursPerMonth: 0 } });
  const item = (name: string) => e.items.find((i) => i.resource === name);
  assert.deepEqual(e.unpriced, []);
  assert.match(item("a-logs")?.basis ?? "", /100 GB ÷ 2 log groups = 50 GB/);
  assert.equal(item("flow-logs")?.monthlyUsd, 0);
  assert.match(item("flow-logs")?.basis ?? "", /no share of the agents' 100 GB of logs/);
  assert.match(item("a-events")?.basis ?? "", /1M messages ÷ 1 topics/);
  assert.equal(item("alarms")?.monthlyUsd, 0);
  assert.match(item("alarms")?.basis ?? "", /^no charge: not one of the agents' topics/);
  assert.match(item("tasks")?.basis ?? "", /100 GB ÷ 2 stores = 50 GB/);
  assert.equal(item("leases")?.monthlyUsd, 0);
  assert.match(item("leases")?.basis ?? "", /no share of the agents' 100 GB/);
});

test("RDS Proxy is priced by the vCPUs of its fleet's database; EKS add-ons and Pod Identity associations cost nothing", () => {
  const db: Fact[] = [
    resource("db", "aws:rds/instance:Instance"),
    { kind: "store", resource: ref("db", "aws:rds/instance:Instance"), cloud: "aws", region: "us-east-1", tags: tags(), storeKind: "rds", instanceClass: "db.m7g.large", sizeGb: 20, highAvailability: true, backups: {}, encryption: { atRest: "provider-key" } },
  ];
  const facts: Fact[] = [
    ...db,
    resource("proxy", "aws:rds/proxy:Proxy"),
    resource("proxy-target", "aws:rds/proxyTarget:ProxyTarget"),
    resource("vpc-cni", "aws:eks/addon:Addon"),
    resource("agent-identity", "aws:eks/podIdentityAssociation:PodIdentityAssociation", "a"),
  ];
  const e = estimateCost(facts);
  assert.deepEqual(e.unpriced, []);
  const proxy = e.items.find((i) => i.resource === "proxy");
  assert.equal(proxy?.monthlyUsd, 21.9); // 2 vCPUs × $0.015 × 730 h
  assert.match(proxy?.basis ?? "", /2 vCPUs of db \(db\.m7g\.large\)/);
  const dbItem = e.items.find((i) => i.resource === "db");
  assert.equal(dbItem?.monthlyUsd, 249.88); // $0.168 × 730 × 2 (Multi-AZ) + 20 GB × $0.115 × 2
  for (const name of ["proxy-target", "vpc-cni", "agent-identity"]) assert.match(e.items.find((i) => i.resource === name)?.basis ?? "", /^no charge: /, name);
  const orphan = estimateCost([resource("proxy", "aws:rds/proxy:Proxy")]);
  assert.match(orphan.unpriced[0]?.reason ?? "", /no RDS instance of its fleet/);
});

test("in-cluster services: a CloudNativePG cluster and a Helm release at what they size, a chart left at its defaults unpriced", () => {
  const k8s = (name: string, type: string, billing: Record<string, string | number | boolean>): Fact => ({
    kind: "resource",
    resource: { urn: `urn:${name}`, name, type },
    cloud: "kubernetes",
    region: "westeurope",
    tags: {},
    taggable: true,
    known: true,
    billing,
  });
  const e = estimateCost([
    k8s("pg", "kubernetes:postgresql.cnpg.io/v1:Cluster", { instances: 3, cpu: 1, memoryMiB: 2048, storageGb: 30 }),
    k8s("pooler", "kubernetes:postgresql.cnpg.io/v1:Pooler", { instances: 2 }),
    k8s("otel", "kubernetes:helm.sh/v3:Release", { chart: "opentelemetry-collector", sized: true, pods: 2, cpu: 0.5, memoryMiB: 1024, volumeGb: 0 }),
    k8s("keda", "kubernetes:helm.sh/v3:Release", { chart: "keda", sized: false, pods: 0, cpu: 0, memoryMiB: 0, volumeGb: 0 }),
  ]);
  const item = (name: string) => e.items.find((i) => i.resource === name);
  // Azure (westeurope): 3 × 25% of a D4s_v5 at $0.192/h × 730 h + 90 GB × $0.075.
  assert.equal(item("pg")?.monthlyUsd, 111.87);
  assert.match(item("pg")?.basis ?? "", /3 pod\(s\) × 25\.0% of a Standard_D4s_v5 .* \+ 90 GB of volumes .*azure node prices \(from the cluster's region\)/);
  assert.match(item("pooler")?.basis ?? "", /^no charge: 2 PgBouncer pod\(s\) with no requests/);
  assert.equal(item("otel")?.monthlyUsd, 17.52); // totals over its 2 pods: each 0.25 vCPU, 512 MiB = 6.25% of a D4s_v5 × $0.192 × 730
  assert.deepEqual(e.unpriced.map((u) => [u.resource, u.reason]), [["keda", "keda runs at the chart's own defaults: its values set no pod requests or volume sizes"]]);
});
