import * as pulumi from "@pulumi/pulumi";
import { invalidProp } from "../spec/errors";
import type { AgentPlatform } from "./agent-platform";
import type { MicroAgentService } from "./micro-agent-service";
import type { StateStoreScope, StateStoreSettings } from "../targets/target";

export type { StateStoreSettings };

export interface AgentStateStoreArgs {
  readonly platform: AgentPlatform;
  /** Services that may read and write the shared state (their identities get access). */
  readonly services: ReadonlyArray<MicroAgentService>;
  /**
   * Time to live of results-cache entries, in seconds (the seed's IntelligentCache).
   * @default 3600
   */
  readonly resultsTtlSeconds?: number;
  /**
   * Postgres, the seed's shared database (the small scenario's managed Postgres;
   * medium and up put a connection pooler in front of it).
   * @default true
   */
  readonly database?: boolean;
  /**
   * A connection pooler in front of Postgres (PgBouncer or RDS Proxy).
   * @default the tier's connectionPooling
   */
  readonly connectionPooling?: boolean;
  /**
   * Platforms in other regions the task table and context store are replicated to
   * (the medium tier's backup region); targets that replicate build the replicas.
   * @default [] (no replica)
   */
  readonly replicaPlatforms?: ReadonlyArray<AgentPlatform>;
  /**
   * The primary region's store this one replicates: its tables are the primary's
   * replicas and its Postgres is a read replica of the primary's.
   * @default none (this store is a primary)
   */
  readonly replicaOf?: AgentStateStore;
}

/**
 * The seed's shared state: a task table with status and priority, a results cache
 * with a TTL, and a context store; with backups, deletion protection, encryption
 * and TLS.
 */
export class AgentStateStore extends pulumi.ComponentResource implements StateStoreScope {
  static readonly __pulumiType = "microagents:state:AgentStateStore";

  readonly resourceName: string;
  readonly platform: AgentPlatform;
  readonly services: ReadonlyArray<MicroAgentService>;
  readonly settings: StateStoreSettings;
  readonly replicaPlatforms: ReadonlyArray<AgentPlatform>;
  readonly replicaOf?: AgentStateStore;
  readonly taskTable: pulumi.Output<string>;
  readonly contextStore: pulumi.Output<string>;
  readonly resultsCacheEndpoint: pulumi.Output<string>;

  constructor(name: string, args: AgentStateStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    const stateStore = args.platform.runtime.stateStore;
    if (!stateStore) invalidProp("platform", `AgentStateStore is not available on runtime '${args.platform.target.runtime}' yet`);
    const ttl = args.resultsTtlSeconds ?? 3600;
    if (!Number.isInteger(ttl) || ttl <= 0) invalidProp("resultsTtlSeconds", "must be a positive whole number of seconds");
    super(AgentStateStore.__pulumiType, name, {}, { ...opts, parent: opts?.parent ?? args.platform });
    this.resourceName = name;
    this.platform = args.platform;
    this.services = args.services;
    this.replicaPlatforms = args.replicaPlatforms ?? [];
    if (args.replicaOf) this.replicaOf = args.replicaOf;
    const tier = args.platform.plan.tier;
    this.settings = {
      resultsTtlSeconds: ttl,
      database: args.database ?? true,
      connectionPooling: args.connectionPooling ?? tier.connectionPooling,
    };
    const out = stateStore(this);
    this.taskTable = out.taskTable;
    this.contextStore = out.contextStore;
    this.resultsCacheEndpoint = out.resultsCacheEndpoint;
    this.registerOutputs({ taskTable: this.taskTable, contextStore: this.contextStore, resultsCacheEndpoint: this.resultsCacheEndpoint });
  }
}
