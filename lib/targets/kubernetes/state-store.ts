import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { costLabels } from "../../plan/tags";
import type { StateStoreOutputs, StateStoreScope } from "../target";
import { VALKEY_RESOURCES } from "./addon-resources";
import { helmRelease } from "./addons";
import { childOpts, landings, type KubernetesLanding } from "./landing";
import { fleetNames, VALKEY_SERVICE } from "./names";
import { fleetCertificate } from "./tls";

const CNPG_API = "postgresql.cnpg.io/v1";

/** The application database, and the role CNPG creates as its owner (the one agents log in as). */
export const DATABASE = "microagents";

/** Schema of the task table and context store; owned by the superuser, not by the role agents log in as. */
export const STATE_SCHEMA = "state";

/**
 * The seed's task table (status and priority) and context store, created once by
 * CloudNativePG's bootstrap (`postInitApplicationSQLRefs`, run as the superuser in the
 * application database) in a schema of their own. Agents log in as the application
 * user (`microagents`, CNPG's `<cluster>-app` Secret), which may read and write rows and
 * nothing else there: no DDL, no TRUNCATE, no other schema's objects. Later schema
 * changes are migrations the agents' release process runs as the superuser; the
 * bootstrap runs only when the cluster is created.
 */
export const STATE_SCHEMA_SQL = `CREATE SCHEMA IF NOT EXISTS ${STATE_SCHEMA};
REVOKE ALL ON SCHEMA ${STATE_SCHEMA} FROM PUBLIC;
CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agent text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'dead-lettered')),
  priority smallint NOT NULL DEFAULT 5 CHECK (priority BETWEEN 0 AND 9),
  payload jsonb NOT NULL,
  result jsonb,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  parent_id uuid REFERENCES ${STATE_SCHEMA}.tasks (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS tasks_by_agent_status_priority ON ${STATE_SCHEMA}.tasks (agent, status, priority DESC, created_at);
CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.context (
  scope text NOT NULL,
  key text NOT NULL,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  PRIMARY KEY (scope, key)
);
REVOKE ALL ON ${STATE_SCHEMA}.tasks, ${STATE_SCHEMA}.context FROM PUBLIC;
GRANT USAGE ON SCHEMA ${STATE_SCHEMA} TO ${DATABASE};
GRANT SELECT, INSERT, UPDATE, DELETE ON ${STATE_SCHEMA}.tasks, ${STATE_SCHEMA}.context TO ${DATABASE};
ALTER ROLE ${DATABASE} IN DATABASE ${DATABASE} SET search_path = ${STATE_SCHEMA};
`;


/** Sizing of the Postgres cluster by environment: three instances (one primary, two standbys) in prod. */
export function postgresSizing(environment: string): { instances: number; storage: string; walStorage?: string; cpu: string; memory: string } {
  return environment === "prod" ? { instances: 3, storage: "20Gi", walStorage: "10Gi", cpu: "1", memory: "2Gi" } : { instances: 1, storage: "5Gi", cpu: "500m", memory: "1Gi" };
}

/** The Cluster spec: backups to an object store (WAL archive and base backups, encrypted), PDB when it has standbys. */
export function postgresClusterSpec(fleet: string, namespace: string, environment: string, retentionDays: number, labels: Readonly<Record<string, string>>): Record<string, unknown> {
  const n = fleetNames(fleet);
  const size = postgresSizing(environment);
  const backupSecret = `${n.postgresCluster}-backup`;
  return {
    instances: size.instances,
    primaryUpdateStrategy: "unsupervised",
    // A single instance's PDB (minAvailable 1) would block every node drain.
    enablePDB: size.instances > 1,
    storage: { size: size.storage },
    ...(size.walStorage ? { walStorage: { size: size.walStorage } } : {}),
    resources: { requests: { cpu: size.cpu, memory: size.memory }, limits: { cpu: size.cpu, memory: size.memory } },
    affinity: { enablePodAntiAffinity: true, topologyKey: "kubernetes.io/hostname" },
    inheritedMetadata: { labels: { ...labels } },
    bootstrap: {
      initdb: {
        database: DATABASE,
        owner: DATABASE,
        postInitApplicationSQLRefs: { configMapRefs: [{ name: `${n.postgresCluster}-schema`, key: "schema.sql" }] },
      },
    },
    backup: {
      retentionPolicy: `${retentionDays}d`,
      barmanObjectStore: {
        destinationPath: `s3://${n.postgresCluster}-backups/${namespace}`,
        s3Credentials: {
          accessKeyId: { name: backupSecret, key: "ACCESS_KEY_ID" },
          secretAccessKey: { name: backupSecret, key: "ACCESS_SECRET_KEY" },
        },
        wal: { compression: "gzip", encryption: "AES256" },
        data: { compression: "gzip", encryption: "AES256" },
      },
    },
  };
}

