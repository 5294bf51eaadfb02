import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { customerServiceFleet, emailFleet, researchFleet } from "../../agents/fleets";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { estimateCost } from "../../lib/cost";
import { factsFromGraph } from "../../lib/facts";
import type { FactOf } from "../../lib/facts/types";
import { runOffline, type CapturedResource, type ResourceGraph } from "../../lib/offline/engine";
import { planFleet } from "../../lib/plan";
import { MicroAgentsConfigError, type Environment, type FleetInput } from "../../lib/spec";
import * as pulumi from "@pulumi/pulumi";
import { postgresAdmin } from "../../lib/targets/azure/postgres";
import { COSMOS_DATA_CONTRIBUTOR, stateNames, stateShape } from "../../lib/targets/azure/state-shape";
import { ruleById } from "../../policies/rules";
import { ruleContext } from "../../policies/engine/evaluate";
import { onContainerApps } from "../../stacks/azure";
import { CHECK_DAY } from "../policies/fixtures/kit";
import { azurePairFleet } from "../helpers/azure";
import { at } from "../helpers/offline";

const REGION = "swedencentral";
const ENVIRONMENTS: ReadonlyArray<Environment> = ["dev", "prod"];
const STATE_TYPES = /^azure-native:(cosmosdb|redisenterprise|dbforpostgresql):/;
const str = (v: unknown) => (typeof v === "string" ? v : "");

/** The seed fleets at their own tier: email small, support medium, research enterprise. */
function seedAtTier(environment: Environment, runtime: "aca" | "aks"): FleetInput[] {
  const targets = [{ runtime, region: REGION }];
  const fleets = [emailFleet({ tier: "small", environment, targets }), customerServiceFleet({ tier: "medium", environment, targets }), researchFleet({ tier: "enterprise", environment, targets })];
  // Container Apps serves whole GPUs: the stacks give shared-GPU agents a whole one (stacks/azure.ts).
  return runtime === "aca" ? fleets.map(onContainerApps) : fleets;
}

interface Built {
  readonly graph: ResourceGraph;
  readonly fleet: FleetInput;
  readonly name: string;
  readonly resources: ReadonlyArray<CapturedResource>;
}

/** Every seed fleet in dev and prod on one runtime, in one offline program (each under its own AgentFleet name). */
async function buildAll(runtime: "aca" | "aks"): Promise<{ graph: ResourceGraph; built: Built[] }> {
  const fleets = ENVIRONMENTS.flatMap((env) => seedAtTier(env, runtime).map((fleet) => ({ fleet, name: `${fleet.metadata.name}-${env}` })));
  const graph = await runOffline(() => fleets.forEach(({ fleet, name }) => new AgentFleet(name, { fleet })));
  return { graph, built: fleets.map(({ fleet, name }) => ({ graph, fleet, name, resources: graph.resources.filter((r) => r.name.startsWith(`${name}-`)) })) };
}

const typed = (rs: ReadonlyArray<CapturedResource>, type: string) => rs.filter((r) => r.type === type);

/** Environment variables of each agent workload, by agent name, on either runtime. */
function agentEnv(rs: ReadonlyArray<CapturedResource>): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const read = (env: unknown) => Object.fromEntries((Array.isArray(env) ? env : []).map((e: { name?: string; value?: unknown }) => [str(e.name), str(e.value)]));
  for (const app of typed(rs, "azure-native:app:ContainerApp")) out.set(str(at(app, "containerAppName")), read(at(app, "template", "containers", 0, "env")));
  for (const d of typed(rs, "kubernetes:apps/v1:Deployment")) out.set(str(at(d, "metadata", "name")), read(at(d, "spec", "template", "spec", "containers", 0, "env")));
  return out;
}

