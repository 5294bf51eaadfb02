import { bySeverity, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-016",
  title: "Kubernetes secrets encrypted with a KMS key",
  severity: "high",
  kind: "security",
  description:
    "Kubernetes Secrets are envelope-encrypted in etcd with a key in the cloud's KMS, so a leaked etcd backup does not leak them. Checked on EKS, AKS and GKE clusters in the stack; a cluster outside the stack (plain Kubernetes target) cannot be judged here.",
  remediation: "EKS: `encryptionConfig: { resources: [\"secrets\"], provider: { keyArn } }`; AKS: `securityProfile.azureKeyVaultKms`; GKE: `databaseEncryption: { state: \"ENCRYPTED\", keyName }`.",
  anchors: { checkov: ["CKV_AWS_58"] },
  enforcement: bySeverity("high"),
  reads: ["cluster"],
  check(facts) {
    return only(facts, "cluster")
      .filter((c) => (c.service === "eks" || c.service === "aks" || c.service === "gke") && c.secretsEncryption !== true)
      .map((c) => finding(c, "Kubernetes Secrets are not encrypted with a KMS key"));
  },
};
