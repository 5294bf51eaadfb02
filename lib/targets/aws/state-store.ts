import * as dynamodb from "@pulumi/aws/dynamodb";
import * as ec2 from "@pulumi/aws/ec2";
import * as elasticache from "@pulumi/aws/elasticache";
import * as iam from "@pulumi/aws/iam";
import * as rds from "@pulumi/aws/rds";
import * as ssm from "@pulumi/aws/ssm";
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../../plan/types";
import type { StateStoreOutputs, StateStoreScope } from "../target";
import { stateParameterName } from "./contract";
import { policyJson, serviceTrust, type PolicyStatement } from "./iam";
import { awsLandings, awsServices, childOpts, type AwsLanding, type AwsServiceHandle } from "./landing";
import { logGroup } from "./logs";
import { awsName, DB_AGENT_USER_PREFIX, dbUserName, NAME_LIMITS } from "./names";
import { awsStateHandles, backupDatabasePromoted, globalTableArgs, readReplicaArgs, replicaTable, stateReplication } from "./replication";
import { cacheAccessString, cacheUsers, DATABASE, PROXY_POOL, stateSizes, TABLE_ACTIONS, TASKS_BY_STATUS_INDEX } from "./state-shape";
import { awsTags } from "./tags";

export { stateSizes, TABLE_ACTIONS, TASKS_BY_STATUS_INDEX } from "./state-shape";

/**
 * The seed's shared state on AWS: a DynamoDB task table (status and priority
 * index, TTL) and context table, both with point-in-time recovery, the fleet key
 * and deletion protection; an ElastiCache Serverless Valkey results cache (TLS
 * always, IAM authentication per agent, daily snapshots); in the small tier a
 * Postgres database (encrypted, automated backups, deletion protection, TLS
 * forced, IAM authentication), behind RDS Proxy where the tier pools connections.
 * Agents find the endpoints in one SSM parameter; each service's identity may use
 * exactly these stores. In a primary-backup fleet the primary's tables are global
 * tables with a replica in the backup region, whose store uses those replicas and a
 * read replica of the primary's Postgres (replication.ts).
 */
