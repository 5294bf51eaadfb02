import { bySeverity, finding, only, type Finding, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-026",
  title: "Object storage: uniform access, HTTPS only, TLS ≥ 1.2",
  severity: "high",
  kind: "security",
  description:
    "Access to a bucket is decided in one place and travels encrypted. Cloud Storage buckets use uniform bucket-level access (IAM only, no per-object ACLs that drift out of review); storage accounts accept HTTPS only (`enableHttpsTrafficOnly`, on by default) with a minimum TLS version of 1.2. S3 buckets are judged by MA-SEC-025 and MA-SEC-027.",
  remediation: "GCS: `uniformBucketLevelAccess: true`; Azure Storage: keep `enableHttpsTrafficOnly: true` and set `minimumTlsVersion: TLS1_2`.",
  anchors: { checkov: ["CKV_GCP_29", "CKV_AZURE_3", "CKV_AZURE_44"] },
  enforcement: bySeverity("high"),
  reads: ["object-store"],
  check(facts) {
    return only(facts, "object-store").flatMap((s): Finding[] => {
      const out: Finding[] = [];
      if (s.service === "gcs" && s.uniformAccess !== true) out.push(finding(s, "bucket does not use uniform bucket-level access (object ACLs apply)"));
      if (s.service === "azure-storage") {
        if (s.httpsOnly === false) out.push(finding(s, "storage account accepts plain HTTP (enableHttpsTrafficOnly: false)"));
        if (s.minTlsVersion !== undefined && Number(s.minTlsVersion) < 1.2) out.push(finding(s, `storage account accepts TLS ${s.minTlsVersion}`));
      }
      return out;
    });
  },
};
