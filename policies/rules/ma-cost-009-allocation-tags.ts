import { COST_TAG_KEYS } from "../../lib/plan/tags";
import { byEnvironment, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-COST-009",
  title: "Cost-allocation tags or labels (fleet, agent, tier, environment, team) on every taggable resource",
  severity: "medium",
  kind: "cost",
  description:
    "Every resource that can carry tags or labels carries the cost-allocation keys, so the bill splits by fleet, agent, tier, environment and team: AWS and Azure tags, GCP labels (GKE `resourceLabels`), Kubernetes labels under `microagents.io/`. Shared resources use `agent: shared`. Resources that cannot be tagged (policies, attachments, routes) are exempt.",
  remediation: "Tag with `costTags()` (lib/plan/tags.ts) or, on Kubernetes, label with `costLabels()`; for hand-written resources add `fleet`, `agent`, `tier`, `environment` and `team` tags.",
  anchors: {},
  enforcement: byEnvironment({ dev: "advisory", staging: "mandatory", prod: "mandatory" }),
  reads: ["resource"],
  check(facts) {
    return only(facts, "resource")
      .filter((r) => r.taggable === true)
      .flatMap((r) => {
        const missing = COST_TAG_KEYS.filter((k) => !r.tags[k]);
        return missing.length > 0 ? [finding(r, `missing cost-allocation ${missing.length === 1 ? "tag" : "tags"} ${missing.join(", ")}`)] : [];
      });
  },
};
