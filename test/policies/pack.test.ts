import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import Ajv from "ajv";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { parse as parseYaml } from "yaml";
import { packArgs, packShapeOf, rawResource, settingsConfigSchema } from "../../policies/pack/build";
import { rulesOfKind } from "../../policies/rules";
import { CHECK_DAY } from "./fixtures/kit";

// The proxy Pulumi wraps resource properties in during analysis; it ships no type declarations.
const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy(o: object): Record<string, unknown>; unknownStringValue: unknown };

function resource(type: string, name: string, props: Record<string, unknown>, protect = false): PolicyResource {
  const wrapped = proxy.unknownCheckingProxy(props);
  return {
    type,
    name,
    urn: `urn:pulumi:test::acme::${type}::${name}`,
    props: wrapped,
    opts: { protect, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  };
}

const stackPolicies = (kind: "security" | "cost") => packArgs(kind, { now: () => CHECK_DAY }).policies as StackValidationPolicy[];

describe("Pulumi policy packs", () => {
  it("have the settings policy first, one stack policy per rule of the kind, then the waivers policy", () => {
    for (const kind of ["security", "cost"] as const) {
      const policies = stackPolicies(kind);
      assert.deepEqual(
        policies.map((p) => p.name),
        ["microagents-settings", ...rulesOfKind(kind).map((r) => r.id), "microagents-waivers"],
      );
      for (const r of rulesOfKind(kind)) {
        const p = policies.find((x) => x.name === r.id);
        // `remediate` (which a stack policy cannot do) stands for "the tier and environment's default".
        assert.equal(p?.enforcementLevel, "remediate");
        assert.equal(p?.severity, r.severity);
        assert.equal(p?.remediationSteps, r.remediation);
        assert.equal(typeof p?.validateStack, "function");
      }
    }
  });

  it("read Pulumi's protect option, parents and the explicit provider's region from policy resources", () => {
    const raw = rawResource({ ...resource("kubernetes:postgresql.cnpg.io/v1:Cluster", "pg", { spec: { instances: 1 } }, true), parent: resource("microagents:state:AgentStateStore", "state", {}) });
    assert.equal(raw.protect, true);
    assert.equal(raw.parentUrn, "urn:pulumi:test::acme::microagents:state:AgentStateStore::state");
    assert.deepEqual(raw.inputs, { spec: { instances: 1 } });
    const regional = rawResource({ ...resource("aws:ec2/natGateway:NatGateway", "nat", { subnetId: "subnet-a" }), provider: { type: "pulumi:providers:aws", name: "west", urn: "urn:pulumi:test::acme::pulumi:providers:aws::west", props: proxy.unknownCheckingProxy({ region: "us-west-2", accessKey: proxy.unknownStringValue }) } });
    assert.equal(regional.providerRegion, "us-west-2");
  });

  it("keep preview unknowns out of the inputs and record where they were, with the resources depended on", () => {
    const queue = resource("aws:sqs/queue:Queue", "work", { name: "work", redrivePolicy: proxy.unknownStringValue, tags: { agent: "worker" }, policy: { statements: [{ resources: [proxy.unknownStringValue, "arn:aws:sqs:us-east-1:1:x"] }] } });
    const dlq = resource("aws:sqs/queue:Queue", "work-dlq", { name: "work-dlq" });
    const raw = rawResource({ ...queue, dependencies: [dlq], propertyDependencies: { redrivePolicy: [dlq] } });
    assert.deepEqual(raw.inputs, { name: "work", tags: { agent: "worker" }, policy: { statements: [{ resources: [undefined, "arn:aws:sqs:us-east-1:1:x"] }] } });
    assert.deepEqual(raw.unknowns, ["redrivePolicy", "policy.statements[0].resources[0]"]);
    assert.deepEqual(raw.dependencies, [dlq.urn]);
    assert.equal(rawResource(dlq).unknowns, undefined);
  });

  it("read the whole pack config from Configure as check reads the file: levels the CLI filled in from the advertised default are left to the tier", () => {
    const configured = {
      "microagents-settings": { enforcementLevel: "advisory" as const, properties: { tier: "medium", rules: { "MA-SEC-004": "disabled" } } },
      "MA-SEC-001": { enforcementLevel: "remediate" as const, properties: {} },
      "MA-SEC-002": { enforcementLevel: "advisory" as const, properties: {} },
      "microagents-waivers": { enforcementLevel: "disabled" as const, properties: {} },
    };
    assert.deepEqual(packShapeOf(configured), { "microagents-settings": { tier: "medium", rules: { "MA-SEC-004": "disabled" } }, "MA-SEC-002": "advisory", "microagents-waivers": "disabled" });
  });

  it("accept their example configs: the settings match the settings policy's config schema (as the Pulumi CLI checks it)", () => {
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile({ type: "object", properties: settingsConfigSchema().properties });
    for (const kind of ["security", "cost"]) {
      for (const env of ["dev", "prod"]) {
        const config = JSON.parse(readFileSync(`policies/${kind}/${env}.json`, "utf8")) as Record<string, unknown>;
        assert.ok(validate(config["microagents-settings"]), `${kind}/${env}.json: ${JSON.stringify(validate.errors)}`);
        for (const r of rulesOfKind(kind as "security" | "cost")) assert.ok(["advisory", "mandatory", "disabled"].includes(String(config[r.id])), `${kind}/${env}.json sets ${r.id}`);
      }
    }
    assert.equal(validate({ tier: "huge" }), false);
  });

  it("are Pulumi policy packs on disk: PulumiPolicy.yaml, a versioned package.json, an entry file that builds from the catalog", () => {
    for (const kind of ["security", "cost"]) {
      const project = parseYaml(readFileSync(`policies/${kind}/PulumiPolicy.yaml`, "utf8")) as { runtime: string; description: string };
      assert.equal(project.runtime, "nodejs");
      const pkg = JSON.parse(readFileSync(`policies/${kind}/package.json`, "utf8")) as { version: string; main: string };
      assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
      assert.equal(pkg.main, "index.ts");
      const entry = readFileSync(`policies/${kind}/index.ts`, "utf8");
      assert.match(entry, new RegExp(`new PolicyPack\\(PACK_NAMES\\.${kind}, packArgs\\("${kind}"\\)\\);`));
    }
  });
});
