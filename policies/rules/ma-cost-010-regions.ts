import { everywhere, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-COST-010",
  title: "Regions on the allow-list",
  severity: "low",
  kind: "cost",
  description:
    "Resources live only in the regions the company allows (`allowedRegions` in the policy config): prices, data residency and support differ by region. Resources that state no region and have no provider default in the stack config are not judged, nor global ones (Azure's `Global` location: Front Door, its WAF policies); with no allow-list the rule does not apply.",
  remediation: "Deploy to an allowed region (`region`, `location`, or the stack's `aws:region` / `azure-native:location` / `gcp:region`), or add the region to `allowedRegions`.",
  anchors: {},
  enforcement: everywhere("mandatory"),
  reads: ["resource"],
  check(facts, ctx) {
    if (ctx.allowedRegions.length === 0) return [];
    const allowed = new Set(ctx.allowedRegions.map((r) => r.toLowerCase().replace(/\s+/g, "")));
    return only(facts, "resource")
      .filter((r) => r.region !== undefined && r.region.toLowerCase() !== "global" && !allowed.has(r.region.toLowerCase().replace(/\s+/g, "")))
      .map((r) => finding(r, `is in region '${r.region}', not on the allow-list (${ctx.allowedRegions.join(", ")})`));
  },
};
