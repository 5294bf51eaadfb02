// The published layout: `pulumi policy publish` uploads the pack folder alone, so each
// pack folder must run with nothing but its own files and its own dependencies.
// The folder is built, copied alone to an empty directory, installed there offline with
// `npm ci` (from the npm cache, by the integrity its lockfile pins), and run under the
// analyzer protocol with the @pulumi/pulumi it installed.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isBuiltin } from "node:module";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { buildPacks } from "../../policies/pack/bundle";
import { startPack } from "../helpers/analyzer";

const built = mkdtempSync(join(tmpdir(), "microagents-built-"));
const alone = mkdtempSync(join(tmpdir(), "microagents-published-"));

after(() => {
  rmSync(built, { recursive: true, force: true });
  rmSync(alone, { recursive: true, force: true });
});

/** Every module a bundled file loads by name (relative paths would reach out of the folder). */
const requires = (file: string): string[] => [...readFileSync(file, "utf8").matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);

describe("published policy packs", () => {
  it("are self-contained folders: the entry loads only Node built-ins and the folder's own dependencies", async () => {
    await buildPacks(built);
    for (const kind of ["security", "cost"]) {
      const dir = join(built, kind);
      assert.deepEqual(readdirSync(dir).sort(), ["PulumiPolicy.yaml", "dev.json", "index.js", "package-lock.json", "package.json", "prod.json"]);
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { main: string; dependencies: Record<string, string> };
      assert.equal(pkg.main, "index.js");
      assert.deepEqual(Object.keys(pkg.dependencies), ["@pulumi/policy", "@pulumi/pulumi"]);
      for (const name of requires(join(dir, "index.js"))) {
        const ownDependency = Object.keys(pkg.dependencies).some((d) => name === d || name.startsWith(`${d}/`));
        assert.ok(isBuiltin(name) || ownDependency, `${kind}/index.js requires '${name}'`);
      }
    }
  });

  it("install alone (npm ci, offline) and run under the analyzer protocol", async () => {
    const dir = join(alone, "security");
    cpSync(join(built, "security"), dir, { recursive: true });
    execFileSync("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: dir, stdio: "pipe" });
    // No NODE_PATH: the pack resolves only what it installed.
    const pack = await startPack(dir, { pulumiDir: join(dir, "node_modules", "@pulumi", "pulumi"), env: { NODE_PATH: "" } });
    try {
      assert.equal(pack.info.name, "microagents-security");
      await pack.configure(JSON.parse(readFileSync(join(dir, "prod.json"), "utf8")) as Record<string, unknown>);
      const urn = "urn:pulumi:prod::acme::kubernetes:apps/v1:Deployment::worker";
      const ds = await pack.analyzeStack([
        {
          type: "kubernetes:apps/v1:Deployment",
          name: "worker",
          urn,
          properties: { metadata: { name: "worker", namespace: "agents" }, spec: { selector: { matchLabels: { app: "worker" } }, template: { metadata: { labels: { app: "worker" } }, spec: { containers: [{ name: "agent", image: "ghcr.io/acme/agent:1.2.3", securityContext: { privileged: true } }] } } } },
        },
      ]);
      assert.deepEqual(ds.filter((d) => d.policy === "MA-SEC-001").map((d) => [d.level, d.urn, d.message]), [["mandatory", urn, "worker: container 'agent' runs privileged"]]);
    } finally {
      await pack.stop();
    }
  });
});
