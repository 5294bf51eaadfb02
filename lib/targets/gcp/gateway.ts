import * as pubsub from "@pulumi/gcp/pubsub";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import { validatorPolicy } from "../kubernetes/request-validator";
import { HEALTH_PATH, Registry, type GatewayScope } from "../target";
import { armorPolicy } from "./armor";
import { pubsubNames } from "./broker";
import { envoyBootstrap, type AgentUpstream } from "./envoy-config";
import { gcpGatewayIssues, gcpRoutes, healthAgents, throwGatewayIssues, type GcpRoute } from "./gateway-shape";
import { childOpts, gcpLandings, gcpQueueOf, type GcpLanding } from "./landing";
import { authorizationRecord, gatewayLoadBalancer, type GcpLoadBalancer, type ProxyBackend } from "./load-balancer";
import { gcpName, GCP_NAME_LIMITS, serviceAccountId } from "./names";
import { RUNTIME_CLOUD } from "../../plan/gpu-placement";
import { frontDoorEdgeOf } from "../front-door-entry";
import { setGatewayEndpoint } from "../entry-probe";
import { behindRoute53Entry } from "../global-entry-shape";

/** What the failover entry needs of one region's gateway. */
export interface GcpGatewayHandle {
  readonly landing: GcpLanding;
  readonly hostname: string;
  readonly publicGateway: boolean;
  readonly loadBalancer: GcpLoadBalancer;
}

export const gcpGateways = new Registry<GatewayScope, GcpGatewayHandle>("AgentGateway");

/** The proxy's identity and what it was granted. */
export interface ProxyIdentity {
  readonly account: serviceaccount.Account;
  readonly member: pulumi.Output<string>;
  readonly grants: ReadonlyArray<pulumi.Resource>;
}

/** What a runtime hands back: the proxy workload and how the load balancer reaches it. */
export interface ProxyWorkload {
  readonly backend: ProxyBackend;
  readonly dependsOn: ReadonlyArray<pulumi.Resource>;
}

/** What a runtime builds the proxy from. */
export interface ProxyInputs {
  readonly scope: GatewayScope;
  readonly landing: GcpLanding;
  readonly identity: ProxyIdentity;
  /** The Envoy bootstrap (JSON), passed as `--config-yaml`. */
  readonly envoyConfig: pulumi.Output<string>;
  /** The validator's Rego policy when a route has a schema. */
  readonly validatorPolicy?: string;
  readonly routes: ReadonlyArray<GcpRoute>;
  /** The longest route timeout, seconds. */
  readonly timeoutSeconds: number;
}

/** How one runtime reaches its agents and runs the proxy. */
export interface GatewayRuntime {
  /** Where the proxy calls an agent (and its floor of instances, for the health route). */
  upstream(agent: AgentPlan, projectNumber: string): AgentUpstream;
  minInstances(scope: GatewayScope, agent: AgentPlan): number;
  /** Grants the proxy needs on an agent it calls (Cloud Run: invoker on the service). */
  grantCall(scope: GatewayScope, landing: GcpLanding, agent: AgentPlan, member: pulumi.Output<string>, opts: pulumi.CustomResourceOptions): pulumi.Resource[];
  proxy(inputs: ProxyInputs): ProxyWorkload;
}

/** The host name a GCP gateway answers on: the fleet's, else config `microagents:hostname`. */
export function gatewayHostname(scope: GatewayScope): string | undefined {
  return scope.settings.hostname ?? new pulumi.Config("microagents").get("hostname");
}

/**
 * The entry on GCP, the same on Cloud Run and GKE (gateway-shape.ts says why a
 * proxy): the proxy's service account (no keys) with grants on what it reaches
 * (publisher on each async agent's input topic; on Cloud Run invoker on each agent
 * it calls), the Envoy configuration from the routes, the proxy (runtime), a
 * Cloud Armor policy and the load balancer in front of it. A fleet with a primary
 * and a backup region creates the certificate's DNS validation record once (from
 * its primary) and no address record: the failover entry answers for the name.
 * Behind a global entry it creates neither: the Front Door entry writes the
 * validation record into its Azure DNS zone; the Route 53 entry writes it into its
 * hosted zone and reaches the load balancer by its address (setGatewayEndpoint).
 */
