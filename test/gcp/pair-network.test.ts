import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { AgentBroker } from "../../lib/components/agent-broker";
import { AgentPlatform } from "../../lib/components/agent-platform";
import { AgentStateStore } from "../../lib/components/agent-state-store";
import { MicroAgentService } from "../../lib/components/micro-agent-service";
import { runOffline, type CapturedResource, type ResourceGraph } from "../../lib/offline/engine";
import type { FleetInput } from "../../lib/spec";
import { planFleet } from "../../lib/plan/plan-fleet";
import { MicroAgentsConfigError } from "../../lib/spec";
import { preflightIssues } from "../../lib/targets/preflight";
import { BILLING, gcpAgent, gcpFleet, planGcp, PROJECT } from "../helpers/gcp";
import { at, ofType, one } from "../helpers/offline";

/**
 * A GCP primary and backup share one global VPC network: a subnet, router and NAT per
 * region, one private services access range and connection, the Cloud SQL replica in
 * its primary's network (lib/targets/gcp/network.ts, foundation.ts).
 */

const JWT = { issuer: "https://auth.acme.example/", jwksUri: "https://auth.acme.example/.well-known/jwks.json", audiences: ["agents.acme.example"] };
const CONFIG = { "gcp:project": PROJECT, "microagents:billingAccount": BILLING, "microagents:dnsZone": "acme-example" };

function pair(runtime: "run" | "gke", primary: string, backup: string, projects: [string?, string?] = [PROJECT, PROJECT]): FleetInput {
  const agents = [gcpAgent("intake", { route: { path: "/emails", auth: "jwt" } }), gcpAgent("writer")];
  return gcpFleet(runtime, agents, {
    tier: "medium",
    targets: [
      { runtime, region: primary, role: "primary", ...(projects[0] ? { project: projects[0] } : {}), billingAccount: BILLING },
      { runtime, region: backup, role: "backup", ...(projects[1] ? { project: projects[1] } : {}), billingAccount: BILLING },
    ],
    gateway: { hostname: "agents.acme.example", public: true, jwt: JWT },
  });
}

const NETWORK = "gcp:compute/network:Network";
const SUBNET = "gcp:compute/subnetwork:Subnetwork";
const SQL = "gcp:sql/databaseInstance:DatabaseInstance";
const networkId = (n: CapturedResource) => `projects/${PROJECT}/global/networks/${String(at(n, "name"))}`;

/** [first, last] address of an IPv4 CIDR as numbers. */
function span(cidr: string): [number, number] {
  const [ip, bits] = cidr.split("/");
  const n = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
  return [n, n + 2 ** (32 - Number(bits)) - 1];
}

function overlaps(ranges: ReadonlyArray<readonly [string, string]>): string[] {
  const found: string[] = [];
  ranges.forEach(([a, ra], i) =>
    ranges.slice(i + 1).forEach(([b, rb]) => {
      const [x, y] = [span(ra), span(rb)];
      if (x[0] <= y[1] && y[0] <= x[1]) found.push(`${a} ${ra} overlaps ${b} ${rb}`);
    }),
  );
  return found;
}

async function rejection(run: () => Promise<unknown>): Promise<MicroAgentsConfigError> {
  try {
    await run();
  } catch (e) {
    assert.ok(e instanceof MicroAgentsConfigError, String(e));
    return e;
  }
  throw new Error("expected a MicroAgentsConfigError");
}

