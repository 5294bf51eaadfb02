import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as dynamodb from "@pulumi/aws/dynamodb";
import * as ecs from "@pulumi/aws/ecs";
import * as eks from "@pulumi/aws/eks";
import * as sqs from "@pulumi/aws/sqs";
import * as appautoscaling from "@pulumi/aws/appautoscaling";
import { Provider } from "@pulumi/aws/provider";
import { customerServiceFleet, emailFleet } from "../../agents/fleets";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { factsFromCloudFormation, factsFromGraph, factsFromResources, factsOfKind, type Fact } from "../../lib/facts";
import { runOffline, type CapturedResource } from "../../lib/offline/engine";
import { DIGEST_IMAGE, TAGS } from "./fixtures/kit";

/** Facts without what ties them to one resource (URN, parent, component): what a rule judges. */
function judged(facts: ReadonlyArray<Fact>): unknown[] {
  return facts
    .map((f) => {
      const { resource, ...rest } = f;
      return { ...rest, name: resource.name };
    })
    .sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));
}

/** Re-creates captured Kubernetes objects by hand, as a company stack would write them. */
function byHand(resources: ReadonlyArray<CapturedResource>): void {
  for (const r of resources) {
    const inputs: object = r.inputs;
    // The captured inputs are exactly the args the construct passed for this type.
    switch (r.type) {
      case "kubernetes:apps/v1:Deployment":
        new k8s.apps.v1.Deployment(r.name, inputs as k8s.apps.v1.DeploymentArgs);
        break;
      case "kubernetes:core/v1:Service":
        new k8s.core.v1.Service(r.name, inputs as k8s.core.v1.ServiceArgs);
        break;
      case "kubernetes:networking.k8s.io/v1:NetworkPolicy":
        new k8s.networking.v1.NetworkPolicy(r.name, inputs as k8s.networking.v1.NetworkPolicyArgs);
        break;
      default:
        new k8s.apiextensions.CustomResource(r.name, inputs as k8s.apiextensions.CustomResourceArgs);
    }
  }
}

describe("facts: a resource written by hand gives the facts of the construct's", () => {
  it("Kubernetes: the email fleet's Deployments, Services, NetworkPolicies, ScaledObjects and streams", async () => {
    const fleet = emailFleet({ tier: "small", environment: "prod", targets: [{ runtime: "kubernetes", region: "local" }] });
    const built = await runOffline(() => new AgentFleet("acme-email", { fleet }));
    const types = new Set(["kubernetes:apps/v1:Deployment", "kubernetes:core/v1:Service", "kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:keda.sh/v1alpha1:ScaledObject", "kubernetes:jetstream.nats.io/v1beta2:Stream"]);
    const picked = built.resources.filter((r) => types.has(r.type));
    assert.ok(picked.length >= 20, `picked ${picked.length}`);
    const written = await runOffline(() => byHand(picked));
    const fromConstruct = factsFromGraph({ config: built.config, resources: picked }).filter((f) => f.kind !== "queue" && f.kind !== "topic");
    const fromHand = factsFromGraph(written).filter((f) => f.kind !== "queue" && f.kind !== "topic");
    assert.deepEqual(judged(fromHand), judged(fromConstruct));
    // The workloads carry what rules and cost read: replicas (from KEDA where a ScaledObject targets them), hardening, size.
    const workloads = factsOfKind(fromHand, "container-workload");
    const scaled = new Set(factsOfKind(fromHand, "autoscaler").map((a) => a.target.name));
    assert.equal(workloads.length, 4);
    for (const w of workloads) {
      assert.equal(w.replicas.source, scaled.has(w.workloadName ?? "") ? "autoscaler" : "fixed");
      assert.equal(w.containers[0].readOnlyRootFilesystem, true);
      assert.ok(w.perReplica.cpu !== undefined && w.perReplica.memoryMiB !== undefined);
      assert.equal(w.agent, w.workloadName);
    }
  });
});

