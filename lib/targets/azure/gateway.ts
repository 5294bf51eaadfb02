import * as apimanagement from "@pulumi/azure-native/apimanagement";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import { Registry, type GatewayOutputs, HEALTH_PATH, type GatewayScope } from "../target";
import { apimService, type ApimInstance } from "./apim";
import { azureZoneWriter } from "./dns-zone";
import { frontedByEntry, parseDnsZoneId } from "./failover-shape";
import { dnsAuthRecord, frontDoorProfile, frontDoorRouting, wafPolicy, wafRateLimitPerMinute, type AzureDnsZone } from "./front-door";
import { setGatewayEndpoint } from "../entry-probe";
import { behindRoute53Entry } from "../global-entry-shape";
import { apiPath, apimId, asyncRoutePolicy, circuitBreaker, fallbackPolicy, frontDoorOnlyPolicy, healthPolicy, syncRoutePolicy, type HealthProbe } from "./gateway-shape";
import { azureLandings, azureQueueOf, childOpts, type AzureLanding } from "./landing";
import { assignRole } from "./roles";

type Routed = AgentPlan & { route: NonNullable<AgentPlan["route"]> };

/** How the gateway reaches a runtime's agents inside the VNet (lib/targets/azure-aca/gateway.ts, azure-aks/gateway.ts). */
export interface AgentReach {
  /** Base URL of the agent inside the VNet, no trailing slash; the gateway reaches only the agents in `reachable`. */
  readonly url: (agent: AgentPlan) => pulumi.Input<string>;
  /** Agents the gateway calls: sync routes of weight > 0 and the health route's always-on agents. */
  readonly reachable: ReadonlySet<string>;
  /** Always-on agents (at least one replica on this runtime): the health route probes them. */
  readonly alwaysOn: ReadonlyArray<AgentPlan>;
  /** What must exist before the gateway calls agents (DNS, load balancers). */
  readonly ready: ReadonlyArray<pulumi.Resource>;
}

/** What the failover entry and the fleet need of a built gateway. */
export interface AzureGatewayHandle {
  readonly landing: AzureLanding;
  readonly apim: ApimInstance;
  /** Front Door of a public gateway that is not part of a primary-backup pair. */
  readonly frontDoorId?: pulumi.Output<string>;
}

export const azureGatewayHandles = new Registry<GatewayScope, AzureGatewayHandle>("AgentGateway");

/** The Azure DNS zone for a single region's public gateway, when the fleet or config names one. */
function gatewayZone(scope: GatewayScope): AzureDnsZone | undefined {
  const id = scope.settings.azureDnsZoneId ?? new pulumi.Config("microagents").get("azureDnsZoneId");
  return id ? parseDnsZoneId(id) : undefined;
}

/**
 * The entry on Azure: API Management (apim.ts) with one API per route, each with
 * its operations and one policy (gateway-shape.ts): validate-jwt, the route's
 * rate-limit-by-key, validate-content against the route's JSON schema (an APIM
 * schema), and then: async routes enqueue to the agent's Service Bus queue with
 * APIM's managed identity (Azure Service Bus Data Sender on that queue only) and
 * answer 202; sync routes forward to the agent inside the VNet; weight-0 routes to
 * the monolith; canaries split per request (sync: a weighted backend pool; async: a
 * draw in the policy). Every backend has the plan's circuit breaker; every forward
 * the plan's retries and the route's timeout. Paths no agent serves go to the
 * monolith (JWT when the fleet has an issuer). The health route probes the
 * always-on agents. A public gateway outside a primary-backup pair gets Front Door
 * Premium with a WAF policy in Prevention mode and admits only its traffic; behind a
 * Route 53 global entry that Front Door answers on the entry's host name (its
 * `_dnsauth` TXT is written in the entry's zone, setGatewayEndpoint).
 */