/**
 * ACL rules of an agent's own Valkey user: its keys only (`<agent>:*`, the prefix agents get
 * as MICROAGENTS_RESULTS_CACHE_PREFIX), no Pub/Sub channels, reads, writes and connection
 * commands, minus every `@dangerous` one (FLUSHALL, FLUSHDB, KEYS, CONFIG, ...) and the
 * two that list other agents' key names (SCAN, RANDOMKEY).
 */
export function valkeyAgentPermissions(agent: string): string {
  return `~${agent}:* resetchannels -@all +@read +@write +@connection -@dangerous -scan -randomkey`;
}

/** Prefix of an agent's results-cache keys (its ACL allows nothing else). */
export const cacheKeyPrefix = (agent: string) => `${agent}:`;

/**
 * The chart's ACL users: `default` (administration, replication, the probes) and one user
 * per agent named after it. Each password is the key of the same name in the Secret
 * `<fleet>-valkey-auth`, which the platform team provides.
 */
export function valkeyAclUsers(agents: ReadonlyArray<string>): Record<string, { permissions: string; passwordKey: string }> {
  const users: Record<string, { permissions: string; passwordKey: string }> = { default: { permissions: "~* &* +@all", passwordKey: "default" } };
  for (const agent of [...agents].sort()) users[agent] = { permissions: valkeyAgentPermissions(agent), passwordKey: agent };
  return users;
}

/**
 * The chart's health probe with the server's own certificate as client certificate: with
 * `requireClientCertificate` the chart's default probe (`valkey-cli --tls --cacert ... ping`,
 * templates/_helpers.tpl `valkey.healthProbes`) fails the handshake and the pods never start.
 * A probe passes on any reply: an unauthenticated PING answers NOAUTH, and valkey-cli exits 0.
 */
export function valkeyProbe(periodSeconds: number, failureThreshold: number): Record<string, unknown> {
  const cli = ["valkey-cli", "--tls", "--cacert", "/tls/ca.crt", "--cert", "/tls/tls.crt", "--key", "/tls/tls.key", "ping"];
  return { enabled: true, customProbe: { exec: { command: cli }, periodSeconds, timeoutSeconds: 5, failureThreshold } };
}

/**
 * Valkey values: ACL auth (valkeyAclUsers), TLS with client certificates required and probes
 * that present one, persistence: `dataStorage` in standalone mode, `replica.persistence` in
 * replica mode (the chart reads `dataStorage` in standalone mode only).
 */
export function valkeyValues(fleet: string, prod: boolean, agents: ReadonlyArray<string>): Record<string, unknown> {
  const n = fleetNames(fleet);
  return {
    auth: { enabled: true, usersExistingSecret: n.valkeyAuthSecret, aclUsers: valkeyAclUsers(agents) },
    tls: { enabled: true, existingSecret: n.valkeyTlsSecret, serverPublicKey: "tls.crt", serverKey: "tls.key", caPublicKey: "ca.crt", requireClientCertificate: true },
    startupProbe: valkeyProbe(5, 24),
    livenessProbe: valkeyProbe(10, 3),
    readinessProbe: valkeyProbe(5, 3),
    ...(prod ? { replica: { enabled: true, replicas: 2, persistence: { size: "10Gi" } } } : { dataStorage: { enabled: true, requestedSize: "2Gi" } }),
    podSecurityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    resources: VALKEY_RESOURCES,
  };
}

/** Selectors of the state store's pods, as CNPG and the Valkey chart label them. */
export const statePods = {
  postgres: (fleet: string) => ({ "cnpg.io/cluster": fleetNames(fleet).postgresCluster }),
  pooler: (fleet: string) => ({ "cnpg.io/poolerName": fleetNames(fleet).pooler }),
  valkey: () => ({ "app.kubernetes.io/name": "valkey", "app.kubernetes.io/instance": VALKEY_SERVICE }),
};

