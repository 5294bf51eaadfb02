import { targetPlan } from "../plan/target-plan";
import type { FleetPlan } from "../plan/types";
import { isConfigError, type SpecIssue } from "../spec/errors";
import type { Runtime } from "../spec/schema";
import type { FleetTarget } from "../spec/types";
import { RUNTIME_CLOUD } from "../plan/gpu-placement";
import { fleetEntryIssues } from "./entry-settings";
import type { StackConfig } from "./stack-config";
import { availableRuntimes } from "./registry";

/**
 * Every check a target makes before building a resource, without building one (and
 * without loading a provider SDK): what `validate` runs, so a fleet that `plan` or
 * `pulumi up` would refuse never gets "ok". Each runtime's checks live in its target's
 * plain modules; this only gathers them. Issues a check names without a target get the
 * target's index and runtime in the message when the fleet has several targets.
 */
type Preflight = (plan: FleetPlan, target: FleetTarget, index: number, config: StackConfig) => SpecIssue[];

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
  const { cpuUnits, fargateTaskSize } = require("./aws-ecs/fargate") as typeof import("./aws-ecs/fargate");
  return (plan, target) => {
    const issues = collect(() => checkAwsFleet(plan));
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
  const { gcpGatewayIssues } = require("./gcp/gateway-shape") as typeof import("./gcp/gateway-shape");
  const { gcpBillingAccountIssue, gcpProjectIssue } = require("./gcp/project") as typeof import("./gcp/project");
  return (plan, target, index, config) => [
    // The project, and the billing account of the budget on the fleet's first GCP target, as gcpFoundation reads them.
    ...[gcpProjectIssue(plan.fleet, index, config.gcpProject), plan.fleet.targets.findIndex((t) => RUNTIME_CLOUD[t.runtime] === "gcp") === index ? gcpBillingAccountIssue(plan.fleet, index, config.billingAccount) : undefined].filter((i): i is SpecIssue => i !== undefined),
    ...gcpIssues(plan),
    ...(target.runtime === "run" ? runIssues(plan, target.region) : []),
    // The gateway's own checks, as gcpFoundation makes them (its certificate needs a host name).
    ...(plan.agents.some((a) => a.route) ? gcpGatewayIssues(plan, plan.fleet.gateway, config.hostname) : []),
  ];
};

/** Each runtime's checks, loaded on first use like the targets themselves. */
const preflights: Readonly<Partial<Record<Runtime, () => Preflight>>> = { ecs: aws, eks: aws, aca: azure, aks: azure, run: gcp, gke: gcp };

/**
 * Every problem of every target of a planned fleet, and of its entry (failover or
 * global, entry-settings.ts); empty when all of them can be built. `config` is what the
 * stack's Pulumi config supplies (host name, zones, GCP project and billing account,
 * stack-config.ts); a setting neither the spec nor
 * `config` gives is reported missing (validate turns that into a warning when it does
 * not know the stack's config). `available` is the registry's runtimes (a parameter
 * for tests).
 */
export function preflightIssues(plan: FleetPlan, available: ReadonlyArray<Runtime> = availableRuntimes(), config: StackConfig = {}): SpecIssue[] {
  const multi = plan.fleet.targets.length > 1;
  const seen = new Set<string>();
  const issues: SpecIssue[] = [];
  plan.fleet.targets.forEach((target, index) => {
    if (!available.includes(target.runtime)) {
      issues.push({ path: `spec.targets[${index}].runtime`, message: `runtime '${target.runtime}' has no target in this version`, hint: `available: ${available.join(", ")}` });
      return;
    }
    for (const issue of preflights[target.runtime]?.()(targetPlan(plan, index), target, index, config) ?? []) {
      const own = issue.path.startsWith(`spec.targets[${index}]`) || !multi;
      const found = own ? issue : { ...issue, message: `${issue.message} (target spec.targets[${index}], ${target.runtime}/${target.region})` };
      const key = `${found.path}\n${issue.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push(found);
    }
  });
  // The fleet's one entry: the same check AgentFleet makes before any resource.
  for (const issue of fleetEntryIssues(plan.fleet, config)) {
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}
