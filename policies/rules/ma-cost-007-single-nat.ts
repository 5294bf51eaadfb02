import { everywhere, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-COST-007",
  title: "At most one NAT gateway in small tier or dev",
  severity: "medium",
  kind: "cost",
  description:
    "A NAT gateway costs about $33 a month before traffic; one per zone buys zone-failure tolerance that the small tier and non-prod environments do not need. Applies where the tier's `natGateways` is `single` or the environment's `singleNat` is set (lib/spec/tiers.ts: small tier; dev and staging).",
  remediation: "Share one NAT gateway across the VPC's private subnets (the AWS target does when the tier or environment asks for it).",
  anchors: {},
  enforcement: everywhere("mandatory"),
  reads: ["nat-gateway"],
  check(facts, ctx) {
    if (ctx.tier.natGateways !== "single" && !ctx.environment.singleNat) return [];
    const nats = only(facts, "nat-gateway").filter((n) => n.public);
    if (nats.length <= 1) return [];
    return nats.slice(1).map((n) => finding(n, `${nats.length} NAT gateways where one is enough (${ctx.tier.name} tier, ${ctx.environment.name})`));
  },
};
