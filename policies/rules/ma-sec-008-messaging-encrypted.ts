import { bySeverity, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-008",
  title: "Queues and topics encrypted at rest",
  severity: "high",
  kind: "security",
  description:
    "Messages hold customer data while they wait: every queue and topic is encrypted at rest. SQS (SSE-SQS by default since 2022), Service Bus and Pub/Sub always encrypt unless switched off; SNS topics need a KMS key; NATS JetStream encrypts file storage only when the server has a key (`jetstream.cipher`/`key`), which the check reads from the NATS Helm release in the stack.",
  remediation: "SNS: `kmsMasterKeyId`; SQS: keep `sqsManagedSseEnabled` or set `kmsMasterKeyId`; NATS: set `config.jetstream.merge: { cipher: chachapoly, key: <from a Secret> }` on the NATS release.",
  anchors: { checkov: ["CKV_AWS_27", "CKV_AWS_26"] },
  enforcement: bySeverity("high"),
  reads: ["queue", "topic"],
  check(facts) {
    return [...only(facts, "queue"), ...only(facts, "topic")].flatMap((f) => {
      const what = f.kind === "queue" ? "queue" : "topic";
      if (f.encryption.atRest === "none") return [finding(f, `${what} is not encrypted at rest`)];
      if (f.encryption.atRest === "unknown") return [finding(f, `${what}: encryption at rest cannot be established from the stack (the server or store that holds it is not in it)`)];
      return [];
    });
  },
};
