/**
 * Google Cloud resources company stacks hold beyond the agents' own: Cloud Storage
 * buckets and their IAM members, Cloud Run (v1) services judged like Cloud Run v2, and
 * GKE authentication. `linkGcs` folds bucket IAM members and ACLs into their buckets.
 */
import { fact, type AdapterEntry, type AdapterInput, type AdapterTable } from "./context";
import { gcpAdapters, runContainer } from "./gcp";
import type { ClusterAuthFact, ContainerFact, ContainerWorkloadFact, Fact, FactOf, NetworkExposureFact, ObjectStoreFact, RawResource } from "./types";
import { bool, isRecord, jsonish, obj, records, str, strings } from "./values";

const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];
const PUBLIC_ACLS = ["publicRead", "publicReadWrite", "authenticatedRead"];

function extend(type: string, more: AdapterEntry["adapt"]): AdapterEntry {
  const base = gcpAdapters[type] ?? { taggable: true, adapt: () => [] };
  return { ...base, adapt: (input) => [...base.adapt(input), ...more(input)] };
}

function bucket({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "name");
  const key = str(inputs, "encryption", "defaultKmsKeyName");
  return [
    fact<ObjectStoreFact>(common, {
      kind: "object-store",
      service: "gcs",
      ...(name ? { bucketName: name } : {}),
      publicAccessBlocked: str(inputs, "publicAccessPrevention") === "enforced",
      publicGrants: [],
      uniformAccess: bool(inputs, "uniformBucketLevelAccess") === true,
      // Cloud Storage always encrypts at rest; a default KMS key makes it the customer's.
      encryption: key ? { atRest: "customer-key", keyId: key } : { atRest: "provider-key" },
    }),
  ];
}

/** Bucket IAM members, bindings, ACLs and access controls, read by `linkGcs`. */
const side: AdapterEntry = { taggable: false, adapt: () => [] };

/** Public members granted on a bucket by one IAM or ACL resource. */
function publicGrantsOf(r: RawResource): string[] {
  const role = str(r.inputs, "role") ?? "";
  const members = [...strings(r.inputs, "members"), ...(str(r.inputs, "member") ? [str(r.inputs, "member") as string] : []), ...(str(r.inputs, "entity") ? [str(r.inputs, "entity") as string] : [])];
  const acl = str(r.inputs, "predefinedAcl");
  return [
    ...members.filter((m) => PUBLIC_MEMBERS.includes(m)).map((m) => `${m}${role ? ` as ${role}` : ""} (${r.name})`),
    ...(acl && PUBLIC_ACLS.includes(acl) ? [`predefined ACL ${acl} (${r.name})`] : []),
    ...strings(r.inputs, "roleEntities").filter((e) => PUBLIC_MEMBERS.some((m) => e.endsWith(`:${m}`))).map((e) => `ACL ${e} (${r.name})`),
  ];
}

/** Folds public members and ACLs into the buckets they name (by name, or by an auto-name `<logical>-<suffix>`). */
export function linkGcs(facts: ReadonlyArray<Fact>, raw: ReadonlyArray<RawResource>): Fact[] {
  const sides = raw.filter((r) => r.type.startsWith("gcp:storage/bucket") && r.type !== "gcp:storage/bucket:Bucket");
  if (sides.length === 0) return [...facts];
  return facts.map((f) => {
    if (f.kind !== "object-store" || f.service !== "gcs") return f;
    const mine = sides.filter((r) => {
      const ref = str(r.inputs, "bucket");
      return ref !== undefined && (f.bucketName ? ref === f.bucketName : ref === f.resource.name || ref.startsWith(`${f.resource.name}-`));
    });
    const grants = mine.flatMap(publicGrantsOf);
    return grants.length > 0 ? ({ ...f, publicGrants: [...f.publicGrants, ...grants] } satisfies FactOf<"object-store">) : f;
  });
}

// ---------------------------------------------------------------------------
// Cloud Run (v1, Knative shape)

