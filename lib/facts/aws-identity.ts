/** IAM roles, policies and attachments as IAM policy facts. */
import { fact, type AdapterInput, type FactCommon } from "./context";
import { ADMIN_POLICY_ARNS, iamStatements } from "./iam";
import type { Fact, IamPolicyFact } from "./types";
import { records, str, strings } from "./values";

export function identityPolicy(common: FactCommon, doc: unknown, attachedTo: IamPolicyFact["attachedTo"], scope: IamPolicyFact["scope"] = "identity"): IamPolicyFact {
  const statements = iamStatements(doc);
  return fact<IamPolicyFact>(common, { kind: "iam-policy", scope, ...(attachedTo ? { attachedTo } : {}), statements: statements ?? [], unreadable: statements === undefined });
}

const adminStatement = { effect: "Allow" as const, actions: ["*"], notActions: false, resources: ["*"], principals: [], conditionKeys: [] };

export function iamRole({ inputs, common }: AdapterInput): Fact[] {
  const role = str(inputs, "name") ?? common.resource.name;
  const out: Fact[] = [identityPolicy(common, inputs.assumeRolePolicy, { kind: "role", ref: role }, "trust")];
  for (const p of records(inputs, "inlinePolicies")) if (p.policy !== undefined) out.push(identityPolicy(common, p.policy, { kind: "role", ref: role }));
  const admin = strings(inputs, "managedPolicyArns").filter((a) => ADMIN_POLICY_ARNS.includes(a));
  if (admin.length > 0) out.push(fact<IamPolicyFact>(common, { kind: "iam-policy", scope: "identity", attachedTo: { kind: "role", ref: role }, statements: [adminStatement], unreadable: false }));
  return out;
}

export function policyAttachment({ inputs, common }: AdapterInput): Fact[] {
  const arn = str(inputs, "policyArn") ?? "";
  if (!ADMIN_POLICY_ARNS.includes(arn)) return [];
  return [fact<IamPolicyFact>(common, { kind: "iam-policy", scope: "identity", attachedTo: { kind: "role", ref: str(inputs, "role") ?? "" }, statements: [adminStatement], unreadable: false })];
}
