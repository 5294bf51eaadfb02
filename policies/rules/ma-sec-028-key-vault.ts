import { byEnvironment, finding, only, type Finding, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-028",
  title: "Key vaults: purge protection on, network access restricted",
  severity: "high",
  kind: "security",
  description:
    "A key vault holds the keys that encrypt everything else. Purge protection keeps a deleted vault, key or secret recoverable for the retention period, so one mistaken or malicious delete cannot destroy data encrypted with it; the firewall denies by default (`networkAcls.defaultAction: Deny`, or public network access disabled) so only private endpoints and listed networks reach it.",
  remediation: "Key Vault: `properties.enablePurgeProtection: true` and `properties.networkAcls: { defaultAction: \"Deny\", bypass: \"AzureServices\" }` (or `publicNetworkAccess: \"Disabled\"` with a private endpoint).",
  anchors: { checkov: ["CKV_AZURE_42", "CKV_AZURE_110", "CKV_AZURE_109"] },
  // Mandatory in prod, where the platform puts vaults and namespaces behind private endpoints; advisory before.
  enforcement: byEnvironment({ dev: "advisory", staging: "advisory", prod: "mandatory" }),
  reads: ["key-vault"],
  check(facts) {
    return only(facts, "key-vault").flatMap((v): Finding[] => [
      ...(v.purgeProtection ? [] : [finding(v, "key vault has no purge protection")]),
      ...(v.networkRestricted ? [] : [finding(v, "key vault accepts traffic from any network (networkAcls.defaultAction is not Deny)")]),
    ]);
  },
};
