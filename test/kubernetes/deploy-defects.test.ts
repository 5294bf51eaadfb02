import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { customerServiceFleet, researchFleet } from "../../agents";
import { factsFromGraph } from "../../lib/facts/core";
import { planFleet } from "../../lib/plan";
import type { FleetInput } from "../../lib/spec";
import { consumerBackoffSeconds, consumerSpec } from "../../lib/targets/kubernetes/broker";
import { DEVICE_PLUGIN_NODE_TERMS, GPU_PRESENT_LABEL } from "../../lib/targets/kubernetes/gpu-pool";
import { GPU_POOL_LABEL } from "../../lib/targets/kubernetes/gpu-scheduling";
import { agentAlertRules, agentPanels, fleetDashboard, NATS_METRICS } from "../../lib/targets/kubernetes/observability";
import { natsDnsNames, natsMonitoringEndpoint, natsValues } from "../../lib/targets/kubernetes/platform";
import { OPA_ENVOY_IMAGE, REMOVED_REGO_BUILTINS, validatorPolicy } from "../../lib/targets/kubernetes/request-validator";
import { valkeyValues } from "../../lib/targets/kubernetes/state-store";
import { rule as pinnedImages } from "../../policies/rules/ma-sec-005-pinned-images";
import { ruleContext } from "../../policies/engine/evaluate";
import { minimalAgent, minimalFleet } from "../helpers/fleets";
import { at, kubernetesObjects, ofType, planFleetOffline } from "../helpers/offline";
import { formatNatsConfig } from "../engines/nats-config";

const targets = [{ runtime: "kubernetes" as const, region: "local" }];

/** Route URLs exactly as the nats chart's files/config/cluster.yaml builds them. */
function chartRouteHosts(values: ReturnType<typeof natsValues>, namespace: string): string[] {
  const cluster = (values.config as { cluster: { replicas: number; routeURLs?: { useFQDN?: boolean; k8sClusterDomain?: string } } }).cluster;
  const domain = cluster.routeURLs?.useFQDN ? `nats-headless.${namespace}.svc.${cluster.routeURLs.k8sClusterDomain ?? "cluster.local"}` : "nats-headless";
  return Array.from({ length: cluster.replicas }, (_, i) => `nats-${i}.${domain}`);
}

/** TLS name matching (RFC 6125): a wildcard covers exactly one leftmost label. */
function certCovers(names: ReadonlyArray<string>, host: string): boolean {
  return names.some((n) => (n.startsWith("*.") ? host.split(".").slice(1).join(".") === n.slice(2) && host.split(".").length === n.split(".").length : n === host));
}

