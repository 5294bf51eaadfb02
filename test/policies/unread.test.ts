import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { factsFromGraph } from "../../lib/facts";
import { runOffline } from "../../lib/offline/engine";
import { evaluate, failed, type CheckResult } from "../../policies/engine/evaluate";
import { jsonReport, junitReport, sarifReport, textReport } from "../../policies/report";
import { cli } from "../helpers/cli";
import { CHECK_DAY } from "./fixtures/kit";

const CTX = { source: "test/policies/programs/unread.ts", toolVersion: "0.1.0" };
let lenient: CheckResult;
let strict: CheckResult;

before(async () => {
  const facts = factsFromGraph(await runOffline("test/policies/programs/unread.ts"));
  lenient = evaluate(facts, { now: CHECK_DAY });
  strict = evaluate(facts, { now: CHECK_DAY, config: { strict: true } });
});

describe("resources no rule reads", () => {
  it("are counted by type, most first", () => {
    assert.deepEqual(lenient.unread, [
      { type: "aws:ssm/parameter:Parameter", cloud: "aws", count: 2 },
      { type: "aws:route53/zone:Zone", cloud: "aws", count: 1 },
    ]);
    assert.equal(lenient.summary.unread, 3);
    assert.equal(lenient.summary.mandatory, 0);
    assert.equal(failed(lenient), false);
    assert.equal(failed(strict), true, "strict fails on them");
  });

  it("are listed in the text report", () => {
    assert.match(textReport(lenient, CTX), /^unread    3 resources of 2 types no rule reads: aws:ssm\/parameter:Parameter \(2\), aws:route53\/zone:Zone \(1\)$/m);
    assert.match(textReport(lenient, CTX), /^0 mandatory, 0 advisory, 0 waived, 3 unread$/m);
    assert.match(textReport(strict, CTX), /^UNREAD    3 resources/m);
    assert.match(textReport(strict, CTX), /, 3 unread \(strict: fails\)$/m);
  });

  it("are listed in JSON", () => {
    const body = JSON.parse(jsonReport(strict)) as { unread: unknown; strict: boolean; summary: { unread: number } };
    assert.deepEqual(body.unread, strict.unread);
    assert.equal(body.strict, true);
    assert.equal(body.summary.unread, 3);
  });

  it("are tool execution notifications in SARIF (errors under strict), valid against the schema", () => {
    const schema = JSON.parse(readFileSync("policies/report/schema/sarif-schema-2.1.0.json", "utf8")) as Record<string, unknown>;
    const { $schema: _draft04, id, ...rest } = schema;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile({ ...rest, $id: String(id) });
    for (const [result, level] of [[lenient, "warning"], [strict, "error"]] as const) {
      const log = JSON.parse(sarifReport(result, CTX)) as { runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ level: string; message: { text: string }; properties: { resourceType: string; count: number } }> }> }> };
      assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
      const notes = log.runs[0].invocations[0].toolExecutionNotifications;
      assert.deepEqual(notes.map((n) => [n.level, n.properties.resourceType, n.properties.count]), [[level, "aws:ssm/parameter:Parameter", 2], [level, "aws:route53/zone:Zone", 1]]);
    }
  });

  it("are a testsuite in JUnit, failing under strict", () => {
    assert.match(junitReport(lenient), /<testsuite name="unread resource types" tests="2" failures="0"/);
    assert.match(junitReport(lenient), /<testcase classname="unread" name="aws:ssm\/parameter:Parameter \(2\)" time="0">\n {6}<system-out>2 aws:ssm\/parameter:Parameter resources no rule reads \(aws\)<\/system-out>/);
    assert.match(junitReport(strict), /<testsuite name="unread resource types" tests="2" failures="2"/);
    assert.match(junitReport(strict), /<testsuites name="microagents check" tests="\d+" failures="2"/);
  });

  it("make `microagents check --strict` exit 1, and plain check exit 0", async () => {
    const plain = await cli("check", "--stack", "test/policies/programs/unread.ts");
    assert.equal(plain.code, 0, plain.stderr);
    const gated = await cli("check", "--stack", "test/policies/programs/unread.ts", "--strict", "--format", "json");
    assert.equal(gated.code, 1);
    assert.equal(gated.stderr, "microagents check: 0 mandatory, 0 advisory, 0 waived, 3 unread (strict)\n");
  });
});
