import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { planFleet } from "../../lib/plan/plan-fleet";
import { fleetDiagram } from "../../lib/plan/diagram";
import { RUNTIME_ACCELERATORS, targetPlan } from "../../lib/plan/target-plan";
import { SERVERLESS_GPU_PROFILES } from "../../lib/targets/azure-aca/sizing";
import { CLOUD_RUN_ACCELERATOR } from "../../lib/targets/gcp/validate";
import { targetRows } from "../../lib/plan/topology-view";
import { behindEntry, failoverPair, failoverPairs, globalEntryTargets } from "../../lib/plan/topology";
import { isConfigError, parseFleet, type AgentInput, type FleetInput, type SpecIssue, type TargetInput } from "../../lib/spec";
import { globalEntrySettings, latencyRegion, NEAREST_AWS_REGION } from "../../lib/targets/global-entry-shape";
import { agent, JWT } from "../helpers/aws";

const GCP = { project: "acme-agents-prod", billingAccount: "012345-6789AB-CDEF01" };
const GATEWAY = { jwt: JWT, hostname: "agents.acme.example", hostedZoneId: "Z0ACMEZONE1234", public: true };

function fleet(targets: TargetInput[], agents: AgentInput[], spec: Partial<FleetInput["spec"]> = {}): FleetInput {
  return { apiVersion: "microagents/v1", kind: "Fleet", metadata: { name: "acme" }, spec: { tier: "enterprise", environment: "prod", team: "platform", targets, agents, gateway: GATEWAY, ...spec } };
}

/** The issues planning a fleet raises (parse and plan); fails when it is accepted. */
function issuesOf(input: FleetInput): SpecIssue[] {
  try {
    planFleet(input);
  } catch (e) {
    if (isConfigError(e)) return [...e.issues];
    throw e;
  }
  assert.fail("expected the fleet to be rejected");
}

const front = agent("front", { route: { path: "/front", auth: "jwt" } });
const worker = agent("worker", { subscribes: [{ from: "front" }] });
const batch = agent("batch", { criticality: "batch", resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.25, memoryGi: 4 } } });
const gpuHeavy = agent("vision", { resources: { cpu: 4, memory: "16Gi", gpu: { share: 1, memoryGi: 20 } } });

describe("placement: spec.targets[].agents", () => {
  it("defaults to every agent, in the fleet's order, and keeps named agents in that order", () => {
    const parsed = parseFleet(fleet([{ runtime: "eks", region: "us-east-1" }, { runtime: "aks", region: "westeurope", agents: ["worker", "front"] }], [front, worker, batch]));
    assert.deepEqual(parsed.targets[0].agents, ["front", "worker", "batch"]);
    assert.deepEqual(parsed.targets[1].agents, ["front", "worker"]);
    assert.equal(parsed.gateway.globalEntry, "route53");
  });

  it("rejects an unknown agent name at spec.targets[i].agents[j], listing the fleet's agents", () => {
    const issues = issuesOf(fleet([{ runtime: "eks", region: "us-east-1", agents: ["front", "wroker"] }], [front, worker]));
    const hit = issues.find((i) => i.path === "spec.targets[0].agents[1]");
    assert.ok(hit, JSON.stringify(issues));
    assert.match(hit.message, /unknown agent 'wroker'/);
    assert.match(hit.hint ?? "", /front, worker/);
  });

  it("rejects an agent no target runs, and a name listed twice", () => {
    const issues = issuesOf(fleet([{ runtime: "eks", region: "us-east-1", agents: ["front", "front"] }], [front, agent("lonely")]));
    assert.ok(issues.some((i) => i.path === "spec.agents[1]" && /'lonely' runs on no target/.test(i.message)), JSON.stringify(issues));
    assert.ok(issues.some((i) => i.path === "spec.targets[0].agents[1]" && /listed twice/.test(i.message)));
  });

  it("gives each target a plan of its own agents, edges and GPU pools (packing only what it runs)", () => {
    const plan = planFleet(fleet([{ runtime: "eks", region: "us-east-1" }, { runtime: "aks", region: "westeurope", agents: ["front", "worker"] }], [front, worker, batch, gpuHeavy]));
    const [aws, azure] = [targetPlan(plan, 0), targetPlan(plan, 1)];
    assert.deepEqual(aws.agents.map((a) => a.name), ["front", "worker", "batch", "vision"]);
    assert.ok(aws.gpuPools.length > 0 && aws.gpuPools.every((p) => Object.keys(p.shapes).join() === "aws"), "on a fleet across clouds, each cloud target packs on its own cloud's GPUs");
    const cpuOnly = planFleet(fleet([{ runtime: "eks", region: "us-east-1" }, { runtime: "aks", region: "westeurope" }], [front, worker]));
    assert.equal(targetPlan(cpuOnly, 0), cpuOnly, "a target that runs every agent and needs no GPU shares the fleet's plan");
    assert.deepEqual(azure.agents.map((a) => a.name), ["front", "worker"]);
    assert.deepEqual(azure.subscriptions.map((s) => `${s.publisher}>${s.subscriber}`), ["front>worker"]);
    assert.deepEqual(azure.gpuPools, [], "no GPU agent runs on the Azure target, so it packs no GPU pool");
    assert.ok(plan.gpuPools.length >= 1 && plan.gpuPools.every((p) => p.agents.length > 0));
    assert.equal(azure.fleet, plan.fleet, "paths in errors keep the fleet file's indexes");
    assert.equal(targetPlan(plan, 1), azure, "one view per target");
    assert.throws(() => azure.agent("batch"), (e: unknown) => isConfigError(e) && /not placed on spec.targets\[1\] \(aks westeurope\)/.test(e.issues[0].message));
  });

  it("packs a target's GPU pool from its own agents only", () => {
    const plan = planFleet(fleet([{ runtime: "eks", region: "us-east-1" }, { runtime: "gke", region: "europe-west4", ...GCP, agents: ["front", "worker", "batch"] }], [front, worker, batch, gpuHeavy]));
    const gcp = targetPlan(plan, 1);
    assert.deepEqual(gcp.gpuPools.flatMap((p) => p.agents), ["batch"]);
    assert.deepEqual(plan.gpuPools.flatMap((p) => p.agents).sort(), ["batch", "vision"]);
    assert.equal(gcp.agent("batch").gpu?.pool, gcp.gpuPools[0].name);
  });
});

