import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020";
import { parse as parseYaml } from "yaml";
import { customerServiceFleet, researchFleet } from "../../agents";
import type { CapturedResource } from "../../lib/offline/engine";
import { at, ofType, planFleetOffline } from "../helpers/offline";

/**
 * Every values key the package sets on a pinned chart exists in that chart's own
 * values.yaml (vendored from its release tag into catalog/values/, see
 * helm-charts.json `vendoredValues`), so a key Helm would silently ignore cannot come
 * back; where the chart ships a values.schema.json, the merged values must pass it.
 */

const CATALOG = join(__dirname, "../../lib/targets/kubernetes/catalog");
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Vendored {
  readonly file: string;
  readonly schema?: string;
  readonly tag: string;
  /** Subcharts' own values (the versions the chart's Chart.yaml pins), which the parent's `<subchart>:` block overrides. */
  readonly subcharts?: Readonly<Record<string, { readonly file: string } | string>>;
}
const charts = JSON.parse(readFileSync(join(CATALOG, "helm-charts.json"), "utf8")) as Record<string, { chart: string; version: string; vendoredValues?: Vendored }>;

/**
 * Subtrees whose keys are not chart values but configuration the chart passes through
 * whole, each with where the chart says so.
 */
const PASS_THROUGH: Record<string, ReadonlyArray<string>> = {
  // values.yaml: "Base collector configuration. Supports templating." (merged into the collector's config
  // file); `ports` is a map of named ports the templates range over (_config.tpl, networkpolicy.yaml).
  "opentelemetry-collector": ["config", "ports"],
  // templates/statefulset.yaml renders both with `toYaml` into the pod and container spec.
  valkey: ["podSecurityContext", "securityContext"],
};

