import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { customerServiceFleet, emailFleet, researchFleet, seedFleets } from "../../agents";
import { renderGraph } from "../../lib/cli/commands/render";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { runOffline, type CapturedResource, type ResourceGraph } from "../../lib/offline/engine";
import { planFleet } from "../../lib/plan";
import type { FleetInput } from "../../lib/spec";
import { VALIDATOR_PORT } from "../../lib/targets/kubernetes/request-validator";
import { validateManifest } from "../../lib/validate/kubernetes";
import { DIGEST, minimalAgent, minimalFleet } from "../helpers/fleets";
import { at, kubernetesObjects, ofType, one, planFleetOffline } from "../helpers/offline";

const targets = [{ runtime: "kubernetes" as const, region: "local" }];
const T = {
  deployment: "kubernetes:apps/v1:Deployment",
  pdb: "kubernetes:policy/v1:PodDisruptionBudget",
  netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  release: "kubernetes:helm.sh/v3:Release",
  route: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
  security: "kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy",
  traffic: "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy",
  rule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
  podMonitor: "kubernetes:monitoring.coreos.com/v1:PodMonitor",
  configMap: "kubernetes:core/v1:ConfigMap",
  cluster: "kubernetes:postgresql.cnpg.io/v1:Cluster",
  pooler: "kubernetes:postgresql.cnpg.io/v1:Pooler",
  backup: "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup",
};

const release = (g: ResourceGraph, chart: string) => {
  const found = ofType(g, T.release).filter((r) => at(r, "name") === chart);
  assert.equal(found.length, 1, `one ${chart} release`);
  return found[0];
};
const meta = (r: CapturedResource, key: string) => at(r, "metadata", key);
const labelsOf = (r: CapturedResource) => (at(r, "metadata", "labels") ?? {}) as Record<string, string>;

describe("the seed fleets on every tier render and validate", () => {
  const placements = [
    { tier: "small", environment: "dev" },
    { tier: "small", environment: "prod" },
    { tier: "medium", environment: "staging" },
    { tier: "medium", environment: "prod" },
    { tier: "enterprise", environment: "prod" },
  ] as const;
  for (const p of placements) {
    for (const fleet of seedFleets({ ...p, targets })) {
      it(`${fleet.metadata.name} (${p.tier}, ${p.environment})`, async () => {
        const graph = await planFleetOffline(fleet);
        const rendering = renderGraph(graph);
        assert.deepEqual(rendering.problems, []);
        assert.equal(rendering.files.length, kubernetesObjects(graph).length);
        const components = new Set(graph.resources.filter((r) => !r.custom).map((r) => r.type));
        for (const c of ["microagents:state:AgentStateStore", "microagents:gateway:AgentGateway", "microagents:observability:ObservabilityStack"]) assert.ok(components.has(c), c);
        const plan = planFleet(fleet);
        for (const agent of plan.agents) assert.ok(rendering.files.some((f) => f.path.startsWith(`${agent.name}/deployment-`)), `${agent.name} has its folder`);
        for (const f of rendering.files) {
          const labels = (at({ inputs: f.object }, "metadata", "labels") ?? {}) as Record<string, string>;
          for (const key of ["fleet", "agent", "tier", "environment", "team"]) assert.ok(labels[`microagents.io/${key}`], `${f.path} lacks microagents.io/${key}`);
        }
      });
    }
  }
});

