import { targetPlan } from "../plan/target-plan";
import type { FleetPlan } from "../plan/types";
import { isConfigError, type SpecIssue } from "../spec/errors";
import type { Runtime } from "../spec/schema";
import type { FleetTarget } from "../spec/types";
import { availableRuntimes } from "./registry";

/**
 * Every check a target makes before building a resource, without building one (and
 * without loading a provider SDK): what `validate` runs, so a fleet that `plan` or
 * `pulumi up` would refuse never gets "ok". Each runtime's checks live in its target's
 * plain modules; this only gathers them. Issues a check names without a target get the
 * target's index and runtime in the message when the fleet has several targets.
 */
type Preflight = (plan: FleetPlan, target: FleetTarget, index: number) => SpecIssue[];

/** Issues of a check that throws MicroAgentsConfigError (the form the targets call it in). */
function collect(check: () => unknown): SpecIssue[] {
  try {
    check();
    return [];
  } catch (e) {
    if (isConfigError(e)) return [...e.issues];
    throw e;
  }
}

const aws: () => Preflight = () => {
  const { checkAwsFleet } = require("./aws/validate") as typeof import("./aws/validate");
  const { awsFailoverPair, failoverEntrySettings } = require("./aws/failover-shape") as typeof import("./aws/failover-shape");
  const { cpuUnits, fargateTaskSize } = require("./aws-ecs/fargate") as typeof import("./aws-ecs/fargate");
  return (plan, target) => {
    const issues = collect(() => checkAwsFleet(plan));
    if (awsFailoverPair(plan.fleet)) issues.push(...collect(() => failoverEntrySettings(plan.fleet)));
    plan.gpuPools.forEach((pool) => {
      if (pool.shapes.aws) return;
      const declared = plan.fleet.gpuPools.findIndex((p) => p.name === pool.name);
      issues.push({
        path: declared >= 0 ? `spec.gpuPools[${declared}].accelerator` : `spec.gpuPools`,
        message: `GPU pool '${pool.name}' has no AWS instance type for ${pool.accelerator}`,
        hint: "pick an accelerator AWS sells (nvidia-t4, nvidia-l4, nvidia-a10g, nvidia-l40s, nvidia-a100, nvidia-h100)",
      });
    });
    if (target.runtime === "ecs") {
      plan.fleet.agents.forEach((a, i) => {
        if (a.resources.gpu || fargateTaskSize(cpuUnits(a.resources.cpu), a.resources.memoryMiB)) return;
        issues.push({ path: `spec.agents[${i}].resources`, message: `${a.resources.cpu} vCPU and ${a.resources.memoryMiB} MiB exceed the largest Fargate task (16 vCPU, 120 GiB)`, hint: "lower the request, or give the agent a GPU pool (EC2 capacity)" });
      });
    }
    return issues;
  };
};

const azure: () => Preflight = () => {
  const { azureFleetIssues } = require("./azure/validate") as typeof import("./azure/validate");
  const { acaIssues } = require("./azure-aca/sizing") as typeof import("./azure-aca/sizing");
  return (plan, target) => [...azureFleetIssues(plan), ...(target.runtime === "aca" ? acaIssues(plan, target.region) : [])];
};

const gcp: () => Preflight = () => {
  const { gcpIssues, runIssues } = require("./gcp/validate") as typeof import("./gcp/validate");
  return (plan, target) => [...gcpIssues(plan), ...(target.runtime === "run" ? runIssues(plan, target.region) : [])];
};

/** Each runtime's checks, loaded on first use like the targets themselves. */
const preflights: Readonly<Partial<Record<Runtime, () => Preflight>>> = { ecs: aws, eks: aws, aca: azure, aks: azure, run: gcp, gke: gcp };

/**
 * Every problem of every target of a planned fleet; empty when all of them can be built.
 * `available` is the registry's runtimes (a parameter for tests).
 */
export function preflightIssues(plan: FleetPlan, available: ReadonlyArray<Runtime> = availableRuntimes()): SpecIssue[] {
  const multi = plan.fleet.targets.length > 1;
  const seen = new Set<string>();
  const issues: SpecIssue[] = [];
  plan.fleet.targets.forEach((target, index) => {
    if (!available.includes(target.runtime)) {
      issues.push({ path: `spec.targets[${index}].runtime`, message: `runtime '${target.runtime}' has no target in this version`, hint: `available: ${available.join(", ")}` });
      return;
    }
    for (const issue of preflights[target.runtime]?.()(targetPlan(plan, index), target, index) ?? []) {
      const own = issue.path.startsWith(`spec.targets[${index}]`) || !multi;
      const found = own ? issue : { ...issue, message: `${issue.message} (target spec.targets[${index}], ${target.runtime}/${target.region})` };
      const key = `${found.path}\n${issue.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push(found);
    }
  });
  return issues;
}
