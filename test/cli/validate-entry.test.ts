import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { runOffline } from "../../lib/offline/engine";
import { planFleet } from "../../lib/plan/plan-fleet";
import type { FleetPlan } from "../../lib/plan/types";
import type { AgentInput, FleetInput, TargetInput } from "../../lib/spec";
import { formatIssue, isConfigError, type SpecIssue } from "../../lib/spec/errors";
import { fleetEntryIssues } from "../../lib/targets/entry-settings";
import { splitDeferred, stackConfigOf } from "../../lib/targets/stack-config";
import { preflightIssues } from "../../lib/targets/preflight";
import { agent, JWT } from "../helpers/aws";
import { cli } from "../helpers/cli";

/**
 * The failover and global entries' settings are checked by `microagents validate` as
 * AgentFleet checks them at construction (one implementation, lib/targets/entry-settings.ts):
 * spec-only problems are errors, a host name or zone left to Pulumi config is a warning
 * naming the key unless the stack's config is given.
 */

const GCP = { project: "acme-agents-prod", billingAccount: "012345-6789AB-CDEF01" };
const ZONE_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/acme.example";
const front = (path = "/front"): AgentInput => agent("front", { route: { path, auth: "jwt" } });

function fleet(tier: "medium" | "enterprise", targets: TargetInput[], agents: AgentInput[], gateway: NonNullable<FleetInput["spec"]["gateway"]> = {}): FleetInput {
  return { apiVersion: "microagents/v1", kind: "Fleet", metadata: { name: "acme" }, spec: { tier, environment: "prod", team: "platform", targets, agents, gateway: { jwt: JWT, ...gateway } } };
}
const awsPair: TargetInput[] = [{ runtime: "ecs", region: "us-east-1", role: "primary" }, { runtime: "ecs", region: "us-west-2", role: "backup" }];
const azurePair: TargetInput[] = [{ runtime: "aca", region: "westeurope", role: "primary" }, { runtime: "aca", region: "northeurope", role: "backup" }];
const gcpPair: TargetInput[] = [{ runtime: "run", region: "us-central1", role: "primary", ...GCP }, { runtime: "run", region: "us-east1", role: "backup", ...GCP }];

function file(f: FleetInput): string {
  const path = join(mkdtempSync(join(tmpdir(), "validate-entry-")), "fleet.json");
  writeFileSync(path, JSON.stringify(f));
  return path;
}
const lines = (issues: ReadonlyArray<SpecIssue>) => issues.map((i) => `${i.path}: ${i.message}`);
const paths = (issues: ReadonlyArray<SpecIssue>) => issues.map((i) => i.path);

