import { bySeverity, finding, only, type Finding, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-030",
  title: "Cluster users authenticate with the cloud's identity, authorized by RBAC",
  severity: "high",
  kind: "security",
  description:
    "Who may change a cluster is decided by the organization's identity provider and Kubernetes RBAC, never by a static credential. AKS clusters turn local accounts off (their admin kubeconfig never expires) and integrate Microsoft Entra ID with Kubernetes RBAC on; GKE clusters keep legacy ABAC off and issue no client certificate or basic-auth password.",
  remediation: "AKS: `disableLocalAccounts: true`, `aadProfile: { managed: true, enableAzureRBAC: true }`, keep `enableRBAC: true`; GKE: `enableLegacyAbac: false` and `masterAuth.clientCertificateConfig.issueClientCertificate: false`.",
  anchors: { checkov: ["CKV_AZURE_141", "CKV_AZURE_5", "CKV_GCP_7", "CKV_GCP_13", "CKV_GCP_19"] },
  enforcement: bySeverity("high"),
  reads: ["cluster-auth"],
  check(facts) {
    return only(facts, "cluster-auth").flatMap((c): Finding[] => {
      const out: Finding[] = [];
      if (c.service === "aks") {
        if (c.localAccounts !== false) out.push(finding(c, "AKS local accounts are on (a static admin kubeconfig)"));
        if (c.rbac === false) out.push(finding(c, "Kubernetes RBAC is off"));
        if (c.entraId !== true) out.push(finding(c, "no Microsoft Entra ID integration (aadProfile)"));
      } else {
        if (c.legacyAbac === true) out.push(finding(c, "legacy ABAC is on"));
        if (c.basicAuth === true) out.push(finding(c, "the cluster issues a client certificate or basic-auth password"));
      }
      return out;
    });
  },
};