/** What holds for every seed fleet, tier, environment and runtime. */
function checkInvariants(b: Built): void {
  const plan = planFleet(b.fleet);
  const prod = b.fleet.spec.environment === "prod";
  const tier = plan.tier.name;
  const label = `${b.name} ${tier} on ${b.fleet.spec.targets[0].runtime}`;
  const names = stateNames(plan, plan.fleet.targets[0]);
  const rs = b.resources;
  const identities = new Map(typed(rs, "azure-native:managedidentity:UserAssignedIdentity").map((i) => [str(i.outputs.principalId), str(at(i, "resourceName"))]));
  const agentPrincipals = plan.agents.map((a) => [...identities].find(([, n]) => n.endsWith(`-${a.name}`))?.[0] ?? "");
  const locks = typed(rs, "azure-native:authorization:ManagementLockByScope");
  const locked = (path: string) => locks.some((l) => at(l, "level") === "CanNotDelete" && str(at(l, "scope")).endsWith(path));

  const [account, ...moreAccounts] = typed(rs, "azure-native:cosmosdb:DatabaseAccount");
  assert.equal(moreAccounts.length, 0, `${label}: one Cosmos DB account`);
  assert.equal(at(account, "accountName"), names.cosmosAccount);
  assert.equal(at(account, "disableLocalAuth"), true, `${label}: no Cosmos keys`);
  assert.equal(at(account, "disableKeyBasedMetadataWriteAccess"), true);
  assert.equal(at(account, "minimalTlsVersion"), "Tls12");
  assert.deepEqual(at(account, "backupPolicy"), { type: "Continuous", continuousModeProperties: { tier: prod ? "Continuous30Days" : "Continuous7Days" } });
  assert.equal(at(account, "publicNetworkAccess"), prod ? "Disabled" : "Enabled", `${label}: Cosmos DB private in prod`);
  const serverless = tier === "small" || !prod;
  assert.deepEqual(at(account, "capabilities"), serverless ? [{ name: "EnableServerless" }] : [], `${label}: serverless in small and dev`);
  const [database] = typed(rs, "azure-native:cosmosdb:SqlResourceSqlDatabase");
  assert.deepEqual(at(database, "options"), serverless ? undefined : { autoscaleSettings: { maxThroughput: prod && tier === "enterprise" ? 4000 : 1000 } });
  assert.ok(locked(`/databaseAccounts/${names.cosmosAccount}/sqlDatabases/state`), `${label}: the state database is locked`);

  // Data-plane roles: Data Contributor on one container each, two per agent, nothing account-wide.
  const cosmosRoles = typed(rs, "azure-native:cosmosdb:SqlResourceSqlRoleAssignment");
  assert.equal(cosmosRoles.length, 2 * plan.agents.length);
  for (const ra of cosmosRoles) {
    assert.match(str(at(ra, "scope")), new RegExp(`/databaseAccounts/${names.cosmosAccount}/dbs/state/colls/(tasks|context)$`), `${label}: ${ra.name} on one container`);
    assert.ok(str(at(ra, "roleDefinitionId")).endsWith(`/sqlRoleDefinitions/${COSMOS_DATA_CONTRIBUTOR}`));
    assert.ok(agentPrincipals.includes(str(at(ra, "principalId"))), `${label}: ${ra.name} is an agent's`);
  }
  assert.equal(new Set(cosmosRoles.map((r) => at(r, "roleAssignmentId"))).size, cosmosRoles.length, "role assignment ids are unique");

  const [redis] = typed(rs, "azure-native:redisenterprise:RedisEnterprise");
  const [redisDb] = typed(rs, "azure-native:redisenterprise:Database");
  assert.equal(at(redis, "minimumTlsVersion"), "1.2");
  assert.equal(at(redis, "publicNetworkAccess"), prod ? "Disabled" : "Enabled", `${label}: cache private in prod`);
  assert.equal(at(redisDb, "accessKeysAuthentication"), "Disabled", `${label}: no Redis keys`);
  assert.equal(at(redisDb, "clientProtocol"), "Encrypted");
  const redisUsers = typed(rs, "azure-native:redisenterprise:AccessPolicyAssignment").map((a) => str(at(a, "user", "objectId")));
  assert.deepEqual([...redisUsers].sort(), [...agentPrincipals].sort(), `${label}: one cache access per agent`);

  const [server, ...moreServers] = typed(rs, "azure-native:dbforpostgresql:Server");
  assert.equal(moreServers.length, 0);
  assert.deepEqual(at(server, "authConfig", "passwordAuth"), "Disabled", `${label}: Entra only`);
  assert.equal(at(server, "authConfig", "activeDirectoryAuth"), "Enabled");
  assert.equal(at(server, "network", "publicNetworkAccess"), "Disabled", `${label}: Postgres private in every environment`);
  assert.deepEqual(at(server, "backup"), { backupRetentionDays: prod ? 35 : 7, geoRedundantBackup: "Enabled" });
  assert.equal(at(server, "highAvailability", "mode"), prod && tier !== "small" ? "ZoneRedundant" : "Disabled");
  assert.equal(at(server, "storage", "autoGrow"), "Enabled");
  assert.ok(locked(`/flexibleServers/${names.postgresServer}`), `${label}: Postgres is locked`);
  const bouncer = typed(rs, "azure-native:dbforpostgresql:Configuration").find((c) => at(c, "configurationName") === "pgbouncer.enabled");
  assert.equal(bouncer !== undefined, plan.tier.connectionPooling, `${label}: PgBouncer where the tier pools`);
  assert.notEqual(at(server, "sku", "tier"), plan.tier.connectionPooling ? "Burstable" : "", "PgBouncer needs General Purpose");

  const groups = typed(rs, "azure-native:network:PrivateEndpoint").map((pe) => str(at(pe, "privateLinkServiceConnections", 0, "groupIds", 0)));
  assert.deepEqual(groups.filter((g) => ["Sql", "redisEnterprise", "postgresqlServer"].includes(g)).sort(), prod ? ["Sql", "postgresqlServer", "redisEnterprise"] : ["postgresqlServer"]);

  // Agents get endpoints and identities, never keys.
  for (const [agent, env] of agentEnv(rs)) {
    assert.equal(env.MICROAGENTS_COSMOS_ENDPOINT, `https://${names.cosmosAccount}.documents.azure.com:443/`, `${label}: ${agent}`);
    assert.equal(env.MICROAGENTS_RESULTS_CACHE_URL, `rediss://${names.redisCluster}.${REGION}.redis.azure.net:10000`);
    assert.equal(env.MICROAGENTS_DB_HOST, `${names.postgresServer}.postgres.database.azure.com`);
    assert.equal(env.MICROAGENTS_DB_PORT, plan.tier.connectionPooling ? "6432" : "5432");
    assert.equal(env.MICROAGENTS_RESULTS_CACHE_PREFIX, `${agent}:`);
    assert.ok(agentPrincipals.includes(env.MICROAGENTS_RESULTS_CACHE_USER), `${agent}'s cache user is its identity's object id`);
    for (const [k, v] of Object.entries(env)) assert.doesNotMatch(`${k}=${v}`, /AccountKey|password|SharedAccessKey/i, `${label}: ${agent} gets no key in ${k}`);
  }
}

