import { byEnvironment, finding, only, type Finding, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-029",
  title: "Service Bus: no public network access, TLS ≥ 1.2, no SAS rule with Manage",
  severity: "high",
  kind: "security",
  description:
    "Agents reach their broker over the private network with their managed identity. A Service Bus namespace disables public network access (private endpoints instead) and requires TLS 1.2; no shared access signature rule declared on a namespace, queue or topic carries `Manage` rights, a key that can create, change and delete everything in the namespace. A Standard namespace (which cannot have a private endpoint) passes when a network rule set denies every address but narrow allowed ones (single addresses or /24 and narrower, such as the fleet's NAT egress IP) and local (SAS) auth is off.",
  remediation: "Service Bus: `publicNetworkAccess: \"Disabled\"` with a private endpoint (Premium), or on Standard a NamespaceNetworkRuleSet with `defaultAction: \"Deny\"` and the fleet's egress IPs, `minimumTlsVersion: \"1.2\"`, preferably `disableLocalAuth: true`; SAS rules with `Listen` or `Send` only, or role assignments (Azure Service Bus Data Sender/Receiver) instead.",
  anchors: { checkov: ["CKV_AZURE_201", "CKV_AZURE_204"] },
  // Mandatory in prod, where the platform puts vaults and namespaces behind private endpoints; advisory before.
  enforcement: byEnvironment({ dev: "advisory", staging: "advisory", prod: "mandatory" }),
  reads: ["messaging-namespace", "access-key"],
  check(facts) {
    const out: Finding[] = [];
    for (const n of only(facts, "messaging-namespace")) {
      // A Standard namespace cannot have a private endpoint: an IP firewall admitting only the fleet's own egress, with SAS off, is the compensating control.
      const firewalled = n.ipFirewall !== undefined && n.ipFirewall.length > 0 && !n.localAuth;
      if (n.publicNetworkAccess && !firewalled) out.push(finding(n, n.ipFirewall ? "namespace's public endpoint is firewalled but still accepts SAS keys (disableLocalAuth is not true)" : "namespace accepts traffic from public networks (publicNetworkAccess is not Disabled and no IP firewall denies other addresses)"));
      if (n.minTlsVersion !== undefined && Number(n.minTlsVersion) < 1.2) out.push(finding(n, `namespace accepts TLS ${n.minTlsVersion}`));
    }
    for (const k of only(facts, "access-key").filter((x) => x.rights.includes("Manage"))) out.push(finding(k, `shared access rule on '${k.scope}' has Manage rights`));
    return out;
  },
};
