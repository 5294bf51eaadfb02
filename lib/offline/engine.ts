import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { INPUT_ERROR_EVENT, MicroAgentsConfigError } from "../spec/errors";
import { isInvokeMocked, mockInvoke, UnmockedInvokeError } from "./invokes";
import { mockOutputs } from "./mocks";

/** One resource the program registered, as the engine would have received it. */
export interface CapturedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Logical name of the parent resource, if any. */
  readonly parent?: string;
  readonly parentUrn?: string;
  readonly custom: boolean;
  /** The `protect` resource option: Pulumi refuses to delete the resource. */
  readonly protect?: boolean;
  /** URN of the explicit provider the resource was registered with (`<urn>::<id>` minus the id). */
  readonly providerUrn?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
}

export interface ResourceGraph {
  readonly project: string;
  readonly stack: string;
  readonly config: Readonly<Record<string, string>>;
  /** Resources in a stable order (by URN). */
  readonly resources: ReadonlyArray<CapturedResource>;
  /** Values the program exported, resolved. */
  readonly exports: Readonly<Record<string, unknown>>;
}

export type Program = string | (() => unknown);

export interface OfflineOptions {
  /** Pulumi config; keys without a namespace get the project's. */
  readonly config?: Readonly<Record<string, string>>;
  /** @default the `name` in the nearest Pulumi.yaml, else "microagents" */
  readonly project?: string;
  /** @default "offline" */
  readonly stack?: string;
  /** Called as resources register, for progress display. */
  readonly onResource?: (count: number) => void;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect?(): boolean | undefined;
  getProvider?(): string;
  getObject(): unknown;
}
interface RegisterResponse {
  getUrn(): string;
  getObject(): unknown;
}
type Callback = (err: unknown, response: RegisterResponse | undefined) => void;
interface MonitorLike {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
}

function isMonitorLike(v: unknown): v is MonitorLike {
  return typeof v === "object" && v !== null && typeof (v as { registerResource?: unknown }).registerResource === "function";
}

/** Nearest Pulumi.yaml at or above a directory. */
export function findProjectFile(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, "Pulumi.yaml");
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

interface ProjectFile {
  readonly name: string;
  readonly defaults: Record<string, string>;
}

function readProject(file: string | undefined): ProjectFile | undefined {
  if (!file) return undefined;
  const doc: unknown = parseYaml(readFileSync(file, "utf8"));
  if (typeof doc !== "object" || doc === null) return undefined;
  const d = doc as { name?: unknown; config?: unknown };
  const name = typeof d.name === "string" ? d.name : "microagents";
  const defaults: Record<string, string> = {};
  if (typeof d.config === "object" && d.config !== null) {
    for (const [key, spec] of Object.entries(d.config as Record<string, unknown>)) {
      const value = typeof spec === "object" && spec !== null && "default" in spec ? (spec as { default: unknown }).default : spec;
      if (value !== undefined && typeof value !== "object") {
        defaults[key.includes(":") ? key : `${name}:${key}`] = String(value);
      }
    }
  }
  return { name, defaults };
}

let running = false;

/**
 * Runs a Pulumi program in-process under mocks and captures the resource graph:
 * no cloud account, no Pulumi CLI, no provider plugins. Every invoke must have an
 * explicit mock (lib/offline/invokes.ts); an unmocked invoke fails the run.
 */
export async function runOffline(program: Program, options: OfflineOptions = {}): Promise<ResourceGraph> {
  if (running) throw new Error("runOffline is already running in this process; runs cannot overlap");
  running = true;
  try {
    return await run(program, options);
  } finally {
    running = false;
  }
}

