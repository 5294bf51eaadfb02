import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { runOffline } from "../../lib/offline/engine";
import { UnmockedInvokeError } from "../../lib/offline/invokes";

class Box extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Box", name, {}, opts);
    new k8s.core.v1.ConfigMap(`${name}-cm`, { metadata: { name: "cm", namespace: "x" }, data: { a: "1" } }, { parent: this });
    this.registerOutputs({});
  }
}

describe("the offline engine", () => {
  it("captures type, name, parent and inputs of every resource, in URN order", async () => {
    const graph = await runOffline(() => {
      new Box("box");
    });
    assert.deepEqual(
      graph.resources.map((r) => [r.type, r.name, r.parent ?? null, r.custom]),
      [
        ["test:index:Box", "box", null, false],
        ["kubernetes:core/v1:ConfigMap", "box-cm", "box", true],
      ].sort((a, b) => (graph.resources.findIndex((r) => r.name === a[1]) - graph.resources.findIndex((r) => r.name === b[1]))),
    );
    const cm = graph.resources.find((r) => r.name === "box-cm");
    assert.deepEqual(cm?.inputs, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "x" }, data: { a: "1" } });
    assert.equal(cm?.urn, "urn:pulumi:offline::microagents::test:index:Box$kubernetes:core/v1:ConfigMap::box-cm");
  });

  it("returns realistic computed outputs (Kubernetes ids are namespace/name)", async () => {
    let id: string | undefined;
    await runOffline(() => {
      const cm = new k8s.core.v1.ConfigMap("c", { metadata: { name: "cm", namespace: "ns1" } });
      cm.id.apply((v) => (id = v));
    });
    assert.equal(id, "ns1/cm");
  });

  it("refuses two resources with one URN, as the engine does (the mock monitor would keep the last silently)", async () => {
    await assert.rejects(
      runOffline(() => {
        new k8s.core.v1.ConfigMap("same", { metadata: { name: "a", namespace: "x" } });
        new k8s.core.v1.ConfigMap("same", { metadata: { name: "b", namespace: "x" } });
      }),
      /Duplicate resource URN 'urn:pulumi:offline::microagents::kubernetes:core\/v1:ConfigMap::same'/,
    );
  });

  it("fails on an invoke with no explicit mock, naming its token", async () => {
    await assert.rejects(
      runOffline(async () => {
        await pulumi.runtime.invoke("acme:index:getThing", { a: 1 });
      }),
      (e: unknown) => e instanceof UnmockedInvokeError && e.token === "acme:index:getThing",
    );
  });

  it("reads config defaults from Pulumi.yaml, lets --config override them, and resolves exports", async () => {
    const graph = await runOffline("test/fixtures/programs/default-export.ts", { config: { namespace: "from-cli" } });
    assert.equal(graph.config["microagents:stack"], "small", "default from Pulumi.yaml");
    assert.equal(graph.config["microagents:namespace"], "from-cli");
    assert.deepEqual(graph.exports, { namespace: "from-cli" });
    assert.equal(graph.resources[0].inputs.metadata && (graph.resources[0].inputs.metadata as { name: string }).name, "from-cli");
  });

  it("surfaces a program's own error", async () => {
    await assert.rejects(runOffline("test/fixtures/programs/throws.ts"), /boom in the program/);
  });

  it("runs the same program twice in one process", async () => {
    const a = await runOffline("test/fixtures/programs/default-export.ts", { config: { namespace: "one" } });
    const b = await runOffline("test/fixtures/programs/default-export.ts", { config: { namespace: "two" } });
    assert.deepEqual([a.exports.namespace, b.exports.namespace], ["one", "two"]);
  });
});