export function awsStateStore(scope: StateStoreScope): StateStoreOutputs {
  const landing = awsLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const tags = plan.tags;
  const sizes = stateSizes(plan);
  const handles = scope.services.map((s) => awsServices.get(s));
  const replication = stateReplication(scope);
  const protectedTable = {
    billingMode: "PAY_PER_REQUEST",
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn: landing.key.arn },
    deletionProtectionEnabled: true,
    ttl: { attributeName: "expiresAt", enabled: true },
    ...(replication.role === "primary" ? globalTableArgs(replication.replicas) : {}),
  };
  const primaryTable = (logical: string, args: dynamodb.TableArgs) => new dynamodb.Table(logical, args, opts);
  const tasks = replication.role === "backup" ? replicaTable(replication.primary.tasks, landing) : primaryTable(
    `${name}-tasks`,
    {
      name: awsName([landing.prefix, "tasks"], NAME_LIMITS.dynamodbTable),
      hashKey: "taskId",
      attributes: [
        { name: "taskId", type: "S" },
        { name: "status", type: "S" },
        { name: "priority", type: "N" },
      ],
      globalSecondaryIndexes: [{ name: TASKS_BY_STATUS_INDEX, hashKey: "status", rangeKey: "priority", projectionType: "ALL" }],
      ...protectedTable,
      tags: awsTags(tags, awsName([landing.prefix, "tasks"], NAME_LIMITS.dynamodbTable)),
    });
  const context = replication.role === "backup" ? replicaTable(replication.primary.context, landing) : primaryTable(
    `${name}-context`,
    {
      name: awsName([landing.prefix, "context"], NAME_LIMITS.dynamodbTable),
      hashKey: "contextId",
      rangeKey: "key",
      attributes: [
        { name: "contextId", type: "S" },
        { name: "key", type: "S" },
      ],
      ...protectedTable,
      tags: awsTags(tags, awsName([landing.prefix, "context"], NAME_LIMITS.dynamodbTable)),
    });

  const cache = resultsCache(name, landing, plan, handles, sizes, opts);
  const source = replication.role === "backup" ? replication.primary.database : undefined;
  const database = scope.settings.database ? sharedDatabase(name, landing, plan, handles, sizes, scope.settings.connectionPooling, opts, source) : undefined;
  if (replication.role !== "backup" && tasks instanceof dynamodb.Table && context instanceof dynamodb.Table) {
    awsStateHandles.set(scope, { region: landing.region, tasks, context, ...(database ? { database: database.instance } : {}) });
  }

  const parameter = new ssm.Parameter(
    `${name}-endpoints`,
    {
      name: stateParameterName(landing.prefix),
      description: `Shared state endpoints of ${landing.prefix}`,
      type: "String",
      tier: "Standard",
      // Endpoints and names, not secrets: kept readable in plans and in the console.
      insecureValue: pulumi.jsonStringify({
        tasksTable: tasks.name,
        tasksByStatusIndex: TASKS_BY_STATUS_INDEX,
        contextTable: context.name,
        resultsCache: { host: cache.cache.endpoints.apply((e) => e[0]?.address ?? ""), port: 6379, readerPort: 6380, tls: true, auth: "iam", users: cache.users, ttlSeconds: scope.settings.resultsTtlSeconds },
        ...(database ? { database: { host: database.host, port: 5432, name: "microagents", tls: true, auth: "iam", users: Object.fromEntries(handles.map((h) => [h.agent.name, dbUserName(h.agent.name)])), ...(source ? { readReplica: !backupDatabasePromoted() } : {}) } } : {}),
      }),
      tags: awsTags(tags),
    },
    opts,
  );

  for (const h of handles) {
    const statements: PolicyStatement[] = [
      {
        Sid: "UseSharedTables",
        Effect: "Allow",
        Action: [...TABLE_ACTIONS],
        Resource: [tasks.arn, pulumi.interpolate`${tasks.arn}/index/${TASKS_BY_STATUS_INDEX}`, context.arn],
      },
      { Sid: "ConnectToResultsCache", Effect: "Allow", Action: "elasticache:Connect", Resource: [cache.cache.arn, cache.userArns[h.agent.name]] },
    ];
    if (database) {
      statements.push({ Sid: "ConnectToSharedDatabase", Effect: "Allow", Action: "rds-db:connect", Resource: pulumi.interpolate`arn:${landing.partition}:rds-db:${landing.region}:${landing.accountId}:dbuser:${database.resourceId}/${dbUserName(h.agent.name)}` });
    }
    new iam.RolePolicy(`${name}-${h.agent.name}`, { role: h.role.id, policy: policyJson(statements) }, { ...opts, dependsOn: [parameter] });
  }
  return {
    taskTable: tasks.name,
    contextStore: context.name,
    resultsCacheEndpoint: pulumi.interpolate`${cache.cache.endpoints.apply((e) => e[0]?.address ?? "")}:6379`,
  };
}

interface Sizes {
  readonly cacheGb: number;
  readonly cacheEcpu: number;
  readonly snapshots: number;
  readonly instanceClass: string;
  readonly multiAz: boolean;
  readonly backupDays: number;
}

function storeSecurityGroup(logical: string, landing: AwsLanding, what: string, ports: readonly [number, number], sources: ReadonlyArray<pulumi.Input<string>>, tags: Readonly<Record<string, string>>, opts: pulumi.CustomResourceOptions): ec2.SecurityGroup {
  const sgName = awsName([landing.prefix, what], NAME_LIMITS.securityGroup);
  return new ec2.SecurityGroup(
    logical,
    {
      name: sgName,
      description: `${what}: in from the fleet's agents only`,
      vpcId: landing.network.vpcId,
      ingress: sources.length > 0 ? [{ description: "fleet agents", protocol: "tcp", fromPort: ports[0], toPort: ports[1], securityGroups: [...new Set(sources)] }] : [],
      egress: [],
      tags: awsTags(tags, sgName),
    },
    opts,
  );
}

