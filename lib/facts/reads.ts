/**
 * Which resource types feed which fact kinds, for docs/rules.md: each adapter is run on
 * an empty resource and on one that opens everything it can (a LoadBalancer Service, an
 * `allUsers` invoker), and side resources that linking folds into a fact are added.
 */
import { adapterTable } from "./core";
import type { FactCommon } from "./context";
import type { FactKind } from "./types";

const PROBES: ReadonlyArray<Record<string, unknown>> = [
  {},
  {
    spec: { type: "LoadBalancer", ports: [{ port: 80 }], rules: [{ host: "x" }], template: { spec: { containers: [{ name: "c", image: "i" }] } } },
    type: "LoadBalancer",
    member: "allUsers",
    members: ["allUsers"],
    role: "roles/run.invoker",
    policy: { Statement: [{ Effect: "Allow", Action: "*", Resource: "*", Principal: "*" }] },
    rights: ["Manage"],
  },
];

/** Resources whose settings linking folds into another resource's fact. */
const LINKED: Readonly<Partial<Record<FactKind, ReadonlyArray<string>>>> = {
  "object-store": [
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketAclV2:BucketAclV2",
    "aws:s3/bucketPolicy:BucketPolicy",
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:storage/bucketIAMBinding:BucketIAMBinding",
    "gcp:storage/bucketACL:BucketACL",
    "gcp:storage/bucketAccessControl:BucketAccessControl",
  ],
  "network-exposure": ["aws:lb/targetGroup:TargetGroup", "aws:lb/listener:Listener", "aws:lb/loadBalancer:LoadBalancer"],
  queue: ["aws:sqs/redrivePolicy:RedrivePolicy"],
  // lib/facts/azure-gateway.ts: APIM's `public` tag on an API, Front Door's WAF attachment and policy, Service Bus's IP firewall.
  "gateway-route": ["azure-native:apimanagement:TagByApi"],
  gateway: ["azure-native:cdn:SecurityPolicy", "azure-native:frontdoor:Policy"],
  "messaging-namespace": ["azure-native:servicebus:NamespaceNetworkRuleSet"],
};

/** Resource types per fact kind, sorted. */
export function typesByFactKind(): Record<string, string[]> {
  const out = new Map<string, Set<string>>();
  const add = (kind: string, type: string) => out.set(kind, (out.get(kind) ?? new Set()).add(type));
  for (const [type, entry] of Object.entries(adapterTable())) {
    for (const inputs of PROBES) {
      const common: FactCommon = { resource: { urn: `urn:probe::${type}`, name: "probe", type }, cloud: "aws", tags: {} };
      for (const f of entry.adapt({ raw: { type, name: "probe", inputs }, inputs, common })) add(f.kind, type);
    }
  }
  for (const [kind, types] of Object.entries(LINKED)) for (const t of types ?? []) add(kind, t);
  return Object.fromEntries([...out.entries()].map(([k, v]) => [k, [...v].sort()]));
}
