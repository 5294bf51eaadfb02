import { everywhere, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-COST-008",
  title: "Log retention within the environment's cap",
  severity: "medium",
  kind: "cost",
  description: "Logs are kept no longer than the environment allows (`maxLogRetentionDays` in lib/spec/tiers.ts: dev 30, staging 90, prod 400 days); logs kept forever grow the bill every month.",
  remediation: "Set the log group's retention to the environment's default (dev 7, staging 14, prod 30 days) or at most its cap.",
  anchors: {},
  enforcement: everywhere("mandatory"),
  reads: ["log-group"],
  check(facts, ctx) {
    const cap = ctx.environment.maxLogRetentionDays;
    return only(facts, "log-group")
      .filter((l) => l.retentionDays === undefined || l.retentionDays > cap)
      .map((l) => finding(l, l.retentionDays === undefined ? `logs are kept forever; ${ctx.environment.name} allows ${cap} days` : `keeps logs ${l.retentionDays} days; ${ctx.environment.name} allows ${cap}`));
  },
};
