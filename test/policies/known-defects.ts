import type { Violation } from "../../policies/engine/evaluate";

/**
 * Mandatory violations the rules find in a target's output today, each a real defect
 * reported to the target's owner and not fixed here (the fix is not small or not
 * clearly right). The stack and fleet tests accept exactly these, so a new violation
 * still fails and a fixed defect shows up as a stale entry.
 */
export interface KnownDefect {
  readonly runtime: string;
  readonly rule: string;
  readonly message: RegExp;
  readonly why: string;
}

// The ECS ADOT sidecar's digest pin (MA-SEC-005) and health check (MA-SEC-022) were fixed in 813d90d.
export const KNOWN_DEFECTS: ReadonlyArray<KnownDefect> = [];

export function isKnown(runtime: string, v: Violation): boolean {
  return KNOWN_DEFECTS.some((d) => d.runtime === runtime && d.rule === v.ruleId && d.message.test(v.message));
}