describe("hardening of every workload (customer-service fleet, medium, prod)", () => {
  let graph: ResourceGraph;
  before(async () => {
    graph = await planFleetOffline(customerServiceFleet({ tier: "medium", environment: "prod", targets }));
  });

  it("every Deployment runs non-root, read-only, without capabilities, with limits equal to requests and all three probes", () => {
    const deployments = ofType(graph, T.deployment);
    assert.equal(deployments.length, 8, "eight agents (no route has a schema, so no validator)");
    for (const d of deployments) {
      const pod = at(d, "spec", "template", "spec") as Record<string, unknown>;
      assert.equal(at(d, "spec", "template", "spec", "securityContext", "runAsNonRoot"), true, d.name);
      assert.equal(pod.automountServiceAccountToken, false, d.name);
      for (const c of pod.containers as Array<Record<string, unknown>>) {
        assert.deepEqual(c.securityContext, { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } }, d.name);
        const res = c.resources as { requests: Record<string, string>; limits: Record<string, string> };
        assert.ok(res.limits.cpu && res.limits.memory, `${d.name} has limits`);
        assert.deepEqual(res.limits, res.requests, `${d.name} is Guaranteed`);
        for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) assert.ok(c[probe], `${d.name} has a ${probe}`);
      }
    }
  });

  it("every workload has a PodDisruptionBudget and a NetworkPolicy selecting it", () => {
    const pdbs = ofType(graph, T.pdb).map((r) => at(r, "spec", "selector", "matchLabels"));
    const policies = ofType(graph, T.netpol).map((r) => at(r, "spec", "podSelector", "matchLabels"));
    for (const d of ofType(graph, T.deployment)) {
      const selector = at(d, "spec", "selector", "matchLabels");
      assert.ok(pdbs.some((s) => JSON.stringify(s) === JSON.stringify(selector)), `${d.name} has a PDB`);
      assert.ok(policies.some((s) => JSON.stringify(s) === JSON.stringify(selector)), `${d.name} has its NetworkPolicy`);
    }
  });

  it("agents may reach the state store and the collector, and only the agents may", () => {
    const toState = one(graph, T.netpol, "acme-support-state-agents-to-state");
    assert.deepEqual(at(toState, "spec", "podSelector", "matchExpressions"), [
      { key: "app.kubernetes.io/name", operator: "In", values: ["classifier", "crm", "generator", "intent", "knowledge", "priority", "product", "quality"] },
    ]);
    assert.deepEqual(at(toState, "spec", "egress"), [
      { to: [{ podSelector: { matchLabels: { "cnpg.io/poolerName": "acme-support-state-pooler" } } }], ports: [{ protocol: "TCP", port: 5432 }] },
      { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "valkey", "app.kubernetes.io/instance": "valkey" } } }], ports: [{ protocol: "TCP", port: 6379 }] },
    ]);
    const valkey = one(graph, T.netpol, "acme-support-state-valkey");
    assert.equal((at(valkey, "spec", "ingress") as unknown[]).length, 1);
    assert.deepEqual(at(valkey, "spec", "ingress", 0, "ports"), [{ protocol: "TCP", port: 6379 }]);
    const toOtel = one(graph, T.netpol, "acme-support-observability-agents-to-otel");
    assert.deepEqual(at(toOtel, "spec", "egress", 0, "ports"), [
      { protocol: "TCP", port: 4317 },
      { protocol: "TCP", port: 4318 },
    ]);
  });
});

