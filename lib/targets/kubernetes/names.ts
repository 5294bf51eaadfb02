/**
 * Names the Kubernetes pieces agree on. A service is built before the state store,
 * the gateway and observability, so it reaches them through these fixed names
 * (optional ConfigMaps and Secrets it mounts), never through their objects.
 */
export const fleetNames = (fleet: string) => ({
  /** CNPG Cluster; CNPG makes `<cluster>-rw` (Service), `<cluster>-app` (app user Secret) and `<cluster>-ca` (server CA Secret). */
  postgresCluster: `${fleet}-state`,
  postgresAppSecret: `${fleet}-state-app`,
  postgresCaSecret: `${fleet}-state-ca`,
  pooler: `${fleet}-state-pooler`,
  /** Secret the platform team provides: key `default` holds the Valkey `default` user's password. */
  valkeyAuthSecret: `${fleet}-valkey-auth`,
  valkeyTlsSecret: `${fleet}-valkey-tls`,
  /** ConfigMap with the state endpoints, read by agents through envFrom (optional). */
  stateConfig: `${fleet}-state`,
  /** ConfigMap with the OTLP endpoint, read by agents through envFrom (optional). */
  telemetryConfig: `${fleet}-telemetry`,
  /** Client certificate of the fleet's agents (and the CA that signed NATS and Valkey). */
  agentTlsSecret: `${fleet}-agents-tls`,
  /** cert-manager issuers of the fleet's private CA. */
  selfSignedIssuer: `${fleet}-selfsigned`,
  caIssuer: `${fleet}-ca`,
  caSecret: `${fleet}-ca`,
  gateway: fleet,
  gatewayClass: `microagents-${fleet}`,
  gatewayTlsSecret: `${fleet}-gateway-tls`,
  envoyProxy: `${fleet}-proxy`,
  requestValidator: `${fleet}-request-validator`,
  legacyBackend: `${fleet}-legacy`,
  apiKeySecret: `${fleet}-api-keys`,
  dashboard: `${fleet}-dashboard`,
});

/** Release names of the per-fleet charts (Helm names the Service after the release). */
export const VALKEY_SERVICE = "valkey";
export const OTEL_COLLECTOR_SERVICE = "opentelemetry-collector";

/** Where agents find the shared files: TLS material, database and cache credentials. */
export const AGENT_FILES = "/etc/microagents";
