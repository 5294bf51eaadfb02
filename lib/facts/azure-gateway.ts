/**
 * The Azure gateway's resources as facts: Front Door profiles (the public entry: a
 * gateway whose WAF is a security policy and whose logs are a diagnostic setting),
 * Front Door routes (plain HTTP only as a redirect), WAF policies, and the links
 * that need more than one resource: an APIM API takes its policy's JWT check and
 * rate limit, and is explicitly public when it carries APIM's `public` tag; a Front
 * Door profile has a WAF when a security policy attaches a Prevention-mode policy to it.
 * Also the Service Bus firewall of a namespace whose public endpoint the gateway and
 * agents reach (the small tier's prod): its network rule set, linked onto the namespace.
 */
import { azureAdapters } from "./azure";
import { fact, type AdapterEntry, type AdapterInput, type AdapterTable } from "./context";
import type { Fact, FactOf, GatewayFact, GatewayPolicyFact, GatewayRouteFact, RawResource } from "./types";
import { isRecord, records, str, strings } from "./values";

/** The APIM tag that marks an API as deliberately public (the health route). */
export const APIM_PUBLIC_TAG = "public";

function frontDoorProfile({ inputs, common }: AdapterInput): Fact[] {
  const sku = str(inputs, "sku", "name") ?? "";
  if (!/AzureFrontDoor$/.test(sku)) return [];
  const name = str(inputs, "profileName");
  return [
    fact<GatewayFact>(common, {
      kind: "gateway",
      service: "front-door",
      ...(name ? { gatewayName: name } : {}),
      public: true,
      // A diagnostic setting and a security policy are resources of their own: linked below.
      accessLogs: false,
      waf: false,
      // Front Door Standard/Premium custom domains and endpoints negotiate TLS 1.2 at least.
      minTlsVersion: "1.2",
      httpListener: false,
    }),
  ];
}

/** A route that accepts HTTP without redirecting it serves plain HTTP. */
function frontDoorRoute({ inputs, common }: AdapterInput): Fact[] {
  const protocols = strings(inputs, "supportedProtocols");
  const http = protocols.length === 0 || protocols.includes("Http");
  const redirects = str(inputs, "httpsRedirect") === "Enabled";
  const forwardsHttp = str(inputs, "forwardingProtocol") === "HttpOnly";
  if ((!http || redirects) && !forwardsHttp) return [];
  return [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: [{ kind: "FrontDoorRoute", name: str(inputs, "routeName") ?? common.resource.name }], allowsHttp: true })];
}

function withProfileBilling(entry: AdapterEntry | undefined, adapt: AdapterEntry["adapt"]): AdapterEntry {
  return {
    taggable: true,
    adapt: (input) => [...(entry?.adapt(input) ?? []), ...adapt(input)],
    billing: ({ inputs }) => ({ sku: str(inputs, "sku", "name") ?? "" }),
  };
}

export const azureGatewayAdapters: AdapterTable = {
  "azure-native:cdn:Profile": withProfileBilling(azureAdapters["azure-native:cdn:Profile"], frontDoorProfile),
  "azure-native:cdn:Route": { taggable: false, adapt: frontDoorRoute },
  "azure-native:apimanagement:ApiManagementService": {
    ...(azureAdapters["azure-native:apimanagement:ApiManagementService"] ?? { taggable: true, adapt: () => [] }),
    billing: ({ inputs }) => ({ sku: str(inputs, "sku", "name") ?? "Consumption", capacity: Number(inputs.sku && isRecord(inputs.sku) ? (inputs.sku.capacity ?? 1) : 1) }),
  },
};

/** Does a reference (ARM id or name) end in this name? */
const refers = (ref: string | undefined, name: string | undefined) => ref !== undefined && name !== undefined && name !== "" && (ref === name || ref.endsWith(`/${name}`));

/** A WAF policy that blocks: Prevention mode, enabled, with at least one managed rule set. */
function blockingWafPolicies(raw: ReadonlyArray<RawResource>): RawResource[] {
  return raw.filter(
    (r) =>
      r.type === "azure-native:frontdoor:Policy" &&
      str(r.inputs, "policySettings", "mode") === "Prevention" &&
      str(r.inputs, "policySettings", "enabledState") !== "Disabled" &&
      records(r.inputs, "managedRules", "managedRuleSets").length > 0,
  );
}