describe("GPU pools follow the packing plan", () => {
  it("time-sliced pools: the device plugin's replicas are the plan's slices, agents ask for share × slices and tolerate the taint", async () => {
    const fleet = customerServiceFleet({ tier: "medium", environment: "prod", targets });
    const plan = planFleet(fleet);
    const graph = await planFleetOffline(fleet);
    const values = at(release(graph, "nvidia-device-plugin"), "values") as { config: { map: Record<string, string>; default: string } };
    assert.equal(values.config.default, "default");
    for (const pool of plan.gpuPools) {
      assert.equal(pool.sharing, "time-slicing");
      const config = parseYaml(values.config.map[`acme-support-${pool.name}`]) as { sharing: { timeSlicing: { resources: Array<{ name: string; replicas: number }> } } };
      assert.deepEqual(config.sharing.timeSlicing.resources, [{ name: "nvidia.com/gpu", replicas: pool.slicesPerGpu }]);
      assert.equal(pool.slicesPerGpu, 4, "1/4 is the smallest share in the pool");
      const cm = one(graph, T.configMap, `acme-support-${pool.name}`);
      const req = parseYaml(at(cm, "data", "requirements.yaml") as string) as Record<string, unknown>;
      assert.deepEqual([req.minNodes, req.maxNodes, req.nodesAtMaxReplicas, req.slicesPerGpu], [pool.minNodes, pool.maxNodes, pool.packing.atMax.nodes, 4]);
      assert.deepEqual(req.labels, { "microagents.io/gpu-pool": pool.name, "nvidia.com/device-plugin.config": `acme-support-${pool.name}`, "nvidia.com/gpu.present": "true" });
    }
    for (const agent of plan.agents) {
      const d = one(graph, T.deployment, `acme-support-${agent.name}`);
      const limits = at(d, "spec", "template", "spec", "containers", 0, "limits") ?? at(d, "spec", "template", "spec", "containers", 0, "resources", "limits");
      const tolerations = at(d, "spec", "template", "spec", "tolerations");
      if (agent.gpu) {
        assert.equal((limits as Record<string, string>)["nvidia.com/gpu"], String(agent.gpu.share * 4), agent.name);
        assert.deepEqual(tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
      } else {
        assert.equal((limits as Record<string, string>)["nvidia.com/gpu"], undefined);
        assert.equal(tolerations, undefined);
      }
    }
    assert.deepEqual(
      plan.agents.filter((a) => a.gpu).map((a) => [a.name, a.gpu?.resourceCount]),
      [
        ["classifier", 1],
        ["intent", 1],
        ["generator", 2],
      ],
    );
    release(graph, "dcgm-exporter");
    const dcgm = one(graph, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "acme-support-dcgm-exporter");
    assert.equal(at(dcgm, "spec", "endpoints", 0, "honorLabels"), true);
    // Selects the label the chart's Service template writes literally, on its port named "metrics".
    assert.deepEqual(at(dcgm, "spec", "selector"), { matchLabels: { "app.kubernetes.io/component": "dcgm-exporter" } });
    assert.equal(at(dcgm, "spec", "endpoints", 0, "port"), "metrics");
  });

  it("MIG pools use the mixed strategy and agents ask for their MIG profile", async () => {
    const fleet = minimalFleet({ tier: "enterprise", gpuPools: [{ name: "mig", accelerator: "nvidia-a100", sharing: "mig" }] }, [
      minimalAgent({ name: "embedder", resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.25, memoryGi: 8, pool: "mig" } } }),
    ]);
    const graph = await planFleetOffline(fleet);
    const values = at(release(graph, "nvidia-device-plugin"), "values") as { config: { map: Record<string, string> } };
    assert.deepEqual(parseYaml(values.config.map["acme-mig"]), { version: "v1", flags: { migStrategy: "mixed" } });
    assert.deepEqual(at(one(graph, T.deployment, "acme-embedder"), "spec", "template", "spec", "containers", 0, "resources", "limits"), { cpu: "1", memory: "2Gi", "nvidia.com/mig-2g.10gb": "1" });
  });

  it("fleets without GPU agents install neither the device plugin nor the DCGM exporter", async () => {
    const graph = await planFleetOffline(minimalFleet());
    assert.deepEqual(ofType(graph, T.release).map((r) => at(r, "name")).filter((n) => n === "nvidia-device-plugin" || n === "dcgm-exporter"), []);
  });
});

