import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { AgentBroker } from "../../lib/components/agent-broker";
import { AgentPlatform } from "../../lib/components/agent-platform";
import { GpuAgentPool } from "../../lib/components/gpu-agent-pool";
import { MicroAgentService } from "../../lib/components/micro-agent-service";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import { MicroAgentsConfigError } from "../../lib/spec/errors";
import { agent, awsFleet, JWT } from "../helpers/aws";
import { minimalFleet } from "../helpers/fleets";

const DEPLOY_ROLE = "arn:aws:iam::123456789012:role/deploy";
const deployProvider = (name: string, region: string) =>
  new AwsProvider(name, { region, assumeRoles: [{ roleArn: DEPLOY_ROLE, sessionName: "microagents" }], defaultTags: { tags: { "cost-center": "cc-42" } } });

/** The providers of a package in the graph, and which provider each of its resources used. */
function providersOf(g: ResourceGraph, pkg: string): { providers: string[]; byProvider: Map<string | undefined, string[]> } {
  const providers = g.resources.filter((r) => r.type === `pulumi:providers:${pkg}`).map((r) => r.name);
  const byProvider = new Map<string | undefined, string[]>();
  for (const r of g.resources.filter((x) => x.custom && x.type.startsWith(`${pkg}:`))) {
    const key = r.providerUrn?.split("::").pop();
    byProvider.set(key, [...(byProvider.get(key) ?? []), `${r.type} ${r.name}`]);
  }
  return { providers, byProvider };
}

describe("caller's providers", () => {
  it("AgentFleet on ECS: every AWS resource goes through the fleet's assume-role provider; the package makes none", async () => {
    const g = await runOffline(() => {
      const deploy = deployProvider("deploy", "eu-west-1");
      const agents = [agent("a", { route: { path: "/a" } }), agent("b", { route: { path: "/b", invoke: "sync" } }), agent("c", { resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.5, memoryGi: 8 } } })];
      new AgentFleet("acme", { fleet: awsFleet("ecs", agents, { gateway: { jwt: JWT } }) }, { providers: { aws: deploy } });
    });
    const { providers, byProvider } = providersOf(g, "aws");
    assert.deepEqual(providers, ["deploy"]);
    assert.deepEqual([...byProvider.keys()], ["deploy"], `resources on other providers: ${JSON.stringify(Object.fromEntries([...byProvider].filter(([k]) => k !== "deploy")))}`);
    assert.ok((byProvider.get("deploy") ?? []).length > 50);
    const provider = g.resources.find((r) => r.type === "pulumi:providers:aws");
    assert.deepEqual(provider?.inputs.defaultTags, JSON.stringify({ tags: { "cost-center": "cc-42" } }));
  });

  it("without a caller's provider, the package makes one per AWS target, pinned to its region", async () => {
    const g = await runOffline(() => new AgentFleet("acme", { fleet: awsFleet("ecs", [agent("a")]) }));
    const { providers, byProvider } = providersOf(g, "aws");
    assert.deepEqual(providers, ["acme-aws"]);
    assert.deepEqual([...byProvider.keys()], ["acme-aws"]);
  });

  it("targetProviders hands each target its own provider (a function of the target), over the fleet's", async () => {
    const fleet = awsFleet("ecs", [agent("w")], { tier: "medium", targets: [{ runtime: "ecs", region: "us-east-1", role: "primary" }, { runtime: "ecs", region: "us-west-2", role: "backup" }] });
    const g = await runOffline(() => {
      const byRegion = { "us-east-1": deployProvider("deploy-use1", "us-east-1"), "us-west-2": deployProvider("deploy-usw2", "us-west-2") };
      const fallback = deployProvider("deploy-default", "eu-west-1");
      new AgentFleet("acme", { fleet, targetProviders: (t) => ({ aws: byRegion[t.region as keyof typeof byRegion] }) }, { providers: { aws: fallback } });
    });
    const { byProvider } = providersOf(g, "aws");
    assert.deepEqual([...byProvider.keys()].sort(), ["deploy-use1", "deploy-usw2"], "the fleet's own provider is overridden on every target, the package makes none");
    const vpcs = g.resources.filter((r) => r.type === "aws:ec2/vpc:Vpc");
    assert.deepEqual(vpcs.map((v) => `${v.name} ${v.providerUrn?.split("::").pop()}`).sort(), ["acme-ecs-us-east-1 deploy-use1", "acme-ecs-us-west-2 deploy-usw2"]);
  });

  it("targetProviders as an array: an entry per target index, undefined keeps the fleet's; too many entries is a config error", async () => {
    const g = await runOffline(() => {
      const k = new KubernetesProvider("team-cluster", { context: "team" });
      new AgentFleet("acme", { fleet: minimalFleet({ targets: [{ runtime: "kubernetes", region: "local", cluster: "ignored-context" }] }), targetProviders: [k] });
    });
    const { providers, byProvider } = providersOf(g, "kubernetes");
    assert.deepEqual(providers, ["team-cluster"], "no provider made for target.cluster when the caller gives one");
    assert.deepEqual([...byProvider.keys()], ["team-cluster"]);
    await assert.rejects(
      runOffline(() => new AgentFleet("acme", { fleet: minimalFleet(), targetProviders: [undefined, undefined] })),
      (e: unknown) => e instanceof MicroAgentsConfigError && e.issues[0].path === "targetProviders" && /2 entries for 1 target/.test(e.issues[0].message),
    );
  });

  it("AgentPlatform and the components built on it take opts.provider like any Pulumi component", async () => {
    const g = await runOffline(() => {
      const deploy = deployProvider("deploy", "eu-west-1");
      const platform = new AgentPlatform("acme", { fleet: awsFleet("ecs", [agent("a")]) }, { provider: deploy });
      new MicroAgentService("acme-a", { platform, agent: "a", broker: new AgentBroker("acme", { platform }) });
    });
    const { providers, byProvider } = providersOf(g, "aws");
    assert.deepEqual(providers, ["deploy"]);
    assert.deepEqual([...byProvider.keys()], ["deploy"]);
  });
});

