import type { FactOf } from "../../lib/facts";
import { everywhere, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-COST-007",
  title: "At most one NAT gateway in small tier or dev",
  severity: "medium",
  kind: "cost",
  description:
    "A NAT gateway costs about $33 a month before traffic; one per zone buys zone-failure tolerance that the small tier and non-prod environments do not need. Applies where the tier's `natGateways` is `single` or the environment's `singleNat` is set (lib/spec/tiers.ts: small tier; dev and staging), per network: a primary and a backup region each keep one (the network is the resource's region, else the platform component that created it).",
  remediation: "Share one NAT gateway across the VPC's private subnets (the AWS target does when the tier or environment asks for it).",
  anchors: {},
  enforcement: everywhere("mandatory"),
  reads: ["nat-gateway"],
  check(facts, ctx) {
    if (ctx.tier.natGateways !== "single" && !ctx.environment.singleNat) return [];
    // One per network: a primary and a backup region each have their own VPC and NAT. The
    // network is the region when the resource states it, else the component (platform) that made it.
    const groups = new Map<string, FactOf<"nat-gateway">[]>();
    for (const n of only(facts, "nat-gateway").filter((x) => x.public)) {
      const key = n.region ?? n.resource.component?.name ?? "";
      groups.set(key, [...(groups.get(key) ?? []), n]);
    }
    return [...groups.entries()].flatMap(([key, nats]) =>
      nats.slice(1).map((n) => finding(n, `${nats.length} NAT gateways${key ? ` in ${key}` : ""} where one is enough (${ctx.tier.name} tier, ${ctx.environment.name})`)),
    );
  },
};
