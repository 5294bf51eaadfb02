import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import { planFleet } from "../../lib/plan";
import { planLimitReport, plannedAwsNames } from "../../lib/plan/limits";
import { isConfigError, type AgentInput, type FleetInput } from "../../lib/spec";
import { cli } from "../helpers/cli";
import { DIGEST, minimalAgent, minimalFleet } from "../helpers/fleets";

const ecs = [{ runtime: "ecs" as const, region: "us-east-1" }];
const named = (name: string, overrides: Partial<FleetInput["spec"]> = {}, agents?: AgentInput[]): FleetInput => ({ ...minimalFleet({ targets: ecs, ...overrides }, agents), metadata: { name } });

function configErrors(f: () => unknown): Array<{ path: string; message: string }> {
  try {
    f();
  } catch (e) {
    if (isConfigError(e)) return e.issues.map((i) => ({ path: i.path, message: i.message }));
    throw e;
  }
  return [];
}

describe("AWS name rules on the fleet's names, before any plan", () => {
  it("a fleet name with a leading digit fails on AWS with the fleet path, naming each identifier and its rule", () => {
    const errors = configErrors(() => planFleet(named("1acme")));
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].path, "metadata.name");
    for (const kind of ["RDS DB instance identifier", "RDS DB parameter group name", "RDS Proxy name", "ElastiCache user ID", "ElastiCache user group ID", "ElastiCache Serverless cache name"]) assert.ok(errors[0].message.includes(`the ${kind} '1acme-prod-`), kind);
    assert.match(errors[0].message, /built from it: it must begin with a letter \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/APIReference\/API_CreateDBInstance\.html /);
  });
  it("'--' in a fleet or agent name fails with its path", () => {
    assert.ok(configErrors(() => planFleet(named("acme--x"))).some((e) => e.path === "metadata.name" && /two consecutive hyphens/.test(e.message)));
    const agentErrors = configErrors(() => planFleet(named("acme", {}, [minimalAgent(), minimalAgent({ name: "a--b" })])));
    assert.deepEqual([...new Set(agentErrors.map((e) => e.path))], ["spec.agents[1].name"]);
    assert.match(agentErrors[0].message, /^AWS rejects the ElastiCache user ID 'acme-prod-a--b' built from it: it must not contain two consecutive hyphens/);
  });
  it("the same names pass where no AWS target builds them", () => {
    assert.equal(planFleet({ ...minimalFleet(), metadata: { name: "1acme" } }).fleet.name, "1acme");
  });
  it("reserved heads are moved, not rejected: ecs-team's capacity providers and internal's load balancer", () => {
    const gpu = minimalAgent({ resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.5, memoryGi: 4 } } });
    const sync = minimalAgent({ name: "sync", route: { path: "/sync", invoke: "sync", auth: "none" } });
    const ecsTeam = planFleet(named("ecs-team", {}, [gpu]));
    const providers = plannedAwsNames(ecsTeam).filter((n) => n.kind === "capacityProvider").map((n) => n.name);
    assert.ok(providers.length > 0 && providers.every((p) => p.startsWith("ma-ecs-team-prod-")), providers.join());
    const internal = planFleet(named("internal", {}, [sync]));
    assert.deepEqual(plannedAwsNames(internal).filter((n) => n.kind === "loadBalancer").map((n) => n.name), ["ma-internal-prod-edge"]);
  });
  it("validate reports the fleet path and exits 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "limits-"));
    const file = join(dir, "fleet.yaml");
    writeFileSync(file, stringify(named("9lives")));
    const r = await cli("validate", "--fleet", file);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /metadata\.name: AWS rejects the RDS DB instance identifier '9lives-prod-shared', .* built from it: it must begin with a letter/);
  });
});

describe("plan-level counts", () => {
  const agent = (i: number, extra: Partial<AgentInput> = {}): AgentInput => ({ name: `a${i}`, image: `ghcr.io/acme/a@${DIGEST}`, ...extra });
  it("a FIFO agent's events topic holds 100 subscribers; the 101st fails with the publisher's path", () => {
    const fleet = (n: number) => named("acme", {}, [agent(0, { queue: { fifo: true } }), ...Array.from({ length: n }, (_, i) => agent(i + 1, { queue: { fifo: true }, subscribes: [{ from: "a0" }] }))]);
    assert.equal(planLimitReport(planFleet(fleet(100))).errors.length, 0);
    const errors = configErrors(() => planFleet(fleet(101)));
    assert.equal(errors.length, 1);
    assert.equal(errors[0].path, "events topic of a0 (spec.agents[0].name)");
    assert.match(errors[0].message, /subscriptions of one FIFO topic: 101 subscriptions, over AWS's limit of 100 \(sns\.subscriptions-per-fifo-topic, https:/);
  });
  it("REST API resources past 300 are a note (an adjustable quota), not an error", () => {
    const fleet = (n: number) => named("acme", {}, Array.from({ length: n }, (_, i) => agent(i, { route: { path: `/r${i}`, auth: "none" } })));
    assert.deepEqual(planFleet(fleet(299)).notes.filter((n) => n.includes("apigateway")), []);
    const notes = planFleet(fleet(300)).notes.filter((n) => n.includes("apigateway.resources-per-rest-api"));
    assert.equal(notes.length, 1);
    assert.match(notes[0], /301 resources, over AWS's quota \(adjustable\) of 300/);
  });
});

describe("check --cdk-out: CloudFormation limits on the synthesized templates", () => {
  it("a stack of 501 resources fails with exit 2, naming the stack and the limit with its source", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cdk-out-"));
    const resources = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`Topic${i}`, { Type: "AWS::SNS::Topic" }]));
    writeFileSync(join(dir, "acme-prod-agents-1.template.json"), JSON.stringify({ Resources: resources }));
    const r = await cli("check", "--cdk-out", dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /acme-prod-agents-1: resources in one CloudFormation stack: 501 resources, over AWS's limit of 500 \(cloudformation\.resources, https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/latest\/UserGuide\/cloudformation-limits\.html\)/);
  });
});

