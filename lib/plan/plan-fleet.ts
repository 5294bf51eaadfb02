import { invalidProp, MicroAgentsConfigError } from "../spec/errors";
import { parseFleet } from "../spec/parse";
import type { FleetInput } from "../spec/schema";
import { environments, tiers } from "../spec/tiers";
import type { Agent, Fleet } from "../spec/types";
import { budgetSplitIssues, splitBudget } from "./budget-split";
import { fleetSubscriptions } from "./events";
import { planGpu } from "./gpu-placement";
import { planLimitReport } from "./limits/fleet";
import { alarmThresholds, circuitBreakerPolicy, retryPolicy } from "./resilience";
import { scalingTriggers } from "./scaling";
import { costTags } from "./tags";
import { topologyIssues } from "./topology";
import type { AgentPlan, FleetPlan, GpuPlacement } from "./types";

export function isFleet(v: Fleet | FleetInput): v is Fleet {
  return !("apiVersion" in v);
}

/**
 * Plans already made, by fleet. A parsed Fleet is immutable, and its plan a pure
 * function of it, so AgentFleet, each AgentPlatform and the CLI share one plan
 * (and one GPU packing) instead of making it again.
 */
const plans = new WeakMap<Fleet, FleetPlan>();

/** Resolves everything the components need, as plain data: no IaC engine involved. */
export function planFleet(input: Fleet | FleetInput): FleetPlan {
  const fleet = isFleet(input) ? input : parseFleet(input);
  const known = plans.get(fleet);
  if (known) return known;
  const made = makePlan(fleet);
  // Cloud limits and name rules of the fleet's targets: crossing a hard one fails here, with
  // the fleet path, before any resource; an adjustable quota crossed is a note.
  const limits = planLimitReport(made);
  if (limits.errors.length > 0) throw new MicroAgentsConfigError(limits.errors);
  const plan: FleetPlan = limits.warnings.length > 0 ? { ...made, notes: [...made.notes, ...limits.warnings] } : made;
  plans.set(fleet, plan);
  return plan;
}

function makePlan(fleet: Fleet): FleetPlan {
  const tier = tiers[fleet.tier];
  const environment = environments[fleet.environment];
  // Pairs in one region, event edges that would cross targets, routes missing behind an entry, budget
  // percentages that do not add up: refused before anything is planned.
  const subscriptions = fleetSubscriptions(fleet);
  const issues = [...topologyIssues(fleet, subscriptions), ...budgetSplitIssues(fleet)];
  if (issues.length > 0) throw new MicroAgentsConfigError(issues);
  const gpu = planGpu(fleet, tier, environment);
  const agents = fleet.agents.map((a) => planAgent(fleet, a, gpu.placements.get(a.name)));
  const byName = new Map(agents.map((a) => [a.name, a]));
  return {
    fleet,
    tier,
    environment,
    agents,
    gpuPools: gpu.pools,
    subscriptions,
    budgetMonthlyUsd: fleet.budget.monthlyUsd,
    targetBudgets: splitBudget(fleet),
    logRetentionDays: environment.logRetentionDays,
    tags: costTags(fleet),
    notes: gpu.notes,
    agent(name: string): AgentPlan {
      const found = byName.get(name);
      if (!found) invalidProp("agent", `fleet '${fleet.name}' has no agent '${name}'`, `agents: ${[...byName.keys()].join(", ")}`);
      return found;
    },
  };
}

export function planAgent(fleet: Fleet, agent: Agent, gpu?: GpuPlacement): AgentPlan {
  const tier = tiers[fleet.tier];
  const environment = environments[fleet.environment];
  const spotEligible = agent.criticality === "batch" || (agent.criticality !== "critical" && (environment.spotForAllGpu || tier.spotFor === "non-critical"));
  return {
    ...agent,
    alarms: alarmThresholds(agent),
    retry: retryPolicy(),
    circuitBreaker: circuitBreakerPolicy(),
    triggers: scalingTriggers(agent),
    ...(gpu ? { gpu } : {}),
    spotEligible,
    tags: costTags(fleet, agent),
  };
}
