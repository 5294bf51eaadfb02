/** KMS keys, Secrets Manager secrets, CloudWatch log groups and budgets. */
import { fact, type AdapterInput } from "./context";
import type { BudgetFact, EncryptionFact, EncryptionKeyFact, Fact, LogGroupFact, SecretFact } from "./types";
import { bool, num, records, str } from "./values";

/** A key is the customer's unless it is an AWS-managed alias (`alias/aws/...`). */
export function awsKey(keyId: string | undefined, providerDefault: EncryptionFact["atRest"]): EncryptionFact {
  if (!keyId) return { atRest: providerDefault };
  return /alias\/aws\//.test(keyId) ? { atRest: "provider-key", keyId } : { atRest: "customer-key", keyId };
}

export function secret({ inputs, common }: AdapterInput): Fact[] {
  return [
    fact<SecretFact>(common, {
      kind: "secret",
      store: "secretsmanager",
      encryption: awsKey(str(inputs, "kmsKeyId"), "provider-key"),
      // Rotation is its own resource (SecretRotation); linking sets it.
      rotation: false,
      rotationSupported: true,
    }),
  ];
}

export function kmsKey({ inputs, common }: AdapterInput): Fact[] {
  const days = num(inputs, "rotationPeriodInDays");
  const spec = str(inputs, "customerMasterKeySpec") ?? str(inputs, "keySpec") ?? "SYMMETRIC_DEFAULT";
  // Only symmetric keys rotate; asymmetric and HMAC keys cannot.
  const rotation = bool(inputs, "enableKeyRotation") === true || spec !== "SYMMETRIC_DEFAULT";
  return [fact<EncryptionKeyFact>(common, { kind: "encryption-key", service: "kms", rotation, ...(days !== undefined ? { rotationDays: days } : {}) })];
}

export function budget({ inputs, common }: AdapterInput): Fact[] {
  const amount = num(inputs, "limitAmount");
  const unit = str(inputs, "limitUnit") ?? "USD";
  return [
    fact<BudgetFact>(common, {
      kind: "budget",
      service: "aws-budgets",
      ...(amount !== undefined && unit === "USD" ? { amountUsd: amount } : {}),
      period: str(inputs, "timeUnit") ?? "MONTHLY",
      alertPercents: records(inputs, "notifications")
        .filter((n) => (str(n, "thresholdType") ?? "PERCENTAGE") === "PERCENTAGE")
        .map((n) => num(n, "threshold"))
        .filter((n): n is number => n !== undefined),
    }),
  ];
}

export function logGroup({ inputs, common }: AdapterInput): Fact[] {
  const days = num(inputs, "retentionInDays");
  const name = str(inputs, "name");
  return [
    fact<LogGroupFact>(common, {
      kind: "log-group",
      service: "cloudwatch",
      ...(name ? { logName: name } : {}),
      // 0 means never expire, as does no value.
      ...(days !== undefined && days > 0 ? { retentionDays: days } : {}),
      // CloudWatch Logs always encrypts; a KMS key makes it the customer's.
      encryption: awsKey(str(inputs, "kmsKeyId"), "provider-key"),
    }),
  ];
}
