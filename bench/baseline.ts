import * as pulumi from "@pulumi/pulumi";
import type { CapturedResource } from "../lib/offline/engine";

/**
 * The P1 baseline: a program that registers the raw provider resources of a captured
 * graph directly, as a hand-written stack would: the provider SDK's class for each
 * type token (`aws:sqs/queue:Queue` -> `@pulumi/aws/sqs` `Queue`), with the inputs
 * the components gave it; no components, no plan.
 */

/**
 * A provider SDK resource class: `new Queue(name, args, opts)`. The classes are found
 * by name at run time, so the `as ResourceClass` below records what their generated
 * declarations say and the lookup cannot check.
 */
type ResourceClass = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.Resource;

/** A raw resource by type token, for types no SDK class is found for (counted and reported). */
class GenericResource extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(type, name, props, opts);
  }
}

const KUBERNETES_GROUPS: Readonly<Record<string, string>> = {
  "": "core",
  core: "core",
  apps: "apps",
  batch: "batch",
  policy: "policy",
  "networking.k8s.io": "networking",
  "rbac.authorization.k8s.io": "rbac",
  "coordination.k8s.io": "coordination",
  "scheduling.k8s.io": "scheduling",
  "storage.k8s.io": "storage",
  autoscaling: "autoscaling",
  "admissionregistration.k8s.io": "admissionregistration",
  "apiextensions.k8s.io": "apiextensions",
};

function load(module: string): Record<string, unknown> | undefined {
  try {
    return require(module) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") return undefined;
    throw e;
  }
}

const member = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (typeof o === "object" || typeof o === "function") && o !== null ? (o as Record<string, unknown>)[k] : undefined, v);

/** The SDK class for a type token, or undefined. */
export function sdkClass(type: string): { cls: ResourceClass; customResource?: boolean } | undefined {
  const [pkg, mod, name] = type.split(":");
  if (pkg === "pulumi" && mod === "providers") {
    const provider = member(load(`@pulumi/${name}`), "Provider");
    return typeof provider === "function" ? { cls: provider as ResourceClass } : undefined;
  }
  if (pkg === "kubernetes") {
    const k8s = load("@pulumi/kubernetes");
    if (mod === "helm.sh/v3") return { cls: member(k8s, "helm", "v3", name) as ResourceClass };
    const [group, version] = mod.includes("/") ? mod.split("/") : ["", mod];
    const known = KUBERNETES_GROUPS[group];
    const cls = known ? member(k8s, known, version, name) : undefined;
    if (typeof cls === "function") return { cls: cls as ResourceClass };
    return { cls: member(k8s, "apiextensions", "CustomResource") as ResourceClass, customResource: true };
  }
  const cls = member(load(`@pulumi/${pkg}/${mod.split("/")[0]}`), name);
  return typeof cls === "function" ? { cls: cls as ResourceClass } : undefined;
}

/** Outputs the provider computes (not echoed inputs), long enough to be unambiguous when found in another resource's inputs. */
function computedOutputs(r: CapturedResource): Array<[string, string]> {
  return Object.entries(r.outputs).flatMap(([key, value]) => (typeof value === "string" && value.length >= 12 && r.inputs[key] !== value ? [[key, value] as [string, string]] : []));
}

/** Another resource's output, by its position in the replay order. */
class Ref {
  constructor(
    readonly index: number,
    readonly key: string,
  ) {}
}

/** A string built from literal parts and outputs, as `pulumi.interpolate` builds one. */
class Concat {
  constructor(readonly parts: ReadonlyArray<string | Ref>) {}
}

/** A string split around the computed outputs it embeds, before their producers have a place in the order. */
class Pieces {
  constructor(readonly pieces: ReadonlyArray<string | Mention>) {}
}

/** A computed output found in an input, before its producer has a place in the order. */
class Mention {
  constructor(
    readonly urn: string,
    readonly key: string,
    readonly text: string,
  ) {}
}

interface PreparedResource {
  readonly type: string;
  readonly name: string;
  readonly args: unknown;
  readonly provider?: number;
}

/**
 * Works out, before anything is timed, how a hand-written stack would wire the
 * graph: an input that holds another resource's computed output (an ARN, a URL, an
 * ID) becomes a reference to it, one that embeds such values (a policy document, a
 * dashboard body) becomes an interpolation of them, and resources come dependencies
 * first, each with its explicit provider.
 */
