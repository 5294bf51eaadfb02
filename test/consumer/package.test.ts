import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

/**
 * The package as a company installs it: `npm pack`, the tarball unpacked into a fresh
 * project's node_modules/microagents (what `npm install <tarball>` writes), next to the
 * dependencies linked from this repository's node_modules (the same versions, and one
 * copy of @pulumi/pulumi shared by the program and the package). The project has
 * Pulumi's template tsconfig.json; its program and CDK app are test/consumer/project.
 */
const ROOT = join(__dirname, "..", "..");
const PROJECT = join(__dirname, "project");

/** The same test as bin/microagents: dist/ is at least as new as every source it is built from. */
function distIsCurrent(): boolean {
  const stamp = join(ROOT, "dist", ".build-stamp");
  if (!existsSync(stamp)) return false;
  const at = statSync(stamp).mtimeMs;
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  return ["lib", "policies", "agents"].every((d) => newest(join(ROOT, d)) <= at);
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const { NODE_OPTIONS: _loader, ...inherited } = process.env;
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...inherited, ...env }, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

interface RunResult {
  readonly tsnodeRequire: string;
  readonly transpileOnly?: boolean;
  readonly loaded: Record<string, string[]>;
  readonly exports?: Record<string, unknown>;
  readonly resources?: ReadonlyArray<{ type: string; name: string; custom: boolean; provider?: string; inputs?: Record<string, unknown> }>;
}

describe("the packed package in a company project", () => {
  let dir: string;
  let files: string[];

  before(() => {
    // CI's `npm install` built dist through `prepare`; a development tree may need it again.
    if (!distIsCurrent()) run(process.execPath, [join(ROOT, "scripts", "build.mjs")], ROOT);
    dir = mkdtempSync(join(tmpdir(), "microagents-consumer-"));
    const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], ROOT);
    const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = info.files.map((f) => f.path);
    for (const f of readdirSync(PROJECT)) copyFileSync(join(PROJECT, f), join(dir, f));
    copyFileSync(join(dir, info.filename), join(dir, "microagents.tgz"));
    const modules = join(dir, "node_modules");
    mkdirSync(join(modules, "microagents"), { recursive: true });
    run("tar", ["-xzf", join(dir, "microagents.tgz"), "-C", join(modules, "microagents"), "--strip-components=1"], dir);
    for (const entry of readdirSync(join(ROOT, "node_modules"))) {
      if (entry.startsWith(".") || entry === "microagents") continue;
      symlinkSync(join(ROOT, "node_modules", entry), join(modules, entry));
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("packs the built code, declarations, data and policy packs, and no sources, tests, benches or fixtures", () => {
    for (const f of ["dist/lib/index.js", "dist/lib/index.d.ts", "dist/lib/prices/prices.json", "dist/lib/targets/aws/authorizer/jwt.mjs", "dist/policies/security/PulumiPolicy.yaml", "dist/policies/security/index.js", "bin/microagents", "package.json", "README.md"]) {
      assert.ok(files.includes(f), `${f} missing from the tarball`);
    }
    const stray = files.filter((f) => /(^|\/)(test|bench|fixtures)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")));
    assert.deepEqual(stray, []);
    const pkg = JSON.parse(readFileSync(join(dir, "node_modules", "microagents", "package.json"), "utf8")) as { policyPacks?: unknown; main: string };
    assert.equal(pkg.main, "dist/lib/index.js");
  });

  it("the installed policy packs resolve their dependencies from the company project (what `pulumi preview --policy-pack node_modules/microagents/dist/policies/<kind>` loads)", () => {
    for (const kind of ["security", "cost"]) {
      const pack = join(dir, "node_modules", "microagents", "dist", "policies", kind);
      const meta = JSON.parse(readFileSync(join(pack, "package.json"), "utf8")) as { main: string };
      assert.equal(meta.main, "index.js");
      assert.match(readFileSync(join(pack, "PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs/m);
      // The entry constructs a PolicyPack (a gRPC server); its arguments come from pack/build.js, which it requires.
      const r = run(process.execPath, ["-e", `const a = require(${JSON.stringify(join(pack, "..", "pack", "build.js"))}).packArgs(${JSON.stringify(kind)}); process.stdout.write(String(a.policies.length))`], dir);
      assert.ok(Number(r.stdout) > 5, `${kind}: ${r.stdout}`);
    }
  });

  it("type-checks the company program and CDK app with Pulumi's template tsconfig (no skipLibCheck, no resolveJsonModule)", () => {
    const tsconfig = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    assert.equal(tsconfig.compilerOptions.skipLibCheck, undefined);
    assert.equal(tsconfig.compilerOptions.resolveJsonModule, undefined);
    assert.equal(tsconfig.compilerOptions.moduleResolution, "node");
    run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", dir, "--noEmit"], dir);
  });

  it("runs the program under Pulumi's ts-node registration with mocks: every AWS resource goes through the caller's provider", () => {
    run(process.execPath, ["run-under-pulumi.cjs", "pulumi", "index.ts", "pulumi.json"], dir, { PULUMI_NODEJS_TYPESCRIPT: "true", PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
    const r = JSON.parse(readFileSync(join(dir, "pulumi.json"), "utf8")) as RunResult;
    assert.match(r.tsnodeRequire, /vendor\/ts-node@7\.0\.1$/, "Pulumi's vendored ts-node");
    assert.deepEqual(r.loaded["@pulumi/pulumi"]?.length, 1, `one @pulumi/pulumi: ${JSON.stringify(r.loaded)}`);
    assert.deepEqual(r.loaded.microagents, [join(dir, "node_modules", "microagents")]);
    assert.equal(r.loaded.tsx, undefined, "the package loads without tsx");
    const resources = r.resources ?? [];
    const providers = resources.filter((x) => x.type === "pulumi:providers:aws");
    assert.deepEqual(providers.map((p) => p.name), ["deploy"], "the package made no AWS provider of its own");
    assert.match(String(providers[0].inputs?.assumeRoles), /arn:aws:iam::123456789012:role\/deploy/);
    const aws = resources.filter((x) => x.custom && x.type.startsWith("aws:"));
    assert.ok(aws.length > 50, `${aws.length} AWS resources`);
    assert.deepEqual(aws.filter((x) => !x.provider?.endsWith("::deploy")).map((x) => `${x.type} ${x.name}`), []);
    assert.equal(r.exports?.agents, 4);
  });

  it("runs the CDK app the same way: the package's constructs synthesize into CDK_OUTDIR", () => {
    const outdir = join(dir, "cdk.out");
    run(process.execPath, ["run-under-pulumi.cjs", "cdk", "cdk-app.ts", "cdk.json"], dir, { PULUMI_NODEJS_TRANSPILE_ONLY: "true", CDK_OUTDIR: outdir });
    const r = JSON.parse(readFileSync(join(dir, "cdk.json"), "utf8")) as RunResult;
    assert.deepEqual(r.loaded["aws-cdk-lib"]?.length, 1);
    assert.equal(r.loaded.tsx, undefined);
    const templates = readdirSync(outdir).filter((f) => f.endsWith(".template.json"));
    assert.ok(templates.some((t) => t.startsWith("acme-email")), templates.join(", "));
    const all = templates.map((t) => JSON.parse(readFileSync(join(outdir, t), "utf8")) as { Resources?: Record<string, { Type: string }> });
    const types = new Set(all.flatMap((t) => Object.values(t.Resources ?? {}).map((x) => x.Type)));
    for (const t of ["AWS::SQS::Queue", "AWS::ECS::Service", "AWS::KMS::Key"]) assert.ok(types.has(t), `${t} synthesized`);
  });
});
