import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ENVIRONMENTS, TIERS, type Environment, type Tier } from "../../lib/spec/tiers";
import { generatedFiles } from "../../policies/docs";
import { evaluate } from "../../policies/engine/evaluate";
import { rules, type Enforcement } from "../../policies/rules";
import { costFixtures } from "./fixtures/cost";
import { coverageFixtures } from "./fixtures/coverage";
import { securityFixtures } from "./fixtures/security";

const ISSUE_IDS = [
  ...Array.from({ length: 30 }, (_, i) => `MA-SEC-${String(i + 1).padStart(3, "0")}`),
  ...Array.from({ length: 12 }, (_, i) => `MA-COST-${String(i + 1).padStart(3, "0")}`),
];

describe("rule catalog", () => {
  it("keeps every ID of the issue, once, in order", () => {
    assert.deepEqual(
      rules.map((r) => r.id),
      ISSUE_IDS,
    );
  });

  it("has one file per rule under policies/rules, named by its ID", () => {
    const files = readdirSync("policies/rules").filter((f) => /^ma-(sec|cost)-\d{3}-.+\.ts$/.test(f));
    assert.equal(files.length, rules.length);
    for (const r of rules) {
      const prefix = r.id.toLowerCase();
      const mine = files.filter((f) => f.startsWith(`${prefix}-`));
      assert.equal(mine.length, 1, `${r.id}: expected one file policies/rules/${prefix}-*.ts`);
      assert.match(readFileSync(`policies/rules/${mine[0]}`, "utf8"), new RegExp(`id: "${r.id}"`));
    }
  });

  it("documents every rule: title, severity, kind, description, remediation, anchors, facts read, enforcement for every tier and environment", () => {
    for (const r of rules) {
      assert.ok(r.title.length > 5, `${r.id}: title`);
      assert.ok(["low", "medium", "high", "critical"].includes(r.severity), `${r.id}: severity`);
      assert.equal(r.kind, r.id.startsWith("MA-SEC-") ? "security" : "cost", `${r.id}: kind`);
      assert.ok(r.description.length > 60, `${r.id}: description`);
      assert.ok(r.remediation.length > 30, `${r.id}: remediation`);
      assert.ok(r.reads.length > 0, `${r.id}: reads`);
      for (const a of r.anchors.checkov ?? []) assert.match(a, /^CKV2?_(K8S|AWS|AZURE|GCP)_\d+$/, `${r.id}: Checkov ID ${a}`);
      for (const a of r.anchors.kubeLinter ?? []) assert.match(a, /^[a-z]+(-[a-z]+)*$/, `${r.id}: kube-linter check ${a}`);
      for (const t of TIERS) for (const e of ENVIRONMENTS) assert.ok(["advisory", "mandatory", "disabled"].includes(r.enforcement[t][e]), `${r.id}: ${t}/${e}`);
    }
  });

  it("has a compliant and a non-compliant fixture for every rule, and no fixture for a rule that does not exist", () => {
    const all = [...securityFixtures, ...costFixtures, ...coverageFixtures];
    for (const r of rules) {
      assert.ok(all.some((f) => f.rule === r.id && f.expect === "pass"), `${r.id} has no compliant fixture`);
      assert.ok(all.some((f) => f.rule === r.id && f.expect === "fail"), `${r.id} has no non-compliant fixture`);
    }
    for (const f of all) assert.ok(ISSUE_IDS.includes(f.rule), `fixture for unknown rule ${f.rule}`);
  });

  it("is documented in docs/rules.md, which is generated and up to date (npm run docs:rules)", () => {
    const files = generatedFiles();
    for (const r of rules) assert.match(files["docs/rules.md"], new RegExp(`^## ${r.id}$`, "m"), `${r.id} missing from docs/rules.md`);
    for (const [path, text] of Object.entries(files)) {
      assert.ok(existsSync(path), `${path} is missing: run npm run docs:rules`);
      assert.equal(readFileSync(path, "utf8"), text, `${path} drifted from the catalog: run npm run docs:rules`);
    }
  });
});

