// Runs a TypeScript entry the way @pulumi/pulumi's cmd/run does (cmd/run/run.js): its
// tsutils pick typescript and ts-node (the vendored ts-node@7.0.1 when the project has
// none), compiler options come from tsconfig.json over cmd/run's defaults, and ts-node
// registers; ts-node compiles nothing under node_modules, so the package loads as the
// JavaScript it ships. Then the entry runs. For a Pulumi program, under
// pulumi.runtime.setMocks through the package's runOffline (the engine `microagents plan`
// uses, given the program as a function so it registers no loader of its own).
// Usage: node run-under-pulumi.cjs pulumi|cdk <entry.ts> <out.json>
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const [kind, entry, out] = process.argv.slice(2);

const tsutils = require("@pulumi/pulumi/tsutils");
const semver = require("semver");
const tsConfigPath = process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json";
const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
const transpileOnlyEnv = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
const transpileOnly = transpileOnlyEnv ? transpileOnlyEnv === "true" : compilerOptions.noCheck;
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
const ts = require(typescriptRequire);
const tsVersion = semver.parse(ts.version);
const useNodeNext = tsVersion && tsVersion.compare(new semver.SemVer("4.7.0")) >= 0;
require(tsnodeRequire).register({
  compiler: typescriptRequire,
  transpileOnly,
  project: tsConfigPath,
  skipProject: !fs.existsSync(tsConfigPath),
  compilerOptions: { target: "ES2020", module: useNodeNext ? "nodenext" : "commonjs", moduleResolution: useNodeNext ? "nodenext" : "node", sourceMap: "true", ...compilerOptions },
});

/** Which copies of these packages the process loaded (one each, or the package and the program disagree). */
function loaded() {
  const roots = {};
  for (const file of Object.keys(require.cache)) {
    const m = /^(.*\/node_modules\/(@pulumi\/pulumi|@pulumi\/aws|aws-cdk-lib|constructs|tsx|microagents))\//.exec(fs.realpathSync(file));
    if (m) (roots[m[2]] ??= new Set()).add(m[1]);
  }
  return Object.fromEntries(Object.entries(roots).map(([k, v]) => [k, [...v]]));
}

const program = path.resolve(entry);
if (kind === "cdk") {
  require(program);
  fs.writeFileSync(out, JSON.stringify({ tsnodeRequire, transpileOnly, loaded: loaded() }));
} else {
  const { runOffline } = require("microagents");
  runOffline(() => require(program), { stack: "dev", config: { deployRoleArn: "arn:aws:iam::123456789012:role/deploy", costCenter: "cc-42" } }).then(
    (graph) => {
      const resources = graph.resources.map((r) => ({ type: r.type, name: r.name, custom: r.custom, provider: r.providerUrn, inputs: r.type.startsWith("pulumi:providers:") ? r.inputs : undefined }));
      fs.writeFileSync(out, JSON.stringify({ tsnodeRequire, transpileOnly, loaded: loaded(), exports: graph.exports, resources }));
    },
    (e) => {
      process.stderr.write(`${e && e.stack ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
