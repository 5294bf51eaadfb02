import type { Fleet } from "../spec/types";

/** The cost-allocation keys every taggable resource carries. */
export const COST_TAG_KEYS = ["fleet", "agent", "tier", "environment", "team"] as const;
export type CostTagKey = (typeof COST_TAG_KEYS)[number];

/**
 * Pod annotation with the fraction of a GPU (or the whole GPUs) one replica gets:
 * a time-sliced request counts slices, not GPUs, so policies and cost read this.
 */
export const GPU_SHARE_ANNOTATION = "microagents.io/gpu-share";

/**
 * The fleet's monthly budget in USD, on each plain-Kubernetes target's namespace: a
 * cluster has no budget resource, so `cost --stack` and MA-COST-004 read it here.
 */
export const BUDGET_ANNOTATION = "microagents.io/budget-monthly-usd";

/**
 * The cloud region of a managed cluster (EKS, AKS, GKE), on the fleet's namespace in it:
 * a Kubernetes resource names no region and its provider's kubeconfig is unknown until
 * the cluster exists, so facts place the namespace's resources (and cost groups them)
 * by this annotation, in `check` and in the policy packs alike.
 */
export const REGION_ANNOTATION = "microagents.io/region";

/** Kubernetes label prefix for the cost-allocation keys. */
export const LABEL_PREFIX = "microagents.io/";

/**
 * Tags in the form every cloud accepts (AWS tags, Azure tags and GCP labels allow
 * these keys and DNS-label values). Fleet-wide resources carry agent `shared`.
 */
export function costTags(fleet: Fleet, agent?: { readonly name: string; readonly team: string }): Record<string, string> {
  return {
    fleet: fleet.name,
    agent: agent?.name ?? "shared",
    tier: fleet.tier,
    environment: fleet.environment,
    team: agent?.team ?? fleet.team,
    "managed-by": "microagents",
  };
}

/** The same tags as Kubernetes labels, under the microagents.io/ prefix. */
export function costLabels(tags: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) out[k === "managed-by" ? "app.kubernetes.io/managed-by" : `${LABEL_PREFIX}${k}`] = v;
  return out;
}
