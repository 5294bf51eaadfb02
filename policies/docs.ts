import type { Environment, Tier } from "../lib/spec/tiers";
import { ENVIRONMENTS, TIERS } from "../lib/spec/tiers";
import { SETTINGS_POLICY, WAIVERS_POLICY, type Waiver } from "./engine/config";
import { rules, rulesOfKind, type Rule, type RuleKind } from "./rules";

/**
 * Generated files: docs/rules.md from the catalog, and the packs' example configs
 * (policies/<kind>/<env>.json) from the catalog's defaults. `npm run docs:rules`
 * writes them; test/policies/docs.test.ts fails when a file drifts.
 */

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function anchors(r: Rule): string {
  const parts = [...(r.anchors.checkov ?? []).map((a) => `Checkov ${a}`), ...(r.anchors.kubeLinter ?? []).map((a) => `kube-linter ${a}`)];
  return parts.length > 0 ? parts.join(", ") : "none (microagents rule)";
}

function matrix(r: Rule): string {
  const rows = TIERS.map((t) => `| ${t} | ${ENVIRONMENTS.map((e) => r.enforcement[t][e]).join(" | ")} |`);
  return [`| tier | ${ENVIRONMENTS.join(" | ")} |`, `|---|${ENVIRONMENTS.map(() => "---").join("|")}|`, ...rows].join("\n");
}

export function renderRulesMarkdown(): string {
  const out: string[] = [];
  out.push("# microagents policy rules");
  out.push("");
  out.push("<!-- Generated from policies/rules by `npm run docs:rules`; do not edit by hand. -->");
  out.push("");
  out.push(
    "Every rule reads normalized facts (`lib/facts`), never a provider's raw resources, so one rule judges Pulumi stacks on AWS, Azure, GCP and Kubernetes, CloudFormation from CDK, and resources a company stack writes by hand. Enforcement defaults per tier and environment are below; the policy config (`rules`) or the Pulumi pack config overrides them. Tier caps and allow-lists come from `lib/spec/tiers.ts`.",
  );
  out.push("");
  for (const kind of ["security", "cost"] as const) {
    out.push(`## ${kind === "security" ? "Security" : "Cost"} rules`);
    out.push("");
    out.push("| ID | Rule | Severity | dev | staging | prod | Anchors |");
    out.push("|---|---|---|---|---|---|---|");
    for (const r of rulesOfKind(kind)) {
      const byEnv = ENVIRONMENTS.map((e) => {
        const levels = [...new Set(TIERS.map((t) => r.enforcement[t][e]))];
        return levels.length === 1 ? levels[0] : TIERS.map((t) => `${t}: ${r.enforcement[t][e]}`).join(", ");
      });
      out.push(`| [${r.id}](#${r.id.toLowerCase()}) | ${cell(r.title)} | ${r.severity} | ${byEnv.join(" | ")} | ${cell(anchors(r))} |`);
    }
    out.push("");
  }
  for (const r of rules) {
    out.push(`## ${r.id}`);
    out.push("");
    out.push(`**${r.title}** — ${r.kind}, severity ${r.severity}. Reads: ${r.reads.map((k) => `\`${k}\``).join(", ")}. Anchors: ${anchors(r)}.`);
    out.push("");
    out.push(r.description);
    out.push("");
    out.push(`**Remediation.** ${r.remediation}`);
    out.push("");
    out.push("Default enforcement:");
    out.push("");
    out.push(matrix(r));
    out.push("");
  }
  return `${out.join("\n")}`;
}

/** The example configs: the tier and environment of the example stacks (Pulumi.dev.yaml: small dev; Pulumi.prod.yaml: medium prod). */
export const EXAMPLES: ReadonlyArray<{ readonly environment: Environment; readonly tier: Tier }> = [
  { environment: "dev", tier: "small" },
  { environment: "prod", tier: "medium" },
];

const ALLOWED_REGISTRIES = ["ghcr.io/acme/", "public.ecr.aws/aws-observability/"];
const ALLOWED_REGIONS: Readonly<Record<Environment, ReadonlyArray<string>>> = {
  dev: ["us-east-1", "us-west-2"],
  staging: ["us-east-1", "us-west-2"],
  prod: ["us-east-1", "us-west-2", "westeurope", "europe-west4"],
};

/**
 * Known defects of the targets, waived in the examples with a reason and an expiry
 * so the example stacks stay green while the defect is visible in every report.
 */
export const EXAMPLE_WAIVERS: Readonly<Record<RuleKind, ReadonlyArray<Waiver>>> = {
  security: [],
  cost: [],
};

/** A Pulumi policy-pack config (`--policy-pack-config`), also read by `microagents check --policy-config`. */
export function renderExampleConfig(kind: RuleKind, environment: Environment): string {
  const example = EXAMPLES.find((e) => e.environment === environment);
  if (!example) throw new Error(`no example config for ${environment}`);
  const settings: Record<string, unknown> = {
    tier: example.tier,
    environment,
    ...(kind === "security" ? { allowedRegistries: ALLOWED_REGISTRIES } : { allowedRegions: ALLOWED_REGIONS[environment] }),
    ...(environment === "prod" && EXAMPLE_WAIVERS[kind].length > 0 ? { waivers: EXAMPLE_WAIVERS[kind] } : {}),
  };
  const body: Record<string, unknown> = { [SETTINGS_POLICY]: settings, [WAIVERS_POLICY]: "advisory" };
  for (const r of rulesOfKind(kind)) body[r.id] = r.enforcement[example.tier][environment];
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** A plain policy config for `microagents check`: both packs' allow-lists and waivers; levels are the defaults for the stack's tags. */
export function renderCheckConfig(environment: Environment): string {
  const waivers = environment === "prod" ? [...EXAMPLE_WAIVERS.security, ...EXAMPLE_WAIVERS.cost] : [];
  // No tier or environment: the stack's own tags say which defaults apply, whatever stack CI checks.
  const body = {
    allowedRegistries: ALLOWED_REGISTRIES,
    allowedRegions: ALLOWED_REGIONS[environment],
    ...(waivers.length > 0 ? { waivers } : {}),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** Every generated file, by path from the repository root. */
export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = { "docs/rules.md": `${renderRulesMarkdown()}\n` };
  for (const kind of ["security", "cost"] as const) {
    for (const { environment } of EXAMPLES) files[`policies/${kind}/${environment}.json`] = renderExampleConfig(kind, environment);
  }
  for (const { environment } of EXAMPLES) files[`policies/${environment}.json`] = renderCheckConfig(environment);
  return files;
}
