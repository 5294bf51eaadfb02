import { Annotations, Aws, Fn, RemovalPolicy, Stack, Validations, type StackProps } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as elasticache from "aws-cdk-lib/aws-elasticache";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import * as rds from "aws-cdk-lib/aws-rds";
import * as ssm from "aws-cdk-lib/aws-ssm";
import type { Construct } from "constructs";
import type { AgentPlan } from "../plan/types";
import { stateParameterName } from "../targets/aws/contract";
import { awsName, DB_AGENT_USER_PREFIX, dbUserName, NAME_LIMITS } from "../targets/aws/names";
import { FLEET_KEY_ALIAS } from "./platform-stack";
import { cacheAccessString, CACHE_USERS_PER_GROUP, cacheUsers, DATABASE, PROXY_POOL, stateSizes, TABLE_ACTIONS, TASKS_BY_STATUS_INDEX } from "../targets/aws/state-shape";
import type { AgentPlatformStack } from "./platform-stack";
import { retentionFor } from "./retention";
import { tagAll } from "./tags";
import { assertFitsOneStack } from "./stack-limits";

export interface AgentStateStackProps extends StackProps {
  readonly platform: AgentPlatformStack;
  /** The agents that use the store: each gets its own cache user and database user. */
  readonly agents: ReadonlyArray<AgentPlan>;
  /**
   * Build the shared Postgres database.
   * @default true
   */
  readonly database?: boolean;
  /**
   * Put RDS Proxy in front of the database.
   * @default the tier's connectionPooling
   */
  readonly connectionPooling?: boolean;
  /**
   * How long results stay in the cache, in seconds (agents read it from the state parameter).
   * @default 3600
   */
  readonly resultsTtlSeconds?: number;
  /**
   * The store's part in a primary-backup fleet (medium tier, replication.ts): the
   * primary's tables become global tables with a replica in the backup region; the
   * backup uses those replicas and a read replica of the primary's Postgres.
   * @default none: a store of one region
   */
  readonly replication?: StateReplication;
}

/** A state store's part in a primary-backup fleet; both regions share the name prefix, so names are known on both sides. */
export type StateReplication =
  | { readonly role: "primary"; readonly backupRegion: string }
  | {
      readonly role: "backup";
      readonly primaryRegion: string;
      /**
       * A person promoted the read replica (docs/failover.md): the instance is built without its source.
       * @default false
       */
      readonly databasePromoted?: boolean;
    };

/**
 * The seed's shared state through CDK, as the Pulumi target builds it: DynamoDB
 * `tasks` (status and priority index, TTL) and `context` tables with point-in-time
 * recovery, the fleet key and deletion protection; an ElastiCache Serverless Valkey
 * results cache (TLS, IAM authentication with a user per agent, daily snapshots); a
 * Postgres database (encrypted, backups, deletion protection, TLS forced, IAM
 * authentication), behind RDS Proxy where the tier pools connections; the endpoints
 * in one SSM parameter. The stores admit only the fleet's agents' security group.
 * Deployed after the platform and before the agents, whose roles it is granted to.
 */
export class AgentStateStack extends Stack {
  /** The task table: this region's own, a global table's primary replica, or (backup) the primary's replica in this region. */
  readonly tasks: dynamodb.ITable;
  readonly context: dynamodb.ITable;
  readonly cache: elasticache.CfnServerlessCache;
  /** Cache user ARN per agent. */
  readonly cacheUsers: ReadonlyMap<string, string>;
  readonly database?: { readonly host: string; readonly resourceId: string };
  readonly parameter: ssm.StringParameter;
  private readonly keyArn: string;