export function prepareReplay(resources: ReadonlyArray<CapturedResource>): ReadonlyArray<PreparedResource> {
  const customs = resources.filter((r) => r.custom);
  const producers = new Map<string, { urn: string; key: string }>();
  for (const r of customs) for (const [key, value] of computedOutputs(r)) if (!producers.has(value)) producers.set(value, { urn: r.urn, key });
  const pattern = producers.size > 0 ? new RegExp(`(${[...producers.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|")})`) : undefined;
  const byUrn = new Map(customs.map((r) => [r.urn, r]));
  const order = new Map<string, number>();
  const prepared: PreparedResource[] = [];
  const visiting = new Set<string>();
  const template = (value: unknown, self: string, deps: Set<string>): unknown => {
    if (typeof value === "string" && pattern) {
      const parts = value.split(pattern);
      if (parts.length === 1) return value;
      const mapped = parts.map((part, i) => {
        const producer = i % 2 === 1 ? producers.get(part) : undefined;
        if (!producer || producer.urn === self) return part;
        deps.add(producer.urn);
        return new Mention(producer.urn, producer.key, part);
      });
      return mapped.length === 3 && mapped[0] === "" && mapped[2] === "" && mapped[1] instanceof Mention ? mapped[1] : new Pieces(mapped);
    }
    if (Array.isArray(value)) return value.map((v) => template(v, self, deps));
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, template(v, self, deps)]));
    return value;
  };
  const visit = (r: CapturedResource): void => {
    if (order.has(r.urn) || visiting.has(r.urn)) return;
    visiting.add(r.urn);
    const deps = new Set<string>(r.providerUrn ? [r.providerUrn] : []);
    const raw = template(r.type.startsWith("pulumi:providers:") ? providerArgs(r.inputs) : r.inputs, r.urn, deps);
    for (const dep of deps) {
      const d = byUrn.get(dep);
      if (d) visit(d);
    }
    const refOf = (m: Mention): Ref | string => {
      const index = order.get(m.urn);
      return index === undefined ? m.text : new Ref(index, m.key);
    };
    const resolve = (v: unknown): unknown => {
      if (v instanceof Mention) return refOf(v);
      if (v instanceof Pieces) return new Concat(v.pieces.map((p) => (p instanceof Mention ? refOf(p) : p)));
      if (Array.isArray(v)) return v.map(resolve);
      if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
      return v;
    };
    const provider = r.providerUrn ? order.get(r.providerUrn) : undefined;
    order.set(r.urn, prepared.length);
    prepared.push({ type: r.type, name: r.name, args: resolve(raw), ...(provider !== undefined ? { provider } : {}) });
  };
  for (const r of customs) visit(r);
  return prepared;
}

/** Registers the prepared resources through their SDK classes; returns how many had none. */
export function replay(prepared: ReadonlyArray<PreparedResource>): number {
  const created: pulumi.CustomResource[] = [];
  const outputOf = (ref: Ref) => (created[ref.index] as unknown as Record<string, pulumi.Output<string>>)[ref.key];
  const inputs = (v: unknown): unknown => {
    if (v instanceof Ref) return outputOf(v);
    if (v instanceof Concat) return pulumi.all(v.parts.map((p) => (p instanceof Ref ? outputOf(p) : p))).apply((parts) => parts.join(""));
    if (Array.isArray(v)) return v.map(inputs);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, inputs(x)]));
    return v;
  };
  let generic = 0;
  for (const r of prepared) {
    const provider = r.provider !== undefined ? created[r.provider] : undefined;
    const opts = provider instanceof pulumi.ProviderResource ? { provider } : {};
    const args = inputs(r.args) as Record<string, unknown>;
    const found = sdkClass(r.type);
    if (found) created.push(new found.cls(r.name, args, opts) as pulumi.CustomResource);
    else {
      generic++;
      created.push(new GenericResource(r.type, r.name, args, opts));
    }
  }
  return generic;
}

/** Provider inputs arrive JSON-encoded (`"false"`, `"{...}"`); the program passed the values. */
function providerArgs(inputs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const decode = (v: unknown): unknown => (typeof v === "string" && /^(true|false|-?\d+(\.\d+)?|\{.*\}|\[.*\])$/s.test(v) ? JSON.parse(v) : v);
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, decode(v)]));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
