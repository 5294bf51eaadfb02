import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { cli } from "../helpers/cli";

const PROGRAM = "test/fixtures/programs/seed-fleet.ts";
type Plan = { resources: Array<{ type: string; name: string; parent: string | null; inputs: Record<string, unknown> }> };

async function planJson(...config: string[]): Promise<Plan> {
  const r = await cli("plan", "--stack", PROGRAM, ...config.flatMap((c) => ["--config", c]), "--json");
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Plan;
}

/** The README's AWS counts table: `| fleet | tier/env | ECS | EKS |` rows. */
function readmeCounts(): Array<{ fleet: string; tier: string; environment: string; ecs: number; eks: number }> {
  const text = readFileSync("README.md", "utf8");
  const section = text.slice(text.indexOf("<!-- aws-resource-counts -->"), text.indexOf("<!-- /aws-resource-counts -->"));
  return [...section.matchAll(/^\| `([a-z-]+)` \| (small|medium|enterprise)\/(dev|staging|prod) \| (\d+) \| (\d+) \|$/gm)].map((m) => ({ fleet: m[1], tier: m[2], environment: m[3], ecs: Number(m[4]), eks: Number(m[5]) }));
}

describe("microagents plan on AWS runtimes", () => {
  it("plans a seed fleet on ECS as JSON: Fargate services, no Kubernetes objects", async () => {
    const plan = await planJson("fleet=acme-email", "runtime=ecs");
    const types = new Set(plan.resources.map((r) => r.type));
    assert.equal(plan.resources.filter((r) => r.type === "aws:ecs/service:Service").length, 4);
    assert.ok(!plan.resources.some((r) => r.type.startsWith("kubernetes:")));
    for (const t of ["aws:sqs/queue:Queue", "aws:apigateway/restApi:RestApi", "aws:dynamodb/table:Table", "aws:cloudwatch/dashboard:Dashboard", "aws:ecs/capacityProvider:CapacityProvider"]) assert.ok(types.has(t), t);
    assert.equal(plan.resources.find((r) => r.type === "aws:ecs/service:Service" && r.name === "acme-email-sentiment")?.parent, "acme-email-sentiment");
  });

  it("plans a seed fleet on EKS: a cluster, node groups and the Kubernetes target's workloads", async () => {
    const plan = await planJson("fleet=acme-email", "runtime=eks");
    assert.equal(plan.resources.filter((r) => r.type === "aws:eks/cluster:Cluster").length, 1);
    assert.equal(plan.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment").length, 4);
    assert.equal(plan.resources.filter((r) => r.type === "aws:ecs/service:Service").length, 0);
  });

  it("defaults the small stack to ECS in us-east-1", async () => {
    const r = await cli("plan", "--stack", "stacks/index.ts", "--config", "stack=small", "--json");
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as Plan;
    assert.deepEqual(plan.resources.filter((x) => x.type === "pulumi:providers:aws").map((x) => x.inputs.region), ["us-east-1"]);
    assert.ok(plan.resources.some((x) => x.type === "aws:ecs/cluster:Cluster"));
    const bad = await cli("plan", "--stack", "stacks/index.ts", "--config", "stack=small", "--config", "runtime=gke");
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, "config microagents:runtime: this stack does not deploy to 'gke' (use one of ecs, eks, kubernetes, run, aca, aks)\n");
  });

  it("fails on an AWS invoke the offline engine does not mock, naming it", async () => {
    const r = await cli("plan", "--stack", "test/fixtures/programs/aws-unmocked-invoke.ts");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unmocked invoke 'aws:ec2\/getAmi:getAmi'/);
  });

  it("agrees with the resource counts in the README", async () => {
    const rows = readmeCounts();
    assert.equal(rows.length, 6, "three seed fleets, two placements each");
    for (const row of rows) {
      for (const runtime of ["ecs", "eks"] as const) {
        const plan = await planJson(`fleet=${row.fleet}`, `runtime=${runtime}`, `tier=${row.tier}`, `environment=${row.environment}`);
        const count = plan.resources.filter((r) => !r.type.startsWith("microagents:")).length;
        assert.equal(count, row[runtime], `${row.fleet} ${row.tier}/${row.environment} on ${runtime}: README says ${row[runtime]}, the plan has ${count}`);
      }
    }
  });
});