describe("validate checks the entry's settings as AgentFleet does", () => {
  // Each fleet is planned once for the whole file.
  let awsBad: FleetPlan;
  let awsGood: FleetPlan;
  let azureWrongZone: FleetPlan;
  let gcpNoZone: FleetPlan;
  let globalNoAws: FleetPlan;
  before(() => {
    awsBad = planFleet(fleet("medium", awsPair, [front("/_microagents/health")]));
    awsGood = planFleet(fleet("medium", awsPair, [front()], { public: true }));
    azureWrongZone = planFleet(fleet("medium", azurePair, [front()], { hostname: "agents.other.example", azureDnsZoneId: ZONE_ID, public: true }));
    gcpNoZone = planFleet(fleet("medium", gcpPair, [front()], { hostname: "agents.acme.example", public: true }));
    globalNoAws = planFleet(
      fleet("enterprise", [{ runtime: "aks", region: "westeurope" }, { runtime: "gke", region: "europe-west4", ...GCP }, { runtime: "aks", region: "newzealandnorth" }], [front()], { hostname: "agents.acme.example", public: true }),
    );
  });

  it("AWS pair, config unknown: the host name and zone are warnings naming their config keys; a private gateway and a route on the health path are errors", () => {
    const { errors, warnings } = splitDeferred(awsBad.fleet, preflightIssues(awsBad), false);
    assert.deepEqual(paths(errors), ["spec.gateway.public", "spec.agents[0].route.path"]);
    assert.match(errors[1].message, /^'\/_microagents\/health' is the failover entry's health route$/);
    assert.deepEqual(
      warnings.map((w) => [w.issue.path, w.deferredTo]),
      [
        ["spec.gateway.hostname", "microagents:hostname"],
        ["spec.gateway.hostedZoneId", "microagents:hostedZoneId"],
      ],
    );
  });

  it("AWS pair, config known: a missing setting is an error, a malformed one names the config key", () => {
    const config = stackConfigOf({ "microagents:hostname": "Agents_Acme", hostedZoneId: "zone-1" });
    assert.deepEqual(config, { hostname: "Agents_Acme", hostedZoneId: "zone-1" });
    const { errors, warnings } = splitDeferred(awsGood.fleet, preflightIssues(awsGood, undefined, config), true);
    assert.deepEqual(warnings, []);
    assert.deepEqual(lines(errors), ["config microagents:hostname: 'Agents_Acme' is not a fully qualified lower-case DNS name", "config microagents:hostedZoneId: 'zone-1' is not a Route 53 hosted zone id"]);
    assert.deepEqual(splitDeferred(awsGood.fleet, preflightIssues(awsGood, undefined, {}), true).errors.map((i) => i.path), ["spec.gateway.hostname", "spec.gateway.hostedZoneId"]);
    assert.deepEqual(preflightIssues(awsGood, undefined, stackConfigOf({ "microagents:hostname": "agents.acme.example", "microagents:hostedZoneId": "Z0ACMEZONE1234" })), []);
  });

  it("Azure pair: a zone given in the spec that does not hold the host name is an error whatever the config", () => {
    const { errors, warnings } = splitDeferred(azureWrongZone.fleet, preflightIssues(azureWrongZone), false);
    assert.deepEqual(warnings, []);
    assert.deepEqual(lines(errors), ["spec.gateway.hostname: 'agents.other.example' is not in the DNS zone acme.example"]);
  });

  it("GCP pair: the Cloud DNS zone comes from config only, so it is a warning until the config is known", () => {
    const unknown = splitDeferred(gcpNoZone.fleet, preflightIssues(gcpNoZone), false);
    assert.deepEqual(unknown.errors, []);
    assert.deepEqual(unknown.warnings.map((w) => [w.issue.path, w.deferredTo]), [["config microagents:dnsZone", "microagents:dnsZone"]]);
    const known = splitDeferred(gcpNoZone.fleet, preflightIssues(gcpNoZone, undefined, stackConfigOf({ "microagents:dnsZone": "acme.example." })), true);
    assert.deepEqual(lines(known.errors), ["config microagents:dnsZone: 'acme.example.' is not a Cloud DNS managed zone name"]);
    assert.deepEqual(preflightIssues(gcpNoZone, undefined, { dnsZone: "acme-example" }), []);
  });

  it("Route 53 global entry: no AWS target and a region with no nearest AWS region are errors, the missing zone a warning", () => {
    const { errors, warnings } = splitDeferred(globalNoAws.fleet, preflightIssues(globalNoAws), false);
    assert.deepEqual(paths(errors), ["spec.gateway.globalEntry", "spec.targets[2].region"]);
    assert.match(errors[0].message, /^a Route 53 entry is managed from the fleet's AWS account, and no target behind it is on AWS/);
    assert.match(errors[1].message, /^no nearest AWS region is known for azure \(aks newzealandnorth\)/);
    assert.deepEqual(warnings.map((w) => w.deferredTo), ["microagents:hostedZoneId"]);
  });

  it("a GCP target's project and billing account and its gateway's host name, left to config: warnings naming gcp:project, microagents:billingAccount and microagents:hostname", () => {
    const plan = planFleet({ apiVersion: "microagents/v1", kind: "Fleet", metadata: { name: "acme" }, spec: { tier: "small", environment: "prod", targets: [{ runtime: "run", region: "us-central1" }], agents: [front()], gateway: { jwt: JWT } } });
    const unknown = splitDeferred(plan.fleet, preflightIssues(plan), false);
    assert.deepEqual(unknown.errors, []);
    assert.deepEqual(
      unknown.warnings.map((w) => [w.issue.path, w.deferredTo]),
      [
        ["spec.targets[0].project", "gcp:project"],
        ["spec.targets[0].billingAccount", "microagents:billingAccount"],
        ["spec.gateway.hostname", "microagents:hostname"],
      ],
    );
    const config = stackConfigOf({ "gcp:project": "acme-agents-prod", billingAccount: "012345-6789AB-CDEF01", "microagents:hostname": "agents.acme.example" });
    assert.deepEqual(config, { hostname: "agents.acme.example", gcpProject: "acme-agents-prod", billingAccount: "012345-6789AB-CDEF01" });
    assert.deepEqual(preflightIssues(plan, undefined, config), []);
    assert.deepEqual(paths(splitDeferred(plan.fleet, preflightIssues(plan, undefined, { gcpProject: "acme-agents-prod" }), true).errors), ["spec.targets[0].billingAccount", "spec.gateway.hostname"]);
  });

  it("the GCP platform refuses a target without a project with the issue validate reports (gcp/project.ts, one check)", async () => {
    const input: FleetInput = { apiVersion: "microagents/v1", kind: "Fleet", metadata: { name: "acme" }, spec: { tier: "small", environment: "prod", targets: [{ runtime: "run", region: "us-central1" }], agents: [front()], gateway: { jwt: JWT, hostname: "agents.acme.example" } } };
    const expected = preflightIssues(planFleet(input)).filter((i) => i.path === "spec.targets[0].project").map(formatIssue);
    assert.equal(expected.length, 1);
    await assert.rejects(
      runOffline(() => new AgentFleet("acme", { fleet: input })),
      (e: unknown) => isConfigError(e) && assert.deepEqual(e.issues.map(formatIssue), expected) === undefined,
    );
  });

  it("AgentFleet refuses at construction exactly what validate reports (given the same config)", async () => {
    for (const plan of [awsBad, azureWrongZone, gcpNoZone, globalNoAws]) {
      const expected = fleetEntryIssues(plan.fleet).map(formatIssue);
      assert.ok(expected.length > 0);
      await assert.rejects(
        runOffline(() => new AgentFleet("acme", { fleet: plan.fleet })),
        (e: unknown) => isConfigError(e) && assert.deepEqual(e.issues.map(formatIssue), expected) === undefined,
      );
    }
  });

  it("the CLI: errors exit 2 with warnings beside them; settings left to config alone exit 0 with warnings; --config makes them errors", async () => {
    const bad = await cli("validate", "--fleet", file(fleet("medium", awsPair, [front("/_microagents/health")])));
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, "");
    const err = bad.stderr.trim().split("\n");
    assert.equal(err.length, 4);
    assert.match(err[0], /^warning: spec\.gateway\.hostname: a primary and backup fleet on AWS needs the host name .*; left to the stack's config: it needs microagents:hostname \(--config microagents:hostname=\.\.\. checks it here\)$/);
    assert.match(err[1], /^warning: spec\.gateway\.hostedZoneId: .* it needs microagents:hostedZoneId/);
    assert.match(err[2], /^spec\.gateway\.public: /);
    assert.match(err[3], /^spec\.agents\[0\]\.route\.path: /);

    const good = file(fleet("medium", awsPair, [front()], { public: true }));
    const deferred = await cli("validate", "--fleet", good);
    assert.equal(deferred.code, 0);
    assert.match(deferred.stdout, /^ok: fleet acme: tier medium, prod, 1 agents/);
    assert.equal(deferred.stderr.trim().split("\n").filter((l) => l.startsWith("warning: ")).length, 2);

    const missing = await cli("validate", "--fleet", good, "--config", "microagents:hostname=agents.acme.example");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^spec\.gateway\.hostedZoneId: a primary and backup fleet on AWS needs the Route 53 public hosted zone/);
    const complete = await cli("validate", "--fleet", good, "--config", "microagents:hostname=agents.acme.example", "--config", "microagents:hostedZoneId=Z0ACMEZONE1234");
    assert.equal(complete.code, 0);
    assert.equal(complete.stderr, "");
  });

  it("plan --fleet hands --config to AgentFleet as a stack would (the entry reads microagents:hostname from it)", async () => {
    const good = file(fleet("medium", awsPair, [front()], { public: true }));
    const missing = await cli("plan", "--fleet", good);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /spec\.gateway\.hostname: a primary and backup fleet on AWS needs the host name/);
    const malformed = await cli("plan", "--fleet", good, "--config", "microagents:hostname=Agents_Acme", "--config", "microagents:hostedZoneId=Z0ACMEZONE1234");
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /config microagents:hostname: 'Agents_Acme' is not a fully qualified lower-case DNS name/);
    assert.doesNotMatch(malformed.stderr, /hostedZoneId/);
  });
});