describe("GPU pools per cloud", () => {
  it("packs each cloud target on its own cheapest fitting GPU instead of one every cloud sells", () => {
    const plan = planFleet(fleet([{ runtime: "ecs", region: "us-east-1" }, { runtime: "aca", region: "swedencentral" }, { runtime: "run", region: "europe-west4", ...GCP }], [front, gpuHeavy]));
    assert.deepEqual(plan.gpuPools.map((p) => p.accelerator), ["nvidia-h100"], "sold on all three clouds with a node that holds 4 vCPU, 16 GiB and 20 GiB of GPU memory");
    const views = [0, 1, 2].map((i) => targetPlan(plan, i));
    assert.deepEqual(views.map((v) => v.gpuPools.map((p) => `${p.accelerator} ${Object.keys(p.shapes).join()}`)), [["nvidia-l4 aws"], ["nvidia-a100-80gb azure"], ["nvidia-l4 gcp"]], "Container Apps offers T4 and A100 serverless GPUs (Azure sells the A100 as 80 GB on one-GPU nodes), Cloud Run the L4");
    assert.deepEqual(targetPlan(planFleet(fleet([{ runtime: "ecs", region: "us-east-1" }, { runtime: "aks", region: "westeurope" }], [front, gpuHeavy])), 1).gpuPools.map((p) => p.accelerator), ["nvidia-a10"], "AKS takes what Azure sells");
    assert.equal(views[2].agent("vision").gpu?.pool, views[2].gpuPools[0].name);
  });

  it("keeps its runtimes' GPU lists equal to the targets' own", () => {
    assert.deepEqual([...(RUNTIME_ACCELERATORS.aca ?? [])].sort(), Object.keys(SERVERLESS_GPU_PROFILES).sort());
    assert.deepEqual(RUNTIME_ACCELERATORS.run, [CLOUD_RUN_ACCELERATOR]);
  });
});