export function gcpGateway(scope: GatewayScope, runtime: GatewayRuntime): { url: pulumi.Output<string> } {
  const landing = gcpLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const settings = scope.settings;
  const hostnameConfig = new pulumi.Config("microagents").get("hostname");
  throwGatewayIssues(gcpGatewayIssues(plan, settings, hostnameConfig));
  const hostname = gatewayHostname(scope);
  if (!hostname) throw new Error("unreachable: the host name was checked");
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const agents = scope.services.map((s) => s.agent);
  const routes = gcpRoutes(agents);
  const byName = new Map(agents.map((a) => [a.name, a]));

  const account = new serviceaccount.Account(`${name}-proxy`, { accountId: serviceAccountId([landing.prefix, "gateway"]), displayName: `microagents ${landing.prefix} gateway proxy`, description: "The gateway proxy: publishes async requests, calls sync agents" }, opts);
  const member = pulumi.interpolate`serviceAccount:${account.email}`;
  const grants: pulumi.Resource[] = [];
  const topics: Record<string, string> = {};
  for (const r of routes.filter((x) => x.kind === "async")) {
    const queue = gcpQueueOf(scope.broker, r.agent);
    grants.push(new pubsub.TopicIAMMember(`${name}-publish-${r.agent}`, { topic: queue.topic.name, role: "roles/pubsub.publisher", member }, opts));
    topics[r.agent] = `projects/${landing.project}/topics/${pubsubNames(landing.prefix, r.agent).topic}`;
  }
  const watched = healthAgents(agents.map((agent) => ({ agent, min: runtime.minInstances(scope, agent) }))).map((w) => w.agent);
  const called = [...new Set([...routes.filter((r) => r.kind === "sync").map((r) => r.agent), ...watched.map((a) => a.name)])];
  for (const agentName of called) {
    const agent = byName.get(agentName);
    if (agent) grants.push(...runtime.grantCall(scope, landing, agent, member, opts));
  }

  const envoyConfig = landing.projectNumber.apply((number) =>
    JSON.stringify(
      envoyBootstrap({
        routes,
        upstreams: Object.fromEntries(called.flatMap((a) => (byName.get(a) ? [[a, runtime.upstream(byName.get(a) as AgentPlan, number)]] : []))),
        health: watched.map((a) => a.name),
        topics,
        region: landing.region,
        ...(settings.jwt ? { jwt: settings.jwt } : {}),
        ...(settings.legacyBackend ? { legacyUrl: settings.legacyBackend.url } : {}),
      }),
    ),
  );
  const schemas = routes.flatMap((r) => (r.schema ? [{ path: r.path, schema: r.schema }] : []));
  const workload = runtime.proxy({
    scope,
    landing,
    identity: { account, member, grants },
    envoyConfig,
    ...(schemas.length > 0 ? { validatorPolicy: validatorPolicy(schemas) } : {}),
    routes,
    timeoutSeconds: Math.max(30, ...routes.map((r) => r.timeoutSeconds)),
  });

  const publicGateway = settings.public === true;
  const frontDoor = frontDoorEdgeOf(scope.platform);
  const policy = armorPolicy({ name: `${name}-armor`, policyName: gcpName([landing.prefix, landing.region, "gw"], GCP_NAME_LIMITS.compute), routes, publicGateway, region: landing.region, labels: landing.labels, ...(frontDoor ? { frontDoorId: frontDoor.frontDoorId } : {}) }, opts);
  const pair = plan.fleet.targets.some((t) => t.role === "backup" && RUNTIME_CLOUD[t.runtime] === "gcp") && plan.fleet.targets.some((t) => t.role === "primary" && RUNTIME_CLOUD[t.runtime] === "gcp");
  const route53 = behindRoute53Entry(plan.fleet, scope.platform.target);
  const dnsZone = new pulumi.Config("microagents").get("dnsZone");
  const loadBalancer = gatewayLoadBalancer(
    {
      name,
      landing,
      hostname,
      publicGateway,
      backend: workload.backend,
      securityPolicy: policy.selfLink,
      ...(dnsZone ? { dnsZone } : {}),
      // Behind a global entry the host name's zone is the entry's (Azure DNS for Front Door, Route 53): the entry writes the validation record there and points the name at itself.
      validationRecord: !frontDoor && !route53 && (!pair || scope.platform.target.role === "primary"),
      addressRecord: !frontDoor && !route53 && !pair,
    },
    { ...opts, dependsOn: [...workload.dependsOn] },
  );
  gcpGateways.set(scope, { landing, hostname, publicGateway, loadBalancer });
  if (route53) {
    // The Route 53 entry connects to the load balancer's address with the host name as Host and SNI (the certificate is for it); the DNS authorization's CNAME, one per project, goes into its zone.
    setGatewayEndpoint(scope, {
      host: pulumi.output(hostname),
      healthPath: pulumi.output(HEALTH_PATH),
      address: loadBalancer.address,
      records: [{ key: `gcp-${landing.project}-dns-auth`, record: authorizationRecord(loadBalancer) }],
    });
  }
  return { url: loadBalancer.url };
}