describe("GCP pair network: one VPC for the primary and backup regions", () => {
  let g: ResourceGraph;
  let run: ResourceGraph;
  before(async () => {
    g = await planGcp(pair("gke", "europe-west4", "europe-west1"), CONFIG);
    run = await planGcp(pair("run", "us-central1", "us-east1"), CONFIG);
  });

  it("builds one custom-mode network, named for the fleet, that both regions' subnets, routers and clusters use", () => {
    for (const graph of [g, run]) {
      const [network, ...others] = ofType(graph, NETWORK);
      assert.equal(others.length, 0, ofType(graph, NETWORK).map((n) => n.name).join(", "));
      assert.deepEqual([at(network, "name"), at(network, "autoCreateSubnetworks")], ["acme-prod-vpc", false]);
      const id = networkId(network);
      const subnets = ofType(graph, SUBNET);
      assert.ok(subnets.length >= 2);
      for (const s of subnets) assert.equal(at(s, "network"), id, s.name);
      for (const r of ofType(graph, "gcp:compute/router:Router")) assert.equal(at(r, "network"), id, r.name);
      for (const f of ofType(graph, "gcp:compute/firewall:Firewall")) assert.equal(at(f, "network"), id, f.name);
    }
    const clusters = ofType(g, "gcp:container/cluster:Cluster");
    assert.deepEqual(clusters.map((c) => at(c, "location")).sort(), ["europe-west1", "europe-west4"]);
    for (const c of clusters) {
      assert.equal(at(c, "network"), networkId(ofType(g, NETWORK)[0]));
      const subnet = ofType(g, SUBNET).find((s) => `projects/${PROJECT}/regions/${String(at(s, "region"))}/subnetworks/${String(at(s, "name"))}` === at(c, "subnetwork"));
      assert.equal(subnet && at(subnet, "region"), at(c, "location"), c.name);
    }
  });

  it("gives each region a private subnet of its own, and no two ranges of the network overlap (nodes, pods, services, proxy-only, private services)", () => {
    for (const graph of [g, run]) {
      const privates = ofType(graph, SUBNET).filter((s) => String(at(s, "name")).endsWith("-private"));
      assert.equal(privates.length, 2);
      assert.equal(new Set(privates.map((s) => at(s, "region"))).size, 2);
      for (const s of privates) assert.equal(at(s, "privateIpGoogleAccess"), true);
      const ranges: Array<readonly [string, string]> = ofType(graph, SUBNET).flatMap((s) => [
        [String(at(s, "name")), String(at(s, "ipCidrRange"))] as const,
        ...((at(s, "secondaryIpRanges") ?? []) as Array<{ rangeName: string; ipCidrRange: string }>).map((r) => [`${String(at(s, "name"))}/${r.rangeName}`, r.ipCidrRange] as const),
      ]);
      for (const a of ofType(graph, "gcp:compute/globalAddress:GlobalAddress").filter((x) => at(x, "purpose") === "VPC_PEERING")) ranges.push([String(at(a, "name")), `${String(at(a, "address"))}/${String(at(a, "prefixLength"))}`]);
      assert.ok(ranges.length >= 7, JSON.stringify(ranges));
      assert.deepEqual(overlaps(ranges), []);
    }
  });

  it("reserves one private services access range and makes one Service Networking connection on the network (a second one on a network is refused)", () => {
    for (const graph of [g, run]) {
      const [range, ...moreRanges] = ofType(graph, "gcp:compute/globalAddress:GlobalAddress").filter((a) => at(a, "purpose") === "VPC_PEERING");
      assert.equal(moreRanges.length, 0);
      assert.deepEqual([at(range, "name"), at(range, "addressType"), at(range, "address"), at(range, "prefixLength"), at(range, "network")], ["acme-prod-private-services", "INTERNAL", "10.0.32.0", 20, networkId(ofType(graph, NETWORK)[0])]);
      const [connection, ...moreConnections] = ofType(graph, "gcp:servicenetworking/connection:Connection");
      assert.equal(moreConnections.length, 0);
      assert.deepEqual([at(connection, "network"), at(connection, "service"), at(connection, "reservedPeeringRanges")], [networkId(ofType(graph, NETWORK)[0]), "servicenetworking.googleapis.com", ["acme-prod-private-services"]]);
    }
  });

  it("runs a Cloud Router and Cloud NAT in each region, each NAT for its own region's subnet only", () => {
    for (const graph of [g, run]) {
      const nats = ofType(graph, "gcp:compute/routerNat:RouterNat");
      assert.equal(nats.length, 2);
      for (const nat of nats) {
        const [subnet] = at(nat, "subnetworks") as Array<{ name: string }>;
        assert.match(subnet.name, new RegExp(`/regions/${String(at(nat, "region"))}/subnetworks/`));
        assert.equal(at(nat, "sourceSubnetworkIpRangesToNat"), "LIST_OF_SUBNETWORKS");
      }
      assert.equal(new Set(nats.map((n) => at(n, "region"))).size, 2);
    }
  });

  it("makes the backup's Postgres a cross-region replica of the primary's in the primary's network, under a key of the backup's region", () => {
    const instances = ofType(g, SQL);
    const [primary] = instances.filter((i) => at(i, "region") === "europe-west4");
    const [replica] = instances.filter((i) => at(i, "region") === "europe-west1");
    const id = networkId(ofType(g, NETWORK)[0]);
    assert.deepEqual([at(primary, "settings", "ipConfiguration", "privateNetwork"), at(replica, "settings", "ipConfiguration", "privateNetwork")], [id, id]);
    assert.deepEqual([at(replica, "masterInstanceName"), at(replica, "instanceType"), at(replica, "databaseVersion")], [primary.outputs.name, "READ_REPLICA_INSTANCE", at(primary, "databaseVersion")]);
    assert.equal(at(replica, "settings", "ipConfiguration", "ipv4Enabled"), false);
    assert.equal(at(replica, "replicaConfiguration"), undefined);
    assert.match(String(at(replica, "encryptionKeyName")), new RegExp(`^projects/${PROJECT}/locations/europe-west1/keyRings/`));
    assert.match(String(at(primary, "encryptionKeyName")), new RegExp(`^projects/${PROJECT}/locations/europe-west4/keyRings/`));
    assert.deepEqual([at(replica, "settings", "tier"), at(replica, "settings", "edition")], [at(primary, "settings", "tier"), at(primary, "settings", "edition")]);
  });

  it("lets the backup region's GKE agents reach the replica and their own cache: Postgres to the pair's private services range, Valkey to their region's subnet (its PSC endpoints)", () => {
    const policies = ofType(g, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => p.name.startsWith("acme-gke-europe-west1-") && JSON.stringify(p.inputs).includes('"port":5432'));
    assert.ok(policies.length >= 2, policies.map((p) => p.name).join(", "));
    for (const p of policies) {
      const rule = (at(p, "spec", "egress") as Array<{ to?: Array<{ ipBlock?: { cidr: string } }>; ports?: Array<{ port: number }> }>).find((r) => r.ports?.some((x) => x.port === 5432));
      assert.deepEqual(rule?.to, [{ ipBlock: { cidr: "10.0.32.0/20" } }], p.name);
      assert.deepEqual(rule?.ports, [{ protocol: "TCP", port: 5432 }], p.name);
      const cache = (at(p, "spec", "egress") as Array<{ to?: unknown; ports?: Array<{ port: number }> }>).find((r) => r.ports?.some((x) => x.port === 6379));
      // europe-west1 is spec.targets[1]: its subnet is 10.16.0.0/20, where the service connection policy puts the cache's endpoints.
      assert.deepEqual(cache, { to: [{ ipBlock: { cidr: "10.16.0.0/20" } }], ports: [{ protocol: "TCP", port: 6379 }, { protocol: "TCP", port: 11000, endPort: 13047 }] }, p.name);
    }
  });

  it("connects each region's Memorystore over Private Service Connect with a policy per region on the one network, on that region's subnet", () => {
    for (const graph of [g, run]) {
      const policies = ofType(graph, "gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy");
      assert.equal(policies.length, 2);
      assert.equal(new Set(policies.map((p) => at(p, "location"))).size, 2);
      for (const p of policies) {
        assert.deepEqual([at(p, "serviceClass"), at(p, "network")], ["gcp-memorystore", networkId(ofType(graph, NETWORK)[0])]);
        assert.match(String((at(p, "pscConfig", "subnetworks") as string[])[0]), new RegExp(`/regions/${String(at(p, "location"))}/subnetworks/`));
      }
      for (const c of ofType(graph, "gcp:memorystore/instance:Instance")) assert.deepEqual(at(c, "desiredPscAutoConnections"), [{ network: networkId(ofType(graph, NETWORK)[0]), projectId: PROJECT }]);
    }
  });

  it("gives Cloud Run services of both regions Direct VPC egress on the one network, each on its own region's subnet", () => {
    const services = ofType(run, "gcp:cloudrunv2/service:Service");
    assert.ok(services.length >= 4);
    for (const s of services) {
      const [nic] = at(s, "template", "vpcAccess", "networkInterfaces") as Array<{ network: string; subnetwork: string }>;
      assert.equal(nic.network, networkId(ofType(run, NETWORK)[0]), s.name);
      assert.match(nic.subnetwork, new RegExp(`/regions/${String(at(s, "location"))}/subnetworks/`), s.name);
    }
  });

  it("names no two project-global resources alike: networks, firewalls, global addresses, routers and NATs per region, subnets per region", () => {
    for (const graph of [g, run]) {
      for (const type of [NETWORK, "gcp:compute/firewall:Firewall", "gcp:compute/globalAddress:GlobalAddress", SUBNET, "gcp:compute/router:Router", "gcp:compute/routerNat:RouterNat", SQL, "gcp:kms/keyRing:KeyRing"]) {
        const keys = ofType(graph, type).map((r) => `${String(at(r, "region") ?? at(r, "location") ?? "global")}/${String(at(r, "name"))}`);
        assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), [], type);
      }
    }
  });

  it("grants the KEDA operator Monitoring once for the pair (its Workload Identity principal is the same in both clusters), with KEDA in both regions", () => {
    const grants = ofType(g, "gcp:projects/iAMMember:IAMMember").filter((m) => String(at(m, "member")).endsWith("/subject/ns/keda/sa/keda-operator"));
    assert.deepEqual(grants.map((m) => [m.name, at(m, "role")]), [["acme-gke-europe-west4-keda-monitoring", "roles/monitoring.viewer"]]);
    const releases = ofType(g, "kubernetes:helm.sh/v3:Release").filter((r) => r.name.endsWith("-keda"));
    assert.deepEqual(releases.map((r) => r.name).sort(), ["acme-gke-europe-west1-keda", "acme-gke-europe-west4-keda"]);
  });

  it("refuses a pair across continents, naming the backup's region (the pair's Firestore multi-region is the primary's), in validate as in the program", async () => {
    const e = await rejection(() => planGcp(pair("run", "us-central1", "europe-west1"), CONFIG));
    assert.ok(e.issues.some((i) => i.path === "spec.targets[1].region" && /another continent/.test(i.message) && /nam5/.test(i.message)), JSON.stringify(e.issues));
    const validate = preflightIssues(planFleet(pair("gke", "europe-west4", "us-east1", [PROJECT, "acme-agents-dr"])), ["run", "gke"], { hostname: "agents.acme.example", dnsZone: "acme-example" });
    assert.deepEqual(validate.filter((i) => /^spec\.targets\[1\]\.(region|project)$/.test(i.path)).map((i) => i.path).sort(), ["spec.targets[1].project", "spec.targets[1].region"]);
    assert.ok(validate.some((i) => i.path === "spec.targets[1].region" && /eur3/.test(i.message)), JSON.stringify(validate));
    // A pair on one continent, in one project, passes.
    assert.deepEqual(preflightIssues(planFleet(pair("run", "us-central1", "northamerica-northeast1")), ["run", "gke"], { hostname: "agents.acme.example", dnsZone: "acme-example" }), []);
  });

  it("refuses a pair in two projects before any resource, naming the backup's project", async () => {
    const e = await rejection(() => planGcp(pair("gke", "europe-west4", "europe-west1", [PROJECT, "acme-agents-dr"]), CONFIG));
    assert.ok(e.issues.some((i) => i.path === "spec.targets[1].project" && /acme-agents-dr/.test(i.message)), JSON.stringify(e.issues));
    // One project from the target, the other from gcp:project: the backup's platform refuses to join a network in another project.
    const f = await rejection(() => planGcp(pair("run", "us-central1", "us-east1", ["acme-agents-primary", undefined]), CONFIG));
    assert.ok(f.issues.some((i) => i.path === "spec.targets[1].project" && /acme-agents-primary/.test(i.message)), JSON.stringify(f.issues));
  });

  it("refuses a replica whose platform was built without the primary's network, naming networkOf", async () => {
    const fleet = pair("run", "us-central1", "us-east1");
    const noRoutes = { ...fleet, spec: { ...fleet.spec, agents: [gcpAgent("writer")] } };
    const e = await rejection(() =>
      runOffline(
        () => {
          const platforms = [0, 1].map((targetIndex) => new AgentPlatform(`acme-${targetIndex}`, { fleet: noRoutes, targetIndex }));
          const services = platforms.map((platform) => [new MicroAgentService(`${platform.resourceName}-writer`, { platform, agent: "writer", broker: new AgentBroker(platform.resourceName, { platform }) })]);
          const primary = new AgentStateStore("acme-0-state", { platform: platforms[0], services: services[0], replicaPlatforms: [platforms[1]] });
          new AgentStateStore("acme-1-state", { platform: platforms[1], services: services[1], replicaOf: primary });
        },
        { config: CONFIG },
      ),
    );
    assert.ok(e.issues.some((i) => i.path === "networkOf" && /networkOf: <the primary's platform>/.test(i.hint ?? "")), JSON.stringify(e.issues));
  });

  it("keeps a one-region fleet's network as it was: named for its region, its own private services range", async () => {
    const single = await planGcp(gcpFleet("run", [gcpAgent("writer")]));
    assert.deepEqual(ofType(single, NETWORK).map((n) => at(n, "name")), ["acme-prod-us-central1-vpc"]);
    assert.deepEqual(at(one(single, "gcp:servicenetworking/connection:Connection", "acme-private-services"), "reservedPeeringRanges"), ["acme-prod-us-central1-private-services"]);
  });
});
