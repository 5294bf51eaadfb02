import { bySeverity, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-021",
  title: "Log retention set and logs encrypted",
  severity: "medium",
  kind: "security",
  description: "Every log group has a retention (logs kept forever are both a cost and a liability) and is encrypted at rest. CloudWatch Logs, Log Analytics and Cloud Logging encrypt by default; a stated `none` or an unknown store fails.",
  remediation: "Set `retentionInDays` (CloudWatch), `retentionInDays` (Log Analytics) or `retentionDays` (Cloud Logging bucket) to the environment's retention; add a KMS key where policy requires customer keys.",
  anchors: { checkov: ["CKV_AWS_66", "CKV_AWS_158"] },
  enforcement: bySeverity("medium"),
  reads: ["log-group"],
  check(facts) {
    return only(facts, "log-group").flatMap((l) => {
      const problems = [...(l.retentionDays === undefined ? ["has no retention (kept forever)"] : []), ...(l.encryption.atRest === "none" || l.encryption.atRest === "unknown" ? ["is not known to be encrypted"] : [])];
      return problems.length > 0 ? [finding(l, `log group ${problems.join(" and ")}`)] : [];
    });
  },
};
