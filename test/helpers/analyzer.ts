/**
 * Runs a policy pack the way the Pulumi CLI does: `run-policy-pack` from @pulumi/pulumi,
 * the port read from its first line of stdout, then the analyzer gRPC protocol
 * (GetAnalyzerInfo, Configure with the config built as the CLI builds it, AnalyzeStack)
 * with the analyzer protos and client shipped in @pulumi/pulumi.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import type { CapturedResource, ResourceGraph } from "../../lib/offline/engine";
import { mockOutputs } from "../../lib/offline/mocks";

// Struct.fromJavaScript takes JSON values: the properties are JSON data (see plain()).

/** The engine's marker for a value not known yet (sdk/go/common/resource/plugin/rpc.go UnknownStringValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Level = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVEL_OF: Readonly<Record<number, Level>> = { [pb.EnforcementLevel.ADVISORY]: "advisory", [pb.EnforcementLevel.MANDATORY]: "mandatory", [pb.EnforcementLevel.REMEDIATE]: "remediate", [pb.EnforcementLevel.DISABLED]: "disabled" };
const PB_LEVEL: Readonly<Record<Level, pb.EnforcementLevel>> = { advisory: pb.EnforcementLevel.ADVISORY, mandatory: pb.EnforcementLevel.MANDATORY, remediate: pb.EnforcementLevel.REMEDIATE, disabled: pb.EnforcementLevel.DISABLED };

export interface PolicyInfo {
  readonly name: string;
  readonly enforcementLevel: Level;
  readonly type: "stack" | "resource" | "unknown";
  readonly configDefaults: Readonly<Record<string, unknown>>;
}

export interface AnalyzerInfo {
  readonly name: string;
  readonly version: string;
  readonly supportsConfig: boolean;
  readonly policies: ReadonlyArray<PolicyInfo>;
}

export interface Diagnostic {
  readonly policy: string;
  readonly level: Level;
  readonly message: string;
  readonly urn: string;
}

/** One resource as the engine sends it in AnalyzeStack. */
export interface StackResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly parent?: string;
  readonly protect?: boolean;
  readonly provider?: { readonly type: string; readonly name: string; readonly urn: string; readonly properties: Readonly<Record<string, unknown>> };
  readonly dependencies?: ReadonlyArray<string>;
}

export interface RunningPack {
  readonly info: AnalyzerInfo;
  configure(config: ConfigFile | undefined): Promise<void>;
  analyzeStack(resources: ReadonlyArray<StackResource>): Promise<Diagnostic[]>;
  stop(): Promise<void>;
}

/** A `--policy-pack-config` file: `"all"`, levels per policy, objects with `enforcementLevel` and properties. */
export type ConfigFile = Readonly<Record<string, unknown>>;

const call = <Req, Res>(fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> =>
  new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));

/**
 * Starts `node <pulumi>/cmd/run-policy-pack <engine> <packDir>` with the pack folder as
 * working directory, as the CLI's `pulumi-analyzer-policy` does, and connects to the port
 * it prints. `pulumiDir` is the @pulumi/pulumi the pack resolves (its own node_modules when installed).
 */
