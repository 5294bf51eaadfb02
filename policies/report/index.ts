import type { CheckResult, UnreadType, Violation } from "../engine/evaluate";
import { rules as catalog } from "../rules";

export const FORMATS = ["text", "json", "sarif", "junit"] as const;
export type ReportFormat = (typeof FORMATS)[number];

export interface ReportContext {
  /** The fleet file or stack program checked, as given on the command line. */
  readonly source: string;
  readonly toolVersion: string;
  /** The line of each agent's entry in the fleet file (lib/spec/locations.ts), for SARIF regions; line 1 when unknown. */
  readonly agentLines?: Readonly<Record<string, number>>;
}

/** `{"violations":[{ruleId, severity, enforcement, resource, type, message}], "summary":{mandatory, advisory, waived}}`, plus waived and unused waivers. */
export function jsonReport(result: CheckResult): string {
  const row = (v: Violation) => ({ ruleId: v.ruleId, severity: v.severity, enforcement: v.enforcement, resource: v.resource, type: v.type, message: v.message });
  const body = {
    violations: result.violations.map(row),
    summary: result.summary,
    waived: result.waived.map((v) => ({ ...row(v), reason: v.waiver?.reason ?? "", expires: v.waiver?.expires ?? "" })),
    unusedWaivers: result.unusedWaivers.map((w) => ({ rule: w.rule, resource: w.resource, expires: w.expires })),
    context: { tier: result.tier, environment: result.environment, rules: result.rules.length },
    unread: result.unread.map((u) => ({ type: u.type, cloud: u.cloud, count: u.count })),
    strict: result.strict,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** `3 resources of 2 types no rule reads: gcp:cloudrun/service:Service (2), ...`. */
export function unreadLine(result: Pick<CheckResult, "unread" | "summary">): string {
  const types = result.unread.length;
  return `${result.summary.unread} resource${result.summary.unread === 1 ? "" : "s"} of ${types} type${types === 1 ? "" : "s"} no rule reads: ${result.unread.map((u: UnreadType) => `${u.type} (${u.count})`).join(", ")}`;
}

export function textReport(result: CheckResult, ctx: ReportContext): string {
  const lines: string[] = [];
  lines.push(`microagents check ${ctx.source}: tier ${result.tier} (${result.contextSource.tier}), ${result.environment} (${result.contextSource.environment}), ${result.rules.length} rules on ${result.facts} facts`);
  for (const v of result.violations) lines.push(`${v.enforcement === "mandatory" ? "MANDATORY" : "advisory "} ${v.ruleId} [${v.severity}] ${v.resource} (${v.type}): ${v.message}`);
  for (const v of result.waived) lines.push(`waived    ${v.ruleId} ${v.resource}: ${v.message} — ${v.waiver?.reason} (until ${v.waiver?.expires})`);
  for (const w of result.unusedWaivers) lines.push(`unused waiver: ${w.rule} on '${w.resource}' (expires ${w.expires}) matched nothing; remove it or fix the resource name`);
  if (result.unread.length > 0) lines.push(`${result.strict ? "UNREAD   " : "unread   "} ${unreadLine(result)}`);
  const s = result.summary;
  lines.push(`${s.mandatory} mandatory, ${s.advisory} advisory, ${s.waived} waived${result.unusedWaivers.length > 0 ? `, ${result.unusedWaivers.length} unused waiver${result.unusedWaivers.length > 1 ? "s" : ""}` : ""}${s.unread > 0 ? `, ${s.unread} unread${result.strict ? " (strict: fails)" : ""}` : ""}`);
  return `${lines.join("\n")}\n`;
}

const SARIF_LEVEL = { mandatory: "error", advisory: "warning" } as const;
/** GitHub code scanning reads `security-severity` (0.1-10) for security rules. */
const SECURITY_SEVERITY = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" } as const;

/** SARIF 2.1.0: one run, every catalog rule as a reportingDescriptor, waived results as accepted external suppressions. */
export function sarifReport(result: CheckResult, ctx: ReportContext): string {
  const index = new Map(catalog.map((r, i) => [r.id, i]));
  const ran = new Map(result.rules.map((r) => [r.rule.id, r.enforcement]));
  const uri = ctx.source.replace(/\\/g, "/").replace(/^\.\//, "");
  const toResult = (v: Violation) => ({
    ruleId: v.ruleId,
    ruleIndex: index.get(v.ruleId) ?? -1,
    level: SARIF_LEVEL[v.enforcement],
    message: { text: `${v.resource} (${v.type}): ${v.message}` },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri }, region: { startLine: (v.agent !== undefined ? ctx.agentLines?.[v.agent] : undefined) ?? 1 } },
        logicalLocations: [{ name: v.resource, fullyQualifiedName: v.urn, kind: "resource" }],
      },
    ],
    partialFingerprints: { "microagents/v1": `${v.ruleId}:${v.urn}` },
    properties: { severity: v.severity, enforcement: v.enforcement, resourceType: v.type, ...(v.agent ? { agent: v.agent } : {}) },
    ...(v.waiver && !v.waiver.expired ? { suppressions: [{ kind: "external", status: "accepted", justification: `${v.waiver.reason} (until ${v.waiver.expires})` }] } : {}),
  });
  const log = {
    $schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "microagents",
            version: ctx.toolVersion,
            rules: catalog.map((r) => ({
              id: r.id,
              name: r.id.replace(/-/g, ""),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              help: { text: r.remediation, markdown: `**Remediation.** ${r.remediation}` },
              defaultConfiguration: { enabled: ran.has(r.id), level: ran.get(r.id) === "mandatory" ? "error" : "warning" },
              properties: {
                tags: [r.kind, ...(r.anchors.checkov ?? []), ...(r.anchors.kubeLinter ?? [])],
                severity: r.severity,
                ...(r.kind === "security" ? { "security-severity": SECURITY_SEVERITY[r.severity] } : {}),
              },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            ...(result.unread.length > 0
              ? {
                  toolExecutionNotifications: result.unread.map((u) => ({
                    level: result.strict ? "error" : "warning",
                    message: { text: `${u.count} ${u.type} resource${u.count === 1 ? "" : "s"} no rule reads (${u.cloud})${result.strict ? "; strict fails on them" : ""}` },
                    descriptor: { id: "microagents/unread-type" },
                    properties: { resourceType: u.type, cloud: u.cloud, count: u.count },
                  })),
                }
              : {}),
            ...(result.unusedWaivers.length > 0
              ? { toolConfigurationNotifications: result.unusedWaivers.map((w) => ({ level: "warning", message: { text: `unused waiver: ${w.rule} on '${w.resource}' (expires ${w.expires}) matched nothing` } })) }
              : {}),
          },
        ],
        results: [...result.violations, ...result.waived].map(toResult),
        properties: { tier: result.tier, environment: result.environment, summary: result.summary, unread: result.unread, strict: result.strict },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function xml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the five specials are escaped.
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/**
 * JUnit XML as Jenkins, GitLab, GitHub test reporters and Azure Pipelines read it:
 * one testsuite per rule that ran, one testcase per finding (a `<failure>` when
 * mandatory, passing with the message in `<system-out>` when advisory, `<skipped>`
 * when waived), and a passing "no violations" testcase for a clean rule.
 */
export function junitReport(result: CheckResult): string {
  const all = [...result.violations, ...result.waived];
  const suites = result.rules.map(({ rule, enforcement }) => {
    const mine = all.filter((v) => v.ruleId === rule.id);
    const cases = mine.map((v) => {
      const name = `${v.resource} (${v.type})`;
      const head = `    <testcase classname="${xml(rule.id)}" name="${xml(name)}" time="0">`;
      if (v.waiver && !v.waiver.expired) return `${head}\n      <skipped message="${xml(`waived until ${v.waiver.expires}: ${v.waiver.reason}`)}"/>\n    </testcase>`;
      if (v.enforcement === "mandatory") return `${head}\n      <failure message="${xml(v.message)}" type="${xml(`${rule.severity} ${rule.kind}`)}">${xml(`${v.message}\nRemediation: ${rule.remediation}`)}</failure>\n    </testcase>`;
      return `${head}\n      <system-out>${xml(`advisory: ${v.message}`)}</system-out>\n    </testcase>`;
    });
    if (cases.length === 0) cases.push(`    <testcase classname="${xml(rule.id)}" name="no violations" time="0"/>`);
    const failures = mine.filter((v) => v.enforcement === "mandatory" && !(v.waiver && !v.waiver.expired)).length;
    const skipped = mine.filter((v) => v.waiver && !v.waiver.expired).length;
    return `  <testsuite name="${xml(`${rule.id} ${rule.title}`)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0">\n    <properties>\n      <property name="enforcement" value="${enforcement}"/>\n      <property name="severity" value="${rule.severity}"/>\n    </properties>\n${cases.join("\n")}\n  </testsuite>`;
  });
  // Resource types no rule read: one testcase per type, a failure under strict.
  if (result.unread.length > 0) {
    const cases = result.unread.map((u) => {
      const head = `    <testcase classname="unread" name="${xml(`${u.type} (${u.count})`)}" time="0">`;
      const text = `${u.count} ${u.type} resource${u.count === 1 ? "" : "s"} no rule reads (${u.cloud})`;
      return result.strict ? `${head}\n      <failure message="${xml(text)}" type="unread resource type">${xml(`${text}; strict fails on types no rule reads`)}</failure>\n    </testcase>` : `${head}\n      <system-out>${xml(text)}</system-out>\n    </testcase>`;
    });
    suites.push(`  <testsuite name="unread resource types" tests="${cases.length}" failures="${result.strict ? cases.length : 0}" errors="0" skipped="0" time="0">\n${cases.join("\n")}\n  </testsuite>`);
  }
  const unreadCases = result.unread.length;
  const tests = result.rules.reduce((n, r) => n + Math.max(1, all.filter((v) => v.ruleId === r.rule.id).length), 0) + unreadCases;
  const failures = result.summary.mandatory + (result.strict ? unreadCases : 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="microagents check" tests="${tests}" failures="${failures}" errors="0" skipped="${result.summary.waived}" time="0">\n${suites.join("\n")}\n</testsuites>\n`;
}

export function formatReport(result: CheckResult, format: ReportFormat, ctx: ReportContext): string {
  switch (format) {
    case "json":
      return jsonReport(result);
    case "sarif":
      return sarifReport(result, ctx);
    case "junit":
      return junitReport(result);
    case "text":
      return textReport(result, ctx);
  }
}
