import { bySeverity, finding, only, type Finding, type Rule } from "./types";

/** Actions that only accept `Resource: "*"` (no resource-level permissions). */
const STAR_ONLY_ACTIONS = new Set([
  "ecr:getauthorizationtoken",
  "ecs:discoverpollendpoint",
  "ecs:createcluster",
  "xray:puttracesegments",
  "xray:puttelemetryrecords",
  "xray:getsamplingrules",
  "xray:getsamplingtargets",
  "cloudwatch:putmetricdata",
  "sts:getcalleridentity",
  "ec2:describenetworkinterfaces",
  "ec2:createnetworkinterface",
  "ec2:deletenetworkinterface",
  "ssm:describeparameters",
  "kms:listkeys",
  "kms:listaliases",
  "ec2:getinstancetypesfrominstancerequirements",
]);

/** Read-only Describe and List calls: AWS scopes almost none of them to resources. */
const READ_ONLY = /^[a-z0-9-]+:(Describe|List)[A-Za-z]*$/;
const starOnly = (action: string) => STAR_ONLY_ACTIONS.has(action.toLowerCase()) || READ_ONLY.test(action);

const isWildcardAction = (a: string) => a === "*" || /^[a-z0-9-]+:\*$/i.test(a) || a === "*:*";

export const rule: Rule = {
  id: "MA-SEC-013",
  title: "No IAM wildcard actions or `*` resources; task role ≠ execution role",
  severity: "high",
  kind: "security",
  description:
    "Identities get the actions they need on the resources they need: no `*` or `service:*` actions, no `NotAction` allows, no `Resource: \"*\"` except for actions that only accept it (ecr:GetAuthorizationToken, ecs:DiscoverPollEndpoint, X-Ray, PutMetricData, read-only Describe*/List* calls), no AdministratorAccess or basic project roles (owner, editor), no Kubernetes Role with `*` verbs or resources, no Azure role definition with `*` actions. An ECS task's role (what the agent may do) differs from its execution role (what ECS may do to start it).",
  remediation: "List the actions and resource ARNs the agent uses (its queue, its secrets, its log group); use separate `taskRoleArn` and `executionRoleArn`.",
  anchors: { checkov: ["CKV_AWS_1", "CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_355", "CKV_AWS_249", "CKV_K8S_49"], kubeLinter: ["wildcard-in-rules"] },
  enforcement: bySeverity("high"),
  reads: ["iam-policy", "container-workload"],
  check(facts) {
    const out: Finding[] = [];
    for (const p of only(facts, "iam-policy").filter((x) => x.scope === "identity")) {
      if (p.unreadable) {
        out.push(finding(p, "policy document cannot be read"));
        continue;
      }
      for (const s of p.statements.filter((x) => x.effect === "Allow")) {
        const wild = s.actions.filter(isWildcardAction);
        if (s.notActions) out.push(finding(p, `allows everything except ${s.actions.join(", ")} (NotAction)`));
        else if (wild.length > 0) out.push(finding(p, `allows wildcard actions ${wild.join(", ")}`));
        if (!s.notActions && s.resources.includes("*") && !s.actions.every(starOnly)) {
          out.push(finding(p, `allows ${s.actions.filter((a) => !starOnly(a)).join(", ") || "actions"} on every resource (*)`));
        }
      }
    }
    for (const w of only(facts, "container-workload")) {
      const { taskRole, executionRole } = w.identity;
      if (taskRole !== undefined && taskRole === executionRole) out.push(finding(w, "task role and execution role are the same role"));
    }
    return out;
  },
};
