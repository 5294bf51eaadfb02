import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import type { ResourceGraph } from "../../lib/offline/engine";
import { MicroAgentsConfigError } from "../../lib/spec";
import type { FleetTarget, GatewaySettings } from "../../lib/spec/types";
import { ENTRY_HEALTH_CHECK, gcpFailoverEntrySettings, gcpFailoverPair, HEALTH_SOURCE_REGIONS } from "../../lib/targets/gcp/failover-shape";
import { HEALTH_PATH } from "../../lib/targets/target";
import { BILLING, gcpAgent, gcpFleet, planGcp, PROJECT } from "../helpers/gcp";
import { at, one, ofType } from "../helpers/offline";

const JWT = { issuer: "https://auth.acme.example/", jwksUri: "https://auth.acme.example/.well-known/jwks.json", audiences: ["agents.acme.example"] };
const agents = [gcpAgent("intake", { route: { path: "/emails", auth: "jwt" } }), gcpAgent("search", { route: { path: "/search", auth: "jwt", invoke: "sync" } })];
const pair = gcpFleet("run", agents, {
  tier: "medium",
  targets: [
    { runtime: "run", region: "us-central1", role: "primary", project: PROJECT, billingAccount: BILLING },
    { runtime: "run", region: "us-east1", role: "backup", project: PROJECT, billingAccount: BILLING },
  ],
  gateway: { hostname: "agents.acme.example", public: true, jwt: JWT },
});

describe("gcp failover entry: a Cloud DNS primary-backup record health-checked on each region's gateway", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await planGcp(pair, { "gcp:project": PROJECT, "microagents:billingAccount": BILLING, "microagents:dnsZone": "acme-example" });
  });

  it("answers the host name from the primary region's gateway, the backup's while the primary is unhealthy", () => {
    const [record] = ofType(g, "gcp:dns/recordSet:RecordSet").filter((r) => at(r, "routingPolicy") !== undefined);
    assert.deepEqual([at(record, "managedZone"), at(record, "name"), at(record, "type"), at(record, "ttl")], ["acme-example", "agents.acme.example.", "A", 30]);
    const primaryIp = at(one(g, "gcp:compute/globalAddress:GlobalAddress", "acme-run-us-central1-gateway-ip"), "name");
    assert.equal(primaryIp, "acme-prod-usc1-us-central1-gw-ip");
    const policy = at(record, "routingPolicy") as { healthCheck: string; primaryBackup: { primary: { externalEndpoints: string[] }; backupGeos: Array<{ location: string; healthCheckedTargets: { externalEndpoints: string[] } }>; trickleRatio: number } };
    assert.match(policy.healthCheck, /healthChecks\/acme-prod-entry-health$/);
    assert.equal(policy.primaryBackup.primary.externalEndpoints.length, 1);
    assert.deepEqual(policy.primaryBackup.backupGeos.map((b) => [b.location, b.healthCheckedTargets.externalEndpoints.length]), [["us-east1", 1]]);
    assert.notDeepEqual(policy.primaryBackup.primary.externalEndpoints, policy.primaryBackup.backupGeos[0].healthCheckedTargets.externalEndpoints);
    assert.equal(policy.primaryBackup.trickleRatio, 0);
  });

  it("health-checks the health route over HTTPS with the host name, from three regions", () => {
    const check = ofType(g, "gcp:compute/healthCheck:HealthCheck").find((c) => String(at(c, "name")).endsWith("entry-health"));
    assert.ok(check);
    assert.deepEqual(at(check, "httpsHealthCheck"), { port: 443, requestPath: HEALTH_PATH, host: "agents.acme.example" });
    assert.deepEqual(at(check, "sourceRegions"), [...HEALTH_SOURCE_REGIONS]);
    assert.deepEqual([at(check, "checkIntervalSec"), at(check, "unhealthyThreshold"), at(check, "healthyThreshold")], [ENTRY_HEALTH_CHECK.checkIntervalSec, 3, 2]);
  });

  it("alerts the fleet's channels when a region's health route fails, per region", () => {
    const uptime = ofType(g, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig");
    assert.equal(uptime.length, 2);
    for (const u of uptime) assert.deepEqual([at(u, "httpCheck", "path"), at(u, "httpCheck", "useSsl"), at(u, "httpCheck", "headers")], [HEALTH_PATH, true, { Host: "agents.acme.example" }]);
    const alerts = ofType(g, "gcp:monitoring/alertPolicy:AlertPolicy").filter((a) => /health route fails/.test(String(at(a, "displayName"))));
    assert.deepEqual(alerts.map((a) => String(at(a, "displayName"))).sort(), ["acme-prod: the us-central1 gateway's health route fails", "acme-prod: the us-east1 gateway's health route fails"]);
    for (const a of alerts) assert.match(String(at(a, "conditions", 0, "conditionThreshold", "filter")), /uptime_check\/check_passed.*check_id=/);
  });

  it("leaves the name to the entry: no gateway address record, one validation record from the primary", () => {
    const records = ofType(g, "gcp:dns/recordSet:RecordSet");
    assert.equal(records.filter((r) => r.name.endsWith("-address")).length, 0);
    assert.deepEqual(records.filter((r) => r.name.endsWith("-validation")).map((r) => r.name), ["acme-run-us-central1-gateway-validation"]);
  });
});

const settings = (g: Partial<GatewaySettings>): GatewaySettings => ({ public: false, globalEntry: "route53", ...g });
const target = (region: string, role: FleetTarget["role"]): FleetTarget => ({ runtime: "run", region, role, namespace: "acme", agents: [] });

describe("gcp failover entry: settings, every problem at once", () => {
  it("names the host name, the zone and a private gateway", () => {
    assert.throws(
      () => gcpFailoverEntrySettings({ gateway: settings({}), agents: [] }, {}),
      (e: unknown) => e instanceof MicroAgentsConfigError && ["spec.gateway.hostname", "config microagents:dnsZone", "spec.gateway.public"].every((p) => e.issues.some((i) => i.path === p)),
    );
    assert.throws(() => gcpFailoverEntrySettings({ gateway: settings({ hostname: "agents.acme.example", public: true }), agents: [] }, { dnsZone: "acme.example." }), /not a Cloud DNS managed zone name/);
    assert.deepEqual(gcpFailoverEntrySettings({ gateway: settings({ hostname: "agents.acme.example", public: true }), agents: [] }, { dnsZone: "acme-example" }), { hostname: "agents.acme.example", dnsZone: "acme-example" });
  });
  it("pairs one GCP primary with one backup in another region", () => {
    assert.deepEqual(gcpFailoverPair({ targets: [target("us-central1", "primary"), target("us-east1", "backup")] }), { primary: 0, backup: 1 });
    assert.equal(gcpFailoverPair({ targets: [target("us-central1", "primary")] }), undefined);
    assert.throws(() => gcpFailoverPair({ targets: [target("us-central1", "primary"), target("us-central1", "backup")] }), /would not survive the region/);
  });
});