describe("facts: CloudFormation gives the facts of the same resources written in Pulumi", () => {
  const dlqArn = "arn:aws:sqs:us-east-1:123456789012:work-dlq";
  const containers = [{ name: "agent", image: DIGEST_IMAGE, essential: true, user: "65532", readonlyRootFilesystem: true, linuxParameters: { capabilities: { drop: ["ALL"] } }, environment: [{ name: "LOG_LEVEL", value: "info" }] }];
  const tagList = Object.entries(TAGS).map(([Key, Value]) => ({ Key, Value }));

  it("SQS with redrive, log group, DynamoDB table, EKS cluster, ECS task definition", async () => {
    const pulumiGraph = await runOffline(
      () => {
        new sqs.Queue("Work", { name: "work", messageRetentionSeconds: 345600, redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 4 }), tags: { ...TAGS } });
        new cloudwatch.LogGroup("Logs", { name: "/acme/worker", retentionInDays: 30, tags: { ...TAGS } });
        new dynamodb.Table("Tasks", { name: "tasks", billingMode: "PAY_PER_REQUEST", hashKey: "id", attributes: [{ name: "id", type: "S" }], pointInTimeRecovery: { enabled: true }, deletionProtectionEnabled: true, tags: { ...TAGS } });
        new eks.Cluster("Cluster", { name: "acme", roleArn: "arn:aws:iam::123456789012:role/eks", version: "1.34", vpcConfig: { subnetIds: ["subnet-a"], endpointPublicAccess: false }, enabledClusterLogTypes: ["audit"], tags: { ...TAGS } });
        new ecs.TaskDefinition("Task", { family: "worker", cpu: "512", memory: "1024", taskRoleArn: "arn:aws:iam::123456789012:role/task", executionRoleArn: "arn:aws:iam::123456789012:role/exec", containerDefinitions: JSON.stringify(containers), tags: { ...TAGS } });
      },
      { config: { "aws:region": "us-east-1" } },
    );
    const cfn = factsFromCloudFormation(
      {
        Resources: {
          Work: { Type: "AWS::SQS::Queue", Properties: { QueueName: "work", MessageRetentionPeriod: 345600, RedrivePolicy: { deadLetterTargetArn: dlqArn, maxReceiveCount: 4 }, Tags: tagList } },
          Logs: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: "/acme/worker", RetentionInDays: 30, Tags: tagList } },
          Tasks: {
            Type: "AWS::DynamoDB::Table",
            Properties: { TableName: "tasks", BillingMode: "PAY_PER_REQUEST", KeySchema: [{ AttributeName: "id", KeyType: "HASH" }], PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true, Tags: tagList },
          },
          Cluster: { Type: "AWS::EKS::Cluster", Properties: { Name: "acme", RoleArn: "arn:aws:iam::123456789012:role/eks", Version: "1.34", ResourcesVpcConfig: { SubnetIds: ["subnet-a"], EndpointPublicAccess: false }, Logging: { ClusterLogging: { EnabledTypes: [{ Type: "audit" }] } }, Tags: tagList } },
          Task: {
            Type: "AWS::ECS::TaskDefinition",
            Properties: {
              Family: "worker",
              Cpu: "512",
              Memory: "1024",
              TaskRoleArn: "arn:aws:iam::123456789012:role/task",
              ExecutionRoleArn: "arn:aws:iam::123456789012:role/exec",
              ContainerDefinitions: [{ Name: "agent", Image: DIGEST_IMAGE, Essential: true, User: "65532", ReadonlyRootFilesystem: true, LinuxParameters: { Capabilities: { Drop: ["ALL"] } }, Environment: [{ Name: "LOG_LEVEL", Value: "info" }] }],
              Tags: tagList,
            },
          },
        },
      },
      { region: "us-east-1" },
    );
    const pulumiFacts = factsFromGraph(pulumiGraph).filter((f) => f.kind !== "resource");
    assert.deepEqual(judged(cfn.filter((f) => f.kind !== "resource")), judged(pulumiFacts));
    assert.deepEqual(
      pulumiFacts.map((f) => f.kind).sort(),
      ["cluster", "container-workload", "log-group", "queue", "store"],
    );
    // Resource facts agree too, type aside: tags, region, taggability.
    const strip = (fs: Fact[]) => judged(fs.filter((f) => f.kind === "resource")).map((f) => ({ ...(f as Record<string, unknown>), known: undefined }));
    assert.deepEqual(strip(cfn), strip(factsFromGraph(pulumiGraph)));
  });

  it("a CloudFormation redrive by Fn::GetAtt links the dead-letter queue", () => {
    const facts = factsFromCloudFormation({
      Resources: {
        WorkDlq: { Type: "AWS::SQS::Queue", Properties: { QueueName: "work-dlq" } },
        Work: { Type: "AWS::SQS::Queue", Properties: { QueueName: "work", RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": ["WorkDlq", "Arn"] }, maxReceiveCount: 4 } } },
      },
    });
    const queues = factsOfKind(facts, "queue");
    assert.deepEqual(
      queues.map((q) => [q.resource.name, q.isDeadLetter, q.deadLetter.configured]),
      [
        ["WorkDlq", true, false],
        ["Work", false, true],
      ],
    );
  });
});

describe("facts: regions", () => {
  it("a resource's own region, else its explicit provider's, else the stack config's", () => {
    const facts = factsFromCloudFormation({ Resources: {} });
    assert.deepEqual(facts, []);
    const resources = [
      { urn: "urn:p::aws-west", type: "pulumi:providers:aws", name: "west", inputs: { region: "us-west-2" } },
      { urn: "urn:q::own", type: "aws:sqs/queue:Queue", name: "own", inputs: { region: "eu-west-1" } },
      { urn: "urn:q::via", type: "aws:sqs/queue:Queue", name: "via", inputs: {}, providerUrn: "urn:p::aws-west" },
      { urn: "urn:q::default", type: "aws:sqs/queue:Queue", name: "default", inputs: {} },
    ];
    const regions = factsOfKind(factsFromResources(resources, { config: { "aws:region": "us-east-1" } }), "queue").map((q) => [q.resource.name, q.region]);
    assert.deepEqual(regions, [
      ["own", "eu-west-1"],
      ["via", "us-west-2"],
      ["default", "us-east-1"],
    ]);
  });
});

