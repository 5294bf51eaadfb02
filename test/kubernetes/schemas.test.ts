import { strict as assert } from "node:assert";
import { readdirSync } from "node:fs";
import { before, describe, it } from "node:test";
import { customerServiceFleet } from "../../agents";
import type { ResourceGraph } from "../../lib/offline/engine";
import { CRD_DIR, schemaFor, validateManifest } from "../../lib/validate/kubernetes";
import { kubernetesObjects, planFleetOffline } from "../helpers/offline";

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
