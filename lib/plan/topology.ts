import type { Cloud } from "../spec/accelerators";
import { formatPath, MicroAgentsConfigError, type SpecIssue } from "../spec/errors";
import type { Runtime } from "../spec/schema";
import { tiers } from "../spec/tiers";
import type { Fleet, FleetTarget } from "../spec/types";
import type { Subscription } from "./types";

/**
 * The fleet's shape across regions and clouds, as plain data: which targets pair up
 * as primary and backup (medium tier), which stand behind one global entry
 * (enterprise tier), and the placement rules that keep event edges and routes
 * working (docs/failover.md, "Enterprise").
 */

/** The cloud a runtime runs on; plain Kubernetes runs anywhere. */
export const CLOUD_OF_RUNTIME: Readonly<Record<Runtime, Cloud | undefined>> = { ecs: "aws", eks: "aws", aca: "azure", aks: "azure", run: "gcp", gke: "gcp", kubernetes: undefined };

/** A target as people read it: `aws (ecs us-east-1)`, `kubernetes (kubernetes local)`. */
export function describeTarget(target: Pick<FleetTarget, "runtime" | "region">): string {
  return `${CLOUD_OF_RUNTIME[target.runtime] ?? "kubernetes"} (${target.runtime} ${target.region})`;
}

/** A primary and a backup target on one cloud, by index in `spec.targets`. */
export interface FailoverPair {
  readonly cloud: Cloud;
  readonly primary: number;
  readonly backup: number;
}

/**
 * The fleet's primary-backup pairs: on each cloud with exactly one primary and one
 * backup target (AWS: ecs/eks, Azure: aca/aks, GCP: run/gke). The two must be in
 * different regions, or the backup would not survive the primary's region.
 */
export function failoverPairs(fleet: Pick<Fleet, "targets">): FailoverPair[] {
  const pairs: FailoverPair[] = [];
  const issues: SpecIssue[] = [];
  for (const cloud of ["aws", "azure", "gcp"] as const) {
    const on = fleet.targets.map((t, i) => ({ t, i })).filter(({ t }) => CLOUD_OF_RUNTIME[t.runtime] === cloud);
    const primaries = on.filter(({ t }) => t.role === "primary");
    const backups = on.filter(({ t }) => t.role === "backup");
    if (primaries.length !== 1 || backups.length !== 1) continue;
    const [primary, backup] = [primaries[0], backups[0]];
    if (primary.t.region === backup.t.region) {
      issues.push({
        path: `spec.targets[${backup.i}].region`,
        message: `the ${cloud} backup is in its primary's region (${primary.t.region}, spec.targets[${primary.i}].region): it would not survive the region`,
        hint: `put the backup in another ${cloud} region`,
      });
      continue;
    }
    pairs.push({ cloud, primary: primary.i, backup: backup.i });
  }
  if (issues.length > 0) throw new MicroAgentsConfigError(issues);
  return pairs;
}

/** The one pair a fleet's failover entry fronts, when the fleet has no global entry. */
export function failoverPair(fleet: Pick<Fleet, "targets" | "tier">): FailoverPair | undefined {
  if (globalEntryTargets(fleet).length > 0) return undefined;
  const pairs = failoverPairs(fleet);
  return pairs.length === 1 ? pairs[0] : undefined;
}

/**
 * The targets behind the enterprise tier's global entry, by index: every primary
 * target on a cloud runtime, when the tier has a global load balancer and there are
 * at least two of them. Plain-Kubernetes targets have no cloud gateway to probe and
 * stay out; backups are reached through their pair's replication, not the entry.
 */
export function globalEntryTargets(fleet: Pick<Fleet, "targets" | "tier">): number[] {
  if (!tiers[fleet.tier].globalLoadBalancer) return [];
  const behind = fleet.targets.map((t, i) => ({ t, i })).filter(({ t }) => t.role === "primary" && CLOUD_OF_RUNTIME[t.runtime] !== undefined);
  return behind.length >= 2 ? behind.map(({ i }) => i) : [];
}

/** Where an edge comes from in the fleet file: the subscription, or the pipeline that makes it. */
function edgePath(fleet: Fleet, edge: Subscription): string {
  if (edge.pipeline) return formatPath(["spec", "pipelines", fleet.pipelines.findIndex((p) => p.name === edge.pipeline), "steps"]);
  const i = fleet.agents.findIndex((a) => a.name === edge.subscriber);
  const j = fleet.agents[i]?.subscribes.findIndex((s) => s.from === edge.publisher) ?? -1;
  return formatPath(["spec", "agents", i, "subscribes", j]);
}

