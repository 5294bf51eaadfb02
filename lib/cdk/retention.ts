import * as logs from "aws-cdk-lib/aws-logs";

/** The plan's retention in days as CloudWatch Logs takes it; the plan only picks values CloudWatch allows. */
export function retentionFor(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((v): v is logs.RetentionDays => typeof v === "number");
  const match = allowed.find((v) => v === days);
  if (match === undefined) throw new RangeError(`CloudWatch Logs cannot keep logs ${days} days; allowed: ${allowed.join(", ")}`);
  return match;
}
