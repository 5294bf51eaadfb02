import { bySeverity, finding, only, type Rule } from "./types";

/** Stores that hold state nothing else can rebuild; caches and scratch volumes are exempt. */
const DURABLE = new Set(["dynamodb", "rds", "aurora", "cosmosdb", "postgres", "firestore", "cloudsql"]);

export const rule: Rule = {
  id: "MA-SEC-024",
  title: "Stores have backups/PITR and deletion protection",
  severity: "high",
  kind: "security",
  description:
    "Durable stores (task tables, context stores, databases) keep backups or point-in-time recovery and cannot be deleted by one mistaken `pulumi destroy` or console click: the provider's deletion protection, or Pulumi's `protect` for in-cluster databases. Caches (ElastiCache, Azure Cache, Memorystore) hold derivable data and are exempt. A read replica (a Cloud SQL cross-region replica) is recovered from its source's backups, which are judged on the source, and needs deletion protection of its own.",
  remediation: "DynamoDB: `pointInTimeRecovery.enabled` and `deletionProtectionEnabled`; RDS: `backupRetentionPeriod` ≥ 1 and `deletionProtection`; Cosmos DB: continuous backup and a CanNotDelete lock; Firestore: PITR and `deleteProtectionState`; CloudNativePG: a backup object store and `protect: true`.",
  anchors: { checkov: ["CKV_AWS_28", "CKV_AWS_133", "CKV_AWS_293", "CKV_GCP_14"] },
  enforcement: bySeverity("high"),
  reads: ["store"],
  check(facts) {
    return only(facts, "store")
      .filter((s) => DURABLE.has(s.storeKind))
      .flatMap((s) => {
        // A read replica is recovered from its source's backups (judged on the source); it still needs deletion protection.
        const problems = [...(s.backups.enabled !== true && s.backups.pointInTime !== true && s.replicaOf === undefined ? ["has no backups or point-in-time recovery"] : []), ...(s.deletionProtection !== true ? ["is not protected from deletion"] : [])];
        return problems.length > 0 ? [finding(s, `${s.storeKind} ${problems.join(" and ")}`)] : [];
      });
  },
};