describe("cross-cloud event edges", () => {
  it("accepts an edge whose publisher has its subscriber beside it on every target (an agent replicated on several clouds)", () => {
    const plan = planFleet(fleet([{ runtime: "eks", region: "us-east-1" }, { runtime: "aks", region: "westeurope", agents: ["front", "worker"] }, { runtime: "gke", region: "europe-west4", ...GCP, agents: ["worker"] }], [front, worker, batch], { tier: "medium" }));
    assert.deepEqual(plan.subscriptions.map((s) => `${s.publisher}>${s.subscriber}`), ["front>worker"]);
    assert.deepEqual(targetPlan(plan, 2).subscriptions, [], "a target running only the subscriber has no edge to wire");
  });

  it("rejects a subscription whose publisher runs on a cloud without its subscriber, naming the edge and both placements", () => {
    const issues = issuesOf(fleet([{ runtime: "eks", region: "us-east-1", agents: ["worker", "batch"] }, { runtime: "aks", region: "westeurope", agents: ["front"] }], [front, worker, batch]));
    const hit = issues.find((i) => i.path === "spec.agents[1].subscribes[0]");
    assert.ok(hit, JSON.stringify(issues));
    assert.equal(hit.message, "front → worker: publisher on azure (aks westeurope), subscriber on aws (eks us-east-1); events do not cross clouds or regions (each target's broker delivers only to its own queues)");
    assert.match(hit.hint ?? "", /add it to spec\.targets\[1\]\.agents, or take front off that target/);
  });

  it("rejects a pipeline edge across clouds at the pipeline's steps", () => {
    const a = agent("a");
    const b = agent("b");
    const issues = issuesOf(fleet([{ runtime: "eks", region: "us-east-1", agents: ["a"] }, { runtime: "gke", region: "europe-west4", ...GCP, agents: ["b"] }], [a, b], { pipelines: [{ name: "flow", steps: ["a", "b"] }], gateway: { jwt: JWT } }));
    const hit = issues.find((i) => i.path === "spec.pipelines[0].steps");
    assert.ok(hit, JSON.stringify(issues));
    assert.match(hit.message, /^a → b \(pipeline flow\): publisher on aws \(eks us-east-1\), subscriber on gcp \(gke europe-west4\)/);
  });

  it("rejects an edge between two regions of one cloud too (each target has its own broker)", () => {
    const issues = issuesOf(fleet([{ runtime: "eks", region: "us-east-1", agents: ["front", "batch"] }, { runtime: "eks", region: "eu-west-1", agents: ["front", "worker"] }], [front, worker, batch]));
    assert.ok(issues.some((i) => i.path === "spec.agents[1].subscribes[0]" && /publisher on aws \(eks us-east-1\), subscriber on aws \(eks eu-west-1\)/.test(i.message)), JSON.stringify(issues));
  });
});

