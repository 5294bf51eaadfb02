/**
 * `npm run build:packs`: writes the two policy packs as self-contained folders,
 * `dist/policy-packs/security` and `dist/policy-packs/cost` (or `--out DIR`), the
 * layout `pulumi policy publish` uploads and `pulumi preview --policy-pack` runs:
 *
 * - `index.js`: the pack's entry with the catalog, facts, engine and price data bundled
 *   in (esbuild); only `@pulumi/policy` and `@pulumi/pulumi` stay outside, as the
 *   dependencies of the folder's own `package.json`, so nothing reaches past the folder;
 * - `package.json`, and a `package-lock.json` pinning exactly the versions the repository
 *   installs and tests (cut from the repository's lockfile), so `npm ci` in the folder, by
 *   Pulumi Cloud or offline from the npm cache, installs what was tested;
 * - `PulumiPolicy.yaml`, and the example configs `dev.json` and `prod.json`.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RuleKind } from "../rules";

const root = resolve(__dirname, "..", "..");
export const PACK_KINDS: ReadonlyArray<RuleKind> = ["security", "cost"];
/** What the bundle leaves to the folder's dependencies: the Pulumi CLI talks to their gRPC server. */
const RUNTIME_DEPENDENCIES = ["@pulumi/policy", "@pulumi/pulumi"] as const;

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly dependencies: Readonly<Record<string, string>>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T; // our own package files

interface LockEntry {
  readonly version?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
  readonly dev?: boolean;
  readonly devOptional?: boolean;
  readonly [key: string]: unknown;
}
interface Lockfile {
  readonly lockfileVersion: number;
  readonly packages: Readonly<Record<string, LockEntry>>;
}

/** Where Node resolves `name` from the package at `from` (`node_modules/a/node_modules/b`), in the lockfile's layout. */
function resolveIn(packages: Lockfile["packages"], from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut >= 0 ? base.slice(0, cut) : "";
  }
}

/** The repository lockfile cut down to the closure of the pack's dependencies (same paths, versions, integrity). */
export function lockfileFor(pkg: { readonly name: string; readonly version: string; readonly dependencies: Readonly<Record<string, string>> }): object {
  const lock = readJson<Lockfile>(join(root, "package-lock.json"));
  const keep = new Map<string, LockEntry>();
  const visit = (from: string, name: string, optional: boolean) => {
    const at = resolveIn(lock.packages, from, name);
    if (!at) {
      if (optional) return;
      throw new Error(`package-lock.json has no '${name}' for ${from || pkg.name}: run npm install`);
    }
    if (keep.has(at)) return;
    const { dev: _dev, devOptional: _devOptional, ...entry } = lock.packages[at];
    keep.set(at, entry);
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(at, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(at, dep, true);
    for (const [dep, meta] of Object.entries(entry.peerDependencies ?? {})) if (meta) visit(at, dep, entry.peerDependenciesMeta?.[dep]?.optional === true);
  };
  for (const dep of Object.keys(pkg.dependencies)) visit("", dep, false);
  const packages = Object.fromEntries([...keep.entries()].sort(([a], [b]) => a.localeCompare(b)));
  return { name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages: { "": { name: pkg.name, version: pkg.version, license: "Apache-2.0", dependencies: pkg.dependencies }, ...packages } };
}

/** Writes one pack folder under `outDir` and returns its path. */
export async function buildPack(kind: RuleKind, outDir: string): Promise<string> {
  // esbuild comes with tsx; loaded here only, so nothing else pays for it.
  const { build } = await import("esbuild");
  const dir = join(outDir, kind);
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [join(root, "policies", kind, "index.ts")],
    outfile: join(dir, "index.js"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: RUNTIME_DEPENDENCIES.flatMap((d) => [d, `${d}/*`]),
    logLevel: "error",
    legalComments: "none",
  });
  const repo = readJson<PackageJson>(join(root, "package.json"));
  const source = readJson<PackageJson>(join(root, "policies", kind, "package.json"));
  const pkg = {
    name: source.name,
    version: repo.version,
    description: (source.description ?? "").replace(/; dependencies resolve from the repository root$/, ""),
    license: "Apache-2.0",
    main: "index.js",
    dependencies: Object.fromEntries(RUNTIME_DEPENDENCIES.map((d) => [d, repo.dependencies[d]])),
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(join(dir, "package-lock.json"), `${JSON.stringify(lockfileFor(pkg), null, 2)}\n`);
  for (const file of ["PulumiPolicy.yaml", "dev.json", "prod.json"]) copyFileSync(join(root, "policies", kind, file), join(dir, file));
  return dir;
}

/** Both packs under `outDir`. */
export async function buildPacks(outDir: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const kind of PACK_KINDS) dirs.push(await buildPack(kind, outDir));
  return dirs;
}

if (require.main === module) {
  const at = process.argv.indexOf("--out");
  const out = resolve(at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : join(root, "dist", "policy-packs"));
  buildPacks(out).then(
    (dirs) => process.stdout.write(dirs.map((d) => `wrote ${d}\n`).join("")),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