function frontDoorLinks(g: GatewayFact, raw: ReadonlyArray<RawResource>): GatewayFact {
  const own = raw.find((r) => r.urn === g.resource.urn);
  const name = str(own?.inputs, "profileName") ?? g.resource.name;
  const wafs = blockingWafPolicies(raw);
  const waf = raw.some(
    (r) =>
      r.type === "azure-native:cdn:SecurityPolicy" &&
      refers(str(r.inputs, "profileName"), name) &&
      wafs.some((w) => refers(str(r.inputs, "parameters", "wafPolicy", "id"), str(w.inputs, "policyName") ?? w.name)),
  );
  const logs = raw.some(
    (r) =>
      r.type === "azure-native:monitor:DiagnosticSetting" &&
      refers(str(r.inputs, "resourceUri"), name) &&
      records(r.inputs, "logs").some((l) => l.enabled !== false && ["FrontDoorAccessLog", "allLogs", "audit"].includes(String(l.category ?? l.categoryGroup ?? ""))),
  );
  return { ...g, waf, accessLogs: logs };
}

/** An APIM API's route with its API policy's JWT check and rate limit, and the `public` tag. */
function apimRouteLinks(r: GatewayRouteFact, policies: ReadonlyArray<GatewayPolicyFact>, raw: ReadonlyArray<RawResource>): GatewayRouteFact {
  const api = r.routeName;
  if (api === undefined) return r;
  const mine = policies.filter((p) => p.targets.some((t) => t.kind === "Api" && t.name === api));
  const jwt = mine.some((p) => p.auth === "jwt");
  const rate = mine.map((p) => p.rateLimitPerMinute).find((x) => x !== undefined);
  const tagged = raw.some((x) => x.type === "azure-native:apimanagement:TagByApi" && str(x.inputs, "apiId") === api && str(x.inputs, "tagId") === APIM_PUBLIC_TAG && (r.gateway === undefined || str(x.inputs, "serviceName") === r.gateway));
  return {
    ...r,
    ...(jwt && (r.auth === "none" || r.auth === "unknown") ? { auth: "jwt" as const } : {}),
    ...(rate !== undefined && r.rateLimitPerMinute === undefined ? { rateLimitPerMinute: rate } : {}),
    ...(tagged ? { explicitlyPublic: true } : {}),
  };
}

/** `1.2.3.4` or `1.2.3.0/24` and narrower: one fleet's egress, not a network of strangers. */
function narrowMask(mask: string): boolean {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?$/.exec(mask);
  return m !== null && m[1] !== "0.0.0.0" && (m[2] === undefined || Number(m[2]) >= 24);
}

/** A Service Bus namespace takes the addresses of a network rule set that denies by default and allows only narrow ranges. */
function withServiceBusFirewall(n: FactOf<"messaging-namespace">, raw: ReadonlyArray<RawResource>): FactOf<"messaging-namespace"> {
  const sets = raw.filter((r) => r.type === "azure-native:servicebus:NamespaceNetworkRuleSet" && n.namespaceName !== undefined && str(r.inputs, "namespaceName") === n.namespaceName);
  const set = sets[0];
  if (!set || str(set.inputs, "defaultAction") !== "Deny") return n;
  const rules = records(set.inputs, "ipRules");
  const masks = rules.map((r) => str(r, "ipMask") ?? "");
  if (rules.some((r) => (str(r, "action") ?? "Allow") !== "Allow") || masks.length === 0 || !masks.every(narrowMask)) return n;
  return { ...n, ipFirewall: masks };
}

/** The Azure gateway links (called by linkFacts for gateway, route and namespace facts). */
export function linkAzureGateway<F extends FactOf<"gateway"> | FactOf<"gateway-route"> | FactOf<"messaging-namespace">>(f: F, policies: ReadonlyArray<GatewayPolicyFact>, raw: ReadonlyArray<RawResource>): F {
  if (f.kind === "gateway" && f.service === "front-door") return frontDoorLinks(f, raw) as F;
  if (f.kind === "gateway-route" && f.service === "apim") return apimRouteLinks(f, policies, raw) as F;
  if (f.kind === "messaging-namespace") return withServiceBusFirewall(f, raw) as F;
  return f;
}
