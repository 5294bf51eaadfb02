import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { parseFleet, tiers } from "../../lib/spec";
import { minimalAgent, minimalFleet } from "../helpers/fleets";

describe("tier presets and defaults", () => {
  it("small: one instance per agent, no autoscaling, the $1,000 budget", () => {
    const fleet = parseFleet(minimalFleet({ tier: "small", environment: "prod" }));
    assert.deepEqual(fleet.agents[0].scaling, { mode: "fixed", min: 1, max: 1, backlogPerReplica: 10, scaleInProtection: false, activePassive: false, source: "tier" });
    assert.deepEqual(fleet.budget, { monthlyUsd: 1000, alertPercents: [80, 100], alertEmails: [], source: "tier" });
  });

  it("medium: autoscaling 1–10 on the queue, the $50,000 budget", () => {
    const fleet = parseFleet(minimalFleet({ tier: "medium", environment: "prod" }));
    assert.equal(fleet.agents[0].scaling.mode, "horizontal");
    assert.equal(fleet.agents[0].scaling.min, 1);
    assert.equal(fleet.agents[0].scaling.max, 10);
    assert.equal(fleet.budget.monthlyUsd, 50000);
  });

  it("enterprise: the $500,000 budget and MIG sharing", () => {
    const fleet = parseFleet(minimalFleet({ tier: "enterprise", environment: "prod" }));
    assert.equal(fleet.budget.monthlyUsd, 500000);
    assert.equal(tiers.enterprise.gpuSharing, "mig");
    assert.equal(tiers.enterprise.topology, "multi-cloud");
  });

  it("an explicit field always beats the preset", () => {
    const fleet = parseFleet(
      minimalFleet({ tier: "small", budget: { monthlyUsd: 750 } }, [minimalAgent({ scaling: { mode: "horizontal", min: 2, max: 20 }, queue: { maxReceiveCount: 9 } })]),
    );
    assert.equal(fleet.budget.monthlyUsd, 750);
    assert.equal(fleet.budget.source, "spec");
    assert.deepEqual([fleet.agents[0].scaling.mode, fleet.agents[0].scaling.min, fleet.agents[0].scaling.max, fleet.agents[0].scaling.source], ["horizontal", 2, 20, "spec"]);
    assert.equal(fleet.agents[0].queue.maxReceiveCount, 9);
    assert.equal(fleet.agents[0].queue.batchSize, 32);
  });

  it("batch agents, and non-critical agents outside prod, scale to zero when scaling is left to the tier", () => {
    const prod = parseFleet(minimalFleet({ environment: "prod" }, [minimalAgent({ criticality: "batch" }), minimalAgent({ name: "std" })]));
    assert.deepEqual([prod.agents[0].scaling.mode, prod.agents[0].scaling.min, prod.agents[0].scaling.max], ["horizontal", 0, 1]);
    assert.deepEqual([prod.agents[1].scaling.mode, prod.agents[1].scaling.min], ["fixed", 1]);
    const dev = parseFleet(minimalFleet({ environment: "dev" }, [minimalAgent({ name: "std" }), minimalAgent({ name: "crit", criticality: "critical" })]));
    assert.equal(dev.agents[0].scaling.min, 0);
    assert.equal(dev.agents[1].scaling.min, 1, "critical agents never idle by default");
  });

  it("fills every agent default once", () => {
    const a = parseFleet(minimalFleet()).agents[0];
    assert.equal(a.port, 8080);
    assert.equal(a.healthPath, "/healthz");
    assert.deepEqual(a.resources, { cpu: 0.5, memoryMiB: 1024 });
    assert.deepEqual(a.queue, { batchSize: 32, maxWaitMs: 100, visibilityTimeoutSeconds: 300, maxReceiveCount: 4, fifo: false, retentionDays: 4 });
    assert.equal(a.criticality, "standard");
    assert.deepEqual(a.model, { tier: "small" });
    assert.equal(a.latencyTargetMs, 2000);
    assert.equal(a.team, "acme");
  });

  it("parses cpu and memory quantities", () => {
    const a = parseFleet(minimalFleet({}, [minimalAgent({ resources: { cpu: "500m", memory: "4G" } })])).agents[0];
    assert.equal(a.resources.cpu, 0.5);
    assert.equal(a.resources.memoryMiB, 3815);
  });

  it("route defaults: jwt, async, the seed's rate limit", () => {
    const fleet = parseFleet(
      minimalFleet({ gateway: { jwt: { issuer: "https://id.example/", jwksUri: "https://id.example/jwks", audiences: ["a"] } } }, [minimalAgent({ route: { path: "/w" } })]),
    );
    assert.deepEqual(fleet.agents[0].route, { path: "/w", auth: "jwt", rateLimitPerMinute: 600, invoke: "async", timeoutSeconds: 29, weight: 100 });
  });

  it("accepts the issue's example fleet file", () => {
    const yaml = `
apiVersion: microagents/v1
kind: Fleet
metadata: { name: acme-support }
spec:
  tier: small
  environment: prod
  targets:
    - { runtime: kubernetes, region: local }
  budget: { monthlyUsd: 1000 }
  gateway:
    jwt: { issuer: "https://auth.acme.example/", jwksUri: "https://auth.acme.example/.well-known/jwks.json", audiences: [agents] }
  agents:
    - name: document-processor
      image: ghcr.io/acme/doc-agent@sha256:${"b".repeat(64)}
      port: 8080
      healthPath: /healthz
      resources: { cpu: 2, memory: 4Gi, gpu: { share: 0.25, memoryGi: 16 } }
      scaling: { mode: horizontal, min: 2, max: 20, backlogPerReplica: 10 }
      criticality: standard
      queue: { batchSize: 32, maxWaitMs: 100, visibilityTimeoutSeconds: 300, maxReceiveCount: 4 }
      route: { path: /documents, auth: jwt, rateLimitPerMinute: 600 }
      env: { LOG_LEVEL: info }
      secrets: { OPENAI_API_KEY: { ref: openai-key } }
      model: { tier: small }
    - name: email-intake
      image: ghcr.io/acme/email-intake:1.4.2
  gpuPools:
    - name: inference
      accelerator: nvidia-l4
      sharing: time-slicing
      spot: true
      maxNodes: 4
  pipelines:
    - name: customer-email
      steps: [email-intake, { parallel: [document-processor, email-intake] }]
`;
    const fleet = parseFleet(yaml);
    assert.equal(fleet.name, "acme-support");
    assert.deepEqual(fleet.agents[0].secrets, { OPENAI_API_KEY: { ref: "openai-key", key: "OPENAI_API_KEY" } });
    assert.deepEqual(fleet.gpuPools[0], { name: "inference", accelerator: "nvidia-l4", sharing: "time-slicing", spot: true, maxNodes: 4 });
  });
});