function resultsCache(name: string, landing: AwsLanding, plan: FleetPlan, handles: ReadonlyArray<AwsServiceHandle>, sizes: Sizes, opts: pulumi.CustomResourceOptions) {
  const tags = plan.tags;
  const sg = storeSecurityGroup(`${name}-cache`, landing, "results-cache", [6379, 6380], handles.map((h) => h.sourceSecurityGroupId), tags, opts);
  // A user group needs a `default` user; this one is switched off.
  const defaultUser = new elasticache.User(
    `${name}-cache-default`,
    { userId: awsName([landing.prefix, "default"], NAME_LIMITS.elasticacheUser), userName: "default", engine: "valkey", accessString: "off -@all", authenticationMode: { type: "no-password-required" }, tags: awsTags(tags) },
    opts,
  );
  const created = cacheUsers(landing.prefix, handles.map((h) => h.agent.name)).map((user) => {
    const own = user.agents.length === 1 ? handles.find((h) => h.agent.name === user.agents[0]) : undefined;
    const resource = new elasticache.User(
      `${name}-cache-${user.key}`,
      { userId: user.id, userName: user.id, engine: "valkey", accessString: cacheAccessString(user), authenticationMode: { type: "iam" }, tags: awsTags(own ? own.agent.tags : tags) },
      opts,
    );
    return { user, resource };
  });
  const users: Record<string, string> = Object.fromEntries(created.flatMap((c) => c.user.agents.map((a) => [a, c.user.id])));
  const userArns: Record<string, pulumi.Output<string>> = Object.fromEntries(created.flatMap((c) => c.user.agents.map((a) => [a, c.resource.arn])));
  const agentUsers = created.map((c) => c.resource);
  const group = new elasticache.UserGroup(
    `${name}-cache`,
    { userGroupId: awsName([landing.prefix, "results"], NAME_LIMITS.elasticacheUser), engine: "valkey", userIds: [defaultUser.userId, ...agentUsers.map((u) => u.userId)], tags: awsTags(tags) },
    opts,
  );
  const cache = new elasticache.ServerlessCache(
    `${name}-results`,
    {
      name: awsName([landing.prefix, "results"], NAME_LIMITS.serverlessCache),
      description: `Results cache of ${landing.prefix}`,
      engine: "valkey",
      majorEngineVersion: "8",
      kmsKeyId: landing.key.arn,
      securityGroupIds: [sg.id],
      subnetIds: [...landing.network.privateSubnetIds],
      userGroupId: group.userGroupId,
      snapshotRetentionLimit: sizes.snapshots,
      dailySnapshotTime: "03:00",
      cacheUsageLimits: { dataStorage: { maximum: sizes.cacheGb, unit: "GB" }, ecpuPerSeconds: [{ maximum: sizes.cacheEcpu }] },
      tags: awsTags(tags, awsName([landing.prefix, "results"], NAME_LIMITS.serverlessCache)),
    },
    opts,
  );
  return { cache, users, userArns };
}