describe("the gateway", () => {
  const routed = (auth: "jwt" | "apiKey" | "none", extra: Record<string, unknown> = {}) => ({ path: `/${auth}`, auth, ...extra });
  const schema = { type: "object", required: ["text"], properties: { text: { type: "string" } } };
  let graph: ResourceGraph;
  const fleet: FleetInput = minimalFleet(
    {
      gateway: {
        jwt: { issuer: "https://auth.acme.example/", jwksUri: "https://auth.acme.example/jwks.json", audiences: ["agents"] },
        legacyBackend: { url: "https://monolith.acme.example:8443" },
        hostname: "agents.acme.example",
      },
    },
    [
      minimalAgent({ name: "secure", route: routed("jwt", { weight: 25, rateLimitPerMinute: 90, timeoutSeconds: 12 }) }),
      minimalAgent({ name: "keyed", route: routed("apiKey") }),
      minimalAgent({ name: "open", route: routed("none") }),
      minimalAgent({ name: "checked", route: { path: "/checked", auth: "none", schema } }),
      minimalAgent({ name: "internal" }),
    ],
  );
  before(async () => {
    graph = await planFleetOffline(fleet);
  });

  it("one HTTPRoute per agent route, with the canary split to the legacy backend and the route's timeout", () => {
    assert.deepEqual(ofType(graph, T.route).map((r) => meta(r, "name")).sort(), ["checked", "keyed", "legacy-fallback", "open", "secure"]);
    const secure = one(graph, T.route, "acme-gateway-secure");
    assert.deepEqual(at(secure, "spec", "rules", 0), {
      matches: [{ path: { type: "PathPrefix", value: "/jwt" } }],
      backendRefs: [
        { kind: "Service", name: "secure", port: 80, weight: 25 },
        { group: "gateway.envoyproxy.io", kind: "Backend", name: "acme-legacy", port: 8443, weight: 75 },
      ],
      timeouts: { request: "12s" },
    });
    // Envoy Gateway's Backend has no tls.sni and applies tls CA settings to DynamicResolver backends only:
    // TLS to the monolith is a BackendTLSPolicy on the Backend (host name as SNI and verified name).
    assert.deepEqual(at(one(graph, "kubernetes:gateway.envoyproxy.io/v1alpha1:Backend", "acme-gateway-legacy"), "spec"), {
      endpoints: [{ fqdn: { hostname: "monolith.acme.example", port: 8443 } }],
    });
    assert.deepEqual(at(one(graph, "kubernetes:gateway.networking.k8s.io/v1:BackendTLSPolicy", "acme-gateway-legacy"), "spec"), {
      targetRefs: [{ group: "gateway.envoyproxy.io", kind: "Backend", name: "acme-legacy" }],
      validation: { hostname: "monolith.acme.example", wellKnownCACertificates: "System" },
    });
    assert.deepEqual(at(one(graph, T.route, "acme-gateway-legacy"), "spec", "rules", 0, "matches"), [{ path: { type: "PathPrefix", value: "/" } }]);
  });

  it("every jwt route is covered by a JWT SecurityPolicy; no route is unauthenticated unless its spec says auth: none", () => {
    const policies = ofType(graph, T.security);
    const coverage = (route: string) => policies.filter((p) => (at(p, "spec", "targetRefs") as Array<{ kind: string; name: string }>).some((t) => t.kind === "HTTPRoute" && t.name === route));
    const plan = planFleet(fleet);
    for (const agent of plan.agents.filter((a) => a.route)) {
      const covering = coverage(agent.name);
      const auth = agent.route?.auth;
      if (auth === "jwt") {
        assert.equal(covering.length, 1, agent.name);
        assert.deepEqual(at(covering[0], "spec", "jwt"), { providers: [{ name: "acme", issuer: "https://auth.acme.example/", audiences: ["agents"], remoteJWKS: { uri: "https://auth.acme.example/jwks.json" } }] });
      } else if (auth === "apiKey") {
        assert.equal(covering.length, 1, agent.name);
        assert.deepEqual(at(covering[0], "spec", "apiKeyAuth", "credentialRefs"), [{ group: "", kind: "Secret", name: "acme-api-keys" }]);
      } else {
        assert.ok(covering.every((p) => at(p, "spec", "jwt") === undefined && at(p, "spec", "apiKeyAuth") === undefined), `${agent.name} is public only because its spec says auth: none`);
      }
    }
    assert.equal(coverage("open").length, 0);
    assert.equal(at(coverage("legacy-fallback")[0], "spec", "jwt", "providers", 0, "issuer"), "https://auth.acme.example/");
  });

  it("routes with a schema are validated by OPA-Envoy as external authorization with the body", () => {
    const policy = one(graph, T.security, "acme-gateway-checked");
    assert.deepEqual(at(policy, "spec", "extAuth"), { grpc: { backendRefs: [{ name: "acme-request-validator", port: VALIDATOR_PORT }] }, bodyToExtAuth: { maxRequestBytes: 1048576 }, failOpen: false });
    const rego = at(one(graph, T.configMap, "acme-gateway-validator"), "data", "policy.rego") as string;
    assert.match(rego, /json\.match_schema\(input\.parsed_body, schemas\[route\]\)/);
    assert.ok(rego.includes(`schemas := {"/checked":{"type":"object","required":["text"],"properties":{"text":{"type":"string"}}}}`));
    const validator = one(graph, T.deployment, "acme-gateway-validator");
    assert.equal(at(validator, "spec", "template", "spec", "containers", 0, "securityContext", "readOnlyRootFilesystem"), true);
    assert.deepEqual(at(one(graph, T.netpol, "acme-gateway-validator"), "spec", "ingress", 0, "from"), [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "envoy-gateway-system" } } }]);
  });

  it("BackendTrafficPolicy carries the plan's rate limit, retries with the seed's backoff, and circuit breaker", () => {
    const agent = planFleet(fleet).agent("secure");
    assert.deepEqual(at(one(graph, T.traffic, "acme-gateway-secure"), "spec"), {
      targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "secure" }],
      rateLimit: { type: "Local", local: { rules: [{ limit: { requests: 90, unit: "Minute" } }] } },
      retry: {
        numRetries: agent.retry.attempts - 1,
        retryOn: { triggers: ["connect-failure", "refused-stream", "reset", "retriable-status-codes"], httpStatusCodes: [502, 503, 504] },
        perRetry: { backOff: { baseInterval: "1s", maxInterval: "4s" } },
      },
      healthCheck: { passive: { consecutive5XxErrors: 5, consecutiveGatewayErrors: 5, baseEjectionTime: "60s", interval: "10s", maxEjectionPercent: 100 } },
    });
    assert.equal(agent.retry.attempts, 4);
  });

  it("the proxy stays internal unless gateway.public, behind an HTTPS listener with a certificate for the host", () => {
    assert.equal(at(one(graph, "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "acme-gateway-proxy"), "spec", "provider", "kubernetes", "envoyService", "type"), "ClusterIP");
    const gw = one(graph, "kubernetes:gateway.networking.k8s.io/v1:Gateway", "acme-gateway");
    assert.deepEqual(at(gw, "spec", "listeners", 0, "tls"), { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "acme-gateway-tls" }] });
    assert.deepEqual(at(one(graph, "kubernetes:cert-manager.io/v1:Certificate", "acme-gateway-tls"), "spec", "dnsNames"), ["agents.acme.example"]);
  });

  it("an object outside the vendored schema fails validation", () => {
    const policy = one(graph, T.traffic, "acme-gateway-secure");
    assert.deepEqual(validateManifest(policy.inputs), []);
    const spec = at(policy, "spec") as Record<string, unknown>;
    assert.notDeepEqual(validateManifest({ ...policy.inputs, spec: { ...spec, retry: { numRetries: -1 } } }), []);
    assert.notDeepEqual(validateManifest({ ...policy.inputs, spec: { ...spec, retries: { numRetries: 3 } } }), []);
  });
});

