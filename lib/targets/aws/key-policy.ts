import type { PolicyStatement } from "./iam";
import { arn } from "./names";

/**
 * Every action on a symmetric encryption key, spelled out: the account keeps full
 * control of the key through IAM without a wildcard in the key policy.
 */
export const KMS_KEY_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:CreateGrant",
  "kms:Decrypt",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:RetireGrant",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
] as const;

/**
 * The key policy of the fleet key. In a key policy `Resource: "*"` means this key
 * (its ARN does not exist before the policy does). The account administers the
 * key through IAM; services that write encrypted data on the fleet's behalf
 * (CloudWatch Logs, SNS delivering to encrypted queues, CloudWatch alarms and
 * Budgets publishing to the encrypted alarm topic) may use it only for this account.
 */
export function fleetKeyPolicy(region: string, account: string, partition: string, opts: { readonly autoScaling?: boolean } = {}): PolicyStatement[] {
  const sameAccount = { StringEquals: { "aws:SourceAccount": account } };
  const use = ["kms:Decrypt", "kms:GenerateDataKey"];
  return [
    ...(opts.autoScaling ? autoScalingKeyStatements(account, partition) : []),
    { Sid: "AccountAdministersKeyThroughIam", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: [...KMS_KEY_ACTIONS], Resource: "*" },
    {
      Sid: "CloudWatchLogsEncryptsFleetLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": arn(region, "logs", account, "log-group:*") } },
    },
    { Sid: "SnsDeliversToEncryptedQueues", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: use, Resource: "*", Condition: sameAccount },
    { Sid: "CloudWatchAlarmsPublishToAlarmTopic", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: use, Resource: "*", Condition: sameAccount },
    { Sid: "BudgetsPublishToAlarmTopic", Effect: "Allow", Principal: { Service: "budgets.amazonaws.com" }, Action: use, Resource: "*", Condition: sameAccount },
  ];
}

/**
 * The Auto Scaling service-linked role's use of the key, for Auto Scaling groups
 * whose launch templates encrypt volumes with it and whose notifications go to a
 * topic encrypted with it (AWS's "required key policy for use with encrypted
 * volumes": https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html).
 * A key policy may name a role only once it exists: the role is created with an
 * account's first Auto Scaling group, or by
 * `aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`.
 */
export function autoScalingKeyStatements(account: string, partition: string): PolicyStatement[] {
  const role = { AWS: `arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling` };
  return [
    {
      Sid: "AutoScalingUsesKeyForVolumesAndNotifications",
      Effect: "Allow",
      Principal: role,
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
      Resource: "*",
    },
    { Sid: "AutoScalingAttachesEncryptedVolumes", Effect: "Allow", Principal: role, Action: "kms:CreateGrant", Resource: "*", Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } },
  ];
}
