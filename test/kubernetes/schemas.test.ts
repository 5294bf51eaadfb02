import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { customerServiceFleet } from "../../agents";
import type { ResourceGraph } from "../../lib/offline/engine";
import { CRD_DIR, schemaFor, validateManifest } from "../../lib/validate/kubernetes";
import { minimalAgent, minimalFleet } from "../helpers/fleets";
import { kubernetesObjects, one, planFleetOffline } from "../helpers/offline";

const targets = [{ runtime: "kubernetes" as const, region: "local" }];

/** The rendered objects of one kind (apiVersion/kind from the captured type token). */
function objectsOf(graph: ResourceGraph, apiVersion: string, kind: string): Array<Record<string, unknown>> {
  return kubernetesObjects(graph)
    .filter((r) => r.type === `kubernetes:${apiVersion}:${kind}`)
    .map((r) => ({ apiVersion, kind, ...(r.inputs as Record<string, unknown>) }));
}

describe("cert-manager objects validate against @kubernetes-models/cert-manager", () => {
  let graph: ResourceGraph;
  before(async () => {
    graph = await planFleetOffline(customerServiceFleet({ tier: "medium", environment: "prod", targets }));
  });

  it("Certificate and ClusterIssuer come from the model package, not from vendored excerpts", () => {
    assert.equal(schemaFor("cert-manager.io/v1", "Certificate"), "kubernetes-models");
    assert.equal(schemaFor("cert-manager.io/v1", "ClusterIssuer"), "kubernetes-models");
    assert.deepEqual(readdirSync(CRD_DIR).filter((f) => f.startsWith("cert-manager.io_")), []);
  });

  it("every rendered Certificate and ClusterIssuer validates", () => {
    const certificates = objectsOf(graph, "cert-manager.io/v1", "Certificate");
    const issuers = objectsOf(graph, "cert-manager.io/v1", "ClusterIssuer");
    assert.ok(certificates.length >= 3, `certificates: ${certificates.length}`);
    assert.equal(issuers.length, 2);
    for (const o of [...certificates, ...issuers]) assert.deepEqual(validateManifest(o), [], JSON.stringify(o.metadata));
  });

  it("the model rejects what cert-manager rejects (an unknown usage, an unknown key algorithm)", () => {
    const base = { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "x" } };
    const spec = { secretName: "x", issuerRef: { name: "ca" } };
    assert.notDeepEqual(validateManifest({ ...base, spec: { ...spec, usages: ["server-auth"] } }), []);
    assert.notDeepEqual(validateManifest({ ...base, spec: { ...spec, privateKey: { algorithm: "ecdsa" } } }), []);
    assert.deepEqual(validateManifest({ ...base, spec: { ...spec, privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" } } }), []);
  });
});

describe("CRD excerpts are upstream subtrees, and every object the target renders fits them", () => {
  const routed = (auth: "jwt" | "apiKey" | "none", extra: Record<string, unknown> = {}) => ({ path: `/${auth}`, auth, ...extra });
  const schema = { type: "object", required: ["text"], properties: { text: { type: "string" } } };
  /** Every gateway option at once (JWT, API key, public, schema validation, https monolith canary), pooled state in prod. */
  const everyOption = minimalFleet(
    {
      tier: "medium",
      gateway: {
        jwt: { issuer: "https://auth.acme.example/", jwksUri: "https://auth.acme.example/jwks.json", audiences: ["agents"] },
        legacyBackend: { url: "https://monolith.acme.example" },
        hostname: "agents.acme.example",
      },
    },
    [
      minimalAgent({ name: "secure", route: routed("jwt", { weight: 25 }) }),
      minimalAgent({ name: "keyed", route: routed("apiKey") }),
      minimalAgent({ name: "open", route: routed("none") }),
      minimalAgent({ name: "checked", route: { path: "/checked", auth: "none", schema } }),
    ],
  );
  let graph: ResourceGraph;
  before(async () => {
    graph = await planFleetOffline(everyOption);
  });

  it("every object of a fleet using every gateway option has a schema and validates", () => {
    const objects = kubernetesObjects(graph).map((r) => r.inputs as Record<string, unknown>);
    const kinds = new Set(objects.map((o) => `${String(o.apiVersion)}/${String(o.kind)}`));
    for (const k of ["gateway.envoyproxy.io/v1alpha1/SecurityPolicy", "gateway.envoyproxy.io/v1alpha1/Backend", "gateway.networking.k8s.io/v1/BackendTLSPolicy", "postgresql.cnpg.io/v1/Pooler"]) assert.ok(kinds.has(k), k);
    for (const o of objects) {
      assert.notEqual(schemaFor(String(o.apiVersion), String(o.kind)), "none", `${String(o.kind)} has a schema`);
      assert.deepEqual(validateManifest(o), [], `${String(o.kind)} ${JSON.stringify(o.metadata)}`);
    }
  });

  it("each excerpt names a commit-pinned upstream source and says it is verbatim", () => {
    const index = JSON.parse(readFileSync(join(CRD_DIR, "index.json"), "utf8")) as { entries: Array<{ file: string | null; status: string; source: string; note?: string }> };
    const excerpts = index.entries.filter((e) => e.status === "vendored-excerpt");
    assert.deepEqual(excerpts.map((e) => e.file).sort(), [
      "gateway.envoyproxy.io_backend.v1alpha1.json",
      "gateway.envoyproxy.io_backendtrafficpolicy.v1alpha1.json",
      "gateway.envoyproxy.io_envoyproxy.v1alpha1.json",
      "gateway.envoyproxy.io_securitypolicy.v1alpha1.json",
      "gateway.networking.k8s.io_backendtlspolicy.v1.json",
      "postgresql.cnpg.io_cluster.v1.json",
      "postgresql.cnpg.io_pooler.v1.json",
    ]);
    for (const e of excerpts) {
      assert.match(e.source, /^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\//, `${String(e.file)} source is pinned to a commit`);
      assert.equal(e.note, `verbatim subtrees from ${e.source}`);
      const file = JSON.parse(readFileSync(join(CRD_DIR, String(e.file)), "utf8")) as { source: string; note: string };
      assert.equal(file.source, e.source);
      assert.ok(!/from memory/i.test(file.note), `${String(e.file)} no longer transcribed from memory`);
    }
  });

  it("rejects what upstream rejects: the fields and values the memory-made excerpts got wrong", () => {
    const backend = { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "Backend", metadata: { name: "m" }, spec: { endpoints: [{ fqdn: { hostname: "monolith.acme.example", port: 443 } }] } };
    assert.deepEqual(validateManifest(backend), []);
    // Backend spec.tls has no `sni` (and its CA settings are for DynamicResolver backends): TLS goes in a BackendTLSPolicy.
    assert.notDeepEqual(validateManifest({ ...backend, spec: { ...backend.spec, tls: { wellKnownCACertificates: "System", sni: "monolith.acme.example" } } }), []);
    const cluster = one(graph, "kubernetes:postgresql.cnpg.io/v1:Cluster", "acme-state-postgres");
    const clusterObject: Record<string, unknown> = { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", ...(cluster.inputs as Record<string, unknown>) };
    const spec = clusterObject.spec as { backup: { barmanObjectStore: Record<string, unknown> } };
    const withData = (data: Record<string, unknown>) => ({ ...clusterObject, spec: { ...spec, backup: { ...spec.backup, barmanObjectStore: { ...spec.backup.barmanObjectStore, data } } } });
    assert.deepEqual(validateManifest(withData({ compression: "gzip", encryption: "AES256" })), []);
    // Base backups support bzip2|gzip|lz4|snappy only; xz and zstd are WAL-only compressions.
    assert.notDeepEqual(validateManifest(withData({ compression: "zstd" })), []);
    const pooler = { apiVersion: "postgresql.cnpg.io/v1", kind: "Pooler", metadata: { name: "p" }, spec: { cluster: { name: "c" }, pgbouncer: { poolMode: "statement" } } };
    assert.notDeepEqual(validateManifest(pooler), [], "PgBouncer statement pooling is not offered by CNPG");
    const tlsPolicy = { apiVersion: "gateway.networking.k8s.io/v1", kind: "BackendTLSPolicy", metadata: { name: "t" }, spec: { targetRefs: [{ group: "gateway.envoyproxy.io", kind: "Backend", name: "m" }], validation: { wellKnownCACertificates: "System" } } };
    assert.notDeepEqual(validateManifest(tlsPolicy), [], "validation.hostname is required");
  });
});