describe("observability", () => {
  it("a PrometheusRule per agent with the seed's thresholds and the agent's latency target", async () => {
    const fleet = minimalFleet({}, [minimalAgent({ name: "slow", latencyTargetMs: 7500 })]);
    const graph = await planFleetOffline(fleet);
    const rules = at(one(graph, T.rule, "acme-observability-slow"), "spec", "groups", 0, "rules") as Array<{ alert: string; expr: string }>;
    const threshold = (alert: string) => /> (\d+)$/.exec(rules.find((r) => r.alert === alert)?.expr ?? "")?.[1];
    assert.deepEqual(
      ["AgentMemoryHigh", "AgentErrorRateHigh", "AgentQueueBacklog", "AgentDeadLetters", "AgentLatencyHigh"].map(threshold),
      ["90", "10", "100", "0", "7500"],
    );
    assert.match(rules.find((r) => r.alert === "AgentDeadLetters")?.expr ?? "", /stream_name="acme-slow-dlq"/);
    assert.ok(ofType(graph, T.podMonitor).some((r) => r.name === "acme-observability-slow"));
  });

  it("a dashboard ConfigMap for Grafana with a fleet summary and a row per agent (GPU utilisation for GPU agents)", async () => {
    const graph = await planFleetOffline(emailFleet({ tier: "small", environment: "dev", targets }));
    const cm = one(graph, T.configMap, "acme-email-observability-dashboard");
    assert.equal(labelsOf(cm).grafana_dashboard, "1");
    const dashboard = JSON.parse(at(cm, "data", "acme-email.json") as string) as { panels: Array<{ type: string; title: string }> };
    assert.deepEqual(dashboard.panels.filter((p) => p.type === "row").map((p) => p.title), ["acme-email: fleet summary", "email-intake", "sentiment", "technical", "response-composer"]);
    const titles = dashboard.panels.map((p) => p.title);
    for (const t of ["queue depth", "p95 latency", "error rate", "replicas"]) assert.ok(titles.includes(`technical: ${t}`), t);
    assert.ok(titles.includes("sentiment: GPU utilisation"));
    assert.ok(!titles.includes("technical: GPU utilisation"));
  });

  it("the collector exports metrics to Prometheus and traces to the fleet's OTLP endpoint", async () => {
    const graph = await planFleetOffline(minimalFleet({ observability: { otlpEndpoint: "https://otlp.acme.example" } }));
    const values = at(release(graph, "opentelemetry-collector"), "values") as { config: { exporters: Record<string, unknown>; service: { pipelines: Record<string, { exporters: string[] }> } } };
    assert.deepEqual(values.config.exporters["otlphttp/traces"], { endpoint: "https://otlp.acme.example" });
    assert.deepEqual(values.config.service.pipelines.metrics.exporters, ["prometheus"]);
    assert.deepEqual(values.config.service.pipelines.traces.exporters, ["otlphttp/traces"]);
  });
});

