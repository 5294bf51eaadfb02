import type { PolicyStatementFact } from "./types";
import { isRecord, jsonish, strings, type Bag } from "./values";

/** Principals of an IAM statement: `"*"`, `{ AWS: "*" }`, `{ Service: [...] }` all flatten to strings. */
function principals(p: unknown): string[] {
  if (typeof p === "string") return [p];
  if (!isRecord(p)) return [];
  return Object.values(p).flatMap((v) => (typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []));
}

/**
 * Statements of an IAM policy document, written as JSON text or an object, with
 * PascalCase (IAM JSON) or camelCase (Pulumi's PolicyDocument type) keys.
 * Returns undefined when the document cannot be read.
 */
export function iamStatements(doc: unknown): PolicyStatementFact[] | undefined {
  const parsed = jsonish(doc);
  if (!isRecord(parsed)) return undefined;
  const raw = parsed.Statement ?? parsed.statement ?? parsed.statements;
  const list = Array.isArray(raw) ? raw : isRecord(raw) ? [raw] : undefined;
  if (!list) return undefined;
  return list.filter(isRecord).map((s: Bag) => {
    const pick = (...keys: string[]) => keys.map((k) => s[k]).find((v) => v !== undefined);
    const effect = String(pick("Effect", "effect") ?? "Allow") === "Deny" ? ("Deny" as const) : ("Allow" as const);
    const notAction = pick("NotAction", "notActions", "notAction");
    const condition = pick("Condition", "condition", "conditions");
    return {
      effect,
      actions: strings(notAction ?? pick("Action", "actions", "action")),
      notActions: notAction !== undefined,
      resources: strings(pick("Resource", "resources", "resource", "NotResource", "notResources")),
      principals: principals(pick("Principal", "principal", "principals")),
      conditionKeys: isRecord(condition) ? Object.values(condition).flatMap((c) => (isRecord(c) ? Object.keys(c) : [])) : [],
    };
  });
}

/** AWS managed policies that grant everything. */
export const ADMIN_POLICY_ARNS = ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/PowerUserAccess"];