export function azureGateway(scope: GatewayScope, reach: AgentReach): GatewayOutputs {
  const landing = azureLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const settings = scope.settings;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const routed = scope.services.map((s) => s.agent).filter((a): a is Routed => a.route !== undefined);
  const apim = apimService(name, plan, landing, settings.public, opts);
  const svc = { resourceGroupName: landing.resourceGroupName, serviceName: apim.serviceName };
  const afterReach = { ...opts, dependsOn: [...reach.ready] };
  const breaker = circuitBreaker(routed[0] ?? plan.agents[0]);

  const backend = (key: string, url: pulumi.Input<string>, title: string, cb = breaker) =>
    new apimanagement.Backend(
      `${name}-${key}`,
      { ...svc, backendId: apimId(key), title, url, protocol: "http", tls: { validateCertificateChain: true, validateCertificateName: true }, circuitBreaker: cb },
      afterReach,
    );
  const legacyUrl = settings.legacyBackend?.url.replace(/\/$/, "");
  const legacy = legacyUrl ? backend("legacy", legacyUrl, "The monolith: paths no agent serves") : undefined;

  const api = (key: string, path: string, title: string, auth: "jwt" | "apiKey" | "none") =>
    new apimanagement.Api(
      `${name}-${key}-api`,
      { ...svc, apiId: apimId(key), displayName: title, path, protocols: ["https"], apiType: "http", subscriptionRequired: auth === "apiKey", isCurrent: true },
      opts,
    );
  const operation = (key: string, parent: apimanagement.Api, method: string, urlTemplate: string) =>
    new apimanagement.ApiOperation(`${name}-${key}-${method.toLowerCase()}${urlTemplate === "/" ? "" : "-any"}`, { ...svc, apiId: parent.name, operationId: apimId(method, urlTemplate === "/" ? "root" : "any"), displayName: `${method} ${urlTemplate}`, method, urlTemplate }, opts);

  for (const agent of routed) {
    const route = agent.route;
    const parent = api(agent.name, apiPath(route.path), `${agent.name} (${route.invoke}, ${route.path})`, route.auth);
    const ops = route.invoke === "async" && route.weight > 0 ? [operation(agent.name, parent, "POST", "/")] : ["POST", "GET"].flatMap((m) => [operation(agent.name, parent, m, "/"), operation(agent.name, parent, m, "/*")]);
    const schema = route.schema
      ? new apimanagement.GlobalSchema(`${name}-${agent.name}-schema`, { ...svc, schemaId: apimId(agent.name, "request"), schemaType: "json", description: `Request body of ${route.path}`, value: JSON.stringify(route.schema) }, opts)
      : undefined;
    const checks = { ...(settings.jwt ? { jwt: settings.jwt } : {}), ...(schema ? { schemaId: apimId(agent.name, "request") } : {}) };
    const needs: pulumi.Resource[] = [...ops, ...(schema ? [schema] : []), ...(legacy ? [legacy] : [])];
    let xml: string;
    if (route.weight > 0 && route.invoke === "async") {
      const queue = azureQueueOf(scope.broker, agent.name);
      const queueBackend = backend(`queue-${agent.name}`, pulumi.interpolate`https://${queue.namespace.name}.servicebus.windows.net/${queue.queue.name}`, `${agent.name}'s Service Bus queue`, circuitBreaker(agent));
      const sender = assignRole(
        `${name}-${agent.name}-enqueue`,
        { subscriptionId: landing.subscriptionId, principalId: apim.principalId, role: "serviceBusDataSender", scope: queue.queue.id, description: `The gateway enqueues ${route.path} requests for ${agent.name}` },
        opts,
      );
      needs.push(queueBackend, sender);
      xml = asyncRoutePolicy(agent, { ...checks, queueBackendId: apimId(`queue-${agent.name}`), sessions: queue.sessions, ...(legacy ? { legacyBackendId: apimId("legacy") } : {}) });
    } else {
      const legacyRoute = legacyUrl && route.weight < 100 ? backend(`legacy-${agent.name}`, `${legacyUrl}${route.path}`, `The monolith's ${route.path}`) : undefined;
      const agentBackend = route.weight > 0 ? backend(`agent-${agent.name}`, pulumi.interpolate`${reach.url(agent)}${route.path}`, `${agent.name} inside the VNet`, circuitBreaker(agent)) : undefined;
      let target = agentBackend ?? legacyRoute;
      let targetKey = agentBackend ? `agent-${agent.name}` : `legacy-${agent.name}`;
      if (agentBackend && legacyRoute) {
        // A canary: APIM's load-balanced pool sends `weight` percent to the agent and the rest to the monolith.
        targetKey = `canary-${agent.name}`;
        target = new apimanagement.Backend(
          `${name}-${targetKey}`,
          { ...svc, backendId: apimId(targetKey), title: `${agent.name}: ${route.weight}% agent, ${100 - route.weight}% monolith`, type: "Pool", pool: { services: [{ id: agentBackend.id, weight: route.weight, priority: 1 }, { id: legacyRoute.id, weight: 100 - route.weight, priority: 1 }] } },
          afterReach,
        );
      }
      if (!target) throw new Error(`unreachable: route ${route.path} has weight 0 and no legacy backend (the spec rejects it)`);
      needs.push(target);
      xml = syncRoutePolicy(agent, { ...checks, backendId: apimId(targetKey) });
    }
    new apimanagement.ApiPolicy(`${name}-${agent.name}-policy`, { ...svc, apiId: parent.name, policyId: "policy", format: "rawxml", value: xml }, { ...opts, dependsOn: needs });
  }

  if (legacy) {
    const fallback = api("legacy", "", "The monolith (paths no agent serves)", settings.jwt ? "jwt" : "none");
    const ops = ["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => operation("legacy", fallback, m, "/*"));
    new apimanagement.ApiPolicy(`${name}-legacy-policy`, { ...svc, apiId: fallback.name, policyId: "policy", format: "rawxml", value: fallbackPolicy(settings, apimId("legacy"), (routed[0] ?? plan.agents[0]).retry, Math.max(...routed.map((a) => a.route.rateLimitPerMinute))) }, { ...opts, dependsOn: [...ops, legacy] });
  }
  healthRoute(name, svc, reach, opts);

  const frontDoorId = settings.public && !frontedByEntry(plan.fleet, scope.platform.target) ? ownFrontDoor(name, scope, landing, apim, routed, opts) : undefined;
  azureGatewayHandles.set(scope, { landing, apim, ...(frontDoorId ? { frontDoorId: frontDoorId.id } : {}) });
  return { url: frontDoorId ? frontDoorId.url : pulumi.interpolate`https://${apim.hostName}` };
}

/** `GET /_microagents/health`: probes the always-on agents (healthPolicy), marked public with the APIM tag `public` (it answers only ok or degraded). */
function healthRoute(name: string, svc: { resourceGroupName: pulumi.Input<string>; serviceName: pulumi.Input<string> }, reach: AgentReach, opts: pulumi.CustomResourceOptions): void {
  const api = new apimanagement.Api(
    `${name}-health-api`,
    { ...svc, apiId: "microagents-health", displayName: "Fleet health (always-on agents)", path: HEALTH_PATH.replace(/^\//, ""), protocols: ["https"], apiType: "http", subscriptionRequired: false, isCurrent: true },
    opts,
  );
  const op = new apimanagement.ApiOperation(`${name}-health-get`, { ...svc, apiId: api.name, operationId: "get", displayName: "GET health", method: "GET", urlTemplate: "/" }, opts);
  const tag = new apimanagement.Tag(`${name}-public-tag`, { ...svc, tagId: "public", displayName: "public" }, opts);
  new apimanagement.TagByApi(`${name}-health-public`, { ...svc, apiId: api.name, tagId: tag.name }, opts);
  const urls = reach.alwaysOn.map((a) => pulumi.output(reach.url(a)).apply((u) => `${u}${a.healthPath}`));
  const value = pulumi.all(urls).apply((resolved) => healthPolicy(reach.alwaysOn.map((a, i): HealthProbe => ({ agent: a.name, url: resolved[i] }))));
  new apimanagement.ApiPolicy(`${name}-health-policy`, { ...svc, apiId: api.name, policyId: "policy", format: "rawxml", value }, { ...opts, dependsOn: [op, ...reach.ready] });
}

/**
 * The gateway's service-wide policy: only requests carrying this Front Door
 * profile's id (`X-Azure-FDID`) pass; with the NSG admitting only Front Door's
 * backends, nothing reaches APIM around the WAF. Reused by the failover and global entries.
 */
export function admitOnlyFrontDoor(name: string, gateway: Pick<AzureGatewayHandle, "landing" | "apim">, frontDoorId: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): apimanagement.Policy {
  return new apimanagement.Policy(
    name,
    { resourceGroupName: gateway.landing.resourceGroupName, serviceName: gateway.apim.serviceName, policyId: "policy", format: "rawxml", value: pulumi.output(frontDoorId).apply((id) => frontDoorOnlyPolicy([id])) },
    opts,
  );
}

/** A public gateway of one region: Front Door Premium and its WAF in front, and a service policy admitting that Front Door only. */
function ownFrontDoor(name: string, scope: GatewayScope, landing: AzureLanding, apim: ApimInstance, routed: ReadonlyArray<Routed>, opts: pulumi.CustomResourceOptions) {
  const base = { prefix: landing.prefix, resourceGroupName: landing.resourceGroupName, tags: landing.tags };
  const waf = wafPolicy(name, { ...base, rateLimitPerMinute: wafRateLimitPerMinute(routed.map((a) => a.route.rateLimitPerMinute)) }, opts);
  const { profile, endpoint } = frontDoorProfile(name, { ...base, workspaceId: landing.workspace.id, originTimeoutSeconds: Math.max(...routed.map((a) => a.route.timeoutSeconds)) }, opts);
  // Behind a Route 53 global entry the host name's zone is Route 53: the domain's `_dnsauth` TXT is the entry's to write, and its latency record points the name at this endpoint.
  const entry = behindRoute53Entry(scope.platform.plan.fleet, scope.platform.target);
  const hostname = scope.settings.hostname ?? (entry ? new pulumi.Config("microagents").get("hostname") : undefined);
  const zone = entry ? undefined : gatewayZone(scope);
  const domain = hostname && (entry || zone) ? { hostname, ...(zone ? { zone: azureZoneWriter(zone, landing, scope) } : {}) } : undefined;
  const routing = frontDoorRouting(name, { ...base, profile, endpoint, waf, origins: [{ key: landing.location, hostName: apim.hostName, priority: 1 }], ...(domain ? { domain } : {}) }, opts);
  admitOnlyFrontDoor(`${name}-front-door-only`, { landing, apim }, profile.frontDoorId, opts);
  if (entry && hostname && routing.domain) {
    // Route 53 probes the endpoint's own domain (linked to the same route): resolving the host name would answer with the entry's own records.
    setGatewayEndpoint(scope, { host: endpoint.hostName, healthPath: pulumi.output(HEALTH_PATH), records: [{ key: "azure-dnsauth", record: dnsAuthRecord(hostname, routing.domain) }] });
  }
  return { id: profile.frontDoorId, url: domain ? pulumi.output(`https://${domain.hostname}`) : pulumi.interpolate`https://${endpoint.hostName}` };
}