/** The security rules that judge stores and grants find nothing on the state; the cost estimate prices every state resource. */
function checkRulesAndCost(b: Built): void {
  const facts = factsFromGraph({ ...b.graph, resources: b.resources });
  const ctx = ruleContext(planFleet(b.fleet).tier.name, b.fleet.spec.environment, { now: CHECK_DAY });
  const state = (urn: string) => b.resources.some((r) => r.urn === urn && STATE_TYPES.test(r.type));
  for (const id of ["MA-SEC-012", "MA-SEC-013", "MA-SEC-024", "MA-SEC-027"]) {
    const rule = ruleById(id);
    assert.ok(rule);
    const found = rule.check(facts, ctx).filter((f) => state(f.resource.urn));
    assert.deepEqual(found.map((f) => f.message), [], `${b.name}: ${id}`);
  }
  const stores = facts.filter((f): f is FactOf<"store"> => f.kind === "store" && f.cloud === "azure" && f.storeKind !== "object");
  assert.ok(stores.filter((s) => s.storeKind !== "redis").every((s) => s.deletionProtection === true && s.backups.enabled === true), `${b.name}: durable stores protected and backed up`);
  const estimate = estimateCost(facts);
  const unpriced = estimate.unpriced.filter((u) => STATE_TYPES.test(u.type) || /ManagementLock/.test(u.type));
  assert.deepEqual(unpriced, [], `${b.name}: every state resource priced`);
  for (const type of ["azure-native:cosmosdb:DatabaseAccount", "azure-native:redisenterprise:RedisEnterprise", "azure-native:dbforpostgresql:Server"]) {
    assert.ok(estimate.items.some((i) => i.type === type && i.monthlyUsd > 0), `${b.name}: ${type} has a price`);
  }
}