async function run(program: Program, options: OfflineOptions): Promise<ResourceGraph> {
  const programPath = typeof program === "string" ? resolve(program) : undefined;
  if (programPath && !existsSync(programPath)) {
    throw new MicroAgentsConfigError([{ path: program as string, message: "no such file", hint: "check the --stack path" }]);
  }
  const projectFile = readProject(findProjectFile(programPath ? dirname(programPath) : process.cwd()));
  const project = options.project ?? projectFile?.name ?? "microagents";
  const stack = options.stack ?? "offline";
  const config: Record<string, string> = { ...projectFile?.defaults };
  for (const [k, v] of Object.entries(options.config ?? {})) config[k.includes(":") ? k : `${project}:${k}`] = v;

  const captured = new Map<string, CapturedResource>();
  const pending: Array<Promise<void>> = [];
  // What the mock's newResource receives and answers for the request being registered:
  // the runtime's deserialized inputs and the outputs the mock computed, so the capture
  // need not deserialize them again (nor keep the serialized response alive).
  let registering: Slot | undefined;
  // Pulumi formats a stack trace for every promise it makes (kept for leak reports)
  // and for every resource (its source position, the whole stack, source-mapped by
  // tsx): that dominated offline runs, more so the deeper the components. Nothing
  // offline reads them, so during a run stacks are just "Name: message". Five frames
  // are still captured (formatting is lazy): an error of the program itself, read after
  // the run, keeps its file:line:col (lib/cli/program-error.ts).
  const stackTraceLimit = Error.stackTraceLimit;
  const prepareStackTrace = Error.prepareStackTrace;
  if (!process.env.MICROAGENTS_DEBUG && !process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
    Error.stackTraceLimit = 5;
    Error.prepareStackTrace = (error: Error) => `${error.name}: ${error.message}`;
  }
  const failures: unknown[] = [];
  const unmocked: string[] = [];
  const duplicates: string[] = [];
  // A rejection nobody handles (an apply that throws, such as an Input checked when it
  // resolves) fails the run at once: the registration waiting on it never completes, so
  // waiting for the runtime to drain would never end.
  let abandon: ((reason: unknown) => void) | undefined;
  const abandoned = new Promise<never>((_, reject) => (abandon = reject));
  abandoned.catch(() => undefined);
  const onRejection = (reason: unknown) => {
    failures.push(reason);
    abandon?.(reason);
  };
  process.on("unhandledRejection", onRejection);
  process.on(INPUT_ERROR_EVENT, onRejection);
  try {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          const result = mockOutputs({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown>, ...(args.provider ? { provider: args.provider } : {}) });
          if (registering) Object.assign(registering, { inputs: args.inputs as Record<string, unknown>, outputs: result.state });
          return result;
        },
        call: (args) => {
          // The SDK turns a failed invoke into an error without a message, and an
          // Output-form invoke that rejects is never observed: record the token,
          // answer empty, and fail the run with it once the program is done.
          if (!isInvokeMocked(args.token)) {
            unmocked.push(args.token);
            return {};
          }
          return mockInvoke(args.token, args.inputs as Record<string, unknown>);
        },
      },
      project,
      stack,
      false,
    );
    pulumi.runtime.setAllConfig(config);
    const monitor: unknown = pulumi.runtime.getMonitor();
    if (!isMonitorLike(monitor)) throw new Error("the Pulumi mock monitor has no registerResource: incompatible @pulumi/pulumi version");
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      const slot: Slot = {};
      registering = slot; // the mock monitor calls newResource synchronously, before its first await
      try {
        return original(req, (err, response) => {
          if (!err && response) {
            const urn = response.getUrn();
            // The engine refuses a second resource with the same type, name and parent; the run fails once it ends.
            if (captured.has(urn)) duplicates.push(`Duplicate resource URN '${urn}': two resources of type ${req.getType()} are named '${req.getName()}' under the same parent; give each a unique name`);
            const parentUrn = req.getParent() || undefined;
            const inputs = slot.inputs ?? (pulumi.runtime.deserializeProperties(req.getObject() as Parameters<typeof pulumi.runtime.deserializeProperties>[0]) as Record<string, unknown>);
            const protect = req.getProtect?.() === true;
            const providerRef = req.getProvider?.() ?? "";
            const providerUrn = providerRef.includes("::") ? providerRef.slice(0, providerRef.lastIndexOf("::")) : undefined;
            const outputs = slot.outputs ?? (pulumi.runtime.deserializeProperties(response.getObject() as Parameters<typeof pulumi.runtime.deserializeProperties>[0]) as Record<string, unknown>);
            captured.set(urn, { urn, type: req.getType(), name: req.getName(), parentUrn, custom: req.getCustom(), ...(protect ? { protect } : {}), ...(providerUrn ? { providerUrn } : {}), inputs, outputs });
            options.onResource?.(captured.size);
          }
          callback(err, response);
        });
      } finally {
        registering = undefined;
      }
    };

    const run = loadProgram(program, programPath)
      .then(async (exported) => {
        pending.push(pulumi.runtime.disconnect());
        await Promise.all(pending);
        // An export that depends on a failed invoke never resolves: stop before waiting on it.
        if (unmocked.length > 0) throw new UnmockedInvokeError(unmocked[0]);
        return resolveExports(exported);
      })
      .catch(async (e: unknown) => {
        // Let the failed program's in-flight registrations finish against this run's
        // monitor, so they cannot leak into the next run in this process.
        await pulumi.runtime.disconnect().catch(() => undefined);
        throw unmocked.length > 0 ? new UnmockedInvokeError(unmocked[0]) : e;
      });
    // Once the run is abandoned, whatever it still rejects with is already recorded.
    run.catch(() => undefined);
    const exports = await Promise.race([run, abandoned]);
    if (unmocked.length > 0) throw new UnmockedInvokeError(unmocked[0]);
    if (failures.length > 0) throw failures[0];
    if (duplicates.length > 0) throw new Error(duplicates.join("\n"));
    if (pulumi.log.hasErrors()) throw new Error("the program logged errors; see above");
    const resources = [...captured.values()]
      .map((r) => (r.parentUrn ? { ...r, parent: captured.get(r.parentUrn)?.name ?? r.parentUrn.split("::").pop() } : r))
      .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    return { project, stack, config, resources, exports };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    Error.prepareStackTrace = prepareStackTrace;
    // Node reports a rejection the runtime left unobserved on a later tick: keep listening until then.
    await new Promise((done) => setImmediate(done));
    process.off("unhandledRejection", onRejection);
    process.off(INPUT_ERROR_EVENT, onRejection);
  }
}

