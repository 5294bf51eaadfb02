import { LIMITS } from "./sources";
import { overLimit, type LimitFinding } from "./check";

/** What IAM counts of a policy document: its JSON without whitespace. */
export function policyChars(document: string | object): number {
  const text = typeof document === "string" ? document : JSON.stringify(document);
  return text.replace(/\s/g, "").length;
}

export interface RolePolicies {
  /** The role, as findings name it. */
  readonly role: string;
  /** Inline policy documents (JSON text or objects). */
  readonly inline: ReadonlyArray<string | object>;
  /** Managed policies attached (customer or AWS managed). */
  readonly managedCount: number;
}

/** A role's inline policies together and its attached managed policies, against IAM's quotas. */
export function checkRolePolicies(r: RolePolicies): LimitFinding[] {
  const inline = r.inline.reduce<number>((sum, d) => sum + policyChars(d), 0);
  return [
    ...overLimit(LIMITS.iamRoleInlinePolicyChars, r.role, inline, "grant by a naming convention (a scoped wildcard) or give each agent its own role and policy, so no role's policy grows with the fleet"),
    ...overLimit(LIMITS.iamManagedPoliciesPerRole, r.role, r.managedCount, "fold managed policies together, or request a higher 'Managed policies per role' quota (at most 20)"),
  ];
}

export function checkManagedPolicy(name: string, document: string | object): LimitFinding[] {
  return overLimit(LIMITS.iamManagedPolicyChars, name, policyChars(document), "split the statements by agent or scope them with a naming-convention wildcard");
}

export function checkTrustPolicy(role: string, document: string | object): LimitFinding[] {
  return overLimit(LIMITS.iamTrustPolicyChars, role, policyChars(document), "trust fewer principals, or request a higher 'Role trust policy length' quota (at most 4,096)");
}