  constructor(scope: Construct, id: string, props: AgentStateStackProps) {
    super(scope, id, props);
    const { platform } = props;
    const plan = platform.plan;
    const prefix = platform.prefix;
    const sizes = stateSizes(plan);
    this.keyArn = platform.key.keyArn;
    tagAll(this, plan.tags);

    const replication = props.replication;
    const tables = replication ? replicatedTables(this, platform, replication) : singleRegionTables(this, platform);
    this.tasks = tables.tasks;
    this.context = tables.context;

    const storeGroup = (sid: string, what: string, port: number, from: ec2.ISecurityGroup) => {
      const group = new ec2.SecurityGroup(this, sid, { vpc: platform.vpc, description: `${what}: in from the fleet agents only`, allowAllOutbound: false });
      group.addIngressRule(from, ec2.Port.tcpRange(port, port === 6379 ? 6380 : port), "fleet agents");
      return group;
    };

    const cacheGroup = storeGroup("CacheAccess", "results-cache", 6379, platform.agentsSecurityGroup);
    const userId = (name: string) => awsName([prefix, name], NAME_LIMITS.elasticacheUser);
    // A user group needs a `default` user; this one is switched off.
    const defaultUser = new elasticache.CfnUser(this, "CacheDefaultUser", { userId: userId("default"), userName: "default", engine: "valkey", accessString: "off -@all", authenticationMode: { Type: "no-password-required" } });
    const planned = cacheUsers(prefix, props.agents.map((a) => a.name));
    const created = planned.map((user) => {
      const resource = new elasticache.CfnUser(this, `CacheUser-${user.key}`, { userId: user.id, userName: user.id, engine: "valkey", accessString: cacheAccessString(user), authenticationMode: { Type: "iam" } });
      const own = user.agents.length === 1 ? props.agents.find((a) => a.name === user.agents[0]) : undefined;
      tagAll(resource, own?.tags ?? {});
      return { user, resource };
    });
    if (planned.length < props.agents.length) {
      Annotations.of(this).addWarningV2("microagents:cdk-shared-cache-user", `${props.agents.length} agents do not fit one ElastiCache user group (${CACHE_USERS_PER_GROUP} users): they share one results-cache user`);
    }
    const users = new Map<string, string>(created.flatMap((c) => c.user.agents.map((a): [string, string] => [a, c.resource.attrArn])));
    const agentUsers = created.map((c) => c.resource);
    this.cacheUsers = users;
    const userGroup = new elasticache.CfnUserGroup(this, "CacheUsers", { userGroupId: userId("results"), engine: "valkey", userIds: [defaultUser.userId, ...agentUsers.map((u) => u.userId)] });
    userGroup.node.addDependency(defaultUser, ...agentUsers);
    const privateSubnets = platform.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds;
    this.cache = new elasticache.CfnServerlessCache(this, "Results", {
      serverlessCacheName: awsName([prefix, "results"], NAME_LIMITS.serverlessCache),
      description: `Results cache of ${prefix}`,
      engine: "valkey",
      majorEngineVersion: "8",
      kmsKeyId: platform.key.keyArn,
      securityGroupIds: [cacheGroup.securityGroupId],
      subnetIds: privateSubnets,
      userGroupId: userGroup.userGroupId,
      snapshotRetentionLimit: sizes.snapshots,
      dailySnapshotTime: "03:00",
      cacheUsageLimits: { dataStorage: { maximum: sizes.cacheGb, unit: "GB" }, ecpuPerSecond: { maximum: sizes.cacheEcpu } },
    });
    this.cache.node.addDependency(userGroup);

    const replica = replication?.role === "backup" ? { sourceRegion: replication.primaryRegion, promoted: replication.databasePromoted ?? false } : undefined;
    if (props.database ?? true) this.database = this.sharedDatabase(platform, sizes, (props.connectionPooling ?? plan.tier.connectionPooling) && !replica, privateSubnets, replica);

    this.parameter = new ssm.StringParameter(this, "Endpoints", {
      parameterName: stateParameterName(prefix),
      description: `Shared state endpoints of ${prefix}`,
      // Endpoints and names, not secrets: kept readable.
      stringValue: Stack.of(this).toJsonString({
        tasksTable: this.tasks.tableName,
        tasksByStatusIndex: TASKS_BY_STATUS_INDEX,
        contextTable: this.context.tableName,
        resultsCache: { host: this.cache.attrEndpointAddress, port: 6379, readerPort: 6380, tls: true, auth: "iam", users: Object.fromEntries(created.flatMap((c) => c.user.agents.map((a) => [a, c.user.id]))), ttlSeconds: props.resultsTtlSeconds ?? 3600 },
        ...(this.database ? { database: { host: this.database.host, port: DATABASE.port, name: DATABASE.name, tls: true, auth: "iam", users: Object.fromEntries(props.agents.map((a) => [a.name, dbUserName(a.name)])), ...(replication?.role === "backup" ? { readReplica: !replication.databasePromoted } : {}) } } : {}),
      }),
    });
    assertFitsOneStack(this, `the state store for ${props.agents.length} agents`, "split the fleet");
  }

