import type { Environment, Tier } from "../lib/spec/tiers";
import { ENVIRONMENTS, TIERS } from "../lib/spec/tiers";
import { SETTINGS_POLICY, WAIVERS_POLICY, type Waiver } from "./engine/config";
import { typesByFactKind } from "../lib/facts/reads";
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

/** The Pulumi resource types whose facts a rule reads (CloudFormation types are read as these). */
function resourceTypes(r: Rule, byKind: Readonly<Record<string, ReadonlyArray<string>>>): string {
  const parts: string[] = [];
  if (r.reads.includes("resource")) parts.push("every resource of AWS, Azure, Google Cloud and Kubernetes (its tags and region)");
  const types = [...new Set(r.reads.filter((k) => k !== "resource").flatMap((k) => byKind[k] ?? []))].sort();
  if (types.length > 0) parts.push(types.map((t) => `\`${t}\``).join(", "));
  return parts.join("; ") || "none";
}

const PACKS_AND_CHECK = [
  "## How the packs and `microagents check` apply",
  "",
  "The Pulumi packs (`npm run build:packs`: `dist/policy-packs/security`, `dist/policy-packs/cost`) and `microagents check` share the engine, the defaults and the config reading, so they report the same findings for the same resources and config.",
  "",
  "- **Config.** `--policy-pack-config` (packs) and `--policy-config` (check) take the same file. `\"all\"` sets every rule's level first, then a rule's own entry (`\"MA-SEC-004\": \"advisory\"`), then `rules` inside `microagents-settings`. `\"all\"` also reaches the `microagents-settings` policy for Pulumi, but its settings (tier, environment, allow-lists, budget, waivers, strict) apply to every rule even under `\"all\": \"disabled\"`.",
  "- **No config file.** Rule policies advertise the level `remediate`, read as \"the rule's default\": tier and environment come from the resources' `tier` and `environment` tags (else small and prod), and each rule runs at its default below, exactly as `check` without `--policy-config`.",
  "- **Preview.** Values other resources compute (ARNs, URLs, key ids) are unknown in a first `pulumi preview`. An unknown never makes a violation: a finding that may depend on one (on the resource, or on a resource that refers to it) is advisory \"cannot decide during preview\" and the rule decides at `pulumi up`, when the values are known.",
  "- **Unread types.** Resources of a type no adapter reads are listed in every report (and by the packs' `microagents-settings`); `--strict` or `\"strict\": true` makes them a failure.",
  "- **Every resource.** Rules about exposure, secrets, images and encryption judge every resource of the types they read, tagged with an agent or not; tags only attribute a finding to an agent.",
];

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
  out.push(...PACKS_AND_CHECK);
  out.push("");
  const byKind = typesByFactKind();
  for (const r of rules) {
    out.push(`## ${r.id}`);
    out.push("");
    out.push(`**${r.title}** — ${r.kind}, severity ${r.severity}. Reads: ${r.reads.map((k) => `\`${k}\``).join(", ")}. Anchors: ${anchors(r)}.`);
    out.push("");
    out.push(`Resource types read: ${resourceTypes(r, byKind)}.`);
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

/** The company registry, and the upstream images the targets run themselves: the ADOT collector (AWS) and the GCP gateway proxy's Envoy and OPA-Envoy (pinned by digest). */
const ALLOWED_REGISTRIES = ["ghcr.io/acme/", "public.ecr.aws/aws-observability/", "docker.io/envoyproxy/envoy", "docker.io/openpolicyagent/opa"];
/**
 * Where the example stacks deploy: AWS us-east-1 and us-west-2; Azure westeurope and
 * northeurope (medium) and swedencentral (small, serverless GPUs); GCP europe-west4
 * and europe-west1 (medium backup), with the multi-regions a GCP primary-backup pair
 * keeps its Firestore database (eur3) and that database's key (Cloud KMS `europe`) in.
 */
const EXAMPLE_REGIONS = ["us-east-1", "us-west-2", "westeurope", "northeurope", "swedencentral", "europe-west4", "europe-west1", "eur3", "europe"];
const ALLOWED_REGIONS: Readonly<Record<Environment, ReadonlyArray<string>>> = {
  dev: EXAMPLE_REGIONS,
  staging: EXAMPLE_REGIONS,
  prod: EXAMPLE_REGIONS,
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
