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

export const KNOWN_DEFECTS: ReadonlyArray<KnownDefect> = [
  {
    runtime: "ecs",
    rule: "MA-SEC-005",
    message: /container 'otel-collector' image 'public\.ecr\.aws\/aws-observability\/aws-otel-collector:v[\d.]+' is not pinned by digest/,
    why: "the ADOT collector sidecar (medium and enterprise tiers) is pinned by tag; pinning needs the image's real digest",
  },
  {
    runtime: "ecs",
    rule: "MA-SEC-022",
    message: /container 'otel-collector' has no liveness or readiness probe/,
    why: "the ADOT collector sidecar has no container health check",
  },
];

export function isKnown(runtime: string, v: Violation): boolean {
  return KNOWN_DEFECTS.some((d) => d.runtime === runtime && d.rule === v.ruleId && d.message.test(v.message));
}