/**
 * The seed's shared state on Kubernetes: Postgres from CloudNativePG (task table and
 * context store, backups to an object store on a schedule, a PDB, PgBouncer where
 * the tier pools connections) and Valkey for the results cache (auth, TLS with
 * client certificates). Network policies let only the given services in.
 */
export function kubernetesStateStore(scope: StateStoreScope): StateStoreOutputs {
  const landing = landings.get(scope.platform);
  const plan = scope.platform.plan;
  const fleet = plan.fleet.name;
  const ns = landing.namespace;
  const n = fleetNames(fleet);
  const name = scope.resourceName;
  const labels = costLabels(plan.tags);
  const opts = childOpts(scope, landing, landing.crdsReady);
  const prod = plan.fleet.environment === "prod";

  const schema = new k8s.core.v1.ConfigMap(
    `${name}-schema`,
    { metadata: { name: `${n.postgresCluster}-schema`, namespace: ns, labels: { ...labels, "cnpg.io/reload": "true" } }, data: { "schema.sql": STATE_SCHEMA_SQL } },
    childOpts(scope, landing),
  );
  const cluster = new k8s.apiextensions.CustomResource(
    `${name}-postgres`,
    {
      apiVersion: CNPG_API,
      kind: "Cluster",
      metadata: { name: n.postgresCluster, namespace: ns, labels },
      spec: postgresClusterSpec(fleet, ns, plan.fleet.environment, plan.logRetentionDays, labels),
    },
    { ...opts, dependsOn: [...landing.crdsReady, schema], protect: true },
  );
  new k8s.apiextensions.CustomResource(
    `${name}-backup`,
    {
      apiVersion: CNPG_API,
      kind: "ScheduledBackup",
      metadata: { name: `${n.postgresCluster}-daily`, namespace: ns, labels },
      spec: { cluster: { name: n.postgresCluster }, schedule: "0 0 2 * * *", method: "barmanObjectStore", backupOwnerReference: "self", immediate: true },
    },
    { ...opts, dependsOn: [...landing.crdsReady, cluster] },
  );
  const pooled = scope.settings.connectionPooling;
  if (pooled) {
    new k8s.apiextensions.CustomResource(
      `${name}-pooler`,
      {
        apiVersion: CNPG_API,
        kind: "Pooler",
        metadata: { name: n.pooler, namespace: ns, labels },
        spec: {
          cluster: { name: n.postgresCluster },
          instances: prod ? 2 : 1,
          type: "rw",
          pgbouncer: { poolMode: "transaction", parameters: { max_client_conn: "1000", default_pool_size: "20" } },
        },
      },
      { ...opts, dependsOn: [...landing.crdsReady, cluster] },
    );
  }
  new k8s.apiextensions.CustomResource(
    `${name}-postgres`,
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: { name: n.postgresCluster, namespace: ns, labels },
      spec: { selector: { matchLabels: statePods.postgres(fleet) }, podMetricsEndpoints: [{ port: "metrics" }] },
    },
    opts,
  );

  const dbHost = `${pooled ? n.pooler : `${n.postgresCluster}-rw`}.${ns}.svc.cluster.local`;
  const cacheHost = `${VALKEY_SERVICE}.${ns}.svc.cluster.local`;
  if (landing.addons.valkey) {
    const cert = fleetCertificate(
      `${name}-valkey-tls`,
      { name: n.valkeyTlsSecret, namespace: ns, secretName: n.valkeyTlsSecret, fleet, labels, dnsNames: [VALKEY_SERVICE, `${VALKEY_SERVICE}.${ns}`, `${VALKEY_SERVICE}.${ns}.svc`, cacheHost, `*.${VALKEY_SERVICE}-headless.${ns}.svc.cluster.local`], usages: ["server auth", "client auth"] },
      opts,
    );
    helmRelease(`${name}-valkey`, "valkey", valkeyValues(fleet, prod, scope.services.map((svc) => svc.agent.name)), childOpts(scope, landing, [...landing.crdsReady, cert]), ns);
  }
  new k8s.core.v1.ConfigMap(
    `${name}-endpoints`,
    {
      metadata: { name: n.stateConfig, namespace: ns, labels },
      data: {
        MICROAGENTS_DB_HOST: dbHost,
        MICROAGENTS_DB_PORT: "5432",
        MICROAGENTS_DB_NAME: DATABASE,
        MICROAGENTS_DB_SSLMODE: "verify-full",
        MICROAGENTS_TASK_TABLE: `${STATE_SCHEMA}.tasks`,
        MICROAGENTS_CONTEXT_TABLE: `${STATE_SCHEMA}.context`,
        MICROAGENTS_RESULTS_CACHE_URL: `rediss://${cacheHost}:6379`,
        MICROAGENTS_RESULTS_TTL_SECONDS: String(scope.settings.resultsTtlSeconds),
      },
    },
    childOpts(scope, landing),
  );
  statePolicies(scope, landing, labels);
  return {
    taskTable: pulumi.output(`${n.postgresCluster}/${DATABASE}/${STATE_SCHEMA}.tasks`),
    contextStore: pulumi.output(`${n.postgresCluster}/${DATABASE}/${STATE_SCHEMA}.context`),
    resultsCacheEndpoint: pulumi.output(`rediss://${cacheHost}:6379`),
  };
}

