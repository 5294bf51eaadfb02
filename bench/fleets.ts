import type { AgentInput, FleetInput, Runtime, Tier } from "../lib/spec";
import { intBetween, mulberry32, pick } from "../test/helpers/random";

const DIGEST = "sha256:" + "b".repeat(64);

/**
 * A fleet of `count` agents for the plan-time benchmark: the seed's mix (CPU agents
 * with routes, queue-scaled workers, active-passive coordinators, GPU agents on
 * quarter and half GPUs) repeated, each agent subscribing to the one before it.
 */
export function largeFleet(count: number, runtime: Runtime = "kubernetes", region = "us-east-1"): FleetInput {
  const agents: AgentInput[] = [];
  for (let i = 0; i < count; i++) {
    const name = `agent-${String(i).padStart(4, "0")}`;
    const kind = i % 5;
    agents.push({
      name,
      image: `ghcr.io/acme/${name}@${DIGEST}`,
      resources:
        kind === 3
          ? { cpu: 1, memory: "2Gi", gpu: { share: i % 2 === 0 ? 0.25 : 0.5, memoryGi: 4 } }
          : { cpu: kind === 2 ? 2 : 0.5, memory: kind === 2 ? "4Gi" : "1Gi" },
      scaling: kind === 4 ? { mode: "fixed", replicas: 2, activePassive: true } : { mode: "horizontal", min: kind === 1 ? 0 : 1, max: 5 },
      criticality: kind === 1 ? "batch" : "standard",
      ...(kind === 0 ? { route: { path: `/${name}`, auth: "jwt" as const } } : {}),
      ...(i > 0 ? { subscribes: [{ from: agents[i - 1].name }] } : {}),
    });
  }
  return {
    apiVersion: "microagents/v1",
    kind: "Fleet",
    metadata: { name: `bench-${count}` },
    spec: {
      tier: "enterprise",
      environment: "prod",
      targets: [{ runtime, region }],
      gateway: { jwt: { issuer: "https://auth.acme.example/", jwksUri: "https://auth.acme.example/.well-known/jwks.json", audiences: ["agents"] } },
      agents,
    },
  };
}

const MODEL_MEMORY_GI = [2, 4, 6, 8, 12, 16, 20, 24, 32, 40, 48, 80] as const;
const RUNTIMES: ReadonlyArray<Runtime> = ["kubernetes", "ecs", "eks", "aks", "gke"];
const REGION: Readonly<Record<Runtime, string>> = { kubernetes: "local", ecs: "us-east-1", eks: "us-east-1", aca: "eastus", aks: "eastus", run: "us-central1", gke: "us-central1" };

/**
 * A random fleet for the packing benchmark: a random tier, environment and runtime,
 * 2 to 12 agents of which about 60% use a GPU share (1/8, 1/4, 1/2, sometimes whole
 * GPUs where the tier allows) with a model size drawn from common sizes (2 to 80
 * GiB), 0 to 2 minimum and 1 to 10 maximum replicas. The plan picks the pools.
 */
export function randomFleet(seed: number): FleetInput {
  const rand = mulberry32(seed);
  const tier: Tier = pick(rand, ["small", "medium", "enterprise"] as const);
  const runtime = pick(rand, RUNTIMES);
  const maxWhole = tier === "small" ? 1 : tier === "medium" ? 4 : 8;
  const agents: AgentInput[] = [];
  const count = intBetween(rand, 2, 12);
  for (let i = 0; i < count; i++) {
    const min = intBetween(rand, 0, 2);
    const agent: AgentInput = {
      name: `agent-${i}`,
      image: `ghcr.io/acme/agent-${i}@${DIGEST}`,
      resources: { cpu: pick(rand, [0.5, 1, 2, 4]), memory: pick(rand, ["1Gi", "2Gi", "4Gi", "8Gi"]) },
      scaling: { mode: "horizontal", min, max: Math.max(min, 1, intBetween(rand, 1, 10)) },
      criticality: pick(rand, ["critical", "standard", "batch"] as const),
    };
    if (rand() < 0.6) {
      const whole = rand() < 0.15;
      const share = whole ? pick(rand, [1, 2, 4, 8].filter((s) => s <= maxWhole)) : pick(rand, [0.125, 0.25, 0.5]);
      agents.push({ ...agent, resources: { ...agent.resources, cpu: agent.resources?.cpu ?? 1, memory: agent.resources?.memory ?? "2Gi", gpu: { share, memoryGi: pick(rand, MODEL_MEMORY_GI) } } });
    } else {
      agents.push(agent);
    }
  }
  return {
    apiVersion: "microagents/v1",
    kind: "Fleet",
    metadata: { name: `random-${seed}` },
    spec: { tier, environment: pick(rand, ["dev", "staging", "prod"] as const), targets: [{ runtime, region: REGION[runtime] }], agents },
  };
}
