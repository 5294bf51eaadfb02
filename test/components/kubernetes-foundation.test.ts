import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { researchFleet, seedFleets } from "../../agents";
import { AgentBroker, AgentPlatform, MicroAgentService, isConfigError, parseFleet } from "../../lib";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import { NO_ADDONS } from "../../lib/targets/kubernetes/addons";
import { validateManifest } from "../../lib/validate/kubernetes";
import { minimalFleet } from "../helpers/fleets";
import { at, kubernetesObjects, one, planFleetOffline } from "../helpers/offline";

const targets = [{ runtime: "kubernetes" as const, region: "local" }];

describe("Kubernetes services of the research fleet (prod, medium)", () => {
  let graph: ResourceGraph;
  before(async () => {
    graph = await planFleetOffline(researchFleet({ tier: "medium", environment: "prod", targets }));
  });

  it("a hardened Deployment with exact resources, probes and security context", () => {
    const d = one(graph, "kubernetes:apps/v1:Deployment", "acme-research-document-processor");
    assert.equal(at(d, "metadata", "namespace"), "acme-research");
    assert.equal(at(d, "spec", "replicas"), undefined, "KEDA owns replicas of queue-scaled agents");
    const pod = at(d, "spec", "template", "spec") as Record<string, unknown>;
    assert.deepEqual(pod.securityContext, { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } });
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(pod.serviceAccountName, "document-processor");
    const c = at(d, "spec", "template", "spec", "containers", 0) as Record<string, unknown>;
    assert.deepEqual(c.securityContext, { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    assert.deepEqual(c.resources, { requests: { cpu: "2", memory: "4Gi" }, limits: { cpu: "2", memory: "4Gi" } });
    assert.deepEqual(c.livenessProbe, { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
    assert.deepEqual(c.readinessProbe, { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 });
    assert.deepEqual(c.volumeMounts, [
      { name: "tmp", mountPath: "/tmp" },
      { name: "microagents", mountPath: "/etc/microagents", readOnly: true },
    ]);
    assert.deepEqual((pod.volumes as Array<{ name: string }>).map((v) => v.name), ["tmp", "microagents"]);
    assert.deepEqual((pod.volumes as unknown[])[0], { name: "tmp", emptyDir: { sizeLimit: "1Gi" } });
    const env = c.env as Array<{ name: string; value?: string; valueFrom?: unknown }>;
    assert.deepEqual(env.find((e) => e.name === "OPENAI_API_KEY"), { name: "OPENAI_API_KEY", valueFrom: { secretKeyRef: { name: "openai-key", key: "OPENAI_API_KEY" } } });
    assert.deepEqual(env.find((e) => e.name === "MICROAGENTS_INPUT_STREAM"), { name: "MICROAGENTS_INPUT_STREAM", value: "acme-research-document-processor" });
    assert.ok(env.every((e) => e.valueFrom !== undefined || !/KEY|TOKEN|SECRET|PASSWORD/.test(e.name)), "no credential as a literal");
    assert.equal((pod.topologySpreadConstraints as unknown[]).length, 2);
    assert.equal(pod.tolerations, undefined, "CPU agents do not tolerate the GPU taint");
  });

  it("a ServiceAccount without token automount, a ClusterIP Service", () => {
    const sa = one(graph, "kubernetes:core/v1:ServiceAccount", "acme-research-document-processor");
    assert.equal(at(sa, "automountServiceAccountToken"), false);
    const svc = one(graph, "kubernetes:core/v1:Service", "acme-research-document-processor");
    assert.deepEqual(at(svc, "spec"), {
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": "document-processor", "app.kubernetes.io/part-of": "acme-research" },
      ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    });
  });

  it("a NetworkPolicy that lets in only the gateway and monitoring, and out only DNS, NATS and public HTTPS", () => {
    const np = one(graph, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "acme-research-document-processor");
    assert.deepEqual(at(np, "spec", "policyTypes"), ["Ingress", "Egress"]);
    assert.deepEqual(at(np, "spec", "ingress"), [
      {
        from: [
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "envoy-gateway-system" } } },
        ],
        ports: [{ protocol: "TCP", port: 8080 }],
      },
    ]);
    const egress = at(np, "spec", "egress") as Array<{ ports: Array<{ port: number }>; to: Array<{ ipBlock?: { cidr: string; except?: string[] } }> }>;
    assert.deepEqual(egress.map((e) => e.ports.map((p) => p.port)), [[53, 53], [443], [4222]]);
    assert.deepEqual(egress[1].to[0].ipBlock?.except, ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"]);
    const dataFetcher = one(graph, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "acme-research-data-fetcher");
    assert.deepEqual((at(dataFetcher, "spec", "ingress", 0, "from") as unknown[]).length, 1, "no route, no gateway ingress");
  });

  it("a namespace with Pod Security 'restricted' and a default-deny policy", () => {
    const ns = one(graph, "kubernetes:core/v1:Namespace", "acme-research");
    assert.equal(at(ns, "metadata", "labels", "pod-security.kubernetes.io/enforce"), "restricted");
    const deny = one(graph, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "acme-research-default-deny");
    assert.deepEqual(at(deny, "spec"), { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  it("horizontal agents scale on their JetStream consumer with KEDA", () => {
    const so = one(graph, "kubernetes:keda.sh/v1alpha1:ScaledObject", "acme-research-document-processor");
    assert.deepEqual(at(so, "spec", "scaleTargetRef"), { apiVersion: "apps/v1", kind: "Deployment", name: "document-processor" });
    assert.deepEqual([at(so, "spec", "minReplicaCount"), at(so, "spec", "maxReplicaCount")], [2, 20]);
    assert.deepEqual(at(so, "spec", "triggers"), [
      {
        type: "nats-jetstream",
        metadata: {
          natsServerMonitoringEndpoint: "nats-headless.nats.svc.cluster.local:8222",
          account: "$G",
          stream: "acme-research-document-processor",
          consumer: "document-processor",
          lagThreshold: "10",
          activationLagThreshold: "0",
        },
      },
    ]);
  });

  it("fixed agents keep exact replicas; active-passive gets a Lease and a Role scoped to it", () => {
    const d = one(graph, "kubernetes:apps/v1:Deployment", "acme-research-coordinator");
    assert.equal(at(d, "spec", "replicas"), 2);
    assert.equal(at(d, "spec", "template", "spec", "automountServiceAccountToken"), true, "the leader election needs the API");
    assert.equal(graph.resources.filter((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject" && r.name.endsWith("coordinator")).length, 0);
    const role = one(graph, "kubernetes:rbac.authorization.k8s.io/v1:Role", "acme-research-coordinator-leader");
    assert.deepEqual(at(role, "rules"), [{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: ["coordinator-leader"], verbs: ["get", "update", "patch"] }]);
    const pdb = one(graph, "kubernetes:policy/v1:PodDisruptionBudget", "acme-research-coordinator");
    assert.equal(at(pdb, "spec", "minAvailable"), 1);
  });

  it("a PodDisruptionBudget only where replicas can exceed one", () => {
    const pdbs = graph.resources.filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget").map((r) => r.name).sort();
    assert.deepEqual(pdbs, ["acme-research-coordinator", "acme-research-data-fetcher", "acme-research-document-processor", "acme-research-language-analyzer"]);
  });

  it("GPU agents request the plan's GPU resource and tolerate the GPU taint", () => {
    const d = one(graph, "kubernetes:apps/v1:Deployment", "acme-research-language-analyzer");
    const pod = at(d, "spec", "template", "spec") as Record<string, unknown>;
    assert.deepEqual(pod.tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    assert.deepEqual(at(d, "spec", "template", "spec", "containers", 0, "resources", "limits"), { cpu: "8", memory: "32Gi", "nvidia.com/gpu": "1" });
    assert.deepEqual(at(d, "spec", "template", "spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"), [
      { matchExpressions: [{ key: "microagents.io/gpu-pool", operator: "In", values: ["t4-dedicated"] }] },
    ]);
  });

  it("a work-queue stream, a durable consumer with the seed's backoff, and a dead-letter stream per agent", () => {
    const stream = one(graph, "kubernetes:jetstream.nats.io/v1beta2:Stream", "acme-research-document-processor-stream");
    assert.deepEqual(at(stream, "spec"), {
      name: "acme-research-document-processor",
      description: "Input queue of agent document-processor",
      subjects: ["acme-research.document-processor.in"],
      retention: "workqueue",
      storage: "file",
      replicas: 3,
      maxAge: "96h",
      discard: "new",
      duplicateWindow: "2m",
      sources: [{ name: "acme-research-events", filterSubject: "acme-research.events.coordinator.pipeline.research.>" }],
    });
    const consumer = one(graph, "kubernetes:jetstream.nats.io/v1beta2:Consumer", "acme-research-document-processor-consumer");
    assert.deepEqual(at(consumer, "spec"), {
      streamName: "acme-research-document-processor",
      durableName: "document-processor",
      description: "Workers of agent document-processor",
      ackPolicy: "explicit",
      // Backoff starts at the visibility timeout (300 s); the server takes the first value as ack wait.
      ackWait: "301s",
      maxDeliver: 4,
      backoff: ["301s", "302s", "304s"],
      deliverPolicy: "all",
      replayPolicy: "instant",
      maxAckPending: 1280,
      maxRequestBatch: 32,
    });
    const dlq = one(graph, "kubernetes:jetstream.nats.io/v1beta2:Stream", "acme-research-document-processor-dlq");
    assert.deepEqual(at(dlq, "spec", "subjects"), [
      "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.acme-research-document-processor.document-processor",
      "$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.acme-research-document-processor.document-processor",
    ]);
  });

  it("every object carries the cost-allocation labels", () => {
    for (const r of kubernetesObjects(graph)) {
      const labels = (at(r, "metadata", "labels") ?? {}) as Record<string, string>;
      for (const key of ["fleet", "tier", "environment", "team"]) assert.ok(labels[`microagents.io/${key}`], `${r.type} ${r.name} lacks microagents.io/${key}`);
    }
  });
});

describe("every object of the seed fleets validates against upstream schemas", () => {
  for (const tier of ["small", "medium", "enterprise"] as const) {
    for (const fleet of seedFleets({ tier, environment: tier === "small" ? "dev" : "prod", targets })) {
      it(`${fleet.metadata.name} (${tier})`, async () => {
        const graph = await planFleetOffline(fleet);
        const objects = kubernetesObjects(graph);
        assert.ok(objects.length > 20);
        const problems = objects.flatMap((r) => validateManifest(r.inputs).map((p) => `${r.type} ${r.name}: ${p}`));
        assert.deepEqual(problems, []);
      });
    }
  }
});

describe("components used one by one", () => {
  it("a MicroAgentService defined in place gets its own broker and errors name agent.<field>", async () => {
    const fleet = parseFleet(minimalFleet());
    const graph = await runOffline(() => {
      const platform = new AgentPlatform("acme", { fleet, addons: NO_ADDONS });
      new MicroAgentService("extra", { platform, agent: { name: "extra", image: "ghcr.io/acme/extra:2.0.1", port: 9000 } });
    });
    assert.equal(graph.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").length, 0, "add-ons switched off");
    assert.ok(graph.resources.some((r) => r.type === "microagents:broker:AgentBroker" && r.name === "extra-broker" && r.parent === "extra"));
    assert.equal(at(one(graph, "kubernetes:apps/v1:Deployment", "extra"), "spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"), 9000);

    await assert.rejects(
      runOffline(() => {
        const platform = new AgentPlatform("acme", { fleet });
        new MicroAgentService("bad", { platform, agent: { name: "bad", image: "ghcr.io/acme/bad:1", scaling: { mode: "horizontal", min: 5, max: 1 } } });
      }),
      (e: unknown) => isConfigError(e) && e.issues[0].path === "agent.scaling.max",
    );
  });

  it("a broker rejects agents the fleet does not have", async () => {
    const fleet = parseFleet(minimalFleet());
    await assert.rejects(
      runOffline(() => {
        const platform = new AgentPlatform("acme", { fleet });
        new AgentBroker("b", { platform, agents: ["ghost"] });
      }),
      (e: unknown) => isConfigError(e) && e.issues[0].path === "agents" && /unknown agent 'ghost'/.test(e.issues[0].message),
    );
  });

  it("a platform rejects a target index the fleet does not have", async () => {
    await assert.rejects(
      runOffline(() => new AgentPlatform("acme", { fleet: minimalFleet(), targetIndex: 3 })),
      (e: unknown) => isConfigError(e) && e.issues[0].path === "targetIndex",
    );
  });

  it("components expose static type tokens policies can target", () => {
    assert.deepEqual(
      [AgentPlatform.__pulumiType, AgentBroker.__pulumiType, MicroAgentService.__pulumiType],
      ["microagents:platform:AgentPlatform", "microagents:broker:AgentBroker", "microagents:service:MicroAgentService"],
    );
  });
});
