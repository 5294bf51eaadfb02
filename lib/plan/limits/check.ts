import type { SpecIssue } from "../../spec/errors";
import type { CloudLimit } from "./sources";

/** A plan or resource that crosses a cloud limit. */
export interface LimitFinding {
  readonly limit: CloudLimit;
  /** The resource (or fleet field) that crosses it: `aws:iam/role:Role acme-prod-db-proxy` or `spec.agents[3].name`. */
  readonly resource: string;
  /** How much of it the plan uses. */
  readonly actual: number;
  readonly hint: string;
}

/** A finding when `actual` crosses `limit`, none otherwise. */
export function overLimit(limit: CloudLimit, resource: string, actual: number, hint: string): LimitFinding[] {
  return actual > limit.max ? [{ limit, resource, actual, hint }] : [];
}

/** A hard limit crossed is an error; an adjustable quota crossed is a warning (the account may have raised it). */
export function isError(f: LimitFinding): boolean {
  return !f.limit.adjustable;
}

export function describeFinding(f: LimitFinding): string {
  const q = f.limit.adjustable ? "quota (adjustable)" : "limit";
  return `${f.limit.what}: ${f.actual.toLocaleString("en-US")} ${f.limit.unit}, over AWS's ${q} of ${f.limit.max.toLocaleString("en-US")} (${f.limit.id}, ${f.limit.source})`;
}

export function findingIssue(f: LimitFinding): SpecIssue {
  return { path: f.resource, message: describeFinding(f), hint: f.hint };
}
