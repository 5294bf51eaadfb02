import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { customerServiceFleet, emailFleet, researchFleet } from "../../agents";
import type { CapturedResource, ResourceGraph } from "../../lib/offline/engine";
import { planFleet } from "../../lib/plan";
import { ACTIONS_WITHOUT_RESOURCE_LEVEL } from "../../lib/targets/aws/iam";
import type { FleetInput } from "../../lib/spec";
import { agent, awsFleet, isTaggable, json, JWT, list, planAws, policyDocuments } from "../helpers/aws";
import { at, ofType } from "../helpers/offline";

/**
 * What must hold for every AWS stack this package builds, checked on the seed's
 * fleets and on a fleet that uses every gateway feature, on ECS and on EKS.
 */
const runtimes = ["ecs", "eks"] as const;
const cases: Array<{ label: string; fleet: (runtime: "ecs" | "eks") => FleetInput }> = [
  { label: "acme-email, small/dev", fleet: (runtime) => emailFleet({ tier: "small", environment: "dev", targets: [{ runtime, region: "us-east-1" }] }) },
  { label: "acme-support, medium/prod", fleet: (runtime) => customerServiceFleet({ tier: "medium", environment: "prod", targets: [{ runtime, region: "us-west-2" }] }) },
  { label: "acme-research, small/prod", fleet: (runtime) => researchFleet({ tier: "small", environment: "prod", targets: [{ runtime, region: "eu-west-1" }] }) },
  {
    label: "every gateway feature, staging",
    fleet: (runtime) =>
      awsFleet(
        runtime,
        [
          agent("intake", { route: { path: "/in", auth: "apiKey" }, queue: { fifo: true }, secrets: { TOKEN: { ref: "intake-token" } } }),
          agent("sync", { route: { path: "/sync/{id}", invoke: "sync", auth: "jwt", schema: { type: "object", required: ["q"] } }, scaling: { mode: "horizontal", min: 1, max: 4, cpuTargetPercent: 60, scaleInProtection: true } }),
          agent("old", { route: { path: "/old", weight: 0 }, scaling: { mode: "fixed", replicas: 2, activePassive: true } }),
        ],
        { environment: "staging", gateway: { jwt: JWT, legacyBackend: { url: "https://monolith.acme.example" } }, pipelines: [{ name: "p", steps: ["intake", "old"] }] },
      ),
  },
];

const TAG_KEYS = ["fleet", "agent", "tier", "environment", "team", "managed-by"];

