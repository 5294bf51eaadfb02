import { bySeverity, finding, only, type Finding, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-025",
  title: "Object storage never public",
  severity: "critical",
  kind: "security",
  description:
    "Buckets and storage accounts hold documents, model artifacts and exports: nobody outside the organization reads them anonymously. Every S3 bucket keeps Block Public Access fully on (all four settings of a `BucketPublicAccessBlock`; a bucket without one is blocked by default) and has no public ACL or bucket policy statement allowing `*` without a condition; every storage account keeps `allowBlobPublicAccess` off; every Cloud Storage bucket sets `publicAccessPrevention: enforced` (the default, `inherited`, leaves it to the organization policy) and grants no `allUsers` or `allAuthenticatedUsers` (IAM members, bindings, predefined or entity ACLs). Every bucket is judged, tagged with an agent or not.",
  remediation:
    "S3: a `BucketPublicAccessBlock` with `blockPublicAcls`, `blockPublicPolicy`, `ignorePublicAcls` and `restrictPublicBuckets` all true, private ACLs, and a condition (`aws:SourceArn`, `aws:PrincipalOrgID`) on any statement for `*`; Azure: `allowBlobPublicAccess: false`; GCS: grant named principals only and set `publicAccessPrevention: enforced`. Serve public content through a CDN with origin access control instead.",
  anchors: { checkov: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV_AWS_20", "CKV_AZURE_190", "CKV_GCP_28"] },
  enforcement: bySeverity("critical"),
  reads: ["object-store"],
  check(facts) {
    return only(facts, "object-store").flatMap((s): Finding[] => {
      const out: Finding[] = [];
      if (s.service === "s3" && !s.publicAccessBlocked) out.push(finding(s, "S3 Block Public Access is not fully on (a BucketPublicAccessBlock leaves a setting false)"));
      if (s.service === "gcs" && !s.publicAccessBlocked) out.push(finding(s, "bucket does not enforce public access prevention (publicAccessPrevention is not 'enforced': an IAM grant or ACL could open it)"));
      for (const g of s.publicGrants) out.push(finding(s, `${s.service === "s3" ? "bucket" : s.service === "gcs" ? "bucket" : "storage account"} is open to the public: ${g}`));
      return out;
    });
  },
};
