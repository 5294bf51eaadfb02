import { createHash } from "node:crypto";

export const ACCOUNT_ID = "123456789012";
export const AZURE_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
export const GCP_PROJECT = "microagents-offline";

/** What a mock sees of a resource being created. */
export interface MockContext {
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The provider reference (`<urn>::<id>`) when the resource names one. */
  readonly provider?: string;
}

/** Outputs a provider computes on create (ids, ARNs, URLs, auto-names), per type. */
export interface OutputRule {
  readonly match: RegExp;
  readonly outputs: (ctx: MockContext) => { readonly id?: string; readonly state: Record<string, unknown> };
}

/** A stable 7-character suffix, as Pulumi auto-naming adds, derived from type and name. */
export function suffix(ctx: Pick<MockContext, "type" | "name">): string {
  return createHash("sha256").update(`${ctx.type}::${ctx.name}`).digest("hex").slice(0, 7);
}

/** The physical name: the input name if given, else `<logical>-<suffix>`. */
export function physicalName(ctx: MockContext, key = "name"): string {
  const given = ctx.inputs[key];
  return typeof given === "string" && given.length > 0 ? given : `${ctx.name}-${suffix(ctx)}`;
}

export function str(v: unknown, fallback: string): string {
  return typeof v === "string" ? v : fallback;
}
