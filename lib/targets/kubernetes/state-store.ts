import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AgentStateStore } from "../../components/agent-state-store";
import { costLabels } from "../../plan/tags";
import type { StateStoreOutputs } from "../target";
import { helmRelease } from "./addons";
import { childOpts, landings, type KubernetesLanding } from "./landing";
import { fleetNames, VALKEY_SERVICE } from "./names";
import { fleetCertificate } from "./tls";

const CNPG_API = "postgresql.cnpg.io/v1";

/**
 * The seed's task table (status and priority) and context store, created once by
 * CloudNativePG's bootstrap (`postInitApplicationSQLRefs`) in the application
 * database and handed to the application owner. Later schema changes are
 * migrations the agents' own release process runs; the bootstrap runs only when
 * the cluster is created.
 */
export const STATE_SCHEMA_SQL = `CREATE TABLE IF NOT EXISTS tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agent text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'dead-lettered')),
  priority smallint NOT NULL DEFAULT 5 CHECK (priority BETWEEN 0 AND 9),
  payload jsonb NOT NULL,
  result jsonb,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  parent_id uuid REFERENCES tasks (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS tasks_by_agent_status_priority ON tasks (agent, status, priority DESC, created_at);
CREATE TABLE IF NOT EXISTS context (
  scope text NOT NULL,
  key text NOT NULL,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  PRIMARY KEY (scope, key)
);
ALTER TABLE tasks OWNER TO microagents;
ALTER TABLE context OWNER TO microagents;
`;

export const DATABASE = "microagents";

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

/** Valkey values: ACL auth (the `default` user's password from a Secret), TLS with client certificates required, persistence. */
export function valkeyValues(fleet: string, prod: boolean): Record<string, unknown> {
  const n = fleetNames(fleet);
  return {
    auth: { enabled: true, usersExistingSecret: n.valkeyAuthSecret, aclUsers: { default: { permissions: "~* &* +@all", passwordKey: "default" } } },
    tls: { enabled: true, existingSecret: n.valkeyTlsSecret, serverPublicKey: "tls.crt", serverKey: "tls.key", caPublicKey: "ca.crt", requireClientCertificate: true },
    dataStorage: { enabled: true, requestedSize: prod ? "10Gi" : "2Gi" },
    ...(prod ? { replica: { enabled: true, replicas: 2, persistence: { size: "10Gi" } } } : {}),
    podSecurityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
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
export function kubernetesStateStore(scope: AgentStateStore): StateStoreOutputs {
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
    helmRelease(`${name}-valkey`, "valkey", valkeyValues(fleet, prod), childOpts(scope, landing, [...landing.crdsReady, cert]), ns);
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
        MICROAGENTS_TASK_TABLE: "tasks",
        MICROAGENTS_CONTEXT_TABLE: "context",
        MICROAGENTS_RESULTS_CACHE_URL: `rediss://${cacheHost}:6379`,
        MICROAGENTS_RESULTS_TTL_SECONDS: String(scope.settings.resultsTtlSeconds),
      },
    },
    childOpts(scope, landing),
  );
  statePolicies(scope, landing, labels);
  return {
    taskTable: pulumi.output(`${n.postgresCluster}/${DATABASE}/tasks`),
    contextStore: pulumi.output(`${n.postgresCluster}/${DATABASE}/context`),
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
function statePolicies(scope: AgentStateStore, landing: KubernetesLanding, labels: Record<string, string>): void {
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
