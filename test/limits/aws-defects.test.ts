import { strict as assert } from "node:assert";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AgentFleetStacks } from "../../lib/cdk";
import type { ResourceGraph } from "../../lib/offline/engine";
import { ecsAgentStatements } from "../../lib/targets/aws-ecs/gpu-instance";
import { ACTIONS_WITHOUT_RESOURCE_LEVEL } from "../../lib/targets/aws/iam";
import { agent, awsFleet, json, planAws, type Statement } from "../helpers/aws";
import { one, ofType } from "../helpers/offline";

/** Issue 16's AWS defects, each as AWS would meet it. */
const gpu = { cpu: 1, memory: "2Gi", gpu: { share: 0.5, memoryGi: 4 } };

describe("Pulumi ECS: reserved names, FIFO dead letters, GPU registration", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await planAws(
      awsFleet("ecs", [
        agent("orders", { queue: { fifo: true } }),
        agent("audit", { subscribes: [{ from: "orders" }] }),
        agent("billing", { queue: { fifo: true }, subscribes: [{ from: "orders" }] }),
        agent("vision", { resources: gpu }),
        agent("sync", { route: { path: "/sync", invoke: "sync", auth: "none" } }),
      ], {}, "ecs-team"),
    );
  });

  it("a fleet called ecs-team gets a capacity provider name AWS accepts", () => {
    const providers = ofType(g, "aws:ecs/capacityProvider:CapacityProvider").map((p) => String(p.inputs.name));
    assert.ok(providers.length > 0);
    for (const p of providers) assert.match(p, /^ma-ecs-team-prod-/);
  });

  it("a standard agent subscribed to a FIFO agent dead-letters those events into a FIFO queue; a FIFO subscriber uses its own FIFO DLQ", () => {
    const audit = one(g, "aws:sns/topicSubscription:TopicSubscription", "ecs-team-audit-from-orders");
    const eventsDlq = one(g, "aws:sqs/queue:Queue", "ecs-team-audit-events-dlq");
    assert.equal(eventsDlq.inputs.name, "ecs-team-prod-audit-events-dlq.fifo");
    assert.equal(eventsDlq.inputs.fifoQueue, true);
    assert.deepEqual(json(audit.inputs.redrivePolicy), { deadLetterTargetArn: eventsDlq.outputs.arn });
    const billing = one(g, "aws:sns/topicSubscription:TopicSubscription", "ecs-team-billing-from-orders");
    assert.deepEqual(json(billing.inputs.redrivePolicy), { deadLetterTargetArn: one(g, "aws:sqs/queue:Queue", "ecs-team-billing-dlq").outputs.arn });
    assert.equal(ofType(g, "aws:sqs/queue:Queue").filter((q) => String(q.inputs.name).endsWith("-events-dlq.fifo") || String(q.inputs.name).endsWith("-events-dlq")).length, 1, "only the mismatched subscriber gets one");
    // Only the publisher's topic may write to it, and an alarm watches it.
    const policy = (json(one(g, "aws:sqs/queuePolicy:QueuePolicy", "ecs-team-audit-events-dlq").inputs.policy) as { Statement: Statement[] }).Statement;
    assert.deepEqual(policy[0].Condition, { ArnEquals: { "aws:SourceArn": [one(g, "aws:sns/topic:Topic", "ecs-team-orders-events").outputs.arn] } });
    assert.ok(ofType(g, "aws:cloudwatch/metricAlarm:MetricAlarm").some((a) => String(a.name).includes("audit-event-dead-letters")));
  });

  it("GPU instances may tag their container instance at registration and read the EC2 tags they propagate", () => {
    const role = ofType(g, "aws:iam/rolePolicy:RolePolicy").find((p) => String(p.name).endsWith("-instance"));
    assert.ok(role);
    const statements = (json(role.inputs.policy) as { Statement: Statement[] }).Statement;
    const tag = statements.find((s) => s.Action === "ecs:TagResource");
    assert.deepEqual(tag?.Condition, { StringEquals: { "ecs:CreateAction": "RegisterContainerInstance" } });
    assert.match(String(tag?.Resource), /:container-instance\/ma-ecs-team-prod-|:container-instance\/ecs-team-prod-/);
    assert.deepEqual(statements.find((s) => s.Action === "ec2:DescribeTags")?.Resource, "*");
    assert.ok(ACTIONS_WITHOUT_RESOURCE_LEVEL.has("ec2:DescribeTags"));
  });

  it("agents' metrics, filters and alarms carry the environment in their namespace", () => {
    const filters = ofType(g, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
    assert.ok(filters.length > 0);
    for (const f of filters) assert.match(String(at0(f.inputs.metricTransformation)), /^MicroAgents\/ecs-team-prod\//);
  });
});