export async function startPack(packDir: string, options: { readonly pulumiDir: string; readonly env?: NodeJS.ProcessEnv }): Promise<RunningPack> {
  const child = spawn(process.execPath, [join(options.pulumiDir, "cmd", "run-policy-pack"), "127.0.0.1:0", "."], { cwd: packDir, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  const port = await readPort(child);
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const infoRes = await call<Empty, pb.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
  const info: AnalyzerInfo = {
    name: infoRes.getName(),
    version: infoRes.getVersion(),
    supportsConfig: infoRes.getSupportsconfig(),
    policies: infoRes.getPoliciesList().map((p) => ({
      name: p.getName(),
      enforcementLevel: LEVEL_OF[p.getEnforcementlevel()] ?? "advisory",
      type: p.getPolicyType() === pb.PolicyType.POLICY_TYPE_STACK ? "stack" : p.getPolicyType() === pb.PolicyType.POLICY_TYPE_RESOURCE ? "resource" : "unknown",
      configDefaults: defaultsOf(p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}),
    })),
  };
  return {
    info,
    async configure(file) {
      const req = new pb.ConfigureAnalyzerRequest();
      for (const [name, c] of Object.entries(cliConfig(info, file))) {
        const pc = new pb.PolicyConfig();
        pc.setEnforcementlevel(PB_LEVEL[c.enforcementLevel]);
        pc.setProperties(Struct.fromJavaScript(c.properties as Record<string, JavaScriptValue>));
        req.getPolicyconfigMap().set(name, pc);
      }
      await call(client.configure.bind(client), req);
    },
    async analyzeStack(resources) {
      const req = new pb.AnalyzeStackRequest();
      req.setResourcesList(resources.map(toProto));
      const res = await call<pb.AnalyzeStackRequest, pb.AnalyzeResponse>(client.analyzeStack.bind(client), req);
      return res.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), level: LEVEL_OF[d.getEnforcementlevel()] ?? "advisory", message: d.getMessage(), urn: d.getUrn() }));
    },
    async stop() {
      client.close();
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr?.on("data", (b: Buffer) => (err += b.toString()));
    child.stdout?.on("data", (b: Buffer) => {
      out += b.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && /^\d+$/.test(line.trim())) resolve(Number(line.trim()));
      else if (out.includes("\n")) reject(new Error(`run-policy-pack printed '${line}' instead of a port\n${err}`));
    });
    child.once("exit", (code) => reject(new Error(`run-policy-pack exited with ${code} before printing a port\n${out}\n${err}`)));
  });
}

function defaultsOf(schemaProperties: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schemaProperties)) if (typeof v === "object" && v !== null && "default" in v) out[k] = (v as { default: unknown }).default;
  return out;
}

/**
 * The config the CLI sends in Configure (pkg/resource/plugin ReconcilePolicyPackConfig):
 * every policy with its advertised level and schema defaults, then `all`'s level on every
 * policy, then each policy's own entry (a level string, or an object whose
 * `enforcementLevel` sets the level and whose other keys replace the properties).
 */
export function cliConfig(info: AnalyzerInfo, file: ConfigFile | undefined): Record<string, { enforcementLevel: Level; properties: Record<string, unknown> }> {
  const out: Record<string, { enforcementLevel: Level; properties: Record<string, unknown> }> = {};
  for (const p of info.policies) out[p.name] = { enforcementLevel: p.enforcementLevel, properties: { ...p.configDefaults } };
  const levelOf = (v: unknown): Level | undefined => {
    const level = typeof v === "string" ? v : typeof v === "object" && v !== null ? (v as { enforcementLevel?: unknown }).enforcementLevel : undefined;
    return level === "advisory" || level === "mandatory" || level === "remediate" || level === "disabled" ? level : undefined;
  };
  const all = levelOf(file?.all);
  if (all) for (const name of Object.keys(out)) out[name] = { ...out[name], enforcementLevel: all };
  for (const [name, value] of Object.entries(file ?? {})) {
    if (name === "all") continue;
    const current = out[name] ?? { enforcementLevel: "advisory" as Level, properties: {} };
    const { enforcementLevel: _level, ...properties } = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
    out[name] = { enforcementLevel: levelOf(value) ?? current.enforcementLevel, properties: Object.keys(properties).length > 0 ? properties : current.properties };
  }
  return out;
}