for (const runtime of ["aca", "aks"] as const) {
  describe(`AgentStateStore on ${runtime}: every seed fleet at its tier, dev and prod`, () => {
    let built: Built[] = [];
    before(async () => {
      built = (await buildAll(runtime)).built;
    });
    it("builds six fleets", () => assert.equal(built.length, 6));
    for (const env of ENVIRONMENTS) {
      for (const fleet of ["acme-email", "acme-support", "acme-research"]) {
        it(`${fleet} ${env}: no keys or local auth, grants on the agent's own containers, private in prod, backups and locks`, () => {
          const b = built.find((x) => x.name === `${fleet}-${env}`);
          assert.ok(b);
          checkInvariants(b);
        });
        it(`${fleet} ${env}: MA-SEC-012/013/024/027 find nothing on the state; every state resource priced`, () => {
          const b = built.find((x) => x.name === `${fleet}-${env}`);
          assert.ok(b);
          checkRulesAndCost(b);
        });
      }
    }
  });
}

describe("AgentStateStore on a medium primary-backup pair (aks, westeurope and northeurope, prod)", () => {
  // Front Door reaches each region's public gateway; its certificate is validated in the fleet's DNS zone.
  const fleet: FleetInput = azurePairFleet("aks", "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/dns/providers/Microsoft.Network/dnszones/acme.example");
  const plan = planFleet(fleet);
  const primaryNames = stateNames(plan, plan.fleet.targets[0]);
  const backupNames = stateNames(plan, plan.fleet.targets[1]);
  let rs: ReadonlyArray<CapturedResource> = [];
  const one = (type: string, location?: string) => {
    const found = typed(rs, type).filter((r) => location === undefined || at(r, "location") === location);
    assert.equal(found.length, 1, `one ${type}${location ? ` in ${location}` : ""}`);
    return found[0];
  };
  before(async () => {
    rs = (await runOffline(() => new AgentFleet("acme-support", { fleet }))).resources;
  });

  it("one Cosmos DB account in the primary, listing both regions with automatic failover (exact inputs)", () => {
    assert.equal(primaryNames.cosmosAccount, backupNames.cosmosAccount, "both halves name the primary's account");
    const account = one("azure-native:cosmosdb:DatabaseAccount");
    const { tags: _tags, ...inputs } = account.inputs;
    assert.deepEqual(inputs, {
      resourceGroupName: "rg-acme-support-prod-westeurope",
      accountName: primaryNames.cosmosAccount,
      location: "westeurope",
      kind: "GlobalDocumentDB",
      databaseAccountOfferType: "Standard",
      createMode: "Default",
      locations: [
        { locationName: "westeurope", failoverPriority: 0, isZoneRedundant: false },
        { locationName: "northeurope", failoverPriority: 1, isZoneRedundant: false },
      ],
      consistencyPolicy: { defaultConsistencyLevel: "Session" },
      capabilities: [],
      backupPolicy: { type: "Continuous", continuousModeProperties: { tier: "Continuous30Days" } },
      disableLocalAuth: true,
      disableKeyBasedMetadataWriteAccess: true,
      minimalTlsVersion: "Tls12",
      publicNetworkAccess: "Disabled",
      networkAclBypass: "None",
      enableAutomaticFailover: true,
      enableMultipleWriteLocations: false,
      enableFreeTier: false,
    });
    assert.deepEqual(at(one("azure-native:cosmosdb:SqlResourceSqlDatabase"), "options"), { autoscaleSettings: { maxThroughput: 1000 } });
  });

  it("tasks and context containers: partition keys, the status-priority composite index, TTLs", () => {
    const containers = typed(rs, "azure-native:cosmosdb:SqlResourceSqlContainer");
    const tasks = containers.find((c) => at(c, "containerName") === "tasks");
    const context = containers.find((c) => at(c, "containerName") === "context");
    assert.ok(tasks && context);
    assert.deepEqual(at(tasks, "resource"), {
      id: "tasks",
      partitionKey: { paths: ["/taskId"], kind: "Hash", version: 2 },
      defaultTtl: 2592000,
      indexingPolicy: {
        automatic: true,
        indexingMode: "consistent",
        includedPaths: [{ path: "/*" }],
        excludedPaths: [{ path: '/"_etag"/?' }],
        compositeIndexes: [
          [
            { path: "/status", order: "ascending" },
            { path: "/priority", order: "descending" },
          ],
        ],
      },
    });
    assert.deepEqual(at(context, "resource"), { id: "context", partitionKey: { paths: ["/contextId"], kind: "Hash", version: 2 }, defaultTtl: -1 });
  });

  it("each region's agents get Data Contributor on the two containers of the one account; the backup reaches it through its own private endpoint", () => {
    const roles = typed(rs, "azure-native:cosmosdb:SqlResourceSqlRoleAssignment");
    assert.equal(roles.length, 2 * 2 * plan.agents.length);
    assert.ok(roles.every((r) => at(r, "resourceGroupName") === "rg-acme-support-prod-westeurope" && at(r, "accountName") === primaryNames.cosmosAccount));
    const sql = typed(rs, "azure-native:network:PrivateEndpoint").filter((pe) => at(pe, "privateLinkServiceConnections", 0, "groupIds", 0) === "Sql");
    assert.deepEqual(sql.map((pe) => at(pe, "location")).sort(), ["northeurope", "westeurope"]);
    assert.ok(sql.every((pe) => str(at(pe, "privateLinkServiceConnections", 0, "privateLinkServiceId")).endsWith(`/databaseAccounts/${primaryNames.cosmosAccount}`)));
    // Each region resolves the stores' private names in its own zones (one per resource group; equal logical names would collide).
    for (const zone of ["privatelink.documents.azure.com", "privatelink.redis.azure.net", "privatelink.postgres.database.azure.com"]) {
      const zones = typed(rs, "azure-native:privatedns:PrivateZone").filter((z) => at(z, "privateZoneName") === zone);
      assert.deepEqual(zones.map((z) => at(z, "resourceGroupName")).sort(), ["rg-acme-support-prod-northeurope", "rg-acme-support-prod-westeurope"], zone);
    }
  });

  it("a Managed Redis cluster per region (the backup's starts cold): Entra and TLS only, HA and hourly RDB in prod (exact inputs)", () => {
    for (const [location, names] of [["westeurope", primaryNames], ["northeurope", backupNames]] as const) {
      const cluster = one("azure-native:redisenterprise:RedisEnterprise", location);
      const { tags: _tags, ...inputs } = cluster.inputs;
      assert.deepEqual(inputs, { resourceGroupName: `rg-acme-support-prod-${location}`, location, clusterName: names.redisCluster, sku: { name: "Balanced_B1" }, minimumTlsVersion: "1.2", highAvailability: "Enabled", publicNetworkAccess: "Disabled" });
    }
    const dbs = typed(rs, "azure-native:redisenterprise:Database");
    assert.equal(dbs.length, 2);
    assert.deepEqual(dbs[0].inputs, {
      resourceGroupName: dbs[0].inputs.resourceGroupName,
      clusterName: dbs[0].inputs.clusterName,
      databaseName: "default",
      port: 10000,
      clientProtocol: "Encrypted",
      accessKeysAuthentication: "Disabled",
      clusteringPolicy: "EnterpriseCluster",
      evictionPolicy: "VolatileLRU",
      persistence: { rdbEnabled: true, rdbFrequency: "1h" },
    });
    const assignment = typed(rs, "azure-native:redisenterprise:AccessPolicyAssignment")[0];
    assert.equal(at(assignment, "accessPolicyName"), "default");
  });

  it("Postgres: the primary (exact inputs) and a read replica in the backup region, both locked and private; PgBouncer on both", () => {
    const primary = one("azure-native:dbforpostgresql:Server", "westeurope");
    const { tags: _tags, ...inputs } = primary.inputs;
    assert.deepEqual(inputs, {
      resourceGroupName: "rg-acme-support-prod-westeurope",
      location: "westeurope",
      serverName: primaryNames.postgresServer,
      createMode: "Create",
      // The SDK's defaults: ARM picks the zones.
      availabilityZone: "",
      version: "17",
      sku: { name: "Standard_D2ds_v5", tier: "GeneralPurpose" },
      storage: { storageSizeGB: 32, autoGrow: "Enabled", type: "Premium_LRS" },
      backup: { backupRetentionDays: 35, geoRedundantBackup: "Enabled" },
      highAvailability: { mode: "ZoneRedundant", standbyAvailabilityZone: "" },
      authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId: "11111111-1111-4111-8111-111111111111" },
      network: { publicNetworkAccess: "Disabled" },
      maintenanceWindow: { customWindow: "Enabled", dayOfWeek: 0, startHour: 3, startMinute: 0 },
    });
    const replica = one("azure-native:dbforpostgresql:Server", "northeurope");
    const { tags: _replicaTags, ...replicaInputs } = replica.inputs;
    assert.deepEqual(replicaInputs, {
      resourceGroupName: "rg-acme-support-prod-northeurope",
      location: "northeurope",
      serverName: backupNames.postgresServer,
      createMode: "Replica",
      availabilityZone: "",
      sourceServerResourceId: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-acme-support-prod-westeurope/providers/Microsoft.DBforPostgreSQL/flexibleServers/${primaryNames.postgresServer}`,
      sku: { name: "Standard_D2ds_v5", tier: "GeneralPurpose" },
      storage: { storageSizeGB: 32, autoGrow: "Enabled", type: "Premium_LRS" },
      network: { publicNetworkAccess: "Disabled" },
    });
    const admins = typed(rs, "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra");
    assert.equal(admins.length, 1, "the replica keeps its primary's Entra admin");
    assert.deepEqual({ ...admins[0].inputs, resourceGroupName: undefined }, {
      resourceGroupName: undefined,
      serverName: primaryNames.postgresServer,
      objectId: "33333333-3333-4333-8333-333333333333",
      principalName: "acme-support-prod-deployer",
      principalType: "servicePrincipal",
      tenantId: "11111111-1111-4111-8111-111111111111",
    });
    const bouncers = typed(rs, "azure-native:dbforpostgresql:Configuration").filter((c) => at(c, "configurationName") === "pgbouncer.enabled");
    assert.deepEqual(bouncers.map((c) => at(c, "serverName")).sort(), [primaryNames.postgresServer, backupNames.postgresServer].sort());
    const locks = typed(rs, "azure-native:authorization:ManagementLockByScope").map((l) => str(at(l, "scope")));
    for (const server of [primaryNames.postgresServer, backupNames.postgresServer]) assert.ok(locks.some((s) => s.endsWith(`/flexibleServers/${server}`)), `${server} locked`);
    assert.equal(locks.filter((s) => s.includes("/databaseAccounts/")).length, 1, "one lock on the one Cosmos database");
  });

  it("backup agents use the primary's Cosmos account (their region first), their own cache, and the read-only replica", () => {
    const envs = agentEnv(rs.filter((r) => r.name.startsWith("acme-support-aks-northeurope-")));
    assert.equal(envs.size, plan.agents.length);
    for (const env of envs.values()) {
      assert.equal(env.MICROAGENTS_COSMOS_ENDPOINT, `https://${primaryNames.cosmosAccount}.documents.azure.com:443/`);
      assert.equal(env.MICROAGENTS_COSMOS_PREFERRED_REGIONS, "northeurope,westeurope");
      assert.equal(env.MICROAGENTS_RESULTS_CACHE_URL, `rediss://${backupNames.redisCluster}.northeurope.redis.azure.net:10000`);
      assert.equal(env.MICROAGENTS_DB_HOST, `${backupNames.postgresServer}.postgres.database.azure.com`);
      assert.equal(env.MICROAGENTS_DB_READ_ONLY, "true");
    }
    for (const env of agentEnv(rs.filter((r) => r.name.startsWith("acme-support-aks-westeurope-"))).values()) {
      assert.equal(env.MICROAGENTS_COSMOS_PREFERRED_REGIONS, "westeurope,northeurope");
      assert.equal(env.MICROAGENTS_DB_READ_ONLY, undefined);
    }
  });

  it("facts: the account is two regions at 1,000 RU/s autoscale, locked, with 30-day point-in-time restore; the replica counts as backed up", () => {
    const facts = factsFromGraph({ config: {}, resources: [...rs] });
    const stores = facts.filter((f): f is FactOf<"store"> => f.kind === "store" && f.cloud === "azure");
    const cosmos = stores.find((s) => s.storeKind === "cosmosdb");
    assert.deepEqual({ nodes: cosmos?.nodes, capacity: cosmos?.capacity, backups: cosmos?.backups, deletionProtection: cosmos?.deletionProtection }, { nodes: 2, capacity: { units: 1000, autoscale: true }, backups: { enabled: true, pointInTime: true, retentionDays: 30 }, deletionProtection: true });
    const replica = stores.find((s) => s.storeKind === "postgres" && s.resource.name === "acme-support-aks-northeurope-state-postgres");
    assert.deepEqual({ backups: replica?.backups, deletionProtection: replica?.deletionProtection, publiclyAccessible: replica?.publiclyAccessible }, { backups: { enabled: true, pointInTime: false }, deletionProtection: true, publiclyAccessible: false });
  });
});

