import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { isConfigError, parseFleet, type SpecIssue } from "../../lib/spec";
import { parsePolicyConfig } from "../../policies/engine/config";
import { minimalAgent, minimalFleet } from "../helpers/fleets";

/**
 * An absent field reads "is required" with what it takes, whatever zod's issue code
 * (an enum, a literal, a discriminated union's key, a union of types, a plain type),
 * and a present value is rendered as what it is: never 'undefined' or '[object Object]'
 * (lib/spec/zod-issues.ts, one check for all).
 */

function issuesOf(input: unknown): SpecIssue[] {
  try {
    parseFleet(input as never);
  } catch (e) {
    if (isConfigError(e)) return [...e.issues];
    throw e;
  }
  assert.fail("the fleet was accepted");
}
const line = (i: SpecIssue) => `${i.path}: ${i.message} (${i.hint ?? ""})`;
/** The fleet with one field taken out or replaced, by path. */
function edited(path: ReadonlyArray<string | number>, value?: unknown): unknown {
  const f = JSON.parse(JSON.stringify(minimalFleet())) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = f;
  for (const k of path.slice(0, -1)) {
    at[k] ??= typeof path[path.indexOf(k) + 1] === "number" ? [] : {};
    at = at[k] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete at[last];
  else at[last] = value;
  return f;
}

describe("absent fields and odd values in error messages", () => {
  it("spec.environment omitted: required, with the allowed values", () => {
    assert.deepEqual(issuesOf(edited(["spec", "environment"])).map(line), ["spec.environment: is required (add it: one of dev, staging, prod)"]);
  });

  it("every kind of absent field: an enum, a literal, a discriminated union's key, a union of types, a plain type", () => {
    const cases: Array<[ReadonlyArray<string | number>, unknown, string]> = [
      [["spec", "tier"], undefined, "spec.tier: is required (add it: one of small, medium, enterprise)"],
      [["spec", "targets", 0, "runtime"], undefined, "spec.targets[0].runtime: is required (add it: one of ecs, eks, aca, aks, run, gke, kubernetes)"],
      [["kind"], undefined, "kind: is required (add it: 'Fleet')"],
      [["spec", "agents", 0, "scaling"], { min: 1, max: 2 }, "spec.agents[0].scaling.mode: is required (add it: one of horizontal, vertical, fixed)"],
      [["spec", "agents", 0, "resources"], { memory: "1Gi" }, "spec.agents[0].resources.cpu: is required (add it: number or string)"],
      [["spec", "agents", 0, "image"], undefined, "spec.agents[0].image: is required (add it (string))"],
    ];
    for (const [path, value, expected] of cases) assert.deepEqual(issuesOf(edited(path, value)).map(line), [expected], path.join("."));
  });

  it("a present value of the wrong kind is named as what it is", () => {
    assert.deepEqual(issuesOf(edited(["spec", "environment"], 5)).map(line), ["spec.environment: number 5 is not allowed (use one of dev, staging, prod)"]);
    assert.deepEqual(issuesOf(edited(["spec", "environment"], { name: "prod" })).map(line), ["spec.environment: an object is not allowed (use one of dev, staging, prod)"]);
    assert.deepEqual(issuesOf(edited(["spec", "environment"], "prd")).map(line), ["spec.environment: 'prd' is not allowed (use one of dev, staging, prod; did you mean 'prod'?)"]);
    assert.deepEqual(issuesOf(minimalFleet({}, [minimalAgent({ scaling: { mode: 3 } as never })])).map(line), ["spec.agents[0].scaling.mode: unknown mode number 3 (use one of horizontal, vertical, fixed)"]);
  });

  it("a union member's problem keeps the union's path (a pipeline step that is an empty object)", () => {
    const issues = issuesOf(minimalFleet({ pipelines: [{ name: "flow", steps: [{} as never] }] }));
    assert.deepEqual(issues.map((i) => i.path), ["spec.pipelines[0].steps[0].parallel"]);
  });

  it("no message or hint renders undefined or an object", () => {
    const all = [edited(["spec", "environment"]), edited(["spec", "gpuPools"], [{ name: "pool" }]), edited(["spec", "agents", 0, "model"], {}), edited(["spec", "environment"], { a: 1 })].flatMap(issuesOf);
    assert.equal(all.length, 4);
    for (const i of all) assert.doesNotMatch(`${i.message} ${i.hint ?? ""}`, /undefined|\[object Object\]/, line(i));
  });

  it("the policy settings read through the same messages", () => {
    assert.throws(() => parsePolicyConfig({ tier: 5 }), (e: unknown) => isConfigError(e) && e.issues.some((i) => i.message === "number 5 is not allowed"));
  });
});
