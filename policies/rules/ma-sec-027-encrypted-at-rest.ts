import { bySeverity, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-027",
  title: "Databases, caches and object storage encrypted at rest",
  severity: "high",
  kind: "security",
  description:
    "State outlives the agents: task tables, results caches, databases and buckets are encrypted at rest. RDS and Aurora need `storageEncrypted` (off unless stated), ElastiCache replication groups `atRestEncryptionEnabled` (an ElastiCache cluster without a replication group cannot encrypt at rest); DynamoDB, ElastiCache Serverless, S3, Azure Storage, Cosmos DB, Cloud SQL, Memorystore and Cloud Storage always encrypt, and a customer key is read where stated. Every store is judged, tagged with an agent or not.",
  remediation: "RDS/Aurora: `storageEncrypted: true` (with `kmsKeyId` for a customer key); ElastiCache: a replication group (or serverless cache) with `atRestEncryptionEnabled: true`; S3: keep the default SSE or configure SSE-KMS.",
  anchors: { checkov: ["CKV_AWS_16", "CKV_AWS_96", "CKV_AWS_29", "CKV_AWS_19"] },
  enforcement: bySeverity("high"),
  reads: ["store", "object-store"],
  check(facts) {
    return [...only(facts, "store"), ...only(facts, "object-store")].flatMap((s) => {
      if (s.encryption.atRest !== "none") return [];
      const what = s.kind === "object-store" ? "bucket" : s.storeKind === "elasticache" ? "cache" : "database";
      return [finding(s, `${what} is not encrypted at rest`)];
    });
  },
};