const isMap = (v: Json | undefined): v is { [k: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);

/** Paths (dot-joined) of the keys `ours` sets that `defaults` does not have; an empty or null default map is free-form. */
export function unknownKeys(ours: Json, defaults: Json | undefined, passThrough: ReadonlyArray<string>, path: string[] = []): string[] {
  if (!isMap(ours)) return [];
  if (passThrough.includes(path.join("."))) return [];
  if (defaults === null || (isMap(defaults) && Object.keys(defaults).length === 0)) return [];
  return Object.entries(ours).flatMap(([key, value]) => {
    const here = [...path, key];
    if (!isMap(defaults) || !(key in defaults)) return passThrough.includes(here.join(".")) ? [] : [here.join(".")];
    const d = defaults[key];
    if (isMap(value) && d !== null && !isMap(d) && !passThrough.includes(here.join("."))) return [`${here.join(".")} (a map where the chart has ${Array.isArray(d) ? "a list" : typeof d})`];
    return unknownKeys(value, d, passThrough, here);
  });
}

/** Helm's merge of user values over chart defaults: maps merge, everything else replaces. */
function merge(defaults: Json, ours: Json): Json {
  if (!isMap(defaults) || !isMap(ours)) return ours;
  const out: { [k: string]: Json } = { ...defaults };
  for (const [k, v] of Object.entries(ours)) out[k] = k in defaults ? merge(defaults[k], v) : v;
  return out;
}

function vendored(name: string): { values: Json; schema?: Record<string, unknown>; tag: string } {
  const v = charts[name]?.vendoredValues;
  if (!v) throw new Error(`catalog entry ${name} has no vendoredValues`);
  const own = parseYaml(readFileSync(join(CATALOG, v.file), "utf8")) as Json;
  // A subchart's defaults are its own values.yaml, under its name in the parent's values.
  const subcharts = Object.entries(v.subcharts ?? {}).flatMap(([sub, entry]) => (typeof entry === "string" ? [] : [[sub, parseYaml(readFileSync(join(CATALOG, entry.file), "utf8")) as Json] as const]));
  const values = subcharts.reduce<Json>((acc, [sub, defaults]) => (isMap(acc) ? { ...acc, [sub]: merge(defaults, acc[sub] ?? {}) } : acc), own);
  const schema = v.schema ? (JSON.parse(readFileSync(join(CATALOG, v.schema), "utf8")) as Record<string, unknown>) : undefined;
  return { values, ...(schema ? { schema } : {}), tag: v.tag };
}

function validateSchema(schema: Record<string, unknown>, data: Json): string[] {
  const draft2020 = String(schema.$schema ?? "").includes("2020-12");
  const ajv = draft2020 ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
  const { $schema: _ignored, ...body } = schema;
  const validate = ajv.compile(body);
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
}

describe("Helm values the package sets exist in the pinned charts", () => {
  let releases: CapturedResource[] = [];
  before(async () => {
    const targets = [{ runtime: "kubernetes" as const, region: "local" }];
    // Prod (clustered NATS, replicated Valkey, GPU pools, routes with schemas) and dev (standalone).
    const graphs = [
      await planFleetOffline(customerServiceFleet({ tier: "medium", environment: "prod", targets })),
      await planFleetOffline(researchFleet({ tier: "small", environment: "dev", targets })),
    ];
    releases = graphs.flatMap((g) => ofType(g, "kubernetes:helm.sh/v3:Release"));
  });

  it("every chart the package installs has vendored values, and the fleets exercise each", () => {
    const installed = new Set(releases.map((r) => at(r, "name") as string));
    for (const name of installed) assert.ok(charts[name]?.vendoredValues, `${name}: vendor its values.yaml`);
    for (const name of ["cert-manager", "keda", "nats", "nack", "envoy-gateway", "cloudnative-pg", "kube-prometheus-stack", "nvidia-device-plugin", "dcgm-exporter", "valkey", "opentelemetry-collector"]) {
      assert.ok(installed.has(name), `${name} is installed by one of the fleets`);
    }
  });

  it("no release sets a key its chart does not have", () => {
    const problems = releases.flatMap((r) => {
      const name = at(r, "name") as string;
      const { values, tag } = vendored(name);
      return unknownKeys(at(r, "values") as Json, values, PASS_THROUGH[name] ?? []).map((k) => `${name} (values of ${tag}): ${k}`);
    });
    assert.deepEqual(problems, []);
  });

  it("merged values pass the chart's values.schema.json where it has one", () => {
    const checked = releases.flatMap((r) => {
      const name = at(r, "name") as string;
      const { values, schema } = vendored(name);
      if (!schema) return [];
      return [[name, validateSchema(schema, merge(values, at(r, "values") as Json))] as const];
    });
    assert.ok(checked.length >= 3, "cert-manager, cloudnative-pg, valkey and the collector ship a schema");
    assert.deepEqual(checked.filter(([, errors]) => errors.length > 0), []);
  });

  it("the check catches a key the chart lacks, a misplaced one and a map over a scalar", () => {
    const defaults = { a: { b: 1, c: {} }, d: null, e: [1] } as Json;
    assert.deepEqual(unknownKeys({ a: { b: 2, x: 1 } }, defaults, []), ["a.x"]);
    assert.deepEqual(unknownKeys({ a: { c: { anything: 1 } }, d: { free: true } }, defaults, []), []);
    assert.deepEqual(unknownKeys({ a: { b: { deeper: 1 } } }, defaults, []), ["a.b (a map where the chart has number)"]);
    assert.deepEqual(unknownKeys({ e: { k: 1 } }, defaults, []), ["e (a map where the chart has a list)"]);
    // The key the issue found: NACK has no crds flag in its values; CRDs ship in crds/.
    assert.deepEqual(unknownKeys({ crds: { install: true } }, vendored("nack").values, []), ["crds"]);
    // A subchart's keys are checked against the subchart's own values.
    assert.deepEqual(unknownKeys({ grafana: { resources: {}, resourcez: {} }, "kube-state-metrics": { replicaz: 1 } }, vendored("kube-prometheus-stack").values, []), ["grafana.resourcez", "kube-state-metrics.replicaz"]);
  });
});
