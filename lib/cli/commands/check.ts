import { existsSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadPolicyConfig, type PolicyConfig } from "../../../policies/engine/config";
import { evaluate, failed } from "../../../policies/engine/evaluate";
import { FORMATS, formatReport } from "../../../policies/report";
import { MicroAgentsConfigError } from "../../spec/errors";
import { agentLines } from "../../spec/locations";
import { factSourceFrom, factSourceOptions, oneOf, parse } from "../args";
import type { Command } from "../command";
import { EXIT } from "../io";
import { packageVersion } from "../version";
import { loadFacts } from "../source";
import { cloudRegionTable } from "../regions";
import { costJson, costText, fleetEstimator } from "./cost";

export const checkCommand: Command = {
  name: "check",
  summary: "run the security and cost rules on a fleet or stack offline (CI gate)",
  usage: "microagents check (--fleet FILE | --stack FILE | --cdk-out DIR) [--config key=value]... [--policy-config FILE] [--format text|json|sarif|junit] [--output FILE] [--cost-output FILE] [--strict]",
  help: [
    "  --fleet FILE           a fleet file (YAML or JSON): checks AgentFleet over it",
    "  --stack FILE           a Pulumi program (.ts or .js), e.g. stacks/index.ts",
    "  --cdk-out DIR          a synthesized CDK app (cdk.out): its CloudFormation templates",
    "  --config key=value     Pulumi config for --stack, repeatable (stack=medium, environment=prod),",
    "                         or for --fleet (microagents:hostname=agents.example.com, microagents:hostedZoneId=...)",
    "  --policy-config FILE   tier, environment, enforcement per rule, allow-lists, budget, waivers (JSON;",
    "                         the packs' --policy-pack-config files work too, e.g. policies/security/prod.json)",
    "  --format F             text (default), json, sarif (2.1.0) or junit",
    "  --output FILE          write the report there instead of stdout (a one-line summary still goes to stderr)",
    "  --cost-output FILE     also write the cost estimate there, from the same planning run (JSON as `cost --json`; text when FILE ends in .txt)",
    "  --strict               fail on resources of a type no rule reads (every report lists them; also `strict` in the policy config)",
    "",
    "Exit 0 when no mandatory rule is violated, 1 when one is (or, with --strict, when a resource type is unread), 2 for bad input.",
    "Rules and their default enforcement per tier and environment: docs/rules.md.",
  ].join("\n"),
  async run(argv, io) {
    const { values } = parse(argv, { ...factSourceOptions, "policy-config": { type: "string" }, format: { type: "string" }, output: { type: "string" }, "cost-output": { type: "string" }, strict: { type: "boolean" } });
    const format = oneOf("--format", values.format, FORMATS, "text");
    const source = factSourceFrom(values);
    if (values.output !== undefined && !existsSync(dirname(values.output) || ".")) {
      throw new MicroAgentsConfigError([{ path: values.output, message: "the output directory does not exist", hint: "create it or pick another --output path" }]);
    }
    const costOutput = values["cost-output"];
    if (costOutput !== undefined && !existsSync(dirname(costOutput) || ".")) {
      throw new MicroAgentsConfigError([{ path: costOutput, message: "the cost output directory does not exist", hint: "create it or pick another --cost-output path" }]);
    }
    // The policy config is checked before the program runs: bad input fails fast.
    const config: PolicyConfig | undefined = values["policy-config"] ? loadPolicyConfig(values["policy-config"]) : undefined;
    const { facts, plan } = await loadFacts(source, io);
    const estimateCost = fleetEstimator(plan);
    const result = evaluate(facts, {
      ...(config ? { config } : {}),
      ...(plan ? { tier: plan.fleet.tier, environment: plan.fleet.environment, budgetMonthlyUsd: plan.budgetMonthlyUsd } : {}),
      estimateCost,
      ...(values.strict ? { strict: true } : {}),
    });
    if (costOutput !== undefined) {
      const estimate = estimateCost(facts);
      writeFileSync(costOutput, costOutput.endsWith(".txt") ? costText(estimate, `Cost estimate for ${source.path}`) : `${JSON.stringify(costJson(estimate), null, 2)}\n`);
    }
    const report = formatReport(result, format, { source: source.path, ...(source.kind === "fleet" ? { agentLines: agentLines(source.path) } : {}), toolVersion: packageVersion() });
    const s = result.summary;
    const line = `microagents check: ${s.mandatory} mandatory, ${s.advisory} advisory, ${s.waived} waived${result.unusedWaivers.length > 0 ? `, ${result.unusedWaivers.length} unused waivers` : ""}${s.unread > 0 ? `, ${s.unread} unread${result.strict ? " (strict)" : ""}` : ""}\n`;
    if (values.output !== undefined) {
      writeFileSync(values.output, report);
      io.err(line);
    } else {
      io.out(report);
      if (format === "text") io.out(cloudRegionTable(facts, result.violations));
      if (format !== "text") io.err(line);
    }
    return failed(result) ? EXIT.violations : EXIT.ok;
  },
};

