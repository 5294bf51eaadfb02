import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import Ajv from "ajv";
import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { parse as parseYaml } from "yaml";
import { packArgs, rawResource, settingsConfigSchema } from "../../policies/pack/build";
import { rulesOfKind } from "../../policies/rules";
import { CHECK_DAY, DIGEST_IMAGE, LABELS } from "./fixtures/kit";

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

const container = (over: Record<string, unknown>) => ({
  name: "agent",
  image: DIGEST_IMAGE,
  resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "500m", memory: "1Gi" } },
  securityContext: { runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
  livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
  readinessProbe: { httpGet: { path: "/healthz", port: 8080 } },
  ...over,
});

const deploymentProps = (over: Record<string, unknown>) => ({
  metadata: { name: "worker", namespace: "agents", labels: { ...LABELS } },
  spec: { selector: { matchLabels: { app: "worker" } }, template: { metadata: { labels: { app: "worker" } }, spec: { containers: [container(over)] } } },
});

/** Runs the pack's stack policies in order, as the analyzer does, and collects what each reports. */
async function analyse(policies: ReadonlyArray<StackValidationPolicy>, resources: PolicyResource[], settings: Record<string, unknown>): Promise<Map<string, string[]>> {
  const reported = new Map<string, string[]>();
  for (const p of policies) {
    const args: StackValidationArgs = { resources, getConfig: <T extends object>() => (p.name === "microagents-settings" ? settings : {}) as T, stackTags: new Map(), notApplicable: () => { throw new Error("not applicable"); } };
    const report: ReportViolation = (message) => reported.set(p.name, [...(reported.get(p.name) ?? []), message]);
    await p.validateStack?.(args, report);
  }
  return reported;
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
        assert.equal(p?.enforcementLevel, r.enforcement.small.prod);
        assert.equal(p?.severity, r.severity);
        assert.equal(p?.remediationSteps, r.remediation);
        assert.equal(typeof p?.validateStack, "function");
      }
    }
  });

  it("report violations per rule from all resources at once, with the settings' waivers", async () => {
    const resources = [
      resource("kubernetes:apps/v1:Deployment", "worker", deploymentProps({ securityContext: { privileged: true, runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: true, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } } })),
      resource("kubernetes:apps/v1:Deployment", "helper", { ...deploymentProps({ image: proxy.unknownStringValue }), metadata: { name: "helper", namespace: "agents", labels: { ...LABELS } } }),
      resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "deny", { metadata: { name: "default-deny", namespace: "agents" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }),
    ];
    const reported = await analyse(stackPolicies("security"), resources, {
      tier: "small",
      environment: "prod",
      waivers: [
        { rule: "MA-SEC-002", resource: "worker", reason: "privileged GPU debugging container on the canary", expires: "2027-01-31" },
        { rule: "MA-SEC-004", resource: "nothing-*", reason: "left over from last quarter's migration", expires: "2027-01-31" },
      ],
    });
    assert.deepEqual(reported.get("MA-SEC-001"), ["worker: container 'agent' runs privileged"]);
    assert.equal(reported.get("MA-SEC-002"), undefined, "waived");
    // The unknown image (not known during preview) is not a placeholder string: MA-SEC-005 says the container names no image.
    assert.deepEqual(reported.get("MA-SEC-005"), ["helper: container 'agent' names no image"]);
    assert.deepEqual(reported.get("microagents-waivers"), ["unused waiver: MA-SEC-004 on 'nothing-*' (expires 2027-01-31) matched nothing"]);
    assert.equal(reported.get("microagents-settings"), undefined);
  });

  it("report invalid settings as violations of microagents-settings, with their paths", async () => {
    const reported = await analyse(stackPolicies("cost"), [], { tier: "huge", waivers: [{ rule: "MA-COST-001", resource: "x" }] });
    assert.deepEqual(reported.get("microagents-settings"), [
      "invalid policy settings: tier: 'huge' is not allowed (use one of small, medium, enterprise)",
      "invalid policy settings: waivers[0].reason: is required (add it (string))",
      "invalid policy settings: waivers[0].expires: is required (add it (string))",
    ]);
  });

  it("read Pulumi's protect option, parents and the explicit provider's region from policy resources", () => {
    const raw = rawResource({ ...resource("kubernetes:postgresql.cnpg.io/v1:Cluster", "pg", { spec: { instances: 1 } }, true), parent: resource("microagents:state:AgentStateStore", "state", {}) });
    assert.equal(raw.protect, true);
    assert.equal(raw.parentUrn, "urn:pulumi:test::acme::microagents:state:AgentStateStore::state");
    assert.deepEqual(raw.inputs, { spec: { instances: 1 } });
    const regional = rawResource({ ...resource("aws:ec2/natGateway:NatGateway", "nat", { subnetId: "subnet-a" }), provider: { type: "pulumi:providers:aws", name: "west", urn: "urn:pulumi:test::acme::pulumi:providers:aws::west", props: proxy.unknownCheckingProxy({ region: "us-west-2", accessKey: proxy.unknownStringValue }) } });
    assert.equal(regional.providerRegion, "us-west-2");
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
