// Both policy packs as the Pulumi CLI runs them: bundled (npm run build:packs), started with
// @pulumi/pulumi's run-policy-pack, driven over the analyzer gRPC protocol; their findings
// must be `microagents check`'s for the same resources and config, and a first preview
// (values other resources compute are unknown) must never be refused.
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { factsFromGraph } from "../../lib/facts";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import { loadPolicyConfig } from "../../policies/engine/config";
import { loadEstimator } from "../../policies/engine/cost";
import { evaluate, type CheckResult } from "../../policies/engine/evaluate";
import { buildPacks } from "../../policies/pack/bundle";
import { unreadLine } from "../../policies/report";
import { rulesOfKind, type RuleKind } from "../../policies/rules";
import { UNKNOWN, firstPreview, stackResources, startPack, type ConfigFile, type Diagnostic, type RunningPack } from "../helpers/analyzer";

const KINDS: ReadonlyArray<RuleKind> = ["security", "cost"];
const dir = mkdtempSync(join(tmpdir(), "microagents-packs-"));
const packs = new Map<RuleKind, RunningPack>();
const graphs = new Map<string, ResourceGraph>();

/** The example stacks, each in the environment its own tags say. */
const STACKS = [
  { stack: "small", environment: "dev" },
  { stack: "medium", environment: "prod" },
  { stack: "enterprise", environment: "prod" },
] as const;

/** More of the example stacks' runtimes, for the first preview: medium and enterprise run on Kubernetes by default. */
const PREVIEW_ONLY = [
  { stack: "small", runtime: "eks" },
  { stack: "medium", runtime: "ecs" },
] as const;

before(async () => {
  await buildPacks(dir);
  // The bundle resolves @pulumi/policy and @pulumi/pulumi from the repository's node_modules here;
  // pack-publish.test.ts installs a pack folder on its own.
  const env = { NODE_PATH: resolve("node_modules") };
  const started = await Promise.all(KINDS.map((kind) => startPack(join(dir, kind), { pulumiDir: resolve("node_modules/@pulumi/pulumi"), env })));
  KINDS.forEach((kind, i) => packs.set(kind, started[i]));
  // The enterprise stack's GKE target takes its project and budget billing account from config.
  const gcp = { "gcp:project": "acme-research-prod", "microagents:billingAccount": "012345-6789AB-CDEF01" };
  for (const { stack, environment } of STACKS) graphs.set(stack, await runOffline("stacks/index.ts", { config: { stack, environment, ...(stack === "enterprise" ? gcp : {}) } }));
  for (const { stack, runtime } of PREVIEW_ONLY) graphs.set(`${stack}-${runtime}`, await runOffline("stacks/index.ts", { config: { stack, environment: "prod", runtime } }));
});

