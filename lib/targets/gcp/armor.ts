import * as compute from "@pulumi/gcp/compute";
import type * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/gcp/types/input";
import { armorRules, wafExpression, type ArmorRule, type GcpRoute } from "./gateway-shape";

/** The last rule of every Cloud Armor policy. */
export const DEFAULT_RULE_PRIORITY = 2147483647;

type PolicyRule = inputs.compute.SecurityPolicyRule;

/** One rule as Cloud Armor takes it: WAF rules as `evaluatePreconfiguredWaf`, throttles keyed on the client IP over 60 s (exceeding: 429). */
export function armorRule(r: ArmorRule): PolicyRule {
  const expression = r.waf ? wafExpression(r.waf) : (r.expression ?? "true");
  return {
    priority: r.priority,
    description: r.description,
    action: r.action,
    preview: false,
    match: { expr: { expression } },
    ...(r.action === "throttle" && r.perMinute !== undefined
      ? { rateLimitOptions: { conformAction: "allow", exceedAction: "deny(429)", enforceOnKey: "IP", rateLimitThreshold: { count: r.perMinute, intervalSec: 60 } } }
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
}

/**
 * The gateway's Cloud Armor policy (armorRules): on a public gateway a global
 * CLOUD_ARMOR policy with the preconfigured WAF rule sets, per-route throttles on
 * the client IP, JSON body parsing for the WAF, verbose logs and Layer 7 DDoS
 * Adaptive Protection; on an internal one a regional policy with the throttles.
 * Both end in an explicit default allow (the proxy authenticates what passes).
 */
export function armorPolicy(args: ArmorArgs, opts: pulumi.CustomResourceOptions): compute.SecurityPolicy | compute.RegionSecurityPolicy {
  const rules = [...armorRules(args.routes, args.publicGateway).map(armorRule), { priority: DEFAULT_RULE_PRIORITY, description: "default: allow (authenticated by the gateway proxy)", action: "allow", match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } } }];
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