function at0(v: unknown): string {
  return String((v as { namespace?: string }).namespace);
}

describe("Pulumi: a fleet called internal gets an NLB name AWS accepts", () => {
  it("moves the name off 'internal-'", async () => {
    const g = await planAws(awsFleet("ecs", [agent("sync", { route: { path: "/sync", invoke: "sync", auth: "none" } })], {}, "internal"));
    assert.deepEqual(ofType(g, "aws:lb/loadBalancer:LoadBalancer").map((l) => l.inputs.name), ["ma-internal-prod-edge"]);
  });
});

describe("the GPU agent's statements are shared by Pulumi and CDK", () => {
  it("list tag-on-registration and EC2 tag reads", () => {
    const s = ecsAgentStatements("arn:cluster", "arn:instances/*");
    assert.deepEqual(s.map((x) => x.Sid), ["EcsAgentInPoolCluster", "EcsAgentFindsEndpoint", "TagContainerInstanceAtRegistration", "ReadInstanceTagsToPropagate"]);
  });
});

describe("CDK: GPU pools under the fleet key", () => {
  it("grants the Auto Scaling service-linked role the key for volumes and notifications, and names the capacity provider off 'ecs'", () => {
    const stacks = new AgentFleetStacks(new App({ outdir: mkdtempSync(join(tmpdir(), "cdk-")) }), "f", { fleet: awsFleet("ecs", [agent("vision", { resources: gpu })], {}, "ecs-team"), account: "123456789012" });
    const platform = Template.fromStack(stacks.platform);
    const key = Object.values(platform.findResources("AWS::KMS::Key"))[0] as { Properties: { KeyPolicy: { Statement: Array<{ Sid?: string; Principal?: { AWS?: unknown }; Action: unknown; Condition?: unknown }> } } };
    const sids = key.Properties.KeyPolicy.Statement.map((s) => s.Sid);
    assert.ok(sids.includes("AutoScalingUsesKeyForVolumesAndNotifications") && sids.includes("AutoScalingAttachesEncryptedVolumes"), sids.join());
    const use = key.Properties.KeyPolicy.Statement.find((s) => s.Sid === "AutoScalingUsesKeyForVolumesAndNotifications");
    assert.match(JSON.stringify(use?.Principal), /role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling/);
    assert.deepEqual(key.Properties.KeyPolicy.Statement.find((s) => s.Sid === "AutoScalingAttachesEncryptedVolumes")?.Condition, { Bool: { "kms:GrantIsForAWSResource": "true" } });
    const providers = Object.values(platform.findResources("AWS::ECS::CapacityProvider")) as Array<{ Properties: { Name: string } }>;
    assert.ok(providers.length > 0 && providers.every((p) => p.Properties.Name.startsWith("ma-ecs-team-prod-")));
  });
  it("leaves the Auto Scaling role out of the key policy when no GPU pool needs it", () => {
    const stacks = new AgentFleetStacks(new App({ outdir: mkdtempSync(join(tmpdir(), "cdk-")) }), "f", { fleet: awsFleet("ecs", [agent("w")]), account: "123456789012" });
    assert.doesNotMatch(JSON.stringify(Template.fromStack(stacks.platform).toJSON()), /AWSServiceRoleForAutoScaling/);
  });
});

describe("CDK: FIFO events into a standard agent", () => {
  it("dead-letter into a FIFO queue of their own, which only the publisher's topic may write", () => {
    const stacks = new AgentFleetStacks(new App({ outdir: mkdtempSync(join(tmpdir(), "cdk-")) }), "f", {
      fleet: awsFleet("ecs", [agent("orders", { queue: { fifo: true } }), agent("audit", { subscribes: [{ from: "orders" }] })]),
      account: "123456789012",
    });
    const t = Template.fromStack(stacks.agentStacks[0]);
    const queues = t.findResources("AWS::SQS::Queue");
    const fifoDlq = Object.entries(queues).find(([id]) => id.includes("auditEventDeadLetters"));
    assert.ok(fifoDlq, Object.keys(queues).join());
    assert.equal((fifoDlq[1] as { Properties: { FifoQueue?: boolean } }).Properties.FifoQueue, true);
    const sub = Object.values(t.findResources("AWS::SNS::Subscription"))[0] as { Properties: { RedrivePolicy: { deadLetterTargetArn: unknown } } };
    assert.deepEqual(sub.Properties.RedrivePolicy.deadLetterTargetArn, { "Fn::GetAtt": [fifoDlq[0], "Arn"] });
    assert.equal(Object.keys(t.findResources("AWS::CloudWatch::Alarm")).filter((id) => id.includes("EventDeadLetterAlarm")).length, 1);
  });
});

