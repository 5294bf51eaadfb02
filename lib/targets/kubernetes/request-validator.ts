import * as k8s from "@pulumi/kubernetes";
import { costLabels } from "../../plan/tags";
import type { AgentPlan } from "../../plan/types";
import { childOpts, type KubernetesLanding } from "./landing";
import images from "./catalog/images.json";
import { fleetNames } from "./names";
import type { GatewayScope } from "../target";

/** The ext_authz gRPC port of OPA-Envoy. */
export const VALIDATOR_PORT = 9191;
const HEALTH_PORT = 8282;
/**
 * OPA with the Envoy external-authorization plugin, pinned by digest so what was reviewed
 * is what runs (MA-SEC-005). OPA 1.x: Rego v1 syntax only (`if`, `contains`, `in`,
 * `every`; the deprecated built-ins are gone). Tag and digest, with their source, are in
 * catalog/images.json; check a new pin with `crane digest <repo>:<tag>` before changing it.
 */
export const OPA_ENVOY_IMAGE = `${images.opaEnvoy.repository}:${images.opaEnvoy.tag}@${images.opaEnvoy.digest}`;

/**
 * Built-ins OPA 1.0 removed (deprecated in 0.x; Regal's `deprecated-builtin` rule lists
 * them): a policy calling one fails to parse, OPA crash-loops, and with `failOpen: false`
 * every request on a schema route is refused.
 */
export const REMOVED_REGO_BUILTINS = ["any", "all", "re_match", "net.cidr_overlap", "set_diff", "cast_array", "cast_set", "cast_string", "cast_boolean", "cast_null", "cast_object"] as const;

/** Methods whose request body the route's schema describes; others carry no body and pass to the agent. */
export const VALIDATED_METHODS = ["POST", "PUT", "PATCH"] as const;

/**
 * The Rego policy that enforces each route's JSON schema with OPA's built-in
 * `json.match_schema` on the body Envoy forwards (`input.parsed_body`). The longest
 * route path that prefixes the request path picks the schema. Per method:
 * POST, PUT and PATCH must carry a JSON body (`content-type: application/json`) that
 * matches, else 400 with the schema errors; GET, HEAD, DELETE and OPTIONS carry no body
 * the schema could describe and pass through (the route's auth still applies). A path
 * with no schema is let through (only schema routes are sent here). Route paths and
 * schemas come from the plan, as JSON.
 */
export function validatorPolicy(routes: ReadonlyArray<{ readonly path: string; readonly schema: Readonly<Record<string, unknown>> }>): string {
  const schemas = Object.fromEntries(routes.map((r) => [r.path, r.schema]));
  return `package microagents.validate

import rego.v1

schemas := ${JSON.stringify(schemas)}

body_methods := ${JSON.stringify([...VALIDATED_METHODS])}

method := upper(input.attributes.request.http.method)

path := split(input.attributes.request.http.path, "?")[0]

prefixes contains p if {
\tsome p, _ in schemas
\tpath == p
}

prefixes contains p if {
\tsome p, _ in schemas
\tstartswith(path, concat("", [trim_suffix(p, "/"), "/"]))
}

route := p if {
\tsome p in prefixes
\tevery q in prefixes { count(q) <= count(p) }
}

validated if {
\troute
\tmethod in body_methods
}

has_body if "parsed_body" in object.keys(input)

errors := ["the request body must be JSON (content-type: application/json)"] if {
\tvalidated
\tnot has_body
}

errors := [e.error | some e in check[1]] if {
\tvalidated
\thas_body
\tcheck := json.match_schema(input.parsed_body, schemas[route])
}

default allow := false

allow if not validated

allow if count(errors) == 0

result := {"allowed": true} if allow

result := {
\t"allowed": false,
\t"http_status": 400,
\t"headers": {"content-type": "application/json"},
\t"body": json.marshal({"error": "request body does not match the route's schema", "details": errors}),
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
export function requestValidator(scope: GatewayScope, landing: KubernetesLanding, routed: ReadonlyArray<AgentPlan>): string {
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