  /** What one agent's role may do on the shared state: items in the tables, its own cache user, its own database user, the endpoints parameter. */
  agentStatements(agent: string): iam.PolicyStatement[] {
    const statements = [
      new iam.PolicyStatement({ sid: "UseSharedTables", actions: [...TABLE_ACTIONS], resources: [this.tasks.tableArn, `${this.tasks.tableArn}/index/${TASKS_BY_STATUS_INDEX}`, this.context.tableArn] }),
      new iam.PolicyStatement({ sid: "ConnectToResultsCache", actions: ["elasticache:Connect"], resources: [this.cache.attrArn, this.cacheUsers.get(agent) ?? this.missingUser(agent)] }),
      new iam.PolicyStatement({ sid: "ReadStateEndpoints", actions: ["ssm:GetParameter"], resources: [this.parameter.parameterArn] }),
      new iam.PolicyStatement({ sid: "UseFleetKeyForTables", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [this.keyArn], conditions: { StringEquals: { "kms:ViaService": `dynamodb.${this.region}.amazonaws.com` } } }),
    ];
    if (this.database) {
      statements.push(new iam.PolicyStatement({ sid: "ConnectToSharedDatabase", actions: ["rds-db:connect"], resources: [`arn:${Aws.PARTITION}:rds-db:${this.region}:${Aws.ACCOUNT_ID}:dbuser:${this.database.resourceId}/${dbUserName(agent)}`] }));
    }
    return statements;
  }

  private missingUser(agent: string): never {
    throw new Error(`internal: agent ${agent} has no cache user in the state store`);
  }

