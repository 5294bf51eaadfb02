import { bySeverity, finding, only, override, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-007",
  title: "Secrets under a customer-managed key, with rotation where the cloud supports it",
  severity: "medium",
  kind: "security",
  description:
    "Secrets in AWS Secrets Manager and Google Secret Manager are encrypted with a key the customer manages (so access to the key is a second, audited gate) and rotate automatically; Key Vault secrets sit in the customer's own vault. Customer-managed keys themselves rotate (KMS, Key Vault rotation policy, Cloud KMS rotation period). Kubernetes Secrets are judged by MA-SEC-016.",
  remediation: "Give the secret a KMS key (`kmsKeyId`, `replication.auto.customerManagedEncryption`) and a rotation (`aws.secretsmanager.SecretRotation`, Secret Manager `rotation`); enable key rotation (`enableKeyRotation: true`, a `rotationPeriod`, a Key Vault `rotationPolicy`).",
  anchors: { checkov: ["CKV_AWS_149", "CKV2_AWS_57", "CKV_AWS_7"] },
  // Enterprise staging holds production-like data (several clouds, one control plane).
  enforcement: override(bySeverity("medium"), { enterprise: { staging: "mandatory" } }),
  reads: ["secret", "encryption-key"],
  check(facts) {
    const secrets = only(facts, "secret")
      .filter((s) => s.store !== "kubernetes")
      .flatMap((s) => {
        const problems: string[] = [];
        if (s.encryption.atRest !== "customer-key") problems.push("is not encrypted with a customer-managed key");
        if (s.rotationSupported && s.rotation !== true) problems.push("has no rotation");
        return problems.length > 0 ? [finding(s, `secret ${problems.join(" and ")}`)] : [];
      });
    const keys = only(facts, "encryption-key").filter((k) => !k.rotation).map((k) => finding(k, "key does not rotate"));
    return [...secrets, ...keys];
  },
};
