import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { CapturedResource, ResourceGraph } from "../../offline/engine";
import { validateManifest } from "../../validate/kubernetes";
import { parse, sourceFrom, sourceOptions } from "../args";
import type { Command } from "../command";
import { EXIT, UsageError } from "../io";
import { loadSource } from "../source";

/** Marks a directory render wrote, so a later render may replace its contents. */
export const RENDER_MARKER = ".microagents-render";
const AGENT_LABEL = "microagents.io/agent";
const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
const PLATFORM = "microagents:platform:AgentPlatform";

export interface RenderedFile {
  /** Path relative to the output directory. */
  readonly path: string;
  readonly object: Record<string, unknown>;
}

export interface HelmReleaseEntry {
  readonly name: string;
  readonly namespace: string;
  readonly chart: string;
  readonly repo: string;
  readonly version: string;
  readonly values: unknown;
}

export interface Rendering {
  readonly files: ReadonlyArray<RenderedFile>;
  /** helm-releases.yaml per platform folder ("" when the source has one platform). */
  readonly releases: ReadonlyMap<string, ReadonlyArray<HelmReleaseEntry>>;
  /** `type name: problem` for every object that does not validate or has no schema. */
  readonly problems: ReadonlyArray<string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The AgentPlatform a resource was built under, when the graph holds several. */
function platformOf(r: CapturedResource, byUrn: ReadonlyMap<string, CapturedResource>): string | undefined {
  let at: CapturedResource | undefined = r;
  while (at) {
    if (at.type === PLATFORM) return at.name;
    at = at.parentUrn ? byUrn.get(at.parentUrn) : undefined;
  }
  return undefined;
}

const safe = (s: string) => s.toLowerCase().replace(/[^a-z0-9.-]+/g, "-");

/** Kubernetes objects of a graph: what the kubernetes provider would apply, without Helm releases and providers. */
export function kubernetesObjectsOf(graph: ResourceGraph): CapturedResource[] {
  return graph.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== HELM_RELEASE && !r.type.startsWith("pulumi:providers:"));
}

/**
 * Lays out every Kubernetes object of a graph as one file: `<agent>/` for objects
 * labelled `microagents.io/agent`, `shared/` for the rest (under a folder per
 * platform when the program built several), and each platform's Helm releases.
 */
export function renderGraph(graph: ResourceGraph): Rendering {
  const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
  const platforms = new Set(graph.resources.filter((r) => r.type === PLATFORM).map((r) => r.name));
  const multi = platforms.size > 1;
  const folder = (r: CapturedResource) => (multi ? `${safe(platformOf(r, byUrn) ?? "outside-platforms")}/` : "");
  const files: RenderedFile[] = [];
  const problems: string[] = [];
  const taken = new Set<string>();
  for (const r of kubernetesObjectsOf(graph)) {
    const object = r.inputs as Record<string, unknown>;
    for (const p of validateManifest(object)) problems.push(`${r.type} ${r.name}: ${p}`);
    const meta = isRecord(object.metadata) ? object.metadata : {};
    const labels = isRecord(meta.labels) ? meta.labels : {};
    const agent = typeof labels[AGENT_LABEL] === "string" && labels[AGENT_LABEL] !== "shared" ? (labels[AGENT_LABEL] as string) : "shared";
    const base = `${safe(String(object.kind ?? "object"))}-${typeof meta.namespace === "string" ? `${safe(meta.namespace)}-` : ""}${safe(String(meta.name ?? r.name))}`;
    let path = `${folder(r)}${safe(agent)}/${base}.yaml`;
    for (let k = 2; taken.has(path); k++) path = `${folder(r)}${safe(agent)}/${base}-${k}.yaml`;
    taken.add(path);
    files.push({ path, object });
  }
  const releases = new Map<string, HelmReleaseEntry[]>();
  for (const r of graph.resources.filter((x) => x.type === HELM_RELEASE)) {
    const i = r.inputs;
    const opts = isRecord(i.repositoryOpts) ? i.repositoryOpts : {};
    const chart = String(i.chart ?? "");
    const oci = chart.startsWith("oci://");
    const entry: HelmReleaseEntry = {
      name: String(i.name ?? r.name),
      namespace: String(i.namespace ?? "default"),
      chart: oci ? chart.split("/").pop() ?? chart : chart,
      repo: oci ? chart : String(opts.repo ?? ""),
      version: String(i.version ?? ""),
      values: i.values ?? {},
    };
    const key = multi ? safe(platformOf(r, byUrn) ?? "outside-platforms") : "";
    releases.set(key, [...(releases.get(key) ?? []), entry]);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, releases, problems };
}

/** Writes a rendering; the directory must be new, empty, or one render wrote before (its contents are replaced). */
export function writeRendering(out: string, rendering: Rendering): number {
  if (existsSync(out)) {
    const entries = readdirSync(out);
    if (entries.length > 0 && !entries.includes(RENDER_MARKER)) throw new UsageError(`--out ${out} is not empty and was not written by render; give a new or empty directory`);
    for (const e of entries) rmSync(join(out, e), { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, RENDER_MARKER), "Written by `microagents render`; the next render replaces everything here.\n");
  let written = 0;
  for (const f of rendering.files) {
    const path = join(out, f.path);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, stringify(f.object, { lineWidth: 0 }));
    written++;
  }
  for (const [folder, list] of rendering.releases) {
    const dir = join(out, folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "helm-releases.yaml"), stringify({ releases: list }, { lineWidth: 0 }));
  }
  return written;
}

export const renderCommand: Command = {
  name: "render",
  summary: "write every Kubernetes object of a fleet or stack as validated YAML, plus its Helm releases",
  usage: "microagents render (--fleet FILE | --stack FILE) [--config key=value]... --out DIR",
  help: [
    "  --fleet FILE         a fleet file (YAML or JSON): renders AgentFleet over it",
    "  --stack FILE         a Pulumi program (.ts or .js), e.g. stacks/index.ts",
    "  --config key=value   Pulumi config for --stack, repeatable,",
    "                       or for --fleet (microagents:hostname=agents.example.com, microagents:hostedZoneId=...)",
    "  --out DIR            where to write: <agent>/<kind>-<namespace>-<name>.yaml, shared/..., helm-releases.yaml",
    "                       (a folder per platform when the program builds several)",
    "",
    "Every object is validated against its upstream schema first; if any fails or has no",
    "schema, nothing is written and the command exits 2 with one line per problem.",
  ].join("\n"),
  async run(argv, io) {
    const { values } = parse(argv, { ...sourceOptions, out: { type: "string" } });
    if (!values.out) throw new UsageError("give --out DIR");
    const source = sourceFrom(values);
    const { graph } = await loadSource(source, io);
    const rendering = renderGraph(graph);
    if (rendering.files.length === 0) {
      io.err(`microagents render: ${source.path} builds no Kubernetes objects\n`);
      return EXIT.badInput;
    }
    if (rendering.problems.length > 0) {
      for (const p of rendering.problems) io.err(`${p}\n`);
      io.err(`microagents render: ${rendering.problems.length} object problem(s); nothing written\n`);
      return EXIT.badInput;
    }
    const written = writeRendering(values.out, rendering);
    const releases = [...rendering.releases.values()].reduce((n, l) => n + l.length, 0);
    io.out(`wrote ${written} objects and ${releases} Helm releases to ${values.out}\n`);
    return EXIT.ok;
  },
};
