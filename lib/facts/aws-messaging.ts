/** SQS queues, SNS topics and their resource policies as queue, topic and IAM policy facts. */
import { fact, type AdapterEntry, type AdapterInput } from "./context";
import { iamStatements } from "./iam";
import { awsKey } from "./aws-governance";
import type { EncryptionFact, Fact, IamPolicyFact, QueueFact, TopicFact } from "./types";
import { bool, jsonish, num, str, strings } from "./values";

export function sqsQueue({ inputs, common }: AdapterInput): Fact[] {
  const redrive = jsonish(inputs.redrivePolicy);
  const allow = jsonish(inputs.redriveAllowPolicy);
  const target = str(redrive, "deadLetterTargetArn");
  const kms = str(inputs, "kmsMasterKeyId");
  const managed = bool(inputs, "sqsManagedSseEnabled");
  // New SQS queues get SSE-SQS unless it is switched off (AWS default since 2022).
  const encryption: EncryptionFact = kms ? awsKey(kms, "provider-key") : managed === false ? { atRest: "none" } : { atRest: "provider-key" };
  const sources = strings(allow, "sourceQueueArns").map((a) => a.split(":").pop() ?? a);
  const name = str(inputs, "name");
  const retention = num(inputs, "messageRetentionSeconds");
  const fifo = bool(inputs, "fifoQueue");
  return [
    fact<QueueFact>(common, {
      kind: "queue",
      service: "sqs",
      ...(name ? { queueName: name } : {}),
      encryption,
      isDeadLetter: str(allow, "redrivePermission") === "byQueue" || str(allow, "redrivePermission") === "allowAll",
      ...(sources.length > 0 ? { deadLetterFor: sources } : {}),
      deadLetter: { configured: target !== undefined, ...(target ? { target } : {}), ...(num(redrive, "maxReceiveCount") !== undefined ? { maxReceiveCount: num(redrive, "maxReceiveCount") } : {}) },
      ...(retention !== undefined ? { retentionSeconds: retention } : {}),
      ...(fifo !== undefined ? { fifo } : {}),
    }),
  ];
}

export function snsTopic({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "name");
  return [fact<TopicFact>(common, { kind: "topic", service: "sns", ...(name ? { topicName: name } : {}), encryption: awsKey(str(inputs, "kmsMasterKeyId"), "none") })];
}

export function resourcePolicy(kind: "queue" | "topic", refKey: string): AdapterEntry {
  return {
    taggable: false,
    adapt: ({ inputs, common }) => {
      const statements = iamStatements(inputs.policy);
      return [
        fact<IamPolicyFact>(common, {
          kind: "iam-policy",
          scope: "resource",
          attachedTo: { kind, ref: str(inputs, refKey) ?? "" },
          statements: statements ?? [],
          unreadable: statements === undefined,
        }),
      ];
    },
  };
}