/** Default enforcement per environment, the same in every tier unless listed in TIER_DIFFERENCES. */
const BY_ENVIRONMENT: ReadonlyArray<readonly [string, Enforcement, Enforcement, Enforcement]> = [
  ["MA-SEC-001", "mandatory", "mandatory", "mandatory"],
  ["MA-SEC-002", "advisory", "mandatory", "mandatory"],
  ["MA-SEC-003", "mandatory", "mandatory", "mandatory"],
  ["MA-SEC-004", "advisory", "advisory", "mandatory"],
  ["MA-SEC-005", "advisory", "mandatory", "mandatory"],
  ["MA-SEC-006", "mandatory", "mandatory", "mandatory"],
  ["MA-SEC-007", "advisory", "advisory", "mandatory"],
  ["MA-SEC-008", "advisory", "mandatory", "mandatory"],
  ["MA-SEC-009", "mandatory", "mandatory", "mandatory"],
  ["MA-SEC-010", "mandatory", "mandatory", "mandatory"],
  ["MA-SEC-011", "advisory", "advisory", "mandatory"],
  ["MA-SEC-012", "advisory", "mandatory", "mandatory"],
  ["MA-SEC-013", "advisory", "mandatory", "mandatory"],
  ["MA-SEC-014", "advisory", "mandatory", "mandatory"],
  ["MA-SEC-015", "advisory", "advisory", "mandatory"],
  ["MA-SEC-016", "advisory", "mandatory", "mandatory"],
  ["MA-SEC-017", "advisory", "mandatory", "mandatory"],
  ["MA-SEC-018", "advisory", "advisory", "mandatory"],
  ["MA-SEC-019", "mandatory", "mandatory", "mandatory"],
  ["MA-SEC-020", "advisory", "mandatory", "mandatory"],
  ["MA-SEC-021", "advisory", "advisory", "mandatory"],
  ["MA-SEC-022", "advisory", "advisory", "mandatory"],
  ["MA-SEC-023", "mandatory", "mandatory", "mandatory"],
  ["MA-SEC-024", "advisory", "mandatory", "mandatory"],
  ["MA-COST-001", "mandatory", "mandatory", "mandatory"],
  ["MA-COST-002", "mandatory", "mandatory", "mandatory"],
  ["MA-COST-003", "mandatory", "mandatory", "mandatory"],
  ["MA-COST-004", "mandatory", "mandatory", "mandatory"],
  ["MA-COST-005", "mandatory", "advisory", "disabled"],
  ["MA-COST-006", "mandatory", "advisory", "advisory"],
  ["MA-COST-007", "mandatory", "mandatory", "mandatory"],
  ["MA-COST-008", "mandatory", "mandatory", "mandatory"],
  ["MA-COST-009", "advisory", "mandatory", "mandatory"],
  ["MA-COST-010", "mandatory", "mandatory", "mandatory"],
  ["MA-COST-011", "advisory", "advisory", "mandatory"],
  ["MA-COST-012", "mandatory", "mandatory", "mandatory"],
];

/** Where a tier departs from the environment's default. */
const TIER_DIFFERENCES: ReadonlyArray<readonly [string, Tier, Environment, Enforcement]> = [
  ["MA-SEC-007", "enterprise", "staging", "mandatory"],
  ["MA-SEC-015", "medium", "staging", "mandatory"],
  ["MA-SEC-015", "enterprise", "staging", "mandatory"],
  ["MA-COST-006", "small", "staging", "mandatory"],
];

function expected(id: string, tier: Tier, env: Environment): Enforcement {
  const diff = TIER_DIFFERENCES.find(([i, t, e]) => i === id && t === tier && e === env);
  if (diff) return diff[3];
  const row = BY_ENVIRONMENT.find(([i]) => i === id);
  if (!row) throw new Error(`no expectation for ${id}`);
  return row[1 + ENVIRONMENTS.indexOf(env)] as Enforcement;
}

describe("default enforcement per tier and environment (data)", () => {
  for (const tier of TIERS) {
    for (const env of ENVIRONMENTS) {
      it(`${tier}/${env}: which rules run, at which level`, () => {
        const result = evaluate([], { tier, environment: env });
        const ran = new Map(result.rules.map((r) => [r.rule.id, r.enforcement]));
        for (const [id] of BY_ENVIRONMENT) {
          const want = expected(id, tier, env);
          if (want === "disabled") assert.equal(ran.has(id), false, `${id} should not run in ${tier}/${env}`);
          else assert.equal(ran.get(id), want, `${id} in ${tier}/${env}`);
        }
        assert.equal(result.tier, tier);
        assert.equal(result.environment, env);
        assert.deepEqual(result.contextSource, { tier: "caller", environment: "caller" });
      });
    }
  }

  it("the policy config overrides a rule's level and beats the caller's tier and environment", () => {
    const result = evaluate([], { tier: "small", environment: "dev", config: { tier: "enterprise", environment: "prod", rules: { "MA-SEC-004": "disabled", "MA-COST-005": { enforcement: "advisory" } } } });
    const ran = new Map(result.rules.map((r) => [r.rule.id, r.enforcement]));
    assert.equal(result.tier, "enterprise");
    assert.equal(result.environment, "prod");
    assert.equal(ran.has("MA-SEC-004"), false);
    assert.equal(ran.get("MA-COST-005"), "advisory");
    assert.equal(ran.get("MA-SEC-002"), "mandatory");
  });

  it("without config or caller, takes tier and environment from the resources' tags, then small and prod", () => {
    const tagged = evaluate([{ kind: "resource", resource: { urn: "u", name: "q", type: "aws:sqs/queue:Queue" }, cloud: "aws", tags: { tier: "medium", environment: "staging" }, taggable: true, known: true }]);
    assert.deepEqual([tagged.tier, tagged.environment, tagged.contextSource.tier], ["medium", "staging", "resource tags"]);
    const bare = evaluate([]);
    assert.deepEqual([bare.tier, bare.environment, bare.contextSource.tier], ["small", "prod", "default"]);
  });
});