/** The shared Postgres, or with `source` its read replica in this region (no proxy: RDS Proxy cannot front an RDS read replica). */
function sharedDatabase(name: string, landing: AwsLanding, plan: FleetPlan, handles: ReadonlyArray<AwsServiceHandle>, sizes: Sizes, poolingWanted: boolean, opts: pulumi.CustomResourceOptions, source?: rds.Instance) {
  const pooled = poolingWanted && !source;
  const tags = plan.tags;
  const identifier = awsName([landing.prefix, "shared"], NAME_LIMITS.rdsIdentifier);
  const agents = handles.map((h) => h.sourceSecurityGroupId);
  const proxySg = pooled ? storeSecurityGroup(`${name}-proxy`, landing, "db-proxy", [5432, 5432], agents, tags, opts) : undefined;
  const dbSg = storeSecurityGroup(`${name}-database`, landing, "database", [5432, 5432], proxySg ? [proxySg.id] : agents, tags, opts);
  const subnets = new rds.SubnetGroup(`${name}-database`, { name: identifier, description: `Private subnets of ${landing.prefix}`, subnetIds: [...landing.network.privateSubnetIds], tags: awsTags(tags) }, opts);
  const params = new rds.ParameterGroup(
    `${name}-database`,
    {
      name: identifier,
      family: DATABASE.family,
      description: "TLS only; slow statements logged",
      parameters: Object.entries(DATABASE.parameters).map(([pname, value]) => ({ name: pname, value })),
      tags: awsTags(tags),
    },
    opts,
  );
  // RDS creates these for exported logs; created first so they carry retention and the fleet key.
  const exported = DATABASE.logExports.map((kind) => logGroup(`${name}-database-${kind}`, { name: `/aws/rds/instance/${identifier}/${kind}`, key: landing.key, retentionDays: landing.logRetentionDays, tags }, opts));
  const db = new rds.Instance(
    `${name}-database`,
    {
      identifier,
      engine: DATABASE.engine,
      engineVersion: DATABASE.engineVersion,
      instanceClass: sizes.instanceClass,
      allocatedStorage: DATABASE.allocatedStorageGb,
      maxAllocatedStorage: DATABASE.maxAllocatedStorageGb,
      storageType: DATABASE.storageType,
      storageEncrypted: true,
      kmsKeyId: landing.key.arn,
      ...(source ? readReplicaArgs(source, backupDatabasePromoted()) : { dbName: DATABASE.name, username: DATABASE.adminUser, manageMasterUserPassword: true, masterUserSecretKmsKeyId: landing.key.arn, skipFinalSnapshot: false, finalSnapshotIdentifier: `${identifier}-final` }),
      iamDatabaseAuthenticationEnabled: true,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [dbSg.id],
      parameterGroupName: params.name,
      publiclyAccessible: false,
      multiAz: sizes.multiAz,
      backupRetentionPeriod: sizes.backupDays,
      backupWindow: DATABASE.backupWindow,
      maintenanceWindow: DATABASE.maintenanceWindow,
      deletionProtection: true,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: landing.key.arn,
      performanceInsightsRetentionPeriod: DATABASE.performanceInsightsDays,
      enabledCloudwatchLogsExports: [...DATABASE.logExports],
      caCertIdentifier: DATABASE.caCertIdentifier,
      tags: awsTags(tags, identifier),
    },
    { ...opts, dependsOn: exported },
  );
  if (!pooled || !proxySg) return { host: db.address, resourceId: db.resourceId, instance: db };

  const proxyName = awsName([landing.prefix, "shared"], NAME_LIMITS.rdsProxy);
  const role = new iam.Role(
    `${name}-proxy`,
    { name: awsName([landing.prefix, "db-proxy", landing.region], NAME_LIMITS.iamRole), description: "RDS Proxy connects to the shared database as each agent's IAM user", assumeRolePolicy: serviceTrust("rds.amazonaws.com", landing.accountId), tags: awsTags(tags) },
    opts,
  );
  new iam.RolePolicy(
    `${name}-proxy`,
    {
      role: role.id,
      policy: policyJson([
        {
          Sid: "ConnectAsAgentUsers",
          Effect: "Allow",
          Action: "rds-db:connect",
          // Every agent's user by the naming convention, not one ARN per agent: the policy stays one size at any fleet size.
          Resource: pulumi.interpolate`arn:${landing.partition}:rds-db:${landing.region}:${landing.accountId}:dbuser:${db.resourceId}/${DB_AGENT_USER_PREFIX}*`,
        },
      ]),
    },
    opts,
  );
  const proxy = new rds.Proxy(
    `${name}-proxy`,
    {
      name: proxyName,
      engineFamily: "POSTGRESQL",
      defaultAuthScheme: "IAM_AUTH",
      requireTls: true,
      idleClientTimeout: DATABASE.proxyIdleClientTimeoutSeconds,
      debugLogging: false,
      roleArn: role.arn,
      vpcSubnetIds: [...landing.network.privateSubnetIds],
      vpcSecurityGroupIds: [proxySg.id],
      tags: awsTags(tags, proxyName),
    },
    opts,
  );
  new rds.ProxyDefaultTargetGroup(`${name}-proxy`, { dbProxyName: proxy.name, connectionPoolConfig: { ...PROXY_POOL } }, opts);
  new rds.ProxyTarget(`${name}-proxy`, { dbProxyName: proxy.name, targetGroupName: "default", dbInstanceIdentifier: db.identifier }, opts);
  return { host: proxy.endpoint, resourceId: proxy.arn.apply((a) => a.split(":").pop() ?? a), instance: db };
}