describe("Kubernetes deploy defects (issue 16)", () => {
  it("1. the JetStream key reaches nats.conf unquoted, as a variable nats-server expands from the environment", () => {
    const values = natsValues(false, "nats-server-tls");
    const jetstream = (values.config as { jetstream: { merge: Record<string, string> } }).jetstream;
    assert.equal(jetstream.merge.key, "<< $JS_KEY >>");
    const conf = formatNatsConfig({ jetstream: jetstream.merge });
    assert.match(conf, /"key": \$JS_KEY\b/);
    assert.doesNotMatch(conf, /"\$JS_KEY"/);
    const env = (values.container as { env: Record<string, { valueFrom: { secretKeyRef: { name: string; key: string } } }> }).env;
    assert.deepEqual(env.JS_KEY.valueFrom.secretKeyRef, { name: "nats-jetstream-key", key: "key" });
  });

  it("2. every route URL of the 3-node cluster is a name the server certificate holds", () => {
    const prod = natsValues(true, "nats-server-tls");
    const hosts = chartRouteHosts(prod, "nats");
    assert.deepEqual(hosts, ["nats-0.nats-headless.nats.svc.cluster.local", "nats-1.nats-headless.nats.svc.cluster.local", "nats-2.nats-headless.nats.svc.cluster.local"]);
    for (const host of hosts) assert.ok(certCovers(natsDnsNames("nats"), host), host);
    // The chart default (short names) is what the certificate does not cover.
    assert.ok(!certCovers(natsDnsNames("nats"), "nats-0.nats-headless"));
  });

  it("3. alerts and panels query the exporter's series (nats_ prefix), never jetstream_*", () => {
    const plan = planFleet(researchFleet({ tier: "small", environment: "dev", targets }));
    const agent = plan.agents[0];
    const exprs = [...agentAlertRules(plan.fleet.name, "ns", agent).map((r) => r.expr), ...agentPanels(plan.fleet.name, "ns", agent).map((p) => p.expr), JSON.stringify(fleetDashboard(plan.fleet.name, "ns", plan.agents))];
    assert.deepEqual(NATS_METRICS, { consumerPending: "nats_consumer_num_pending", streamMessages: "nats_stream_total_messages" });
    for (const e of exprs) assert.doesNotMatch(e, /jetstream_(consumer|stream)_/);
    const rules = agentAlertRules(plan.fleet.name, "ns", agent);
    assert.match(rules.find((r) => r.alert === "AgentQueueBacklog")?.expr ?? "", /^max\(nats_consumer_num_pending\{stream_name="acme-research-[a-z-]+", consumer_name="[a-z-]+"\}\) > \d+$/);
    assert.match(rules.find((r) => r.alert === "AgentDeadLetters")?.expr ?? "", /^max\(nats_stream_total_messages\{stream_name="acme-research-[a-z-]+-dlq"\}\) > \d+$/);
  });

  it("5. backoff starts at the visibility timeout: a held message is never redelivered sooner", () => {
    const plan = planFleet(minimalFleet({}, [minimalAgent({ queue: { visibilityTimeoutSeconds: 300, maxReceiveCount: 4 } })]));
    const agent = plan.agents[0];
    assert.deepEqual(agent.retry.delaysMs, [1000, 2000, 4000], "the seed's backoff");
    assert.deepEqual(consumerBackoffSeconds(agent), [301, 302, 304]);
    const spec = consumerSpec("s", agent);
    assert.equal(spec.ackWait, "301s", "the server would set ack wait to the first backoff value anyway");
    assert.deepEqual(spec.backoff, ["301s", "302s", "304s"]);
    assert.ok((spec.maxDeliver as number) > (spec.backoff as string[]).length, "nats-server requires maxDeliver > len(backoff)");
    const once = planFleet(minimalFleet({}, [minimalAgent({ queue: { visibilityTimeoutSeconds: 30, maxReceiveCount: 1 } })])).agents[0];
    assert.deepEqual([consumerSpec("s", once).ackWait, consumerSpec("s", once).backoff], ["30s", undefined]);
  });

  it("6. the validator policy is Rego v1 with no built-in OPA 1.0 removed, and validates bodies per method", () => {
    const rego = validatorPolicy([{ path: "/orders", schema: { type: "object" } }]);
    for (const name of REMOVED_REGO_BUILTINS) assert.doesNotMatch(rego, new RegExp(`(^|[^A-Za-z0-9_.])${name.replace(".", "\\.")}\\s*\\(`, "m"), name);
    assert.match(rego, /^import rego\.v1$/m);
    // Rego v1: every rule with a body says `if`, multi-value rules say `contains`.
    for (const line of rego.split("\n").filter((l) => /^[a-z_]+.*\{$/.test(l) && !l.startsWith("schemas :=") && !l.startsWith("result := {"))) assert.match(line, /\bif\b/, line);
    assert.match(rego, /^prefixes contains p if \{$/m);
    assert.match(rego, /^body_methods := \["POST","PUT","PATCH"\]$/m);
    assert.match(rego, /^allow if not validated$/m);
    assert.match(rego, /"the request body must be JSON \(content-type: application\/json\)"/);
  });

  it("7. Valkey's probes present the client certificate the server demands; replica mode persists through replica.persistence", () => {
    for (const prod of [false, true]) {
      const v = valkeyValues("acme", prod, ["writer", "reader"]) as Record<string, { customProbe?: { exec: { command: string[] } } }>;
      for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        const cmd = v[probe].customProbe?.exec.command ?? [];
        assert.deepEqual(cmd.slice(cmd.indexOf("--cert"), cmd.indexOf("--cert") + 4), ["--cert", "/tls/tls.crt", "--key", "/tls/tls.key"], probe);
      }
    }
    const prod = valkeyValues("acme", true, ["writer"]);
    assert.equal(prod.dataStorage, undefined, "the chart ignores dataStorage in replica mode");
    assert.deepEqual(prod.replica, { enabled: true, replicas: 2, persistence: { size: "10Gi" } });
    assert.deepEqual(valkeyValues("acme", false, ["writer"]).dataStorage, { enabled: true, requestedSize: "2Gi" });
  });

  it("8. the device plugin schedules on the pools' nodes without feature discovery", async () => {
    const graph = await planFleetOffline(customerServiceFleet({ tier: "medium", environment: "prod", targets }));
    const plugin = ofType(graph, "kubernetes:helm.sh/v3:Release").find((r) => at(r, "name") === "nvidia-device-plugin");
    const terms = at(plugin ?? { inputs: {} }, "values", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms") as Array<{ matchExpressions: Array<{ key: string }> }>;
    assert.deepEqual(terms.map((t) => t.matchExpressions[0].key), DEVICE_PLUGIN_NODE_TERMS.map((t) => t.key));
    assert.ok(terms.some((t) => t.matchExpressions[0].key === GPU_POOL_LABEL), "pool nodes carry the pool label");
    const script = ofType(graph, "kubernetes:core/v1:ConfigMap").map((c) => at(c, "data", "label-nodes.sh")).find((s) => typeof s === "string") as string;
    assert.match(script, new RegExp(`${GPU_PRESENT_LABEL.replace(/\./g, "\\.")}=true`));
  });

  it("9. KEDA reads the headless Service, whose pod names the scaler's leader lookup can resolve", async () => {
    assert.equal(natsMonitoringEndpoint("nats"), "nats-headless.nats.svc.cluster.local:8222");
    const graph = await planFleetOffline(researchFleet({ tier: "small", environment: "dev", targets }));
    const scaled = ofType(graph, "kubernetes:keda.sh/v1alpha1:ScaledObject");
    assert.ok(scaled.length > 0);
    for (const s of scaled) assert.equal(at(s, "spec", "triggers", 0, "metadata", "natsServerMonitoringEndpoint"), "nats-headless.nats.svc.cluster.local:8222");
  });

  it("11. every image the package itself deploys is pinned by digest: a medium and a prod fleet with a schema route pass MA-SEC-005", async () => {
    assert.match(OPA_ENVOY_IMAGE, /^openpolicyagent\/opa:[\w.-]+@sha256:[a-f0-9]{64}$/);
    const schema = { type: "object", required: ["text"], properties: { text: { type: "string" } } };
    for (const [tier, environment] of [
      ["medium", "prod"],
      ["medium", "staging"],
      ["small", "prod"],
    ] as const) {
      const fleet: FleetInput = minimalFleet({ tier, environment }, [minimalAgent({ name: "checked", route: { path: "/checked", auth: "none", schema } })]);
      const graph = await planFleetOffline(fleet);
      const images = kubernetesObjects(graph).flatMap((r) => {
        const pod = (at(r, "spec", "template", "spec") ?? at(r, "spec")) as { containers?: Array<{ image?: string }>; initContainers?: Array<{ image?: string }> } | undefined;
        return [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])].map((c) => c.image ?? "");
      });
      assert.ok(images.includes(OPA_ENVOY_IMAGE), `${tier}/${environment}: the validator runs`);
      for (const image of images) assert.match(image, /@sha256:[a-f0-9]{64}$/, `${tier}/${environment}: ${image}`);
      const findings = pinnedImages.check(factsFromGraph(graph), ruleContext(tier, environment));
      assert.deepEqual(findings.map((f) => f.message), [], `${tier}/${environment}`);
    }
  });
});
