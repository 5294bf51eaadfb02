import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider } from "@pulumi/azure-native/provider";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import { AZURE_SUBSCRIPTION } from "../../lib/offline/mocks";
import { isConfigError, type FleetInput } from "../../lib/spec";
import { zoneSubscriptionIssue } from "../../lib/targets/azure/dns-zone";
import { azurePairFleet } from "../helpers/azure";
import { binary } from "../helpers/cli";
import { enterpriseFleet } from "../helpers/enterprise";
import { one, ofType } from "../helpers/offline";

/** A central DNS subscription, not the one the Azure targets' provider deploys to. */
const DNS_SUBSCRIPTION = "99999999-9999-4999-8999-999999999999";
const zoneIn = (subscription: string) => `/subscriptions/${subscription}/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/acme.example`;
const RECORD = "azure-native:dns:RecordSet";
const ROOT = join(__dirname, "..", "..");

const azurePair = (zoneId: string): FleetInput => azurePairFleet("aks", zoneId, { hostname: "agents.acme.example" });

const providerOf = (g: ResourceGraph, type: string, name: string): string | undefined => one(g, type, name).providerUrn;

describe("records in the fleet's Azure DNS zone go through a provider for the zone's subscription", () => {
  it("a zone in the target's own subscription: the records go through the target's provider, as the Front Door does", async () => {
    const g = await runOffline(() => new AgentFleet("acme", { fleet: azurePair(zoneIn(AZURE_SUBSCRIPTION)) }));
    const profile = providerOf(g, "azure-native:cdn:Profile", "acme-entry-fd");
    assert.ok(profile);
    assert.deepEqual(ofType(g, RECORD).map((r) => [r.name, r.providerUrn]), [
      ["acme-entry-dnsauth", profile],
      ["acme-entry-host", profile],
    ]);
  });

  it("a zone in another subscription without azureDnsProvider fails the run before any record is written: the zone's field and the fix, exit 2, no stack", () => {
    // In a child process, through the CLI: the check runs when the provider's subscription resolves, as at `pulumi preview`.
    const dir = mkdtempSync(join(tmpdir(), "dns-zone-"));
    const program = join(dir, "index.ts");
    writeFileSync(program, [`import { AgentFleet } from ${JSON.stringify(join(ROOT, "lib"))};`, `new AgentFleet("acme", { fleet: ${JSON.stringify(azurePair(zoneIn(DNS_SUBSCRIPTION)))} });`, ""].join("\n"));
    const r = binary("plan", "--stack", program);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("planning"));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], new RegExp(`^spec\\.gateway\\.azureDnsZoneId: the DNS zone is in subscription ${DNS_SUBSCRIPTION}, but the Azure target's provider deploys to ${AZURE_SUBSCRIPTION}: .* \\(pass azureDnsProvider `));
  });

  it("with azureDnsProvider the failover entry's _dnsauth and host records go through it, and nothing else does", async () => {
    const g = await runOffline(() => new AgentFleet("acme", { fleet: azurePair(zoneIn(DNS_SUBSCRIPTION)), azureDnsProvider: new Provider("central-dns", { subscriptionId: DNS_SUBSCRIPTION }) }));
    const records = ofType(g, RECORD);
    assert.deepEqual(records.map((r) => r.name), ["acme-entry-dnsauth", "acme-entry-host"]);
    for (const r of records) assert.match(r.providerUrn ?? "", /::pulumi:providers:azure-native::central-dns$/, r.name);
    const others = g.resources.filter((r) => r.custom && r.type.startsWith("azure-native:") && r.type !== RECORD && r.providerUrn?.endsWith("::central-dns"));
    assert.deepEqual(others.map((r) => r.name), [], "only the zone's records use the DNS provider");
  });

  it("with azureDnsProvider a Front Door global entry writes the AWS certificate's validation record through it too", async () => {
    const fleet = enterpriseFleet(
      { azureDnsZoneId: zoneIn(DNS_SUBSCRIPTION), globalEntry: "frontdoor" },
      {
        targets: [
          { runtime: "eks", region: "us-east-1" },
          { runtime: "aks", region: "westeurope", agents: ["front", "worker"] },
        ],
      },
    );
    const g = await runOffline(() => new AgentFleet("acme", { fleet, azureDnsProvider: new Provider("central-dns", { subscriptionId: DNS_SUBSCRIPTION }) }));
    assert.deepEqual(
      ofType(g, RECORD)
        .map((r) => [r.name, /::central-dns$/.test(r.providerUrn ?? "")])
        .sort(),
      [
        ["acme-entry-acm-validation", true],
        ["acme-entry-dnsauth", true],
        ["acme-entry-host", true],
      ],
    );
  });

  it("refuses an azureDnsProvider that is not an azure-native provider, naming the prop", async () => {
    await assert.rejects(
      runOffline(() => new AgentFleet("acme", { fleet: azurePair(zoneIn(DNS_SUBSCRIPTION)), azureDnsProvider: new AwsProvider("not-azure", { region: "us-east-1" }) })),
      (e: unknown) => isConfigError(e) && e.issues[0].path === "azureDnsProvider",
    );
  });

  it("compares subscriptions as ARM does, ignoring case", () => {
    assert.equal(zoneSubscriptionIssue({ subscriptionId: DNS_SUBSCRIPTION.toUpperCase() }, DNS_SUBSCRIPTION), undefined);
    assert.equal(zoneSubscriptionIssue({ subscriptionId: DNS_SUBSCRIPTION }, AZURE_SUBSCRIPTION)?.path, "spec.gateway.azureDnsZoneId");
  });
});