describe("facts: regions from the offline engine", () => {
  it("resources registered with an explicit regional provider take its region", async () => {
    const graph = await runOffline(
      () => {
        const west = new Provider("west", { region: "us-west-2" });
        new sqs.Queue("west-work", { name: "west-work", tags: { ...TAGS } }, { provider: west });
        new sqs.Queue("home-work", { name: "home-work", tags: { ...TAGS } });
      },
      { config: { "aws:region": "us-east-1" } },
    );
    assert.deepEqual(
      factsOfKind(factsFromGraph(graph), "queue").map((q) => [q.resource.name, q.region]),
      [
        ["home-work", "us-east-1"],
        ["west-work", "us-west-2"],
      ],
    );
  });
});

describe("facts: linking across resources", () => {
  it("an ECS service takes its task definition's containers and its autoscaling target's bounds", async () => {
    const graph = await runOffline(() => {
      const task = new ecs.TaskDefinition("worker", { family: "acme-worker", cpu: "1024", memory: "2048", containerDefinitions: JSON.stringify([{ name: "agent", image: DIGEST_IMAGE }]), tags: { ...TAGS } });
      new ecs.Service("worker", { name: "worker", cluster: "acme", taskDefinition: task.arn, desiredCount: 1, capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }], tags: { ...TAGS } });
      new appautoscaling.Target("worker", { resourceId: "service/acme/worker", scalableDimension: "ecs:service:DesiredCount", serviceNamespace: "ecs", minCapacity: 0, maxCapacity: 6 });
    });
    const workloads = factsOfKind(factsFromGraph(graph), "container-workload");
    assert.equal(workloads.length, 1, "the task definition is folded into its service");
    const [w] = workloads;
    assert.equal(w.workloadKind, "Service");
    assert.deepEqual(w.replicas, { min: 0, max: 6, source: "autoscaler" });
    assert.deepEqual(w.perReplica, { cpu: 1, memoryMiB: 2048, gpus: 0 });
    assert.equal(w.spot, true);
    assert.equal(w.containers[0].image, DIGEST_IMAGE);
  });

  it("JetStream streams are unencrypted when the stack's NATS release has no key, and encrypted with one", async () => {
    const program = (merge: Record<string, unknown> | undefined) => () => {
      new k8s.helm.v3.Release("nats", { chart: "nats", version: "1.3.3", repositoryOpts: { repo: "https://nats-io.github.io/k8s/helm/charts/" }, values: { config: { jetstream: { enabled: true, ...(merge ? { merge } : {}) } } } });
      new k8s.apiextensions.CustomResource("work", { apiVersion: "jetstream.nats.io/v1beta2", kind: "Stream", metadata: { name: "work", namespace: "agents" }, spec: { name: "work", subjects: ["acme.work.in"], retention: "workqueue", storage: "file" } });
    };
    const plain = factsOfKind(factsFromGraph(await runOffline(program(undefined))), "queue");
    assert.deepEqual(plain[0].encryption, { atRest: "none" });
    const keyed = factsOfKind(factsFromGraph(await runOffline(program({ cipher: "chachapoly", key: "$JS_KEY" }))), "queue");
    assert.deepEqual(keyed[0].encryption, { atRest: "customer-key" });
  });

  it("a protected in-cluster Postgres has deletion protection", async () => {
    const graph = await runOffline(() => {
      new k8s.apiextensions.CustomResource(
        "pg",
        { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "pg", namespace: "agents" }, spec: { instances: 2, storage: { size: "10Gi" }, backup: { barmanObjectStore: { destinationPath: "s3://b/p" } } } },
        { protect: true },
      );
    });
    const [store] = factsOfKind(factsFromGraph(graph), "store");
    assert.equal(store.deletionProtection, true);
    assert.deepEqual(store.backups, { enabled: true, pointInTime: true });
    assert.equal(store.sizeGb, 10);
  });
});

describe("GPU shares of time-sliced workloads", () => {
  it("reads the replica's real GPU share from the pod annotation, not the slice count", async () => {
    const graph = await runOffline(() => new AgentFleet("s", { fleet: customerServiceFleet({ tier: "medium", environment: "prod", targets: [{ runtime: "kubernetes", region: "local" }] }) }));
    const generator = factsOfKind(factsFromGraph(graph), "container-workload").find((w) => w.workloadName === "generator");
    assert.ok(generator);
    assert.equal(generator.containers[0].gpu?.count, 2, "half a GPU is 2 of 4 slices in the request");
    assert.equal(generator.perReplica.gpus, 0.5, "the replica gets half a GPU");
  });
});
