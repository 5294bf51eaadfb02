/**
 * S3 buckets as object-store facts. The bucket's access and encryption settings live in
 * resources of their own (Block Public Access, server-side encryption configuration,
 * ACL, bucket policy, ownership controls); `linkS3` folds them into the bucket they name.
 */
import { fact, type AdapterEntry, type AdapterInput, type AdapterTable } from "./context";
import type { EncryptionFact, Fact, FactOf, ObjectStoreFact, RawResource } from "./types";
import { bool, get, isRecord, jsonish, records, str } from "./values";

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const ALL_USERS = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;

/** S3 encrypts every new object with SSE-S3 since January 2023; a KMS key makes it the customer's. */
function sseOf(rule: unknown): EncryptionFact | undefined {
  const by = get(rule, "applyServerSideEncryptionByDefault");
  const algorithm = str(by, "sseAlgorithm");
  if (!algorithm) return undefined;
  const key = str(by, "kmsMasterKeyId");
  if (algorithm.startsWith("aws:kms")) return key && !/alias\/aws\/s3/.test(key) ? { atRest: "customer-key", keyId: key } : { atRest: "provider-key", ...(key ? { keyId: key } : {}) };
  return { atRest: "provider-key" };
}

function bucket({ inputs, common }: AdapterInput): Fact[] {
  const acl = str(inputs, "acl");
  const grants = records(inputs, "grants").filter((g) => ALL_USERS.test(str(g, "uri") ?? "")).map((g) => `grant to ${str(g, "uri")}`);
  const rule = records(inputs, "serverSideEncryptionConfiguration", "rules")[0] ?? get(inputs, "serverSideEncryptionConfiguration", "rule");
  const name = str(inputs, "bucket");
  return [
    fact<ObjectStoreFact>(common, {
      kind: "object-store",
      service: "s3",
      ...(name ? { bucketName: name } : {}),
      // New buckets block public access by default (April 2023) until a BucketPublicAccessBlock says otherwise.
      publicAccessBlocked: true,
      publicGrants: [...(acl && PUBLIC_ACLS.includes(acl) ? [`ACL ${acl}`] : []), ...grants],
      encryption: sseOf(rule) ?? { atRest: "provider-key" },
    }),
  ];
}

/** The S3 side resources, read by `linkS3`. */
const side: AdapterEntry = { taggable: false, adapt: () => [] };

export const awsStorageAdapters: AdapterTable = {
  "aws:s3/bucket:Bucket": { taggable: true, adapt: bucket },
  "aws:s3/bucketV2:BucketV2": { taggable: true, adapt: bucket },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": side,
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": side,
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": side,
  "aws:s3/bucketAcl:BucketAcl": side,
  "aws:s3/bucketAclV2:BucketAclV2": side,
  "aws:s3/bucketPolicy:BucketPolicy": side,
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": side,
};

/** A side resource's `bucket` names the bucket by its name (the bucket's id), or an auto-name `<logical>-<suffix>`. */
function names(ref: string | undefined, b: ObjectStoreFact): boolean {
  if (!ref) return false;
  if (b.bucketName) return ref === b.bucketName || ref === `arn:aws:s3:::${b.bucketName}`;
  return ref === b.resource.name || ref.startsWith(`${b.resource.name}-`) || ref.startsWith(`arn:aws:s3:::${b.resource.name}-`);
}

/** Statements of a bucket policy that allow anyone (`*`) without a condition. */
function publicStatements(policy: unknown): string[] {
  const doc = jsonish(policy);
  const raw = isRecord(doc) ? doc.Statement : undefined;
  const statements = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : [];
  return statements
    .filter((s) => isRecord(s) && s.Effect === "Allow" && s.Condition === undefined)
    .filter((s) => isRecord(s) && (s.Principal === "*" || (isRecord(s.Principal) && (s.Principal.AWS === "*" || (Array.isArray(s.Principal.AWS) && s.Principal.AWS.includes("*"))))))
    .map((s) => `bucket policy allows '*' (${isRecord(s) ? String(s.Action ?? "") : ""})`);
}

/** Folds Block Public Access, encryption, ACL and policy resources into the buckets they name. */
export function linkS3(facts: ReadonlyArray<Fact>, raw: ReadonlyArray<RawResource>): Fact[] {
  const sides = raw.filter((r) => r.type.startsWith("aws:s3/bucket") && r.type !== "aws:s3/bucket:Bucket" && r.type !== "aws:s3/bucketV2:BucketV2");
  if (sides.length === 0) return [...facts];
  return facts.map((f) => {
    if (f.kind !== "object-store" || f.service !== "s3") return f;
    let out: FactOf<"object-store"> = f;
    for (const r of sides.filter((x) => names(str(x.inputs, "bucket"), f))) {
      if (r.type.includes("PublicAccessBlock")) {
        const all = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => bool(r.inputs, k) === true);
        out = { ...out, publicAccessBlocked: all };
      } else if (r.type.includes("ServerSideEncryption")) {
        const sse = sseOf(records(r.inputs, "rules")[0]);
        if (sse) out = { ...out, encryption: sse };
      } else if (r.type.includes("bucketAcl")) {
        const acl = str(r.inputs, "acl");
        const grants = records(r.inputs, "accessControlPolicy", "grants").filter((g) => ALL_USERS.test(str(g, "grantee", "uri") ?? "")).map((g) => `grant to ${str(g, "grantee", "uri")}`);
        out = { ...out, publicGrants: [...out.publicGrants, ...(acl && PUBLIC_ACLS.includes(acl) ? [`ACL ${acl}`] : []), ...grants] };
      } else if (r.type.includes("bucketPolicy")) {
        out = { ...out, publicGrants: [...out.publicGrants, ...publicStatements(r.inputs.policy)] };
      }
    }
    return out;
  });
}
