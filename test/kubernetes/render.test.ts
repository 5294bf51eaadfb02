import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { RENDER_MARKER } from "../../lib/cli/commands/render";
import { validateManifest } from "../../lib/validate/kubernetes";
import { binary, cli } from "../helpers/cli";

const fresh = () => join(mkdtempSync(join(tmpdir(), "render-")), "out");

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)).map((p) => `${e.name}/${p}`) : [e.name]));
}

describe("microagents render", () => {
  it("writes one validated YAML file per object, grouped by agent, and helm-releases.yaml (exit 0)", async () => {
    const out = fresh();
    const r = await cli("render", "--fleet", "test/fixtures/acme-support.fleet.yaml", "--out", out);
    assert.equal(r.code, 0, r.stderr);
    const files = walk(out).sort();
    const yamls = files.filter((f) => f.endsWith(".yaml") && f !== "helm-releases.yaml");
    assert.equal(r.stdout, `wrote ${yamls.length} objects and 9 Helm releases to ${out}\n`);
    assert.deepEqual([...new Set(yamls.map((f) => f.split("/")[0]))].sort(), ["document-processor", "shared"]);
    for (const f of yamls) {
      const obj = parseYaml(readFileSync(join(out, f), "utf8")) as Record<string, unknown>;
      assert.deepEqual(validateManifest(obj), [], f);
      const labels = (obj.metadata as { labels?: Record<string, string> }).labels ?? {};
      assert.equal(f.startsWith("document-processor/"), labels["microagents.io/agent"] === "document-processor", f);
    }
    assert.ok(files.includes("document-processor/deployment-acme-support-document-processor.yaml"));
    assert.ok(files.includes("document-processor/securitypolicy-acme-support-document-processor.yaml"));
    assert.ok(files.includes("shared/cluster-acme-support-acme-support-state.yaml"));
    const releases = (parseYaml(readFileSync(join(out, "helm-releases.yaml"), "utf8")) as { releases: Array<{ name: string; chart: string; repo: string; version: string; values: unknown }> }).releases;
    const eg = releases.find((x) => x.name === "envoy-gateway");
    assert.deepEqual([eg?.chart, eg?.repo, eg?.version], ["gateway-helm", "oci://docker.io/envoyproxy/gateway-helm", "v1.9.3"]);
    assert.deepEqual(releases.find((x) => x.name === "keda")?.repo, "https://kedacore.github.io/charts");
    assert.ok(existsSync(join(out, RENDER_MARKER)));

    const again = await cli("render", "--fleet", "test/fixtures/acme-support.fleet.yaml", "--out", out);
    assert.equal(again.code, 0, "a directory render wrote is replaced");
    assert.deepEqual(walk(out).sort(), files);
  });

  it("a folder per platform for programs that build several", async () => {
    const out = fresh();
    const r = await cli("render", "--stack", "stacks/index.ts", "--config", "stack=medium", "--out", out);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(out).filter((e) => e !== RENDER_MARKER).sort(), ["acme-support-kubernetes-us-east-1", "acme-support-kubernetes-us-west-2"]);
    assert.ok(existsSync(join(out, "acme-support-kubernetes-us-west-2", "helm-releases.yaml")));
    assert.ok(existsSync(join(out, "acme-support-kubernetes-us-east-1", "generator", "deployment-acme-support-generator.yaml")));
  });

  it("refuses to write when an object has no schema (exit 2, one line per problem, nothing written)", async () => {
    const out = fresh();
    const r = await cli("render", "--stack", "test/fixtures/programs/unknown-kind.ts", "--out", out);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      "kubernetes:example.com/v1:Mystery mystery: no schema for example.com/v1/Mystery: add a model package or vendor its CRD schema under lib/targets/kubernetes/catalog/crds\nmicroagents render: 1 object problem(s); nothing written\n",
    );
    assert.equal(existsSync(out), false);
  });

  it("exits 2 with the usage line on bad arguments, and will not overwrite a directory it did not write", async () => {
    for (const argv of [["render", "--fleet", "test/fixtures/acme-support.fleet.yaml"], ["render", "--out", fresh()], ["render", "--fleet", "a.yaml", "--stack", "b.ts", "--out", "x"], ["render", "--fleet", "test/fixtures/broken.fleet.yaml", "--out", fresh()]]) {
      const r = await cli(...argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    assert.match((await cli("render", "--fleet", "test/fixtures/acme-support.fleet.yaml")).stderr, /^microagents render: give --out DIR\nusage: microagents render \(--fleet FILE \| --stack FILE\)/);
    const out = fresh();
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "keep.txt"), "mine");
    const r = await cli("render", "--fleet", "test/fixtures/acme-support.fleet.yaml", "--out", out);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not empty and was not written by render/);
    assert.deepEqual(readdirSync(out), ["keep.txt"]);
  });

  it("runs from bin/microagents", () => {
    const out = fresh();
    const r = binary("render", "--fleet", "test/fixtures/acme-support.fleet.yaml", "--out", out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote \d+ objects and 9 Helm releases/);
  });
});
