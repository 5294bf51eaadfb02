import { bySeverity, finding, only, override, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-015",
  title: "Control-plane audit logs on",
  severity: "medium",
  kind: "security",
  description: "The Kubernetes audit log records who did what to the cluster. EKS needs the `audit` log type; AKS a diagnostic setting with `kube-audit` (or `kube-audit-admin`); GKE writes admin-activity audit logs always.",
  remediation: "EKS: `enabledClusterLogTypes: [\"api\", \"audit\", \"authenticator\"]`; AKS: an `azure-native:monitor:DiagnosticSetting` on the cluster with the `kube-audit-admin` category.",
  anchors: { checkov: ["CKV_AWS_37", "CKV_AZURE_4"] },
  // Medium and enterprise run central monitoring: their staging clusters keep audit logs too.
  enforcement: override(bySeverity("medium"), { medium: { staging: "mandatory" }, enterprise: { staging: "mandatory" } }),
  reads: ["cluster"],
  check(facts) {
    return only(facts, "cluster")
      .filter((c) => (c.service === "eks" || c.service === "aks" || c.service === "gke") && c.auditLogs !== true)
      .map((c) => finding(c, "control-plane audit logs are off"));
  },
};
