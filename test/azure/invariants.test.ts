import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { seedFleets } from "../../agents/fleets";
import type { CapturedResource, ResourceGraph } from "../../lib/offline/engine";
import type { FleetInput, Tier } from "../../lib/spec";
import { planFleet } from "../../lib/plan";
import { fleetIssues } from "../helpers/azure";
import { at, ofType, planFleetOffline } from "../helpers/offline";

const TIERS: ReadonlyArray<Tier> = ["small", "medium", "enterprise"];
const REGION = "swedencentral";

/** Whether aca can run the fleet: whole GPUs only (the seed's email and support fleets use fractions). */
function acaRuns(fleet: FleetInput): boolean {
  return fleet.spec.agents.every((a) => a.resources?.gpu === undefined || a.resources.gpu.share === 1);
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

/**
 * What must hold for every seed fleet, tier and runtime on Azure: no shared keys or
 * local accounts; every role assignment on one resource, and an agent's only on its
 * own queue, topic, secrets or lease; nothing public in prod; every queue and
 * subscription dead-letters; every log has retention; the vault and cluster are
 * protected from deletion in prod.
 */
function checkInvariants(g: ResourceGraph, fleet: FleetInput, prod: boolean): void {
  const plan = planFleet(fleet);
  const label = `${fleet.metadata.name} ${fleet.spec.tier} ${fleet.spec.environment} ${fleet.spec.targets[0].runtime}`;
  for (const ns of ofType(g, "azure-native:servicebus:Namespace")) {
    assert.equal(at(ns, "disableLocalAuth"), true, `${label}: SAS off`);
    assert.equal(at(ns, "minimumTlsVersion"), "1.2");
    if (prod && fleet.spec.tier === "small") {
      // The small tier's prod namespace is Standard (its budget): its public endpoint refuses every address but the fleet's NAT egress IP.
      const firewall = ofType(g, "azure-native:servicebus:NamespaceNetworkRuleSet");
      assert.equal(firewall.length, 1, `${label}: the Standard namespace's IP firewall`);
      assert.equal(at(firewall[0], "defaultAction"), "Deny");
      const natIp = str(ofType(g, "azure-native:network:PublicIPAddress").find((ip) => ip.name.endsWith("-nat"))?.outputs.ipAddress);
      assert.deepEqual((at(firewall[0], "ipRules") as Array<{ ipMask: string }>).map((r) => r.ipMask), [natIp]);
      assert.ok(natIp.length > 0);
    } else if (prod) assert.equal(at(ns, "publicNetworkAccess"), "Disabled", `${label}: namespace private in prod`);
  }
  for (const sa of ofType(g, "azure-native:storage:StorageAccount")) {
    assert.equal(at(sa, "allowSharedKeyAccess"), false);
    if (prod) assert.equal(at(sa, "publicNetworkAccess"), "Disabled");
  }
  for (const c of ofType(g, "azure-native:applicationinsights:Component")) assert.equal(at(c, "disableLocalAuth"), true);
  for (const w of ofType(g, "azure-native:operationalinsights:Workspace")) {
    assert.equal(at(w, "features", "disableLocalAuth"), true);
    assert.ok(typeof at(w, "retentionInDays") === "number", `${label}: workspace retention`);
  }
  for (const c of ofType(g, "azure-native:containerservice:ManagedCluster")) {
    assert.equal(at(c, "disableLocalAccounts"), true);
    if (prod) assert.equal(c.protect, true, `${label}: cluster protected`);
  }
  for (const v of ofType(g, "azure-native:keyvault:Vault")) {
    assert.equal(at(v, "properties", "enablePurgeProtection"), true);
    assert.equal(at(v, "properties", "enableSoftDelete"), true);
    if (prod) assert.equal(at(v, "properties", "publicNetworkAccess"), "Disabled");
    if (prod) assert.equal(v.protect, true);
  }
  for (const env of ofType(g, "azure-native:app:ManagedEnvironment")) assert.equal(at(env, "publicNetworkAccess"), "Disabled");
  // Environment-only ingress, or VNet ingress from the gateway's APIM subnet alone.
  for (const app of ofType(g, "azure-native:app:ContainerApp")) {
    if (at(app, "configuration", "ingress", "external") === false) continue;
    assert.deepEqual((at(app, "configuration", "ingress", "ipSecurityRestrictions") as Array<{ action: string; ipAddressRange: string }>).map((r) => `${r.action} ${r.ipAddressRange}`), ["Allow 10.40.12.0/24"], `${label}: ${app.name} open beyond the APIM subnet`);
  }

  const queues = ofType(g, "azure-native:servicebus:Queue");
  assert.equal(queues.length, plan.agents.length);
  for (const q of queues) {
    assert.equal(at(q, "deadLetteringOnMessageExpiration"), true, `${label}: ${q.name} dead-letters on expiry`);
    assert.ok(Number(at(q, "maxDeliveryCount")) >= 1);
  }
  for (const s of ofType(g, "azure-native:servicebus:Subscription")) assert.equal(at(s, "deadLetteringOnMessageExpiration"), true);

  // Roles: one resource each; an agent's only on what it owns.
  let agentRoles = 0;
  const telemetry = ofType(g, "azure-native:applicationinsights:Component").map((c) => `/providers/Microsoft.Insights/components/${str(at(c, "resourceName"))}`);
  const identities = new Map<string, CapturedResource>(ofType(g, "azure-native:managedidentity:UserAssignedIdentity").map((i) => [str(i.outputs.principalId), i]));
  for (const ra of ofType(g, "azure-native:authorization:RoleAssignment")) {
    const scope = str(at(ra, "scope"));
    assert.doesNotMatch(scope, /^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?$/, `${label}: ${ra.name} is scoped to a subscription or resource group`);
    const owner = identities.get(str(at(ra, "principalId")));
    const agent = owner ? plan.agents.find((a) => str(at(owner, "resourceName")).endsWith(`-${a.name}`)) : undefined;
    if (!agent) continue;
    agentRoles++;
    // Its own queue, topic, secrets and lease; and the fleet's Application Insights component (publishing its traces).
    const own = [`/queues/${agent.name}`, `/topics/${agent.name}-events`, ...Object.values(agent.secrets).map((s) => `/secrets/${s.ref}`), "/containers/leases", ...telemetry];
    assert.ok(
      own.some((suffix) => scope.endsWith(suffix)),
      `${label}: ${agent.name}'s role on ${scope} is not one of its own resources`,
    );
  }
  // Every agent receives from its queue and publishes to its topic: the check above saw them all.
  assert.ok(agentRoles >= 2 * plan.agents.length, `${label}: ${agentRoles} agent role assignments checked`);
}

async function expectAcaRejection(fleet: FleetInput): Promise<void> {
  const issues = await fleetIssues(fleet);
  assert.ok(issues.length > 0 && issues.every((i) => /resources\.gpu\.share$/.test(i.path) && /aks/.test(i.hint ?? "")));
}

for (const runtime of ["aca", "aks"] as const) {
  describe(`Azure invariants on ${runtime}, every seed fleet, three tiers`, () => {
    for (const tier of TIERS) {
      for (const environment of tier === "small" ? (["dev", "prod"] as const) : (["prod"] as const)) {
        for (const fleet of seedFleets({ tier, environment, targets: [{ runtime, region: REGION }] })) {
          it(`${fleet.metadata.name} ${tier} ${environment}`, async () => {
            if (runtime === "aca" && !acaRuns(fleet)) return expectAcaRejection(fleet);
            checkInvariants(await planFleetOffline(fleet), fleet, environment === "prod");
          });
        }
      }
    }
  });
}
