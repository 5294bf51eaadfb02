import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AgentBroker } from "../../lib/components/agent-broker";
import { AgentPlatform } from "../../lib/components/agent-platform";
import { MicroAgentService } from "../../lib/components/micro-agent-service";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import { MicroAgentsConfigError } from "../../lib/spec/errors";
import type { FleetInput } from "../../lib/spec";
import { agent, awsFleet, json, type Statement } from "../helpers/aws";
import { minimalFleet } from "../helpers/fleets";
import { binary } from "../helpers/cli";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

const ECR_IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/a@sha256:${"b".repeat(64)}`;
/** An Output that resolves later, like a digest an image build in the same program returns. */
const computed = (value: string) => pulumi.output(new Promise<string>((done) => setTimeout(() => done(value), 5)));

function deploy(fleet: FleetInput, args: { image?: pulumi.Input<string>; env?: Record<string, pulumi.Input<string>>; secrets?: Record<string, { ref: pulumi.Input<string>; key?: string }> }): Promise<ResourceGraph> {
  return runOffline(() => {
    const platform = new AgentPlatform("acme", { fleet });
    new MicroAgentService("acme-a", { platform, agent: "a", broker: new AgentBroker("acme", { platform }), ...args });
  });
}

const find = (g: ResourceGraph, type: string, name: string) => {
  const r = g.resources.find((x) => x.type === type && x.name === name);
  assert.ok(r, `${type} ${name}`);
  return r;
};

describe("MicroAgentService takes computed inputs", () => {
  it("ECS: an Output image runs in the task and scopes the pull permission to its ECR repository; Output env values join the contract's", async () => {
    const g = await deploy(awsFleet("ecs", [agent("a", { env: { LOG_LEVEL: "info" } })]), { image: computed(ECR_IMAGE), env: { UPSTREAM_URL: computed("https://api.acme.example") } });
    const [container] = json(find(g, "aws:ecs/taskDefinition:TaskDefinition", "acme-a").inputs.containerDefinitions) as Array<{ image: string; environment: Array<{ name: string; value: string }> }>;
    assert.equal(container.image, ECR_IMAGE);
    const env = Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
    assert.equal(env.UPSTREAM_URL, "https://api.acme.example");
    assert.equal(env.LOG_LEVEL, "info");
    const policy = json(find(g, "aws:iam/rolePolicy:RolePolicy", "acme-a-execution").inputs.policy) as { Statement: Statement[] };
    assert.equal(policy.Statement.find((s) => s.Sid === "PullOwnImage")?.Resource, "arn:aws:ecr:eu-west-1:123456789012:repository/acme/a");
  });

  it("Kubernetes: the Deployment runs the Output image with the Output env", async () => {
    const image = `ghcr.io/acme/a@sha256:${"c".repeat(64)}`;
    const g = await deploy(minimalFleet({}, [{ name: "a", image: `ghcr.io/acme/a@sha256:${"d".repeat(64)}` }]), { image: computed(image), env: { FEATURE: computed("on") } });
    const deployment = g.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment");
    const container = (deployment?.inputs.spec as { template: { spec: { containers: Array<{ image: string; env: Array<{ name: string; value?: string }> }> } } }).template.spec.containers[0];
    assert.equal(container.image, image);
    assert.equal(container.env.find((e) => e.name === "FEATURE")?.value, "on");
  });

  it("secret references the program computes: ECS reads them from Secrets Manager by the resolved name, Kubernetes from the resolved Secret", async () => {
    const ecs = await deploy(awsFleet("ecs", [agent("a")]), { secrets: { API_TOKEN: { ref: computed("acme/prod/api"), key: "token" } } });
    const [container] = json(find(ecs, "aws:ecs/taskDefinition:TaskDefinition", "acme-a").inputs.containerDefinitions) as Array<{ secrets: Array<{ name: string; valueFrom: string }> }>;
    assert.deepEqual(container.secrets, [{ name: "API_TOKEN", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme/prod/api-AbCdEf:token::" }]);
    const policy = json(find(ecs, "aws:iam/rolePolicy:RolePolicy", "acme-a-execution").inputs.policy) as { Statement: Statement[] };
    assert.deepEqual(policy.Statement.find((x) => x.Sid === "ReadOwnSecrets")?.Resource, ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme/prod/api-AbCdEf"]);
    const k8s = await deploy(minimalFleet({}, [{ name: "a", image: `ghcr.io/acme/a@sha256:${"d".repeat(64)}` }]), { secrets: { API_TOKEN: { ref: computed("api-token") } } });
    const deployment = k8s.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment");
    const env = (deployment?.inputs.spec as { template: { spec: { containers: Array<{ env: Array<{ name: string; valueFrom?: unknown }> }> } } }).template.spec.containers[0].env;
    assert.deepEqual(env.find((e) => e.name === "API_TOKEN")?.valueFrom, { secretKeyRef: { name: "api-token", key: "API_TOKEN" } });
    await assert.rejects(
      runOffline(() => new MicroAgentService("acme-a", { platform: new AgentPlatform("acme", { fleet: awsFleet("eks", [agent("a")]) }), agent: "a", secrets: { T: { ref: "x" } } })),
      (e: unknown) => e instanceof MicroAgentsConfigError && e.issues[0].path === "secrets" && /runtime 'eks' does not read computed secret references yet/.test(e.issues[0].message),
    );
  });

  it("an Output image is checked when it resolves, with the fleet file's path: message (hint): exit 2, no stack", () => {
    // In a child process: the rejected Output is an unhandled rejection in Pulumi's runtime, as under `pulumi up`.
    const dir = mkdtempSync(join(tmpdir(), "inputs-"));
    const program = join(dir, "index.ts");
    writeFileSync(
      program,
      [
        `import * as pulumi from ${JSON.stringify(join(ROOT, "node_modules", "@pulumi", "pulumi"))};`,
        `import { AgentPlatform, MicroAgentService } from ${JSON.stringify(join(ROOT, "lib"))};`,
        `const fleet = ${JSON.stringify(awsFleet("ecs", [agent("a")]))};`,
        `const platform = new AgentPlatform("acme", { fleet });`,
        `const image = pulumi.output(new Promise<string>((done) => setTimeout(() => done("ghcr.io/acme/a:latest"), 5)));`,
        `new MicroAgentService("acme-a", { platform, agent: "a", image });`,
        "",
      ].join("\n"),
    );
    const r = binary("plan", "--stack", program);
    assert.equal(r.code, 2, r.stderr);
    // (A slow run also prints its progress line first.)
    assert.equal(r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("planning")).join("\n"), "image: image 'ghcr.io/acme/a:latest' uses the mutable tag 'latest' (pin a version tag or, better, a digest)");
  });

  it("a plain image and env names are checked at construction", async () => {
    const fleet = awsFleet("ecs", [agent("a", { env: { LOG_LEVEL: "info" } })]);
    for (const [args, path, message] of [
      [{ image: "ghcr.io/acme/a" }, "image", /has neither a tag nor a digest/],
      [{ env: { "bad-name": "x" } }, "env.bad-name", /is not an environment variable name/],
      [{ env: { LOG_LEVEL: "debug" } }, "env.LOG_LEVEL", /already in the agent's env/],
      [{ secrets: { TOKEN: { ref: "not a name!" } } }, "secrets.TOKEN.ref", /secret ref must be a secret name/],
    ] as const) {
      await assert.rejects(
        runOffline(() => new MicroAgentService("acme-a", { platform: new AgentPlatform("acme", { fleet }), agent: "a", ...args })),
        (e: unknown) => e instanceof MicroAgentsConfigError && e.issues[0].path === path && message.test(e.issues[0].message),
      );
    }
  });
});
