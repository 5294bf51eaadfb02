import * as compute from "@pulumi/gcp/compute";
import type * as pulumi from "@pulumi/pulumi";
import { FRONT_DOOR_ID_HEADER, FRONT_DOOR_SOCKET_IP_HEADER } from "../front-door-entry";
import type * as inputs from "@pulumi/gcp/types/input";
import { armorRules, wafExpression, type ArmorRule, type GcpRoute } from "./gateway-shape";

/** The last rule of every Cloud Armor policy. */
export const DEFAULT_RULE_PRIORITY = 2147483647;

type PolicyRule = inputs.compute.SecurityPolicyRule;

/** The longest description a Cloud Armor rule takes (terraform-provider-google security policy `rule.description`: "Max size is 64"). */
export const RULE_DESCRIPTION_MAX = 64;

/** A rule's description within {@link RULE_DESCRIPTION_MAX} (a route's is `rate limit <path> (<agent>)`, and paths have no length limit). */
export function ruleDescription(description: string): string {
  return description.length <= RULE_DESCRIPTION_MAX ? description : `${description.slice(0, RULE_DESCRIPTION_MAX - 3)}...`;
}

/**
 * One rule as Cloud Armor takes it: WAF rules as `evaluatePreconfiguredWaf`, throttles
 * keyed on the client IP over 60 s (exceeding: 429), or on the request header
 * `clientKeyHeader` names (behind Front Door: X-Azure-SocketIP, the client's address
 * as Front Door saw it; every connection comes from Front Door's addresses).
 */
export function armorRule(r: ArmorRule, clientKeyHeader?: string): PolicyRule {
  const key = clientKeyHeader ? { enforceOnKey: "HTTP_HEADER", enforceOnKeyName: clientKeyHeader } : { enforceOnKey: "IP" };
  const expression = r.waf ? wafExpression(r.waf) : (r.expression ?? "true");
  return {
    priority: r.priority,
    description: ruleDescription(r.description),
    action: r.action,
    preview: false,
    match: { expr: { expression } },
    ...(r.action === "throttle" && r.perMinute !== undefined
      ? { rateLimitOptions: { conformAction: "allow", exceedAction: "deny(429)", ...key, rateLimitThreshold: { count: r.perMinute, intervalSec: 60 } } }
      : {}),
  };
}

export interface ArmorArgs {
  readonly name: string;
  readonly policyName: string;
  readonly routes: ReadonlyArray<GcpRoute>;
  /** Public: a global policy with WAF rules, verbose logging and Adaptive Protection; internal: a regional policy with the throttles. */
  readonly publicGateway: boolean;
  readonly region: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The Front Door global entry's profile id, when one fronts the gateway (public only): the policy admits that Front Door only. */
  readonly frontDoorId?: pulumi.Output<string>;
}

/** Priority of the Front Door rule: before the WAF rules (1000+) and the throttles, whose conforming requests are allowed. */
export const FRONT_DOOR_RULE_PRIORITY = 900;

/**
 * Behind a Front Door global entry: deny (403) a request without this profile's
 * `X-Azure-FDID` (Cloud Armor's rules language wants `has()` before reading a header
 * that may be missing; header names are lower case). Front Door's health probes carry it.
 */
export function frontDoorOnlyRule(frontDoorId: pulumi.Output<string>): PolicyRule {
  const header = `request.headers['${FRONT_DOOR_ID_HEADER.toLowerCase()}']`;
  return {
    priority: FRONT_DOOR_RULE_PRIORITY,
    description: "only the fleet's Front Door global entry (X-Azure-FDID)",
    action: "deny(403)",
    preview: false,
    match: { expr: { expression: frontDoorId.apply((id) => `!has(${header}) || ${header}.lower() != '${id.toLowerCase().replace(/[^0-9a-f-]/g, "")}'`) } },
  };
}

/**
 * The gateway's Cloud Armor policy (armorRules): on a public gateway a global
 * CLOUD_ARMOR policy with the preconfigured WAF rule sets, per-route throttles on
 * the client IP, JSON body parsing for the WAF, verbose logs and Layer 7 DDoS
 * Adaptive Protection; on an internal one a regional policy with the throttles.
 * Both end in an explicit default allow (the proxy authenticates what passes).
 */
export function armorPolicy(args: ArmorArgs, opts: pulumi.CustomResourceOptions): compute.SecurityPolicy | compute.RegionSecurityPolicy {
  const frontDoor = args.publicGateway && args.frontDoorId ? [frontDoorOnlyRule(args.frontDoorId)] : [];
  const keyHeader = frontDoor.length > 0 ? FRONT_DOOR_SOCKET_IP_HEADER : undefined;
  const rules = [...frontDoor, ...armorRules(args.routes, args.publicGateway).map((r) => armorRule(r, keyHeader)), { priority: DEFAULT_RULE_PRIORITY, description: "default: allow (authenticated by the gateway proxy)", action: "allow", match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } } }];
  const description = `microagents gateway ${args.policyName}: ${args.publicGateway ? "WAF and " : ""}per-route rate limits`;
  if (args.publicGateway) {
    return new compute.SecurityPolicy(
      args.name,
      {
        name: args.policyName,
        description,
        type: "CLOUD_ARMOR",
        rules,
        advancedOptionsConfig: { jsonParsing: "STANDARD", logLevel: "VERBOSE" },
        adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true, ruleVisibility: "STANDARD" } },
        labels: { ...args.labels },
      },
      opts,
    );
  }
  return new compute.RegionSecurityPolicy(args.name, { name: args.policyName, region: args.region, description, type: "CLOUD_ARMOR", rules }, opts);
}