describe("entries: pairs, global entry targets and their routes", () => {
  it("pairs a primary and a backup on each cloud, and refuses a backup in its primary's region", () => {
    const parsed = parseFleet(fleet([{ runtime: "aca", region: "westeurope" }, { runtime: "aks", region: "northeurope", role: "backup" }, { runtime: "run", region: "europe-west4", ...GCP }, { runtime: "gke", region: "europe-west1", ...GCP, role: "backup" }], [front], { tier: "medium" }));
    assert.deepEqual(failoverPairs(parsed), [{ cloud: "azure", primary: 0, backup: 1 }, { cloud: "gcp", primary: 2, backup: 3 }]);
    assert.equal(failoverPair(parsed), undefined, "two pairs: no single failover entry");
    const same = parseFleet(fleet([{ runtime: "aca", region: "westeurope" }, { runtime: "aks", region: "westeurope", role: "backup" }], [front], { tier: "medium" }));
    assert.throws(() => failoverPairs(same), (e: unknown) => isConfigError(e) && e.issues[0].path === "spec.targets[1].region" && /azure backup is in its primary's region \(westeurope/.test(e.issues[0].message));
  });

  it("puts every primary cloud target of an enterprise fleet behind the global entry, not plain Kubernetes", () => {
    const parsed = parseFleet(fleet([{ runtime: "eks", region: "us-east-1" }, { runtime: "aks", region: "westeurope" }, { runtime: "kubernetes", region: "local", cluster: "lab" }], [front]));
    assert.deepEqual(globalEntryTargets(parsed), [0, 1]);
    assert.equal(behindEntry(parsed, parsed.targets[1]), true);
    assert.equal(behindEntry(parsed, parsed.targets[2]), false);
    assert.deepEqual(globalEntryTargets(parseFleet(fleet([{ runtime: "eks", region: "us-east-1" }, { runtime: "aks", region: "westeurope" }], [front], { tier: "medium" }))), [], "only the enterprise preset has a global load balancer");
  });

  it("requires every target behind an entry to serve every route", () => {
    const issues = issuesOf(fleet([{ runtime: "eks", region: "us-east-1" }, { runtime: "aks", region: "westeurope", agents: ["worker"] }], [front, worker]));
    const hit = issues.find((i) => i.path === "spec.targets[1].agents");
    assert.ok(hit, JSON.stringify(issues));
    assert.match(hit.message, /azure \(aks westeurope\) is behind the global entry, which may send any request to it, and it does not run front \(\/front\)/);
  });

  it("resolves the global entry's settings, or reports every missing one at once", () => {
    const ok = globalEntrySettings(parseFleet(fleet([{ runtime: "eks", region: "us-east-1" }, { runtime: "aks", region: "westeurope" }, { runtime: "gke", region: "europe-west4", ...GCP }], [front])));
    assert.deepEqual(ok, { kind: "route53", hostname: "agents.acme.example", hostedZoneId: "Z0ACMEZONE1234", targets: [0, 1, 2] });
    const bare = parseFleet(fleet([{ runtime: "aks", region: "westeurope" }, { runtime: "gke", region: "mars-north1", ...GCP }], [front], { gateway: { jwt: JWT } }));
    try {
      globalEntrySettings(bare);
      assert.fail("expected the settings to be refused");
    } catch (e) {
      if (!isConfigError(e)) throw e;
      assert.deepEqual(e.issues.map((i) => i.path), ["spec.gateway.hostname", "spec.gateway.public", "spec.gateway.hostedZoneId", "spec.gateway.globalEntry", "spec.targets[1].region"]);
    }
    const config = globalEntrySettings(parseFleet(fleet([{ runtime: "eks", region: "us-east-1" }, { runtime: "aks", region: "westeurope" }], [front], { gateway: { jwt: JWT, public: true } })), { hostname: "agents.acme.example", hostedZoneId: "Z0CONFIGZONE1" });
    assert.equal(config?.hostedZoneId, "Z0CONFIGZONE1");
    assert.throws(() => globalEntrySettings(parseFleet(fleet([{ runtime: "eks", region: "us-east-1" }, { runtime: "aks", region: "westeurope" }], [front], { gateway: { ...GATEWAY, globalEntry: "frontdoor" } }))), (e: unknown) => isConfigError(e) && e.issues.map((i) => i.path).join() === "spec.gateway.azureDnsZoneId", "Front Door needs the Azure DNS zone, not the Route 53 one (test/topology/front-door-entry.test.ts has the rest)");
  });

  it("measures each cloud's latency from its own AWS region or the nearest one", () => {
    assert.equal(latencyRegion({ runtime: "eks", region: "ap-south-1" }), "ap-south-1");
    assert.equal(latencyRegion({ runtime: "aks", region: "westeurope" }), "eu-central-1");
    assert.equal(latencyRegion({ runtime: "gke", region: "us-central1" }), "us-east-2");
    assert.equal(latencyRegion({ runtime: "run", region: "asia-northeast1" }), "ap-northeast-1");
    for (const [region, aws] of Object.entries(NEAREST_AWS_REGION)) assert.match(aws, /^(us|eu|ap|ca|sa|me|af|il|mx)-[a-z]+-\d$/, `${region} → ${aws}`);
  });
});

describe("the fleet across clouds and regions (plan and diagram)", () => {
  const plan = planFleet(fleet([{ runtime: "gke", region: "europe-west4", ...GCP, agents: ["front", "worker"] }, { runtime: "eks", region: "us-east-1" }, { runtime: "aks", region: "westeurope", agents: ["front", "worker"] }], [front, worker, batch]));

  it("lists each target by cloud and region with its agents and entry", () => {
    assert.deepEqual(
      targetRows(plan).map((r) => [r.cloud, r.region, r.runtime, r.role, r.entry, r.agents.join(" ")]),
      [
        ["aws", "us-east-1", "eks", "primary", "global", "front worker batch"],
        ["azure", "westeurope", "aks", "primary", "global", "front worker"],
        ["gcp", "europe-west4", "gke", "primary", "global", "front worker"],
      ],
    );
  });

  it("draws a subgraph per cloud and the global entry in front of each target", () => {
    const mermaid = fleetDiagram(plan);
    for (const cloud of ["aws", "azure", "gcp"]) assert.match(mermaid, new RegExp(`subgraph cloud_${cloud}\\["${cloud}"\\]`));
    assert.match(mermaid, /entry\(\["global entry \(route53\) agents\.acme\.example"\]\)/);
    assert.equal(mermaid.match(/entry -->\|"latency, health check"\| target_/g)?.length, 3);
    assert.match(mermaid, /target_aks_westeurope\["aks westeurope \(primary\)<br\/>front, worker"\]/);
  });
});