function cloudRunV1({ inputs, common }: AdapterInput): Fact[] {
  const spec = obj(inputs, "template", "spec");
  const containers = records(spec, "containers").map((c) => runContainer(c, "valueFrom"));
  const annotations = obj(inputs, "template", "metadata", "annotations");
  const min = Number(str(annotations, "autoscaling.knative.dev/minScale") ?? 0);
  const max = Number(str(annotations, "autoscaling.knative.dev/maxScale") ?? 100);
  // The ingress annotation sits on the service's metadata; unset means all traffic.
  const ingress = str(inputs, "metadata", "annotations", "run.googleapis.com/ingress") ?? "all";
  const name = str(inputs, "name");
  const sum = (pick: (c: ContainerFact) => number | undefined) => containers.reduce((t, c) => t + (pick(c) ?? 0), 0);
  const sa = str(spec, "serviceAccountName");
  return [
    fact<ContainerWorkloadFact>(common, {
      kind: "container-workload",
      platform: "cloud-run",
      workloadKind: "Service",
      ...(name ? { workloadName: name } : {}),
      podLabels: {},
      containers,
      host: { network: false, pid: false, ipc: false },
      hostPaths: [],
      perReplica: { cpu: sum((c) => c.cpu.limit), memoryMiB: sum((c) => c.memoryMiB.limit), gpus: sum((c) => c.gpu?.count) },
      replicas: { min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 100, source: "autoscaler" },
      spot: false,
      tolerations: [],
      nodeSelector: {},
      requiredNodeLabels: {},
      identity: sa ? { serviceAccount: sa } : {},
      ingress: ingress === "all" ? "public" : "internal",
    }),
  ];
}

/** Cloud Run v1 IAM: `allUsers` or `allAuthenticatedUsers` as invoker opens the service to the internet. */
function runV1Invoker({ inputs, common }: AdapterInput): Fact[] {
  const policy = jsonish(inputs.policyData);
  const bindings = isRecord(policy) && Array.isArray(policy.bindings) ? policy.bindings.filter(isRecord) : [{ role: inputs.role, members: [...strings(inputs, "members"), ...(str(inputs, "member") ? [str(inputs, "member")] : [])] }];
  const open = bindings.some((b) => /invoker/.test(String(b.role ?? "")) && Array.isArray(b.members) && b.members.some((m) => typeof m === "string" && PUBLIC_MEMBERS.includes(m)));
  if (!open) return [];
  const service = str(inputs, "service");
  return [fact<NetworkExposureFact>(common, { kind: "network-exposure", via: "invoker-binding", public: true, ports: [443], sourceRanges: ["0.0.0.0/0"], ...(service ? { target: service } : {}), gateway: false })];
}

function gkeAuth({ inputs, common }: AdapterInput): Fact[] {
  return [
    fact<ClusterAuthFact>(common, {
      kind: "cluster-auth",
      service: "gke",
      legacyAbac: bool(inputs, "enableLegacyAbac") === true,
      basicAuth: str(inputs, "masterAuth", "username") !== undefined || bool(inputs, "masterAuth", "clientCertificateConfig", "issueClientCertificate") === true,
    }),
  ];
}

export const gcpStorageAdapters: AdapterTable = {
  "gcp:storage/bucket:Bucket": { taggable: true, adapt: bucket },
  "gcp:storage/bucketIAMMember:BucketIAMMember": side,
  "gcp:storage/bucketIAMBinding:BucketIAMBinding": side,
  "gcp:storage/bucketACL:BucketACL": side,
  "gcp:storage/bucketAccessControl:BucketAccessControl": side,
  "gcp:cloudrun/service:Service": { taggable: true, adapt: cloudRunV1 },
  "gcp:cloudrun/iamMember:IamMember": { taggable: false, adapt: runV1Invoker },
  "gcp:cloudrun/iamBinding:IamBinding": { taggable: false, adapt: runV1Invoker },
  "gcp:cloudrun/iamPolicy:IamPolicy": { taggable: false, adapt: runV1Invoker },
  "gcp:container/cluster:Cluster": extend("gcp:container/cluster:Cluster", gkeAuth),
};
