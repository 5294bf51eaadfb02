import { bySeverity, finding, only, type Rule } from "./types";

/** Condition keys that narrow a `*` principal to one account, organization, source or endpoint. */
const NARROWING = /^(aws:SourceArn|aws:SourceAccount|aws:SourceOwner|aws:PrincipalOrgID|aws:PrincipalAccount|aws:SourceVpce?|aws:PrincipalArn|condition)$/i;

export const rule: Rule = {
  id: "MA-SEC-009",
  title: "No public or wildcard principal on queue and topic policies",
  severity: "critical",
  kind: "security",
  description:
    "A resource policy that lets `*` (anyone, any AWS account) send to or read from a queue or topic, or a Pub/Sub binding to `allUsers`/`allAuthenticatedUsers`, opens the agent's input to the internet. A `*` principal narrowed by `aws:SourceArn`, `aws:SourceAccount` or `aws:PrincipalOrgID` is fine (SNS-to-SQS fan-out is written that way).",
  remediation: "Name the principal (the publishing role, `sns.amazonaws.com` with `aws:SourceArn` of the topic) instead of `*`; bind Pub/Sub roles to service accounts, not allUsers.",
  anchors: { checkov: ["CKV_AWS_168", "CKV_AWS_169"] },
  enforcement: bySeverity("critical"),
  reads: ["iam-policy"],
  check(facts) {
    return only(facts, "iam-policy")
      .filter((p) => p.scope === "resource" && p.attachedTo && ["queue", "topic", "subscription"].includes(p.attachedTo.kind))
      .flatMap((p) => {
        if (p.unreadable) return [finding(p, `${p.attachedTo?.kind} policy cannot be read`)];
        const open = p.statements.filter((s) => s.effect === "Allow" && s.principals.includes("*") && !s.conditionKeys.some((k) => NARROWING.test(k)));
        return open.length > 0 ? [finding(p, `${p.attachedTo?.kind} policy allows any principal (${open.flatMap((s) => s.actions).join(", ") || "all actions"})`)] : [];
      });
  },
};
