import type { FleetPlan } from "../../plan/types";
import { MicroAgentsConfigError, type SpecIssue } from "../../spec/errors";
import { FIRESTORE_MULTI_REGIONS, firestoreMultiRegion } from "./replication";

/** Pub/Sub's longest ack deadline, in seconds. */
export const MAX_ACK_DEADLINE_SECONDS = 600;
/** Pub/Sub's shortest ack deadline, in seconds. */
export const MIN_ACK_DEADLINE_SECONDS = 10;
/** Pub/Sub's fewest delivery attempts before dead-lettering. */
export const MIN_DELIVERY_ATTEMPTS = 5;

/**
 * Regions where Cloud Run services can have an NVIDIA L4 GPU. Source: Cloud Run
 * "GPU zonal redundancy for services", supported regions
 * (cloud.google.com/run/docs/configuring/services/gpu-zonal-redundancy, stored
 * copy read 2026-12-06): us-central1, asia-southeast1, europe-west1,
 * europe-west4, and asia-south1 by invitation only.
 */
export const CLOUD_RUN_GPU_REGIONS: ReadonlyArray<string> = ["us-central1", "asia-southeast1", "europe-west1", "europe-west4", "asia-south1"];
export const CLOUD_RUN_GPU_SOURCE = "cloud.google.com/run/docs/configuring/services/gpu-zonal-redundancy, read 2026-12-06; asia-south1 by invitation";

/** The one GPU Cloud Run offers. */
export const CLOUD_RUN_ACCELERATOR = "nvidia-l4";

const GCP_RUNTIMES: ReadonlySet<string> = new Set(["run", "gke"]);

/**
 * The most Monitoring notification channels a billing budget's alerts may go to
 * (magic-modules billingbudgets/Budget.yaml, allUpdatesRule.monitoringNotificationChannels:
 * "A maximum of 5 channels are allowed", max_size 5): the GCP budget has one channel
 * per budget e-mail address.
 */
export const MAX_BUDGET_CHANNELS = 5;

/** What holds for a fleet on either GCP runtime: Pub/Sub's ack-deadline ceiling, and a primary-backup pair's primary where Firestore has a multi-region. */
export function gcpIssues(plan: FleetPlan): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const gcp = plan.fleet.targets.map((t, i) => ({ t, i })).filter(({ t }) => GCP_RUNTIMES.has(t.runtime));
  const primaries = gcp.filter(({ t }) => t.role === "primary");
  const backups = gcp.filter(({ t }) => t.role === "backup");
  if (primaries.length === 1 && backups.length === 1 && !firestoreMultiRegion(primaries[0].t.region)) {
    issues.push({
      path: `spec.targets[${primaries[0].i}].region`,
      message: `the GCP primary in ${primaries[0].t.region} has a backup region, and its task and context state needs Firestore in a multi-region location: Firestore has them only in North America and Europe (${FIRESTORE_MULTI_REGIONS.map((m) => m.location).join(", ")})`,
      hint: "put the GCP primary and backup in us-*/northamerica-* or europe-* regions, or drop the backup target",
    });
  }
  if (primaries.length === 1 && backups.length === 1) issues.push(...pairIssues(primaries[0], backups[0]));
  const budgetEmails = new Set(plan.fleet.budget.alertEmails).size;
  if (gcp.length > 0 && budgetEmails > MAX_BUDGET_CHANNELS) {
    issues.push({
      path: "spec.budget.alertEmails",
      message: `the GCP billing budget alerts ${budgetEmails} e-mail addresses (spec.budget.alertEmails, else spec.observability.alertEmails), one notification channel each, and a budget takes at most ${MAX_BUDGET_CHANNELS} channels`,
      hint: `list at most ${MAX_BUDGET_CHANNELS} addresses in spec.budget.alertEmails (a group address reaches more people); the billing account's admins are alerted as well`,
    });
  }
  plan.fleet.agents.forEach((a, i) => {
    if (a.queue.visibilityTimeoutSeconds > MAX_ACK_DEADLINE_SECONDS) {
      issues.push({
        path: `spec.agents[${i}].queue.visibilityTimeoutSeconds`,
        message: `${a.queue.visibilityTimeoutSeconds} s is longer than Pub/Sub's longest ack deadline (${MAX_ACK_DEADLINE_SECONDS} s)`,
        hint: `use at most ${MAX_ACK_DEADLINE_SECONDS}; for longer work, ack on receipt and track the task in the state store`,
      });
    }
  });
  return issues;
}

