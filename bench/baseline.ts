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
  constructor(type: string, name: string, props: pulumi.Inputs) {
    super(type, name, props);
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

/** Registers every custom resource of the graph through its SDK class; returns how many had none. */
export function replay(resources: ReadonlyArray<CapturedResource>): number {
  let generic = 0;
  for (const r of resources) {
    if (!r.custom) continue;
    const found = sdkClass(r.type);
    if (found) new found.cls(r.name, { ...r.inputs });
    else {
      generic++;
      new GenericResource(r.type, r.name, { ...r.inputs });
    }
  }
  return generic;
}