  /** The shared Postgres, or with `replica` a read replica in this region of the primary's (same identifier there); no proxy fronts a replica. */
  private sharedDatabase(platform: AgentPlatformStack, sizes: ReturnType<typeof stateSizes>, pooled: boolean, subnets: string[], replica?: DatabaseReplica): { host: string; resourceId: string } {
    const prefix = platform.prefix;
    const identifier = awsName([prefix, "shared"], NAME_LIMITS.rdsIdentifier);
    const proxyGroup = pooled ? new ec2.SecurityGroup(this, "ProxyAccess", { vpc: platform.vpc, description: "db-proxy: in from the fleet agents only", allowAllOutbound: false }) : undefined;
    proxyGroup?.addIngressRule(platform.agentsSecurityGroup, ec2.Port.tcp(DATABASE.port), "fleet agents");
    const dbGroup = new ec2.SecurityGroup(this, "DatabaseAccess", { vpc: platform.vpc, description: "database: in from the fleet agents (or the proxy) only", allowAllOutbound: false });
    dbGroup.addIngressRule(proxyGroup ?? platform.agentsSecurityGroup, ec2.Port.tcp(DATABASE.port), proxyGroup ? "the proxy" : "fleet agents");
    proxyGroup?.addEgressRule(dbGroup, ec2.Port.tcp(DATABASE.port), "the database");

    const subnetGroup = new rds.CfnDBSubnetGroup(this, "DatabaseSubnets", { dbSubnetGroupDescription: `Private subnets of ${prefix}`, subnetIds: subnets });
    const params = new rds.CfnDBParameterGroup(this, "DatabaseParameters", { family: DATABASE.family, description: "TLS only; slow statements logged", parameters: { ...DATABASE.parameters } });
    // RDS creates these for exported logs; created first so they carry retention and the fleet key.
    const exported = DATABASE.logExports.map(
      (kind) => new logs.LogGroup(this, `DatabaseLogs-${kind}`, { logGroupName: `/aws/rds/instance/${identifier}/${kind}`, encryptionKey: platform.key, retention: retentionFor(platform.plan.logRetentionDays), removalPolicy: RemovalPolicy.RETAIN }),
    );
    const db = new rds.CfnDBInstance(this, "Database", {
      dbInstanceIdentifier: identifier,
      ...(replica ? readReplicaProps(identifier, replica) : { engine: DATABASE.engine, engineVersion: DATABASE.engineVersion, dbName: DATABASE.name, masterUsername: DATABASE.adminUser, manageMasterUserPassword: true, masterUserSecret: { kmsKeyId: platform.key.keyArn } }),
      dbInstanceClass: sizes.instanceClass,
      allocatedStorage: String(DATABASE.allocatedStorageGb),
      maxAllocatedStorage: DATABASE.maxAllocatedStorageGb,
      storageType: DATABASE.storageType,
      // A replica inherits encryption from its (encrypted) source, with this region's key; CloudFormation takes no StorageEncrypted with a source.
      ...(replica ? {} : { storageEncrypted: true }),
      kmsKeyId: platform.key.keyArn,
      enableIamDatabaseAuthentication: true,
      dbSubnetGroupName: subnetGroup.ref,
      vpcSecurityGroups: [dbGroup.securityGroupId],
      dbParameterGroupName: params.ref,
      publiclyAccessible: false,
      multiAz: sizes.multiAz,
      backupRetentionPeriod: sizes.backupDays,
      preferredBackupWindow: DATABASE.backupWindow,
      preferredMaintenanceWindow: DATABASE.maintenanceWindow,
      deletionProtection: true,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      enablePerformanceInsights: true,
      performanceInsightsKmsKeyId: platform.key.keyArn,
      performanceInsightsRetentionPeriod: DATABASE.performanceInsightsDays,
      enableCloudwatchLogsExports: [...DATABASE.logExports],
      caCertificateIdentifier: DATABASE.caCertIdentifier,
    });
    db.node.addDependency(...exported);
    // Deleting the stack keeps a final snapshot rather than the data going with it; RDS takes none of a read replica, which is kept instead.
    db.applyRemovalPolicy(replica ? RemovalPolicy.RETAIN : RemovalPolicy.SNAPSHOT);
    Validations.of(db).acknowledge({
      id: "AwsSolutions::AwsSolutions-RDS11",
      reason: "A non-default port hides nothing here: the database is private, admits only the agents' (or the proxy's) security group, and requires TLS and IAM authentication.",
    });
    if (replica) {
      Validations.of(db).acknowledge({
        id: "AwsSolutions::AwsSolutions-RDS2",
        reason: "A cross-region read replica is encrypted with its KmsKeyId (this region's fleet key) from an encrypted source; CloudFormation takes no StorageEncrypted beside SourceDBInstanceIdentifier (cfn-lint F3020).",
      });
    }
    if (!sizes.multiAz) {
      Validations.of(db).acknowledge({
        id: "AwsSolutions::AwsSolutions-RDS3",
        reason: "Single-AZ in the small tier and outside prod, to stay inside the tier's budget (stateSizes); automated backups and a final snapshot keep the data.",
      });
    }
    if (!pooled || !proxyGroup) return { host: db.attrEndpointAddress, resourceId: db.attrDbiResourceId };

    const role = new iam.Role(this, "ProxyRole", { assumedBy: new iam.ServicePrincipal("rds.amazonaws.com"), description: "RDS Proxy connects to the shared database as each agent's IAM user" });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "ConnectAsAgentUsers",
        actions: ["rds-db:connect"],
        // Every agent's user by the naming convention, not one ARN per agent: the policy stays one size at any fleet size.
        resources: [`arn:${Aws.PARTITION}:rds-db:${this.region}:${Aws.ACCOUNT_ID}:dbuser:${db.attrDbiResourceId}/${DB_AGENT_USER_PREFIX}*`],
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:rds-db:${this.region}:<AWS::AccountId>:dbuser:<${Stack.of(this).getLogicalId(db)}.DbiResourceId>/${DB_AGENT_USER_PREFIX}*]`,
      reason: `RDS Proxy signs in as the database user of whichever agent connects: all of them and only them are named ${DB_AGENT_USER_PREFIX}<agent> (dbUserName), on this fleet's own database; one ARN per agent would outgrow IAM's 10,240-character role policy.`,
    });
    const proxy = new rds.CfnDBProxy(this, "Proxy", {
      dbProxyName: awsName([prefix, "shared"], NAME_LIMITS.rdsProxy),
      engineFamily: "POSTGRESQL",
      defaultAuthScheme: "IAM_AUTH",
      requireTls: true,
      idleClientTimeout: DATABASE.proxyIdleClientTimeoutSeconds,
      debugLogging: false,
      roleArn: role.roleArn,
      vpcSubnetIds: subnets,
      vpcSecurityGroupIds: [proxyGroup.securityGroupId],
    });
    new rds.CfnDBProxyTargetGroup(this, "ProxyTargets", { dbProxyName: proxy.ref, targetGroupName: "default", dbInstanceIdentifiers: [db.ref], connectionPoolConfigurationInfo: { ...PROXY_POOL } });
    // arn:<partition>:rds:<region>:<account>:db-proxy:<resource id>
    return { host: proxy.attrEndpoint, resourceId: Fn.select(6, Fn.split(":", proxy.attrDbProxyArn)) };
  }
}

/** The backup region's database as a replica of the primary region's, or what is left of it once a person promoted it. */
interface DatabaseReplica {
  readonly sourceRegion: string;
  readonly promoted: boolean;
}

/**
 * A cross-region read replica (replication.ts readReplicaArgs on Pulumi): the source by
 * ARN (the primary's instance has the same identifier in its region), encrypted with
 * this region's fleet key (the instance's `kmsKeyId`); engine, database name and admin
 * user come from the source, so none is given. Once promoted, the source goes and
 * nothing else changes, so CloudFormation does not replace the instance.
 */
function readReplicaProps(identifier: string, replica: DatabaseReplica): Partial<rds.CfnDBInstanceProps> {
  if (replica.promoted) return {};
  return { sourceDbInstanceIdentifier: `arn:${Aws.PARTITION}:rds:${replica.sourceRegion}:${Aws.ACCOUNT_ID}:db:${identifier}`, sourceRegion: replica.sourceRegion };
}

interface StateTables {
  readonly tasks: dynamodb.ITable;
  readonly context: dynamodb.ITable;
}

const TASK_KEYS = { partitionKey: { name: "taskId", type: dynamodb.AttributeType.STRING } } as const;
const CONTEXT_KEYS = { partitionKey: { name: "contextId", type: dynamodb.AttributeType.STRING }, sortKey: { name: "key", type: dynamodb.AttributeType.STRING } } as const;
const STATUS_INDEX = { indexName: TASKS_BY_STATUS_INDEX, partitionKey: { name: "status", type: dynamodb.AttributeType.STRING }, sortKey: { name: "priority", type: dynamodb.AttributeType.NUMBER } } as const;

/** A region's own tables (CloudFormation names them), PITR, the fleet key, deletion protection, TTL. */
function singleRegionTables(stack: Stack, platform: AgentPlatformStack): StateTables {
  const table = (tid: string, keys: { partitionKey: dynamodb.Attribute; sortKey?: dynamodb.Attribute }) =>
    new dynamodb.Table(stack, tid, {
      ...keys,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: platform.key,
      deletionProtection: true,
      timeToLiveAttribute: "expiresAt",
      removalPolicy: RemovalPolicy.RETAIN,
    });
  const tasks = table("Tasks", TASK_KEYS);
  tasks.addGlobalSecondaryIndex(STATUS_INDEX);
  return { tasks, context: table("Context", CONTEXT_KEYS) };
}

/** The tables' names in both regions of a pair (a global table has one name in every region), as on Pulumi. */
export function replicatedTableName(prefix: string, table: "tasks" | "context"): string {
  return awsName([prefix, table], NAME_LIMITS.dynamodbTable);
}

/**
 * A primary-backup fleet's tables. Primary: DynamoDB global tables (version 2019.11.21,
 * `AWS::DynamoDB::GlobalTable`) named as on Pulumi, with a replica in the backup region
 * encrypted with that region's fleet key (by its alias, which the backup's platform stack
 * creates: that stack deploys first), point-in-time recovery, deletion protection and the
 * fleet's tags on every replica; the stream global tables replicate through (new and old
 * images) is switched on by the replica. Backup: the replicas by name, in this region.
 */
function replicatedTables(stack: Stack, platform: AgentPlatformStack, replication: StateReplication): StateTables {
  const prefix = platform.prefix;
  if (replication.role === "backup") {
    return { tasks: dynamodb.TableV2.fromTableName(stack, "Tasks", replicatedTableName(prefix, "tasks")), context: dynamodb.TableV2.fromTableName(stack, "Context", replicatedTableName(prefix, "context")) };
  }
  const backupKey = `arn:${Aws.PARTITION}:kms:${replication.backupRegion}:${Aws.ACCOUNT_ID}:${FLEET_KEY_ALIAS(prefix)}`;
  const tags = Object.entries(platform.plan.tags).map(([key, value]) => ({ key, value }));
  const protectedReplica = { deletionProtection: true, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } };
  const table = (tid: string, name: "tasks" | "context", keys: { partitionKey: dynamodb.Attribute; sortKey?: dynamodb.Attribute }, indexes: dynamodb.GlobalSecondaryIndexPropsV2[]) =>
    new dynamodb.TableV2(stack, tid, {
      ...keys,
      tableName: replicatedTableName(prefix, name),
      billing: dynamodb.Billing.onDemand(),
      ...protectedReplica,
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(platform.key, { [replication.backupRegion]: backupKey }),
      timeToLiveAttribute: "expiresAt",
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: indexes,
      tags,
      replicas: [{ region: replication.backupRegion, ...protectedReplica, tags }],
    });
  return { tasks: table("Tasks", "tasks", TASK_KEYS, [STATUS_INDEX]), context: table("Context", "context", CONTEXT_KEYS, []) };
}