function toProto(r: StackResource): pb.AnalyzerResource {
  const res = new pb.AnalyzerResource();
  res.setType(r.type);
  res.setName(r.name);
  res.setUrn(r.urn);
  res.setProperties(Struct.fromJavaScript(r.properties as Record<string, JavaScriptValue>));
  const opts = new pb.AnalyzerResourceOptions();
  opts.setProtect(r.protect ?? false);
  if (r.parent) {
    res.setParent(r.parent);
    opts.setParent(r.parent);
  }
  res.setOptions(opts);
  if (r.provider) {
    const provider = new pb.AnalyzerProviderResource();
    provider.setType(r.provider.type);
    provider.setName(r.provider.name);
    provider.setUrn(r.provider.urn);
    provider.setProperties(Struct.fromJavaScript(r.provider.properties as Record<string, JavaScriptValue>));
    res.setProvider(provider);
  }
  res.setDependenciesList([...(r.dependencies ?? [])]);
  return res;
}

/** JSON-safe copy (Struct carries JSON values only; the offline graph holds plain data). */
const plain = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v ?? {})) as Record<string, unknown>;

/**
 * The resources of an offline run as the engine sends them: inputs as properties, the
 * explicit provider or the default provider configured from the stack's config, parents.
 */
export function stackResources(graph: Pick<ResourceGraph, "resources" | "config" | "stack" | "project">): StackResource[] {
  const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
  return graph.resources
    .filter((r) => !r.type.startsWith("pulumi:providers:"))
    .map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      properties: plain(r.inputs),
      ...(r.parentUrn ? { parent: r.parentUrn } : {}),
      ...(r.protect ? { protect: true } : {}),
      ...(r.custom ? { provider: providerOf(r, byUrn, graph) } : {}),
    }));
}

function providerOf(r: CapturedResource, byUrn: ReadonlyMap<string, CapturedResource>, graph: Pick<ResourceGraph, "config" | "stack" | "project">): NonNullable<StackResource["provider"]> {
  const explicit = r.providerUrn ? byUrn.get(r.providerUrn) : undefined;
  if (explicit) return { type: explicit.type, name: explicit.name, urn: explicit.urn, properties: plain(explicit.inputs) };
  const pkg = r.type.split(":")[0];
  const properties = Object.fromEntries(Object.entries(graph.config).filter(([k]) => k.startsWith(`${pkg}:`)).map(([k, v]) => [k.slice(pkg.length + 1), v]));
  return { type: `pulumi:providers:${pkg}`, name: "default", urn: `urn:pulumi:${graph.stack}::${graph.project}::pulumi:providers:${pkg}::default`, properties };
}

/**
 * The same resources as a first `pulumi preview` sends them: nothing exists yet, so every
 * input that carries another resource's computed output (an ARN, URL or id; a JSON document
 * or interpolated string that embeds one) is unknown, and the resource depends on the other.
 */
export function firstPreview(graph: Pick<ResourceGraph, "resources">, resources: ReadonlyArray<StackResource>): StackResource[] {
  // Outputs the provider computes (not echoed inputs), specific to one resource: an account
  // id or a region every ARN shares names no resource in particular.
  const owners = new Map<string, Set<string>>();
  for (const r of graph.resources) {
    // What the provider computes, from the offline mocks (a graph captured by a later run in the same process may hold no outputs).
    const outputs = Object.keys(r.outputs).length > 0 ? r.outputs : mockOutputs({ type: r.type, name: r.name, inputs: r.inputs }).state;
    for (const [k, v] of Object.entries(outputs)) {
      if (typeof v === "string" && v.length >= 12 && r.inputs[k] !== v) owners.set(v, (owners.get(v) ?? new Set()).add(r.urn));
    }
  }
  const computed = [...owners.entries()].filter(([, urns]) => urns.size === 1).map(([value, urns]) => ({ value, urn: [...urns][0] }));
  return resources.map((r) => {
    const deps = new Set<string>();
    const walk = (v: unknown): unknown => {
      if (typeof v === "string") {
        const from = computed.filter((c) => c.urn !== r.urn && v.includes(c.value));
        for (const c of from) deps.add(c.urn);
        return from.length > 0 ? UNKNOWN : v;
      }
      if (Array.isArray(v)) return v.map(walk);
      if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    const properties = walk(r.properties) as Record<string, unknown>;
    return { ...r, properties, ...(deps.size > 0 ? { dependencies: [...deps] } : {}) };
  });
}