describe("GPU pools need no creation order", () => {
  const gpuFleet = () => awsFleet("ecs", [agent("vision", { resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.25, memoryGi: 4, pool: "t4" } } })], { gpuPools: [{ name: "t4", accelerator: "nvidia-t4" }] });

  it("a GPU agent's service builds its pool on first use; the pool built is the one platform.gpuPool returns", async () => {
    let same = false;
    const g = await runOffline(() => {
      const platform = new AgentPlatform("acme", { fleet: gpuFleet() });
      const service = new MicroAgentService("acme-vision", { platform, agent: "vision" });
      same = service.gpuPool === platform.gpuPool("t4");
    });
    assert.ok(same);
    const cp = g.resources.filter((r) => r.type === "aws:ecs/capacityProvider:CapacityProvider");
    assert.deepEqual(cp.map((r) => r.name), ["acme-t4"]);
    const service = g.resources.find((r) => r.type === "aws:ecs/service:Service" && r.name === "acme-vision");
    assert.deepEqual(service?.inputs.capacityProviderStrategies, [{ capacityProvider: cp[0].inputs.name, weight: 1, base: 0 }]);
  });

  it("a pool built first is the one the service uses; a second pool for the same pool is a config error naming the fix", async () => {
    const g = await runOffline(() => {
      const platform = new AgentPlatform("acme", { fleet: gpuFleet() });
      const pool = new GpuAgentPool("acme-gpu", { platform, pool: "t4" });
      new MicroAgentService("acme-vision", { platform, agent: "vision", gpuPool: pool });
    });
    assert.deepEqual(g.resources.filter((r) => r.type === "aws:ecs/capacityProvider:CapacityProvider").map((r) => r.name), ["acme-gpu"]);
    await assert.rejects(
      runOffline(() => {
        const platform = new AgentPlatform("acme", { fleet: gpuFleet() });
        new MicroAgentService("acme-vision", { platform, agent: "vision" });
        new GpuAgentPool("acme-gpu", { platform, pool: "t4" });
      }),
      (e: unknown) => e instanceof MicroAgentsConfigError && e.issues[0].path === "pool" && /already has GpuAgentPool 'acme-t4'/.test(e.issues[0].message) && /platform\.gpuPool\('t4'\)/.test(e.issues[0].hint ?? ""),
    );
  });
});