after(async () => {
  await Promise.all([...packs.values()].map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

const pack = (kind: RuleKind): RunningPack => packs.get(kind) ?? assert.fail(`the ${kind} pack did not start`);
const graph = (stack: string): ResourceGraph => graphs.get(stack) ?? assert.fail(`no graph for ${stack}`);

/** `check` on the same resources, reading the same file as `--policy-config`. */
function check(g: ResourceGraph, file: ConfigFile | undefined): CheckResult {
  let config;
  if (file) {
    const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(file));
    config = loadPolicyConfig(path);
  }
  return evaluate(factsFromGraph(g), { ...(config ? { config } : {}), estimateCost: loadEstimator() });
}

const RULE = /^MA-(SEC|COST)-\d{3}$/;
const findings = (ds: ReadonlyArray<Diagnostic>) => ds.filter((d) => RULE.test(d.policy)).map((d) => `${d.policy} ${d.level} ${d.urn} ${d.message}`).sort();
const expected = (r: CheckResult, kind: RuleKind) =>
  r.violations.filter((v) => v.kind === kind).map((v) => `${v.ruleId} ${v.enforcement} ${v.urn} ${v.resource}: ${v.message}`).sort();

async function analyse(kind: RuleKind, file: ConfigFile | undefined, resources: ReturnType<typeof stackResources>): Promise<Diagnostic[]> {
  await pack(kind).configure(file);
  return pack(kind).analyzeStack(resources);
}

/** The shipped example config of a pack, as `--policy-pack-config policies/<kind>/prod.json`. */
const shipped = (kind: RuleKind, env: "dev" | "prod"): ConfigFile => loadJson(`policies/${kind}/${env}.json`);
const loadJson = (path: string): ConfigFile => JSON.parse(readFileSync(path, "utf8")) as ConfigFile;

describe("policy packs over the analyzer protocol", () => {
  it("GetAnalyzerInfo: each pack lists the settings policy, every rule of its kind (default level: the tier and environment's), and the waivers policy", () => {
    for (const kind of KINDS) {
      const info = pack(kind).info;
      assert.equal(info.name, `microagents-${kind}`);
      assert.equal(info.supportsConfig, true);
      assert.deepEqual(info.policies.map((p) => p.name), ["microagents-settings", ...rulesOfKind(kind).map((r) => r.id), "microagents-waivers"]);
      assert.ok(info.policies.every((p) => p.type === "stack"));
      assert.deepEqual(info.policies.filter((p) => RULE.test(p.name)).map((p) => p.enforcementLevel), rulesOfKind(kind).map(() => "remediate"));
      assert.equal(info.policies[0].enforcementLevel, "mandatory");
    }
  });

  for (const { stack, environment } of STACKS) {
    it(`without a config file, agree with check on stacks/index.ts stack=${stack} (tier and environment from the resources' tags)`, async () => {
      const g = graph(stack);
      const result = check(g, undefined);
      assert.deepEqual([result.tier, result.environment, result.contextSource.tier], [stack, environment, "resource tags"]);
      for (const kind of KINDS) {
        const ds = await analyse(kind, undefined, stackResources(g));
        assert.deepEqual(findings(ds), expected(result, kind), `${kind} pack`);
        // Resource types no rule reads: listed (advisory) by the settings policy, as every report lists them.
        const unread = ds.filter((d) => d.policy === "microagents-settings");
        assert.deepEqual(unread.map((d) => [d.level, d.message]), result.unread.length > 0 ? [["advisory", `${unreadLine(result)}; set strict to fail on them`]] : []);
      }
    });
  }

  it("with the shipped prod.json, agree with check reading the same file", async () => {
    const g = graph("medium");
    for (const kind of KINDS) {
      const file = shipped(kind, "prod");
      const result = check(g, file);
      assert.deepEqual(findings(await analyse(kind, file, stackResources(g))), expected(result, kind), kind);
    }
  });

  it("with 'all', levels per rule and `rules` inside microagents-settings, agree with check: settings, allow-lists and waivers all apply", async () => {
    const g = graph("small");
    const file: ConfigFile = {
      all: "advisory",
      "MA-SEC-005": "mandatory",
      "MA-COST-001": { enforcementLevel: "mandatory" },
      "microagents-settings": {
        environment: "prod",
        allowedRegistries: ["registry.example.com/"],
        rules: { "MA-SEC-023": "mandatory", "MA-COST-009": "disabled" },
        waivers: [{ rule: "MA-SEC-005", resource: "acme-email-sentiment", reason: "migrating to the internal registry next sprint", expires: "2999-12-31" }],
      },
    };
    const result = check(g, file);
    for (const kind of KINDS) assert.deepEqual(findings(await analyse(kind, file, stackResources(g))), expected(result, kind), kind);
    const security = findings(await analyse("security", file, stackResources(g)));
    assert.ok(security.some((f) => /^MA-SEC-005 mandatory .* image '.*' comes from a registry not on the allow-list/.test(f)), "the allow-list applies");
    assert.ok(!security.some((f) => f.startsWith("MA-SEC-005") && f.includes("::acme-email-sentiment ")), "the waiver applies");
    assert.ok(!security.some((f) => f.startsWith("MA-SEC-005 advisory")), "MA-SEC-005 is mandatory over all");
    assert.ok(!findings(await analyse("cost", file, stackResources(g))).some((f) => f.startsWith("MA-COST-009")), "`rules` in the settings disables MA-COST-009");
  });

  it("with 'all': 'disabled', keep the settings (microagents-settings is off for Pulumi, not for the rules)", async () => {
    const g = graph("small");
    const file: ConfigFile = { all: "disabled", "MA-SEC-005": "mandatory", "microagents-settings": { allowedRegistries: ["registry.example.com/"], waivers: [{ rule: "MA-SEC-005", resource: "acme-email-sentiment", reason: "migrating to the internal registry next sprint", expires: "2999-12-31" }] } };
    const ds = await analyse("security", file, stackResources(g));
    const result = check(g, file);
    assert.deepEqual(findings(ds), expected(result, "security"));
    assert.ok(findings(ds).length > 0 && findings(ds).every((f) => f.startsWith("MA-SEC-005 mandatory")));
    assert.ok(!findings(ds).some((f) => f.includes("::acme-email-sentiment ")), "the waiver applies");
  });

  it("report invalid settings as a mandatory violation of microagents-settings, with their paths, even when 'all' disables it", async () => {
    for (const file of [{ "microagents-settings": { tier: "huge" } }, { all: "disabled", "MA-SEC-001": "mandatory", "microagents-settings": { tier: "huge" } }]) {
      const ds = await analyse("security", file, stackResources(graph("small")));
      assert.deepEqual(ds.filter((d) => d.policy === "microagents-settings").map((d) => [d.level, d.message]), [["mandatory", "invalid policy settings: tier: 'huge' is not allowed (use one of small, medium, enterprise)"]]);
      assert.deepEqual(findings(ds), [], "no rule runs on settings it cannot read");
    }
  });

  it("strict in the settings makes resource types no rule reads a mandatory violation", async () => {
    const g = graph("small");
    const result = check(g, { "microagents-settings": { strict: true } });
    assert.ok(result.unread.length > 0 && result.strict);
    const ds = await analyse("cost", { "microagents-settings": { strict: true } }, stackResources(g));
    assert.deepEqual(ds.filter((d) => d.policy === "microagents-settings").map((d) => [d.level, d.message]), [["mandatory", unreadLine(result)]]);
  });

  for (const name of [...STACKS.map((s) => s.stack), ...PREVIEW_ONLY.map((s) => `${s.stack}-${s.runtime}`)]) {
    it(`a first preview of stack ${name} (other resources' outputs unknown) has no mandatory violation, and says what it cannot decide yet`, async () => {
      const g = graph(name);
      const preview = firstPreview(g, stackResources(g));
      // Kubernetes objects name each other by literal names: only cloud stacks carry many unknowns in a first preview.
      const cloud = g.resources.some((r) => /^(aws|azure-native|gcp):/.test(r.type));
      if (cloud) assert.ok(preview.some((r) => (r.dependencies?.length ?? 0) > 0), "the variant carries unknowns");
      for (const kind of KINDS) {
        for (const file of name === "small" ? [undefined, shipped(kind, "prod")] : [undefined]) {
          const ds = await analyse(kind, file, preview);
          assert.deepEqual(ds.filter((d) => d.level === "mandatory").map((d) => `${d.policy} ${d.message}`), [], `${kind} pack, ${file ? "prod.json" : "no config"}`);
          const undecided = ds.filter((d) => d.message.includes(": cannot decide during preview: "));
          if (kind === "security" && cloud) assert.ok(undecided.length > 0, "findings that depend on unknown values are advisory");
          assert.ok(undecided.every((d) => d.level === "advisory" && /decided at `pulumi up`, once .+ (is|are) known$/.test(d.message)));
        }
      }
    });
  }

  it("a queue whose redrivePolicy is unknown is not reported as having no dead-letter queue (the issue's example)", async () => {
    const g = graph("medium-ecs");
    const preview = firstPreview(g, stackResources(g));
    const queue = preview.find((r) => r.type === "aws:sqs/queue:Queue" && r.properties.redrivePolicy === UNKNOWN);
    assert.ok(queue, "a queue with an unknown redrive policy");
    const ds = await analyse("security", undefined, preview);
    const mine = ds.filter((d) => d.urn === queue.urn && d.policy === "MA-SEC-023");
    assert.ok(mine.every((d) => d.level === "advisory"));
    // Once known (pulumi up), the same queue passes.
    const known = await analyse("security", undefined, stackResources(g));
    assert.deepEqual(known.filter((d) => d.urn === queue.urn && d.policy === "MA-SEC-023"), []);
  });
});
