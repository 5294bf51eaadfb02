import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import * as sqs from "@pulumi/aws/sqs";
import { factsFromGraph } from "../../lib/facts";
import { runOffline } from "../../lib/offline/engine";
import { evaluate, type CheckResult } from "../../policies/engine/evaluate";
import { jsonReport, junitReport, sarifReport, textReport } from "../../policies/report";
import { rules } from "../../policies/rules";
import { CHECK_DAY, TAGS, deployment, hardenedContainer } from "./fixtures/kit";

const CTX = { source: "stacks/index.ts", toolVersion: "0.1.0" };

let result: CheckResult;
before(async () => {
  const graph = await runOffline(() => {
    deployment("worker", hardenedContainer({ securityContext: { privileged: true, runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: true, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } } }));
    new sqs.Queue("work", { name: "work", tags: { ...TAGS } });
    new sqs.Queue("old-work", { name: "old-work", tags: { ...TAGS } });
    new sqs.Queue("untagged <&> queue", { name: "untagged" });
  });
  result = evaluate(factsFromGraph(graph), {
    tier: "small",
    environment: "prod",
    now: CHECK_DAY,
    config: {
      waivers: [
        { rule: "MA-SEC-023", resource: "work", reason: "the consumer retries forever by design until the v2 protocol", expires: "2027-01-31" },
        { rule: "MA-SEC-023", resource: "old-*", reason: "legacy queue, drained and deleted next sprint", expires: "2026-10-31" },
        { rule: "MA-SEC-001", resource: "no-such-*", reason: "stale waiver nobody removed after the fix", expires: "2027-06-30" },
      ],
    },
  });
});

describe("evaluation and waivers", () => {
  it("waives a matching violation until its expiry day, counts an expired one, reports an unused one", () => {
    assert.deepEqual(result.waived.map((v) => [v.ruleId, v.resource]), [["MA-SEC-023", "work"]]);
    const expired = result.violations.find((v) => v.ruleId === "MA-SEC-023" && v.resource === "old-work");
    assert.ok(expired, "an expired waiver's violation counts");
    assert.equal(expired.enforcement, "mandatory");
    assert.match(expired.message, /\(waiver expired 2026-10-31: legacy queue, drained and deleted next sprint\)$/);
    assert.deepEqual(result.unusedWaivers.map((w) => w.resource), ["no-such-*"]);
    assert.equal(result.summary.waived, 1);
    assert.equal(result.summary.mandatory, result.violations.filter((v) => v.enforcement === "mandatory").length);
    assert.ok(result.violations.some((v) => v.ruleId === "MA-SEC-001"));
  });
});

describe("report formats", () => {
  it("JSON: violations with ruleId, severity, enforcement, resource, type, message, and the summary", () => {
    const body = JSON.parse(jsonReport(result)) as { violations: Array<Record<string, string>>; summary: Record<string, number>; waived: unknown[]; unusedWaivers: unknown[] };
    for (const v of body.violations) assert.deepEqual(Object.keys(v), ["ruleId", "severity", "enforcement", "resource", "type", "message"]);
    assert.deepEqual(Object.keys(body.summary), ["mandatory", "advisory", "waived", "undecided", "unread"]);
    assert.deepEqual(body.summary, result.summary);
    assert.equal(body.violations.length, result.violations.length);
    assert.equal(body.waived.length, 1);
    assert.equal(body.unusedWaivers.length, 1);
  });

  it("SARIF: validates against the vendored OASIS SARIF 2.1.0 schema", () => {
    const schema = JSON.parse(readFileSync("policies/report/schema/sarif-schema-2.1.0.json", "utf8")) as Record<string, unknown>;
    assert.equal(schema.id, "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json");
    // The schema is draft-04; it uses no keyword whose meaning changed in draft-06/07 (boolean exclusive bounds), so Ajv 8 reads it as draft-07.
    const text = JSON.stringify(schema);
    assert.doesNotMatch(text, /"exclusive(Minimum|Maximum)"/);
    const { $schema: _draft04, id, ...rest } = schema;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile({ ...rest, $id: id });
    const log = JSON.parse(sarifReport(result, CTX)) as { runs: Array<{ results: Array<{ ruleId: string; level: string; suppressions?: unknown[] }>; tool: { driver: { rules: unknown[] } } }> };
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const run = log.runs[0];
    assert.equal(run.tool.driver.rules.length, rules.length);
    assert.equal(run.results.length, result.violations.length + result.waived.length);
    assert.ok(run.results.every((r) => r.level === "error" || r.level === "warning"));
    assert.equal(run.results.filter((r) => r.suppressions).length, 1);
    // A broken log is rejected: the check is not vacuous.
    assert.equal(validate({ version: "2.1.0", runs: [{ tool: { driver: {} } }] }), false);
  });

  it("JUnit: well-formed XML, one testsuite per rule that ran, failures for mandatory violations, skipped for waived", () => {
    const xml = junitReport(result);
    const root = parseXml(xml);
    assert.equal(root.name, "testsuites");
    assert.equal(Number(root.attrs.failures), result.summary.mandatory);
    assert.equal(root.children.length, result.rules.length);
    let tests = 0;
    for (const suite of root.children) {
      assert.equal(suite.name, "testsuite");
      const cases = suite.children.filter((c) => c.name === "testcase");
      tests += cases.length;
      assert.equal(Number(suite.attrs.tests), cases.length);
      assert.equal(Number(suite.attrs.failures), cases.filter((c) => c.children.some((x) => x.name === "failure")).length);
      assert.equal(Number(suite.attrs.skipped), cases.filter((c) => c.children.some((x) => x.name === "skipped")).length);
    }
    assert.equal(Number(root.attrs.tests), tests);
    assert.match(xml, /name="untagged &lt;&amp;&gt; queue \(aws:sqs\/queue:Queue\)"/);
  });

  it("text: one line per problem and the summary", () => {
    const text = textReport(result, CTX);
    assert.match(text, /^MANDATORY MA-SEC-001 \[critical\] worker \(kubernetes:apps\/v1:Deployment\): container 'agent' runs privileged$/m);
    assert.match(text, /^waived    MA-SEC-023 work: /m);
    assert.match(text, /^unused waiver: MA-SEC-001 on 'no-such-\*'/m);
    assert.match(text, new RegExp(`^${result.summary.mandatory} mandatory, ${result.summary.advisory} advisory, 1 waived, 1 unused waiver$`, "m"));
  });
});

interface XmlNode {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlNode[];
}

/** A strict little XML reader: nesting, quoted attributes, known entities only; throws on anything else. */
function parseXml(text: string): XmlNode {
  const body = text.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, "");
  assert.notEqual(body, text, "XML declaration");
  const stack: XmlNode[] = [{ name: "#document", attrs: {}, children: [] }];
  const tag = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = tag.exec(body)) !== null) {
    pos = tag.lastIndex;
    if (m[5] !== undefined) {
      for (const ent of m[5].match(/&[^;]*;/g) ?? []) assert.ok(["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].includes(ent), `entity ${ent}`);
      continue;
    }
    const [, closing, name, attrText, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      assert.equal(open?.name, name, `closing </${name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    const node: XmlNode = { name, attrs, children: [] };
    stack[stack.length - 1].children.push(node);
    if (!selfClosing) stack.push(node);
  }
  assert.equal(pos, body.length, `unparsed XML at ${pos}: ${body.slice(pos, pos + 40)}`);
  assert.equal(stack.length, 1, "unclosed elements");
  assert.equal(stack[0].children.length, 1, "one root element");
  return stack[0].children[0];
}
