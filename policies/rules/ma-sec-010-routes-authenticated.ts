import { bySeverity, finding, only, type Rule } from "./types";
import { PUBLIC_ANNOTATION } from "../../lib/facts";

export const rule: Rule = {
  id: "MA-SEC-010",
  title: "Every gateway route authenticated unless explicitly public",
  severity: "critical",
  kind: "security",
  description:
    "Every route into the fleet authenticates its caller (JWT, IAM, API key or a custom authorizer). A route may be public only when the resource itself says so: the `microagents.io/public: \"true\"` annotation on a Gateway API route, or a `public: \"true\"` tag on API Gateway and APIM routes. A fleet's `auth: none` route is reported, as the fleet schema promises, until it is marked so or waived. A route whose authentication cannot be found counts as unauthenticated.",
  remediation: `Attach an authorizer (API Gateway \`authorizationType: JWT\`, an Envoy Gateway SecurityPolicy with \`jwt\`, an APIM \`validate-jwt\` policy); for a deliberately public route annotate it \`${PUBLIC_ANNOTATION}: "true"\` (or tag it \`public: "true"\`), or waive the rule for it with a reason.`,
  anchors: { checkov: ["CKV_AWS_59", "CKV_AWS_309"] },
  enforcement: bySeverity("critical"),
  reads: ["gateway-route"],
  check(facts) {
    return only(facts, "gateway-route")
      .filter((r) => (r.auth === "none" || r.auth === "unknown") && !r.explicitlyPublic)
      .map((r) => finding(r, r.auth === "none" ? `route '${r.path}' has no authentication` : `route '${r.path}': no authentication found for it`));
  },
};
