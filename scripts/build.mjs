// Builds the published package into dist/: CommonJS JavaScript and declarations from
// tsconfig.build.json, then the data files the code reads at run time (JSON catalogs,
// vendored CRDs, the authorizer's source, the policy packs' own files). Run by
// `npm run build` and by `prepare` (npm install, npm pack, npm publish).
//
// Declarations must type-check in a consumer with Pulumi's template tsconfig (no
// skipLibCheck, no esModuleInterop), where zod's own declaration files do not: the
// few declaration files that would import zod get their types written out in full
// (flattenZodTypes below), so the published types never load zod's.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const ts = createRequire(import.meta.url)("typescript");

function fail(message) {
  // A half-built dist must not look current to bin/microagents.
  rmSync(dist, { recursive: true, force: true });
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")) };
const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.build.json"), {}, host);
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const emitted = program.emit();
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
if (diagnostics.length > 0) {
  const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
  fail(ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost));
}

/** Declarations that import zod, rewritten with zod's types spelled out as plain types. */
function flattenZodTypes() {
  const checker = program.getTypeChecker();
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias;
  for (const source of program.getSourceFiles()) {
    if (source.isDeclarationFile || !source.fileName.startsWith(root)) continue;
    const dts = join(dist, relative(root, source.fileName)).replace(/\.ts$/, ".d.ts");
    let text;
    try {
      text = readFileSync(dts, "utf8");
    } catch {
      continue;
    }
    if (!/from "zod"/.test(text)) continue;
    const aliases = new Map(source.statements.filter(ts.isTypeAliasDeclaration).map((s) => [s.name.text, s]));
    const decl = ts.createSourceFile(dts, text, ts.ScriptTarget.Latest, true);
    const out = [];
    let schemaType = false;
    for (const st of decl.statements) {
      const full = st.getFullText(decl);
      const leading = full.slice(0, st.getStart(decl) - st.getFullStart());
      const body = st.getText(decl);
      const exported = body.startsWith("export ") ? "export " : "";
      if (ts.isImportDeclaration(st) && st.moduleSpecifier.text === "zod") continue;
      if (!/\bz\./.test(body)) out.push(full);
      else if (ts.isTypeAliasDeclaration(st)) {
        const alias = aliases.get(st.name.text);
        if (!alias) fail(`${dts}: no source for type ${st.name.text}`);
        out.push(`${leading}${exported}type ${st.name.text} = ${checker.typeToString(checker.getTypeAtLocation(alias.name), alias, flags)};`);
      } else if (ts.isVariableStatement(st)) {
        schemaType = true;
        const names = st.declarationList.declarations.map((d) => d.name.getText(decl));
        out.push(`${leading}${names.map((n) => `${exported}declare const ${n}: ZodSchema;`).join("\n")}`);
      } else if (ts.isFunctionDeclaration(st)) out.push(full.replace(/\bz\.ZodType\b/g, "unknown").replace(/\bz\.ZodError\b/g, "Error"));
      else out.push(full);
    }
    if (schemaType) out.unshift("/** A zod schema: its type is internal to the package. */\ntype ZodSchema = { readonly \"~standard\": unknown };\n");
    const flattened = out.join("");
    if (/\bz\.|from "zod"/.test(flattened)) fail(`${dts}: zod types left after flattening`);
    writeFileSync(dts, flattened.endsWith("\n") ? flattened : `${flattened}\n`);
  }
}
flattenZodTypes();

/** Every file the compiled code reads beside itself: anything under these folders that is not TypeScript. */
function copyAssets(dir) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "fixtures") copyAssets(path);
    } else if (!entry.name.endsWith(".ts")) {
      mkdirSync(join(dist, dir), { recursive: true });
      copyFileSync(join(root, path), join(dist, path));
    }
  }
}
for (const dir of ["lib", "policies", "agents"]) copyAssets(dir);

// The policy packs' package.json name their TypeScript entry for the repository; the built pack runs index.js.
for (const pack of ["security", "cost"]) {
  const file = join(dist, "policies", pack, "package.json");
  const json = JSON.parse(readFileSync(file, "utf8"));
  writeFileSync(file, `${JSON.stringify({ ...json, main: "index.js", description: json.description.replace(/; dependencies resolve from the repository root$/, "") }, null, 2)}\n`);
}

// bin/microagents compares this stamp with the sources to tell a current build from a stale one.
writeFileSync(join(dist, ".build-stamp"), `${new Date().toISOString()}\n`);
process.stdout.write(`built ${relative(root, dist)}/\n`);
