/** DynamoDB tables, RDS and Aurora, and ElastiCache as store facts. */
import { fact, type AdapterEntry, type AdapterInput } from "./context";
import { awsKey } from "./aws-governance";
import type { Fact, StoreFact } from "./types";
import { bool, isRecord, num, obj, str } from "./values";

export function dynamoTable({ inputs, common }: AdapterInput): Fact[] {
  const mode = str(inputs, "billingMode") ?? "PROVISIONED";
  const sse = obj(inputs, "serverSideEncryption");
  const kms = str(sse, "kmsKeyArn");
  const read = num(inputs, "readCapacity");
  const write = num(inputs, "writeCapacity");
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "dynamodb",
      capacityMode: mode === "PAY_PER_REQUEST" ? "on-demand" : "provisioned",
      ...(mode !== "PAY_PER_REQUEST" ? { capacity: { ...(read !== undefined ? { read } : {}), ...(write !== undefined ? { write } : {}) } } : {}),
      backups: { pointInTime: bool(inputs, "pointInTimeRecovery", "enabled") === true, enabled: bool(inputs, "pointInTimeRecovery", "enabled") === true },
      deletionProtection: bool(inputs, "deletionProtectionEnabled") === true,
      // DynamoDB always encrypts at rest; `enabled` picks a KMS key over the AWS-owned one.
      encryption: bool(sse, "enabled") === true ? awsKey(kms ?? "alias/aws/dynamodb", "provider-key") : { atRest: "provider-key" },
    }),
  ];
}

export function rdsInstance(kind: "rds" | "aurora"): AdapterEntry {
  return {
    taggable: true,
    adapt: ({ inputs, common }) => {
      const retention = num(inputs, "backupRetentionPeriod");
      const encrypted = bool(inputs, "storageEncrypted");
      const kms = str(inputs, "kmsKeyId");
      const engine = str(inputs, "engine");
      const cls = str(inputs, "instanceClass") ?? str(inputs, "dbClusterInstanceClass");
      const size = num(inputs, "allocatedStorage");
      const multiAz = bool(inputs, "multiAz");
      const serverless = isRecord(inputs.serverlessv2ScalingConfiguration);
      const publicly = bool(inputs, "publiclyAccessible");
      return [
        fact<StoreFact>(common, {
          kind: "store",
          storeKind: kind,
          ...(engine ? { engine } : {}),
          ...(cls ? { instanceClass: cls } : {}),
          ...(size !== undefined ? { sizeGb: size } : {}),
          capacityMode: serverless ? "serverless" : "provisioned",
          // The RDS API keeps 1 day of automated backups when none is given.
          backups: { enabled: (retention ?? 1) > 0, retentionDays: retention ?? 1, pointInTime: (retention ?? 1) > 0 },
          deletionProtection: bool(inputs, "deletionProtection") === true,
          encryption: encrypted === true ? awsKey(kms ?? "alias/aws/rds", "provider-key") : kind === "aurora" && kms ? awsKey(kms, "provider-key") : { atRest: "none" },
          ...(multiAz !== undefined ? { highAvailability: multiAz } : {}),
          ...(publicly !== undefined ? { publiclyAccessible: publicly } : {}),
        }),
      ];
    },
  };
}

export function replicationGroup({ inputs, common }: AdapterInput): Fact[] {
  const retention = num(inputs, "snapshotRetentionLimit") ?? 0;
  const nodeType = str(inputs, "nodeType");
  const nodes = num(inputs, "numCacheClusters") ?? (num(inputs, "numNodeGroups") ?? 1) * ((num(inputs, "replicasPerNodeGroup") ?? 0) + 1);
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "elasticache",
      engine: str(inputs, "engine") ?? "redis",
      ...(nodeType ? { instanceClass: nodeType } : {}),
      capacityMode: "provisioned",
      nodes,
      backups: { enabled: retention > 0, retentionDays: retention },
      encryption: bool(inputs, "atRestEncryptionEnabled") === true ? awsKey(str(inputs, "kmsKeyId") ?? "alias/aws/elasticache", "provider-key") : { atRest: "none" },
      tlsRequired: bool(inputs, "transitEncryptionEnabled") === true,
      highAvailability: bool(inputs, "automaticFailoverEnabled") === true || bool(inputs, "multiAzEnabled") === true,
    }),
  ];
}

export function serverlessCache({ inputs, common }: AdapterInput): Fact[] {
  const retention = num(inputs, "snapshotRetentionLimit") ?? 0;
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "elasticache",
      engine: str(inputs, "engine") ?? "redis",
      capacityMode: "serverless",
      backups: { enabled: retention > 0, retentionDays: retention },
      // ElastiCache Serverless always encrypts at rest and in transit.
      encryption: awsKey(str(inputs, "kmsKeyId"), "provider-key"),
      tlsRequired: true,
      highAvailability: true,
    }),
  ];
}

export function cacheCluster({ inputs, common }: AdapterInput): Fact[] {
  const retention = num(inputs, "snapshotRetentionLimit") ?? 0;
  const nodeType = str(inputs, "nodeType");
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "elasticache",
      engine: str(inputs, "engine") ?? "redis",
      ...(nodeType ? { instanceClass: nodeType } : {}),
      capacityMode: "provisioned",
      nodes: num(inputs, "numCacheNodes") ?? 1,
      backups: { enabled: retention > 0, retentionDays: retention },
      encryption: { atRest: "none" },
      tlsRequired: bool(inputs, "transitEncryptionEnabled") === true,
    }),
  ];
}