/**
 * A GCP pair shares what Google Cloud makes global or multi-regional: one VPC
 * network (the backup joins the primary's; a network and its subnets are in one
 * project, and so are a Cloud SQL replica and its primary) and one Firestore
 * database in the multi-region of the primary's continent, which the backup's
 * agents use: so the backup must be in the same project and on the same continent
 * (the multi-region's), else its agents would cross an ocean for every task.
 */
function pairIssues(primary: { t: FleetPlan["fleet"]["targets"][number]; i: number }, backup: { t: FleetPlan["fleet"]["targets"][number]; i: number }): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const multi = firestoreMultiRegion(primary.t.region);
  if (multi && firestoreMultiRegion(backup.t.region)?.location !== multi.location) {
    issues.push({
      path: `spec.targets[${backup.i}].region`,
      message: `the GCP backup in ${backup.t.region} is on another continent than its primary in ${primary.t.region} (spec.targets[${primary.i}].region): the pair's Firestore database is in ${multi.location}, which covers ${multi.regionPrefixes.map((p) => `${p}*`).join(", ")} regions`,
      hint: `put the backup in a ${multi.regionPrefixes.map((p) => `${p}*`).join(" or ")} region other than ${primary.t.region}`,
    });
  }
  if (primary.t.project && backup.t.project && primary.t.project !== backup.t.project) {
    issues.push({
      path: `spec.targets[${backup.i}].project`,
      message: `the GCP backup is in project '${backup.t.project}', its primary in '${primary.t.project}' (spec.targets[${primary.i}].project): the backup joins the primary's VPC network and its Postgres replicates the primary's, both within one project`,
      hint: `deploy both GCP targets into '${primary.t.project}' (or drop one of the two \`project\` settings and use gcp:project)`,
    });
  }
  return issues;
}

/**
 * Cloud Run's GPU rules: one whole NVIDIA L4 per instance, in a region that has
 * them. A fractional share needs time-sharing, which only GKE offers.
 */
export function runIssues(plan: FleetPlan, region: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  plan.fleet.agents.forEach((a, i) => {
    const gpu = a.resources.gpu;
    if (!gpu) return;
    const path = `spec.agents[${i}].resources.gpu`;
    if (gpu.share < 1) issues.push({ path: `${path}.share`, message: `Cloud Run gives an instance one whole GPU; share ${gpu.share} needs GPU sharing`, hint: "use runtime 'gke' (GPU time-sharing) for fractional GPUs, or ask for share 1" });
    else if (gpu.share > 1) issues.push({ path: `${path}.share`, message: `Cloud Run gives an instance at most one GPU; share ${gpu.share} asks for more`, hint: "use share 1, or runtime 'gke' for multi-GPU nodes" });
    const pool = plan.gpuPools.find((p) => p.agents.includes(a.name));
    // A pool the plan made only picked the cheapest GPU for the packing; Cloud Run serves every GPU agent an L4 whatever it picked.
    if (pool && pool.source === "spec" && pool.accelerator !== CLOUD_RUN_ACCELERATOR) issues.push({ path: `${path}.pool`, message: `Cloud Run offers only the NVIDIA L4, not ${pool.accelerator}`, hint: "put the agent in an nvidia-l4 pool, or use runtime 'gke'" });
    if (gpu.memoryGi > 24) issues.push({ path: `${path}.memoryGi`, message: `an L4 has 24 GiB, ${gpu.memoryGi} GiB asked`, hint: "use runtime 'gke' with a larger GPU" });
  });
  if (plan.agents.some((a) => a.gpu) && !CLOUD_RUN_GPU_REGIONS.includes(region)) {
    const index = plan.fleet.targets.findIndex((t) => t.region === region && t.runtime === "run");
    issues.push({ path: `spec.targets[${index}].region`, message: `Cloud Run has no GPUs in ${region}`, hint: `GPU agents on Cloud Run need one of ${CLOUD_RUN_GPU_REGIONS.join(", ")} (${CLOUD_RUN_GPU_SOURCE})` });
  }
  return issues;
}

export function throwIssues(issues: ReadonlyArray<SpecIssue>): void {
  if (issues.length > 0) throw new MicroAgentsConfigError(issues);
}
