import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import * as certManager from "@kubernetes-models/cert-manager";
import * as keda from "@kubernetes-models/keda";
import * as gatewayApi from "@kubernetes-models/gateway-api";
import * as prometheusOperator from "@kubernetes-models/prometheus-operator";
import * as core from "kubernetes-models";

/**
 * Validates Kubernetes objects against upstream schemas: kubernetes-models for
 * built-in kinds, @kubernetes-models/{keda,gateway-api,prometheus-operator,cert-manager} for
 * those CRDs, and the CRD schemas vendored under
 * lib/targets/kubernetes/catalog/crds (with source and version) for the rest.
 * A kind with no schema at all is itself a problem: nothing is written unchecked.
 */

interface Validatable {
  validate(): void;
}
/** A kubernetes-models class; `never` accepts every model's constructor parameter. */
type ModelClass = (new (data: never) => Validatable) & { apiVersion: string; kind: string };

function isModelClass(v: unknown): v is ModelClass {
  return typeof v === "function" && typeof (v as { apiVersion?: unknown }).apiVersion === "string" && typeof (v as { kind?: unknown }).kind === "string";
}

/** Walks the nested namespace exports of a model package and indexes every model class. */
function collect(ns: unknown, into: Map<string, ModelClass>, depth = 0): void {
  if (depth > 4 || (typeof ns !== "object" && typeof ns !== "function") || ns === null) return;
  for (const value of Object.values(ns)) {
    if (isModelClass(value)) into.set(`${value.apiVersion}/${value.kind}`, value);
    else if (typeof value === "object") collect(value, into, depth + 1);
  }
}

let models: Map<string, ModelClass> | undefined;
function modelIndex(): Map<string, ModelClass> {
  if (!models) {
    models = new Map();
    for (const pkg of [core, keda, gatewayApi, prometheusOperator, certManager]) collect(pkg, models);
  }
  return models;
}

export const CRD_DIR = join(__dirname, "..", "targets", "kubernetes", "catalog", "crds");

interface VendoredCrd {
  readonly apiVersion: string;
  readonly kind: string;
  readonly source: string;
  readonly version: string;
  readonly schema: object;
}

let crds: Map<string, { crd: VendoredCrd; validate: ValidateFunction }> | undefined;
function crdIndex(): Map<string, { crd: VendoredCrd; validate: ValidateFunction }> {
  if (!crds) {
    crds = new Map();
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const file of readdirSync(CRD_DIR).filter((f) => f.endsWith(".json") && f !== "index.json")) {
      const crd = JSON.parse(readFileSync(join(CRD_DIR, file), "utf8")) as VendoredCrd;
      crds.set(`${crd.apiVersion}/${crd.kind}`, { crd, validate: ajv.compile(closeObjects(withObjectMeta(crd.schema))) });
    }
  }
  return crds;
}

/**
 * The API server prunes fields a structural schema does not know (silently: the
 * object is stored without them), so an unknown field is a bug here. Every object
 * node with `properties` is closed, unless it preserves unknown fields or declares
 * its own additionalProperties. This also keeps schema excerpts honest: a field
 * outside the vendored excerpt fails instead of passing unchecked.
 */
export function closeObjects(schema: object): object {
  return close(schema) as object;
}

function close(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(close);
  if (typeof schema !== "object" || schema === null) return schema;
  const node: Record<string, unknown> = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "enum" || k === "required" ? v : close(v)]));
  if (node.properties !== undefined && node.additionalProperties === undefined && node["x-kubernetes-preserve-unknown-fields"] !== true) node.additionalProperties = false;
  return node;
}

/** Every object may carry apiVersion, kind and metadata, whether or not its CRD schema lists them. */
function withObjectMeta(schema: object): object {
  const properties = (schema as { properties?: Record<string, unknown> }).properties ?? {};
  return { ...schema, properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, ...properties } };
}

export type SchemaSource = "kubernetes-models" | "vendored-crd" | "none";

/** Which schema would validate this apiVersion/kind. */
export function schemaFor(apiVersion: string, kind: string): SchemaSource {
  const key = `${apiVersion}/${kind}`;
  if (modelIndex().has(key)) return "kubernetes-models";
  if (crdIndex().has(key)) return "vendored-crd";
  return "none";
}

/** Problems with one object; empty when it validates. */
export function validateManifest(obj: Readonly<Record<string, unknown>>): string[] {
  const apiVersion = obj.apiVersion;
  const kind = obj.kind;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return ["object has no apiVersion/kind"];
  const key = `${apiVersion}/${kind}`;
  const model = modelIndex().get(key);
  if (model) {
    try {
      new model(obj as never).validate();
      return [];
    } catch (e) {
      return [(e as Error).message];
    }
  }
  const crd = crdIndex().get(key);
  if (crd) {
    // A CRD schema describes the whole object; metadata is checked by the API server.
    if (crd.validate(obj)) return [];
    return (crd.validate.errors ?? []).map((err) => `${err.instancePath || "(root)"} ${err.message ?? "is invalid"}`);
  }
  return [`no schema for ${key}: add a model package or vendor its CRD schema under lib/targets/kubernetes/catalog/crds`];
}