describe("Azure state shapes per tier and environment (plain data)", () => {
  const shapeOf = (tier: "small" | "medium" | "enterprise", environment: Environment, replicated = false) => {
    const p = planFleet(emailFleet({ tier, environment, targets: [{ runtime: "aks", region: REGION }] }));
    return stateShape(p, { pooling: p.tier.connectionPooling, replicated });
  };

  it("Postgres: Burstable in small (no pooling, no HA), General Purpose where the tier pools, D4ds_v5 in enterprise prod, General Purpose for a replica", () => {
    assert.deepEqual(shapeOf("small", "dev").postgres, { skuName: "Standard_B1ms", skuTier: "Burstable", zoneRedundant: false, pooled: false, storageGb: 32, backupRetentionDays: 7 });
    assert.deepEqual(shapeOf("small", "prod").postgres, { skuName: "Standard_B2s", skuTier: "Burstable", zoneRedundant: false, pooled: false, storageGb: 32, backupRetentionDays: 35 });
    assert.deepEqual(shapeOf("medium", "dev").postgres, { skuName: "Standard_D2ds_v5", skuTier: "GeneralPurpose", zoneRedundant: false, pooled: true, storageGb: 32, backupRetentionDays: 7 });
    assert.deepEqual(shapeOf("enterprise", "prod").postgres, { skuName: "Standard_D4ds_v5", skuTier: "GeneralPurpose", zoneRedundant: true, pooled: true, storageGb: 32, backupRetentionDays: 35 });
    assert.equal(shapeOf("small", "prod", true).postgres.skuTier, "GeneralPurpose");
  });

  it("Cosmos DB: serverless in small and dev unless replicated; Managed Redis: B0 in dev without HA, B0/B1/B3 with HA in prod", () => {
    assert.deepEqual(shapeOf("medium", "dev", true).cosmos, { serverless: false, maxThroughput: 1000, backupTier: "Continuous7Days" });
    assert.deepEqual(shapeOf("small", "prod").cosmos, { serverless: true, backupTier: "Continuous30Days" });
    assert.deepEqual((["small", "medium", "enterprise"] as const).map((t) => shapeOf(t, "prod").redis.sku), ["Balanced_B0", "Balanced_B1", "Balanced_B3"]);
    assert.deepEqual(shapeOf("enterprise", "dev").redis, { sku: "Balanced_B0", highAvailability: false, persistence: false });
  });

  it("an Entra admin type Postgres does not know is a config error naming the setting", () => {
    pulumi.runtime.setConfig("microagents:postgresAdminType", "robot");
    try {
      assert.throws(
        () => postgresAdmin({ deployerObjectId: pulumi.output("33333333-3333-4333-8333-333333333333"), prefix: "acme-prod" }),
        (e: unknown) => e instanceof MicroAgentsConfigError && e.issues[0]?.path === "config microagents:postgresAdminType" && /servicePrincipal/.test(e.issues[0]?.hint ?? ""),
      );
    } finally {
      pulumi.runtime.setConfig("microagents:postgresAdminType", "servicePrincipal");
    }
  });
});