/**
 * Event edges and placement. An edge is wired inside a target: the publisher's
 * events reach subscriber queues through that target's broker (SNS, Service Bus,
 * Pub/Sub, NATS), none of which delivers to another cloud or region. So an edge is
 * valid when every target that runs its publisher also runs its subscriber (an agent
 * placed on several clouds is fine when each copy has its subscriber beside it);
 * otherwise it is rejected here, naming the edge and both placements.
 */
export function edgeIssues(fleet: Fleet, edges: ReadonlyArray<Subscription>): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const seen = new Set<string>();
  for (const edge of edges) {
    const publisherOn = fleet.targets.map((t, i) => ({ t, i })).filter(({ t }) => t.agents.includes(edge.publisher));
    const missing = publisherOn.filter(({ t }) => !t.agents.includes(edge.subscriber));
    if (missing.length === 0) continue;
    const key = `${edge.publisher}>${edge.subscriber}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const subscriberOn = fleet.targets.filter((t) => t.agents.includes(edge.subscriber));
    issues.push({
      path: edgePath(fleet, edge),
      message:
        `${edge.publisher} → ${edge.subscriber}${edge.pipeline ? ` (pipeline ${edge.pipeline})` : ""}: publisher on ${missing.map(({ t }) => describeTarget(t)).join(", ")}, ` +
        `subscriber on ${subscriberOn.map(describeTarget).join(", ")}; events do not cross clouds or regions (each target's broker delivers only to its own queues)`,
      hint: `place ${edge.subscriber} beside ${edge.publisher}: add it to ${missing.map(({ i }) => `spec.targets[${i}].agents`).join(" and ")}, or take ${edge.publisher} off ${missing.length > 1 ? "those targets" : "that target"}`,
    });
  }
  return issues;
}

/**
 * Routes behind one entry: the entry may send any request to any target behind it
 * (the backup on failover, the nearest cloud on a latency entry), so every target
 * behind it runs every routed agent; a target without one would answer 404.
 */
export function entryRouteIssues(fleet: Fleet, behind: ReadonlyArray<number>, entry: string): SpecIssue[] {
  const routed = fleet.agents.filter((a) => a.route);
  const issues: SpecIssue[] = [];
  for (const i of behind) {
    const target = fleet.targets[i];
    const absent = routed.filter((a) => !target.agents.includes(a.name));
    if (absent.length === 0) continue;
    issues.push({
      path: `spec.targets[${i}].agents`,
      message: `${describeTarget(target)} is behind the ${entry}, which may send any request to it, and it does not run ${absent.map((a) => `${a.name} (${a.route?.path})`).join(", ")}`,
      hint: `add ${absent.map((a) => a.name).join(", ")} to spec.targets[${i}].agents: every target behind one entry serves every route`,
    });
  }
  return issues;
}

/** Every topology problem of a fleet at once: pairs in one region, edges across targets, routes missing behind an entry. */
export function topologyIssues(fleet: Fleet, edges: ReadonlyArray<Subscription>): SpecIssue[] {
  const issues: SpecIssue[] = [];
  let pairs: FailoverPair[] = [];
  try {
    pairs = failoverPairs(fleet);
  } catch (e) {
    if (!(e instanceof MicroAgentsConfigError)) throw e;
    issues.push(...e.issues);
  }
  issues.push(...edgeIssues(fleet, edges));
  const global = globalEntryTargets(fleet);
  if (global.length > 0) issues.push(...entryRouteIssues(fleet, global, "global entry"));
  else if (pairs.length === 1) issues.push(...entryRouteIssues(fleet, [pairs[0].primary, pairs[0].backup], "failover entry"));
  return issues;
}

/** Whether an entry (failover or global) fronts a target: its gateway then serves the health route. */
export function behindEntry(fleet: Pick<Fleet, "targets" | "tier">, target: FleetTarget): boolean {
  const index = fleet.targets.indexOf(target);
  if (index < 0) return false;
  const pair = failoverPair(fleet);
  return globalEntryTargets(fleet).includes(index) || pair?.primary === index || pair?.backup === index;
}