for (const runtime of runtimes) {
  for (const c of cases) {
    describe(`${runtime}: ${c.label}`, () => {
      const fleet = c.fleet(runtime);
      const plan = planFleet(fleet);
      let graph: ResourceGraph;
      let keyArn: string;
      before(async () => {
        graph = await planAws(fleet);
        const keys = ofType(graph, "aws:kms/key:Key");
        assert.equal(keys.length, 1, "one fleet key");
        keyArn = String(keys[0].outputs.arn);
      });

      it("grants no wildcard action, and `*` resources only for actions that name no resource", () => {
        const docs = policyDocuments(graph);
        assert.ok(docs.length > 10, "the stack has policy documents");
        for (const { resource, kind, statements } of docs) {
          for (const s of statements) {
            const where = `${resource.type} ${resource.name} ${s.Sid ?? ""}`;
            const actions = list(s.Action);
            if (s.Effect === "Deny") {
              assert.deepEqual(s.Condition?.Bool, { "aws:SecureTransport": "false" }, `${where}: a deny is only the TLS-only statement`);
              continue;
            }
            for (const a of actions) assert.ok(!a.includes("*"), `${where}: wildcard action ${a}`);
            if (kind === "trust") {
              assert.deepEqual(Object.keys(s.Principal as object), ["Service"], `${where}: only services assume fleet roles`);
              continue;
            }
            if (kind === "key") {
              assert.deepEqual(list(s.Resource), ["*"], `${where}: a key policy's resource is the key itself`);
              continue;
            }
            if (list(s.Resource).includes("*")) {
              for (const a of actions) assert.ok(ACTIONS_WITHOUT_RESOURCE_LEVEL.has(a), `${where}: ${a} on "*" although it takes resource ARNs`);
            }
            if (s.Principal === "*") {
              const keys = Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c));
              assert.ok(keys.some((k) => ["aws:SourceVpce", "aws:SourceArn", "aws:SourceAccount"].includes(k)), `${where}: a public principal without a source condition`);
            }
          }
        }
      });

      it("keeps the task role apart from the execution role", () => {
        for (const td of ofType(graph, "aws:ecs/taskDefinition:TaskDefinition")) {
          assert.ok(td.inputs.taskRoleArn && td.inputs.executionRoleArn, td.name);
          assert.notEqual(td.inputs.taskRoleArn, td.inputs.executionRoleArn, td.name);
        }
      });

      it("opens no security group to the internet", () => {
        const open = (cidrs: unknown) => list(cidrs as string[]).some((c) => c === "0.0.0.0/0" || c === "::/0");
        for (const sg of ofType(graph, "aws:ec2/securityGroup:SecurityGroup")) {
          for (const rule of (sg.inputs.ingress ?? []) as Array<Record<string, unknown>>) assert.ok(!open(rule.cidrBlocks) && !open(rule.ipv6CidrBlocks), `${sg.name} ingress ${JSON.stringify(rule)}`);
        }
        for (const r of ofType(graph, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) assert.ok(!open(r.inputs.cidrIpv4) && !open(r.inputs.cidrIpv6), r.name);
        assert.equal(ofType(graph, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").length, 1);
      });

      it("gives every queue a dead-letter queue that accepts only it", () => {
        const queues = ofType(graph, "aws:sqs/queue:Queue");
        const byArn = new Map(queues.map((q) => [String(q.outputs.arn), q]));
        const inputs = queues.filter((q) => q.inputs.redriveAllowPolicy === undefined);
        assert.equal(inputs.length, plan.agents.length, "one input queue per agent");
        for (const q of inputs) {
          const redrive = json(q.inputs.redrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number };
          const dlq = byArn.get(redrive.deadLetterTargetArn);
          assert.ok(dlq, `${q.name}: its DLQ is in the stack`);
          assert.deepEqual((json(dlq.inputs.redriveAllowPolicy) as { sourceQueueArns: string[] }).sourceQueueArns, [q.outputs.arn]);
          const a = plan.agents.find((x) => q.name === `${fleet.metadata.name}-${x.name}-queue`);
          assert.ok(a, q.name);
          assert.equal(redrive.maxReceiveCount, a.queue.maxReceiveCount);
          assert.equal(q.inputs.visibilityTimeoutSeconds, a.queue.visibilityTimeoutSeconds);
        }
        for (const q of queues) assert.equal(q.inputs.kmsMasterKeyId, keyArn, `${q.name} encrypted with the fleet key`);
        for (const t of ofType(graph, "aws:sns/topic:Topic")) assert.equal(t.inputs.kmsMasterKeyId, keyArn, t.name);
      });

      it("keeps every log group for the environment's retention, encrypted with the fleet key", () => {
        const groups = ofType(graph, "aws:cloudwatch/logGroup:LogGroup");
        assert.ok(groups.length >= 4);
        for (const g of groups) {
          assert.equal(g.inputs.retentionInDays, plan.logRetentionDays, String(g.inputs.name));
          assert.equal(g.inputs.kmsKeyId, keyArn, String(g.inputs.name));
        }
      });

      it("backs up every store and protects it from deletion", () => {
        const tables = ofType(graph, "aws:dynamodb/table:Table");
        assert.ok(tables.length >= 2);
        for (const t of tables) {
          assert.deepEqual(t.inputs.pointInTimeRecovery, { enabled: true }, t.name);
          assert.equal(t.inputs.deletionProtectionEnabled, true, t.name);
          assert.deepEqual(t.inputs.serverSideEncryption, { enabled: true, kmsKeyArn: keyArn }, t.name);
        }
        for (const db of ofType(graph, "aws:rds/instance:Instance")) {
          assert.ok(Number(db.inputs.backupRetentionPeriod) >= 7, db.name);
          assert.equal(db.inputs.deletionProtection, true);
          assert.equal(db.inputs.storageEncrypted, true);
          assert.equal(db.inputs.skipFinalSnapshot, false);
        }
        for (const cache of ofType(graph, "aws:elasticache/serverlessCache:ServerlessCache")) {
          assert.ok(Number(cache.inputs.snapshotRetentionLimit) >= 1, cache.name);
          assert.equal(cache.inputs.kmsKeyId, keyArn);
        }
      });

      it("tags every taggable resource for cost allocation", () => {
        const agents = new Set([...plan.agents.map((a) => a.name), "shared"]);
        let checked = 0;
        for (const r of graph.resources.filter((x: CapturedResource) => x.custom && x.type.startsWith("aws:"))) {
          if (r.type === "aws:autoscaling/group:Group") {
            const tags = Object.fromEntries((r.inputs.tags as Array<{ key: string; value: string }>).map((t) => [t.key, t.value]));
            for (const k of TAG_KEYS) assert.ok(tags[k], `${r.name} ${k}`);
            continue;
          }
          if (!isTaggable(r.type)) continue;
          checked++;
          const tags = (r.inputs.tags ?? {}) as Record<string, string>;
          for (const k of TAG_KEYS) assert.ok(tags[k], `${r.type} ${r.name} lacks the ${k} tag`);
          assert.equal(tags.fleet, fleet.metadata.name);
          assert.equal(tags.environment, plan.fleet.environment);
          assert.equal(tags.tier, plan.fleet.tier);
          assert.ok(agents.has(tags.agent), `${r.name}: agent tag ${tags.agent}`);
        }
        assert.ok(checked > 50, `${checked} taggable resources checked`);
        for (const r of graph.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:") && !x.type.startsWith("kubernetes:helm.sh/"))) {
          assert.equal((at(r, "metadata", "labels") as Record<string, string> | undefined)?.["microagents.io/fleet"], fleet.metadata.name, `${r.type} ${r.name}`);
        }
      });
    });
  }
}
