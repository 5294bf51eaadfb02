import * as k8s from "@pulumi/kubernetes";
import type { AgentGateway } from "../../components/agent-gateway";
import { costLabels } from "../../plan/tags";
import type { AgentPlan } from "../../plan/types";
import { childOpts, type KubernetesLanding } from "./landing";
import { fleetNames } from "./names";

/** The ext_authz gRPC port of OPA-Envoy. */
export const VALIDATOR_PORT = 9191;
const HEALTH_PORT = 8282;
/**
 * OPA with the Envoy external-authorization plugin, statically linked. Version from
 * a dependabot bump in envoyproxy/examples (PR 700, July 2025); pin a digest in production.
 */
export const OPA_ENVOY_IMAGE = "openpolicyagent/opa:1.6.0-envoy-1-static";

/**
 * The Rego policy that enforces each route's JSON schema with OPA's built-in
 * `json.match_schema` on the body Envoy forwards (`input.parsed_body`). The longest
 * route path that prefixes the request path picks the schema; a body that does not
 * match gets 400 with the schema errors; a path with no schema is let through (only
 * schema routes are sent here). Route paths and schemas come from the plan, as JSON.
 */
export function validatorPolicy(routes: ReadonlyArray<{ readonly path: string; readonly schema: Readonly<Record<string, unknown>> }>): string {
  const schemas = Object.fromEntries(routes.map((r) => [r.path, r.schema]));
  return `package microagents.validate

import rego.v1

schemas := ${JSON.stringify(schemas)}

path := split(input.attributes.request.http.path, "?")[0]

prefixes contains p if {
\tsome p, _ in schemas
\tany([path == p, startswith(path, concat("", [trim_suffix(p, "/"), "/"]))])
}

route := p if {
\tsome p in prefixes
\tevery q in prefixes { count(q) <= count(p) }
}

check := json.match_schema(input.parsed_body, schemas[route])

default allow := false

allow if not route

allow if check[0]

result := {"allowed": true} if allow

result := {
\t"allowed": false,
\t"http_status": 400,
\t"headers": {"content-type": "application/json"},
\t"body": json.marshal({"error": "request body does not match the route's schema", "details": [e.error | some e in check[1]]}),
} if not allow
`;
}

/** OPA-Envoy configuration: ext_authz on :9191 answering with `result`, decisions not logged (bodies may hold personal data). */
export const VALIDATOR_CONFIG = `plugins:
  envoy_ext_authz_grpc:
    addr: :${VALIDATOR_PORT}
    path: microagents/validate/result
    enable-reflection: false
decision_logs:
  console: false
`;

/**
 * Request schema validation for routes that have a JSON schema: OPA-Envoy, called by
 * Envoy Gateway as gRPC external authorization with the request body. A maintained
 * policy engine with a JSON-schema built-in, not a validator of our own; it runs
 * hardened (non-root, read-only, no capabilities), two replicas with a PDB, and
 * accepts traffic from the gateway's namespace only.
 */
export function requestValidator(scope: AgentGateway, landing: KubernetesLanding, routed: ReadonlyArray<AgentPlan>): string {
  const plan = scope.platform.plan;
  const fleet = plan.fleet.name;
  const n = fleetNames(fleet);
  const ns = landing.namespace;
  const name = `${scope.resourceName}-validator`;
  const selector = { "app.kubernetes.io/name": n.requestValidator, "app.kubernetes.io/part-of": fleet };
  const labels = { ...costLabels(plan.tags), ...selector, "app.kubernetes.io/component": "request-validator" };
  const opts = childOpts(scope, landing);
  const routes = routed.flatMap((a) => (a.route?.schema ? [{ path: a.route.path, schema: a.route.schema }] : []));
  const config = new k8s.core.v1.ConfigMap(
    name,
    { metadata: { name: n.requestValidator, namespace: ns, labels }, data: { "policy.rego": validatorPolicy(routes), "config.yaml": VALIDATOR_CONFIG } },
    opts,
  );
  const replicas = 2;
  const probe = (path: string) => ({ httpGet: { path, port: "health" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
  new k8s.apps.v1.Deployment(
    name,
    {
      metadata: { name: n.requestValidator, namespace: ns, labels },
      spec: {
        replicas,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "opa",
                image: OPA_ENVOY_IMAGE,
                imagePullPolicy: "IfNotPresent",
                args: ["run", "--server", "--addr=127.0.0.1:8181", `--diagnostic-addr=0.0.0.0:${HEALTH_PORT}`, "--config-file=/config/config.yaml", "/config/policy.rego"],
                ports: [
                  { name: "grpc", containerPort: VALIDATOR_PORT, protocol: "TCP" },
                  { name: "health", containerPort: HEALTH_PORT, protocol: "TCP" },
                ],
                resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "250m", memory: "256Mi" } },
                startupProbe: probe("/health"),
                livenessProbe: probe("/health"),
                readinessProbe: probe("/health?plugins"),
                securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
                volumeMounts: [{ name: "config", mountPath: "/config", readOnly: true }],
              },
            ],
            volumes: [{ name: "config", configMap: { name: n.requestValidator } }],
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } }],
          },
        },
      },
    },
    { ...opts, dependsOn: [config] },
  );
  new k8s.core.v1.Service(
    name,
    { metadata: { name: n.requestValidator, namespace: ns, labels }, spec: { type: "ClusterIP", selector, ports: [{ name: "grpc", port: VALIDATOR_PORT, targetPort: "grpc", protocol: "TCP", appProtocol: "kubernetes.io/h2c" }] } },
    opts,
  );
  new k8s.policy.v1.PodDisruptionBudget(name, { metadata: { name: n.requestValidator, namespace: ns, labels }, spec: { selector: { matchLabels: selector }, maxUnavailable: 1 } }, opts);
  new k8s.networking.v1.NetworkPolicy(
    name,
    {
      metadata: { name: n.requestValidator, namespace: ns, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": landing.gatewayNamespace } } }], ports: [{ protocol: "TCP", port: VALIDATOR_PORT }] },
          { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": landing.monitoringNamespace } } }], ports: [{ protocol: "TCP", port: HEALTH_PORT }] },
        ],
        egress: [],
      },
    },
    opts,
  );
  return n.requestValidator;
}