describe("the state store", () => {
  it("CloudNativePG with backups, a PDB and a pooler where the tier pools; Valkey with auth and TLS", async () => {
    const medium = await planFleetOffline(researchFleet({ tier: "medium", environment: "prod", targets }));
    const cluster = one(medium, T.cluster, "acme-research-state-postgres");
    assert.equal(at(cluster, "spec", "instances"), 3);
    assert.equal(at(cluster, "spec", "enablePDB"), true);
    assert.equal(at(cluster, "spec", "backup", "retentionPolicy"), "30d");
    assert.equal(at(cluster, "spec", "backup", "barmanObjectStore", "destinationPath"), "s3://acme-research-state-backups/acme-research");
    assert.deepEqual(at(cluster, "spec", "bootstrap", "initdb", "postInitApplicationSQLRefs"), { configMapRefs: [{ name: "acme-research-state-schema", key: "schema.sql" }] });
    assert.equal(at(one(medium, T.backup, "acme-research-state-backup"), "spec", "schedule"), "0 0 2 * * *");
    assert.equal(ofType(medium, T.pooler).length, 1);
    const sql = at(one(medium, T.configMap, "acme-research-state-schema"), "data", "schema.sql") as string;
    assert.match(sql, /CREATE TABLE IF NOT EXISTS state\.tasks \([\s\S]*status text[\s\S]*priority smallint/);
    assert.match(sql, /CREATE TABLE IF NOT EXISTS state\.context/);
    const valkey = at(release(medium, "valkey"), "values") as Record<string, Record<string, unknown>>;
    assert.equal(valkey.auth.enabled, true);
    assert.deepEqual([valkey.tls.enabled, valkey.tls.requireClientCertificate, valkey.tls.existingSecret], [true, true, "acme-research-valkey-tls"]);
    const endpoints = at(one(medium, T.configMap, "acme-research-state-endpoints"), "data") as Record<string, string>;
    assert.equal(endpoints.MICROAGENTS_DB_HOST, "acme-research-state-pooler.acme-research.svc.cluster.local");
    assert.equal(endpoints.MICROAGENTS_RESULTS_CACHE_URL, "rediss://valkey.acme-research.svc.cluster.local:6379");
    assert.equal(endpoints.MICROAGENTS_RESULTS_TTL_SECONDS, "3600");

    const small = await planFleetOffline(researchFleet({ tier: "small", environment: "dev", targets }));
    assert.equal(ofType(small, T.pooler).length, 0, "the small tier does not pool connections");
    assert.deepEqual([at(one(small, T.cluster, "acme-research-state-postgres"), "spec", "instances"), at(one(small, T.cluster, "acme-research-state-postgres"), "spec", "enablePDB")], [1, false]);
  });

  it("NATS and the NACK controller speak TLS with certificates from the fleet's CA", async () => {
    const graph = await planFleetOffline(minimalFleet());
    const nats = at(release(graph, "nats"), "values") as { config: { nats: { tls: Record<string, unknown> } } };
    assert.deepEqual(nats.config.nats.tls, { enabled: true, secretName: "nats-server-tls", cert: "tls.crt", key: "tls.key", merge: { verify: true } });
    assert.deepEqual(at(release(graph, "nack"), "values", "jetstream"), { nats: { url: "tls://nats.nats.svc.cluster.local:4222" }, tls: { enabled: true, secretName: "nack-client-tls" } });
    const env = at(one(graph, T.deployment, "acme-worker"), "spec", "template", "spec", "containers", 0, "env") as Array<{ name: string; value?: string }>;
    assert.equal(env.find((e) => e.name === "MICROAGENTS_NATS_URL")?.value, "tls://nats.nats.svc.cluster.local:4222");
    assert.equal(at(one(graph, "kubernetes:cert-manager.io/v1:ClusterIssuer", "acme-ca-issuer"), "spec", "ca", "secretName"), "acme-ca");
  });
});

describe("add-ons", () => {
  it("pinned releases from the catalog, each one switchable", async () => {
    const fleet = researchFleet({ tier: "small", environment: "dev", targets });
    const graph = await planFleetOffline(fleet);
    const charts = Object.fromEntries(ofType(graph, T.release).map((r) => [at(r, "name"), at(r, "version")]));
    assert.deepEqual(charts, {
      "cert-manager": "v1.20.2",
      keda: "2.21.1",
      nats: "1.3.14",
      nack: "0.34.0",
      "envoy-gateway": "v1.9.3",
      "cloudnative-pg": "0.29.0",
      "kube-prometheus-stack": "89.2.2",
      "nvidia-device-plugin": "0.20.1",
      "dcgm-exporter": "4.8.1",
      valkey: "1.0.0",
      "opentelemetry-collector": "0.182.0",
    });
    const off = await runOffline(() => new AgentFleet("acme-research", { fleet, addons: { envoyGateway: false, valkey: false, kubePrometheusStack: false } }));
    const names = ofType(off, T.release).map((r) => at(r, "name"));
    for (const gone of ["envoy-gateway", "valkey", "kube-prometheus-stack"]) assert.ok(!names.includes(gone), gone);
    assert.ok(names.includes("keda"));
  });
});

describe("an image reference stays what the spec pinned", () => {
  it("the digest reaches the Deployment unchanged", async () => {
    const graph = await planFleetOffline(minimalFleet());
    assert.equal(at(one(graph, T.deployment, "acme-worker"), "spec", "template", "spec", "containers", 0, "image"), `ghcr.io/acme/worker@${DIGEST}`);
  });
});
