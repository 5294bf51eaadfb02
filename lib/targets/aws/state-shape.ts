import type { FleetPlan } from "../../plan/types";
import { awsName, NAME_LIMITS } from "./names";

/** The task table's index for "next tasks by status, highest priority first". */
export const TASKS_BY_STATUS_INDEX = "status-priority";

/** What agents may do on the shared tables: items and queries, never table administration. */
export const TABLE_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:Query",
  "dynamodb:BatchGetItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
] as const;

/** Postgres and cache sizes per tier and environment. */
export function stateSizes(plan: Pick<FleetPlan, "tier" | "fleet">): { instanceClass: string; multiAz: boolean; backupDays: number; cacheGb: number; cacheEcpu: number; snapshots: number } {
  const prod = plan.fleet.environment === "prod";
  const small = plan.tier.name === "small";
  return {
    instanceClass: small ? (prod ? "db.t4g.small" : "db.t4g.micro") : "db.m7g.large",
    multiAz: prod && !small,
    backupDays: prod ? 14 : 7,
    cacheGb: small ? 5 : plan.tier.name === "medium" ? 50 : 500,
    cacheEcpu: small ? 5000 : plan.tier.name === "medium" ? 50000 : 500000,
    snapshots: prod ? 7 : 1,
  };
}

/** The shared Postgres database, the same on Pulumi and CDK. */
export const DATABASE = {
  engine: "postgres",
  engineVersion: "17",
  family: "postgres17",
  allocatedStorageGb: 20,
  maxAllocatedStorageGb: 100,
  storageType: "gp3",
  name: "microagents",
  adminUser: "microagents_admin",
  port: 5432,
  backupWindow: "02:00-03:00",
  maintenanceWindow: "sun:04:00-sun:05:00",
  performanceInsightsDays: 7,
  logExports: ["postgresql", "upgrade"],
  caCertIdentifier: "rds-ca-rsa2048-g1",
  /** TLS only; statements over a second logged. */
  parameters: { "rds.force_ssl": "1", log_min_duration_statement: "1000" },
  proxyIdleClientTimeoutSeconds: 1800,
} as const;

/** RDS Proxy's connection pool. */
export const PROXY_POOL = { maxConnectionsPercent: 90, maxIdleConnectionsPercent: 50, connectionBorrowTimeout: 120 } as const;


/** Users one ElastiCache user group may hold (the UserGroupQuotaExceededFault quota), the switched-off default user included. */
export const CACHE_USERS_PER_GROUP = 100;

/** One results-cache user: its id (also its name, as IAM authentication requires), a key for logical names, and the agents that use it. */
export interface CacheUser {
  readonly id: string;
  readonly key: string;
  readonly agents: ReadonlyArray<string>;
}

/**
 * The results-cache users. With room in one user group (beside the default user)
 * every agent has its own IAM-authenticated user; a larger fleet's agents share one,
 * and lose per-agent cache identity only.
 */
export function cacheUsers(prefix: string, agents: ReadonlyArray<string>): CacheUser[] {
  const id = (key: string) => awsName([prefix, key], NAME_LIMITS.elasticacheUser);
  if (agents.length + 1 <= CACHE_USERS_PER_GROUP) return agents.map((a) => ({ id: id(a), key: a, agents: [a] }));
  return [{ id: id("agents"), key: "agents", agents: [...agents] }];
}

/** Prefix of an agent's results-cache keys and channels (MICROAGENTS_RESULTS_CACHE_PREFIX). */
export const cacheKeyPrefix = (agent: string): string => `${agent}:`;

/**
 * A results-cache user's ElastiCache access string: reads, writes and connection commands
 * (AUTH, HELLO, PING) minus every `@dangerous` one (FLUSHALL, FLUSHDB, KEYS, CONFIG,
 * CLIENT KILL, ...) and the two that list other agents' key names (SCAN, RANDOMKEY).
 * An agent's own user reaches only its `<agent>:` keys (and channels, though no `@pubsub`
 * command is granted), as the Kubernetes target's Valkey users do; the shared user of a
 * large fleet reaches every key (there is no fleet-wide key prefix, and one pattern per
 * agent would not scale).
 */
export function cacheAccessString(user: CacheUser): string {
  const own = user.agents.length === 1 ? cacheKeyPrefix(user.agents[0]) : undefined;
  const scope = own ? `~${own}* &${own}*` : "~* &*";
  return `on ${scope} -@all +@read +@write +@connection -@dangerous -scan -randomkey`;
}