/** What the mock monitor's newResource saw and answered for one registration. */
interface Slot {
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

async function loadProgram(program: Program, programPath: string | undefined): Promise<unknown> {
  if (typeof program === "function") return await program();
  if (!programPath) throw new Error("unreachable: no program");
  registerTypeScript();
  // A program file runs at import: drop it (and only it) from the cache so it runs again.
  delete require.cache[require.resolve(programPath)];
  const mod: unknown = require(programPath);
  const main = typeof mod === "object" && mod !== null && "default" in mod ? (mod as { default: unknown }).default : undefined;
  return typeof main === "function" ? await (main as () => unknown)() : mod;
}

let tsRegistered = false;
function registerTypeScript(): void {
  if (tsRegistered || process.execArgv.some((a) => a.includes("tsx"))) return;
  (require("tsx/cjs/api") as typeof import("tsx/cjs/api")).register();
  tsRegistered = true;
}

/** Resolves Outputs anywhere inside a value (mocks run with known values, so all resolve). */
async function resolveDeep(v: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(v)) return resolveDeep(await new Promise<unknown>((done) => v.apply((x) => done(x))));
  if (Array.isArray(v)) return Promise.all(v.map(resolveDeep));
  if (typeof v === "object" && v !== null && !pulumi.Resource.isInstance(v)) {
    const entries = await Promise.all(Object.entries(v).map(async ([k, x]) => [k, await resolveDeep(x)] as const));
    return Object.fromEntries(entries);
  }
  return v;
}

async function resolveExports(mod: unknown): Promise<Record<string, unknown>> {
  if (typeof mod !== "object" || mod === null) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mod as Record<string, unknown>)) {
    if (k === "default" || k === "__esModule" || typeof v === "function" || pulumi.Resource.isInstance(v)) continue;
    out[k] = await resolveDeep(v);
  }
  return out;
}