type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
const inNamespace = (ns: string): Peer => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });
const DNS = {
  to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

/**
 * Least-privilege traffic around the state: the given services may reach Postgres
 * (or its pooler) and Valkey, nothing else may; Postgres instances replicate among
 * themselves, answer the CNPG operator's status calls, reach the API server (the
 * instance manager runs the failover) and the object store over HTTPS.
 */
function statePolicies(scope: StateStoreScope, landing: KubernetesLanding, labels: Record<string, string>): void {
  const fleet = scope.platform.fleet.name;
  const ns = landing.namespace;
  const name = scope.resourceName;
  const agents = scope.services.map((s) => s.agent.name).sort();
  const agentSelector = { matchLabels: { "app.kubernetes.io/part-of": fleet }, matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: agents }] };
  const agentPods: Peer = { podSelector: agentSelector };
  const postgres = { podSelector: { matchLabels: statePods.postgres(fleet) } };
  const pooler = { podSelector: { matchLabels: statePods.pooler(fleet) } };
  const valkey = { podSelector: { matchLabels: statePods.valkey() } };
  const pg = [{ protocol: "TCP", port: 5432 }];
  const cache = [{ protocol: "TCP", port: 6379 }];
  const pooled = scope.settings.connectionPooling;
  const policy = (suffix: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
    new k8s.networking.v1.NetworkPolicy(`${name}-${suffix}`, { metadata: { name: `${fleet}-${suffix}`, namespace: ns, labels }, spec }, childOpts(scope, landing));

  policy("agents-to-state", {
    podSelector: agentSelector,
    policyTypes: ["Egress"],
    egress: [
      { to: [pooled ? pooler : postgres], ports: pg },
      ...(landing.addons.valkey ? [{ to: [valkey], ports: cache }] : []),
    ],
  });
  policy("postgres", {
    podSelector: postgres.podSelector,
    policyTypes: ["Ingress", "Egress"],
    ingress: [
      { from: [pooled ? pooler : agentPods, postgres], ports: pg },
      { from: [inNamespace(landing.cnpgNamespace)], ports: [{ protocol: "TCP", port: 8000 }] },
      { from: [inNamespace(landing.monitoringNamespace)], ports: [{ protocol: "TCP", port: 9187 }] },
    ],
    egress: [
      DNS,
      { to: [postgres], ports: [...pg, { protocol: "TCP", port: 8000 }] },
      // The instance manager talks to the API server; the object store is HTTPS.
      { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 6443 }] },
    ],
  });
  if (pooled) {
    policy("pooler", {
      podSelector: pooler.podSelector,
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        { from: [agentPods], ports: pg },
        { from: [inNamespace(landing.monitoringNamespace)], ports: [{ protocol: "TCP", port: 9127 }] },
      ],
      egress: [DNS, { to: [postgres], ports: pg }, { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 6443 }] }],
    });
  }
  if (landing.addons.valkey) {
    policy("valkey", {
      podSelector: valkey.podSelector,
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [agentPods, valkey], ports: cache }],
      egress: [DNS, { to: [valkey], ports: cache }],
    });
  }
}
