import { createHash } from "node:crypto";
import type { InvokeMock } from "../invokes";
import type { MockContext, OutputRule } from "./common";
import { GCP_PROJECT, physicalName, str } from "./common";

/**
 * Provider-computed outputs for Google Cloud resources: ids, self links, e-mails,
 * URLs and endpoints as Google shapes them, in the project and region of the
 * resource's provider (or its own `project`/`location`/`region` inputs).
 */

const DEFAULT_REGION = "us-central1";
/** The project number the offline engine answers for every project. */
export const GCP_PROJECT_NUMBER = "123456789012";
const providers = new Map<string, { project: string; region: string }>();

function digits(ctx: Pick<MockContext, "type" | "name">, n: number, salt = ""): string {
  return BigInt(`0x${createHash("sha256").update(`${ctx.type}::${ctx.name}::${salt}`).digest("hex").slice(0, 15)}`).toString().padStart(n, "1").slice(0, n);
}
function hex(ctx: Pick<MockContext, "type" | "name">, n: number): string {
  return createHash("sha256").update(`${ctx.type}::${ctx.name}`).digest("hex").slice(0, n);
}
function providerOf(ctx: MockContext): { project: string; region: string } {
  const id = ctx.provider?.split("::").pop();
  return (id && providers.get(id)) || { project: GCP_PROJECT, region: DEFAULT_REGION };
}
const projectOf = (ctx: MockContext) => str(ctx.inputs.project, providerOf(ctx).project);
const regionOf = (ctx: MockContext) => str(ctx.inputs.location, str(ctx.inputs.region, providerOf(ctx).region));
const last = (v: unknown) => str(v, "").split("/").pop() ?? "";

type Outputs = { id?: string; state: Record<string, unknown> };
type Rule = (ctx: MockContext) => Outputs;

/** Resources whose id is `projects/<p>/<path>/<name>`. */
function projectPath(path: (ctx: MockContext) => string, key = "name", extra: (ctx: MockContext, id: string, name: string) => Record<string, unknown> = () => ({})): Rule {
  return (ctx) => {
    const name = physicalName(ctx, key);
    const id = `projects/${projectOf(ctx)}/${path(ctx)}/${name}`;
    return { id, state: { [key]: name, project: projectOf(ctx), ...extra(ctx, id, name) } };
  };
}

const compute = (kind: string, regional: boolean): Rule =>
  projectPath(
    (ctx) => (regional ? `regions/${regionOf(ctx)}/${kind}` : `global/${kind}`),
    "name",
    (ctx, id) => ({ selfLink: `https://www.googleapis.com/compute/v1/${id}`, ...(regional ? { region: regionOf(ctx) } : {}) }),
  );

/** An address resource: the address it was given, else one Google would allocate (external 34.x, internal 10.x). */
function withAddress(rule: Rule, first: string): Rule {
  return (ctx) => {
    const out = rule(ctx);
    const n = parseInt(hex(ctx, 4), 16);
    return { ...out, state: { ...out.state, address: str(ctx.inputs.address, `${first}.${(n >> 8) % 250}.${n % 250}.${(n >> 4) % 250 + 2}`) } };
  };
}

const RULES: Readonly<Record<string, Rule>> = {
  "pulumi:providers:gcp": (ctx) => {
    const id = `${ctx.name}-${hex(ctx, 7)}`;
    providers.set(id, { project: str(ctx.inputs.project, GCP_PROJECT), region: str(ctx.inputs.region, DEFAULT_REGION) });
    return { id, state: {} };
  },
  "gcp:kms/keyRing:KeyRing": projectPath((ctx) => `locations/${regionOf(ctx)}/keyRings`),
  "gcp:kms/cryptoKey:CryptoKey": (ctx) => {
    const name = physicalName(ctx);
    return { id: `${str(ctx.inputs.keyRing, "keyRing")}/cryptoKeys/${name}`, state: { name, primaries: [{ name: `${str(ctx.inputs.keyRing, "")}/cryptoKeys/${name}/cryptoKeyVersions/1`, state: "ENABLED" }] } };
  },
  "gcp:compute/network:Network": compute("networks", false),
  "gcp:compute/subnetwork:Subnetwork": compute("subnetworks", true),
  "gcp:compute/router:Router": compute("routers", true),
  "gcp:compute/routerNat:RouterNat": (ctx) => ({ id: `${projectOf(ctx)}/${regionOf(ctx)}/${str(ctx.inputs.router, "router")}/${physicalName(ctx)}`, state: { name: physicalName(ctx) } }),
  "gcp:compute/globalAddress:GlobalAddress": withAddress(compute("addresses", false), "34"),
  "gcp:compute/address:Address": withAddress(compute("addresses", true), "10"),
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": compute("forwardingRules", false),
  "gcp:compute/backendService:BackendService": compute("backendServices", false),
  "gcp:compute/securityPolicy:SecurityPolicy": compute("securityPolicies", false),
  "gcp:compute/uRLMap:URLMap": compute("urlMaps", false),
  "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup": compute("networkEndpointGroups", true),
  "gcp:compute/regionBackendService:RegionBackendService": compute("backendServices", true),
  "gcp:compute/regionSecurityPolicy:RegionSecurityPolicy": compute("securityPolicies", true),
  "gcp:compute/regionUrlMap:RegionUrlMap": compute("urlMaps", true),
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": compute("targetHttpsProxies", false),
  "gcp:compute/targetHttpProxy:TargetHttpProxy": compute("targetHttpProxies", false),
  "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy": compute("targetHttpsProxies", true),
  "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy": compute("targetHttpProxies", true),
  "gcp:compute/forwardingRule:ForwardingRule": compute("forwardingRules", true),
  "gcp:compute/sSLPolicy:SSLPolicy": compute("sslPolicies", false),
  "gcp:compute/regionSslPolicy:RegionSslPolicy": compute("sslPolicies", true),
  "gcp:compute/healthCheck:HealthCheck": compute("healthChecks", false),
  "gcp:compute/regionHealthCheck:RegionHealthCheck": compute("healthChecks", true),
  "gcp:compute/firewall:Firewall": compute("firewalls", false),
  "gcp:certificatemanager/dnsAuthorization:DnsAuthorization": (ctx) => {
    const name = physicalName(ctx);
    const domain = str(ctx.inputs.domain, "example.com");
    return {
      id: `projects/${projectOf(ctx)}/locations/${str(ctx.inputs.location, "global")}/dnsAuthorizations/${name}`,
      state: { name, dnsResourceRecords: [{ name: `_acme-challenge_${hex(ctx, 6)}.${domain}.`, type: "CNAME", data: `${hex(ctx, 8)}-${hex(ctx, 4)}.9.authorize.certificatemanager.goog.` }] },
    };
  },
  "gcp:certificatemanager/certificate:Certificate": projectPath((ctx) => `locations/${str(ctx.inputs.location, "global")}/certificates`),
  "gcp:certificatemanager/certificateMap:CertificateMap": projectPath(() => "locations/global/certificateMaps"),
  "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": projectPath((ctx) => `locations/global/certificateMaps/${str(ctx.inputs.map, "map")}/certificateMapEntries`),
  "gcp:dns/recordSet:RecordSet": (ctx) => ({ id: `projects/${projectOf(ctx)}/managedZones/${str(ctx.inputs.managedZone, "zone")}/rrsets/${str(ctx.inputs.name, ctx.name)}/${str(ctx.inputs.type, "A")}`, state: {} }),
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": (ctx) => {
    const uptimeCheckId = `${ctx.name.replace(/[^a-z0-9-]/g, "-").slice(0, 40)}-${hex(ctx, 8)}`;
    return { id: `projects/${projectOf(ctx)}/uptimeCheckConfigs/${uptimeCheckId}`, state: { uptimeCheckId, name: `projects/${projectOf(ctx)}/uptimeCheckConfigs/${uptimeCheckId}` } };
  },
  "gcp:servicenetworking/connection:Connection": (ctx) => ({ id: `${str(ctx.inputs.network, "network")}:servicenetworking.googleapis.com`, state: { peering: "servicenetworking-googleapis-com" } }),
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": (ctx) => {
    const id = `projects/${projectOf(ctx)}/locations/${regionOf(ctx)}/buckets/${str(ctx.inputs.bucketId, ctx.name)}`;
    return { id, state: { name: id, lifecycleState: "ACTIVE" } };
  },
  "gcp:logging/projectSink:ProjectSink": projectPath(() => "sinks", "name", (ctx) => ({ writerIdentity: `serviceAccount:service-${GCP_PROJECT_NUMBER}@gcp-sa-logging.iam.gserviceaccount.com`, ...ctx.inputs })),
  "gcp:projects/serviceIdentity:ServiceIdentity": (ctx) => {
    const service = str(ctx.inputs.service, "service.googleapis.com").split(".")[0];
    const email = `service-${GCP_PROJECT_NUMBER}@gcp-sa-${service}.iam.gserviceaccount.com`;
    return { id: `projects/${projectOf(ctx)}/services/${str(ctx.inputs.service, "")}`, state: { email, member: `serviceAccount:${email}` } };
  },
  "gcp:monitoring/notificationChannel:NotificationChannel": (ctx) => {
    const id = `projects/${projectOf(ctx)}/notificationChannels/${digits(ctx, 19)}`;
    return { id, state: { name: id, verificationStatus: "VERIFIED" } };
  },
  "gcp:monitoring/alertPolicy:AlertPolicy": (ctx) => {
    const id = `projects/${projectOf(ctx)}/alertPolicies/${digits(ctx, 19)}`;
    return { id, state: { name: id } };
  },
  "gcp:monitoring/dashboard:Dashboard": (ctx) => ({ id: `projects/${GCP_PROJECT_NUMBER}/dashboards/${hex(ctx, 8)}-${hex(ctx, 4)}`, state: {} }),
  "gcp:billing/budget:Budget": (ctx) => {
    const id = `billingAccounts/${str(ctx.inputs.billingAccount, "000000-000000-000000")}/budgets/${hex(ctx, 8)}-${hex(ctx, 4)}`;
    return { id, state: { name: id } };
  },
  "gcp:pubsub/topic:Topic": projectPath(() => "topics"),
  "gcp:pubsub/subscription:Subscription": projectPath(() => "subscriptions"),
  "gcp:serviceaccount/account:Account": (ctx) => {
    const accountId = str(ctx.inputs.accountId, ctx.name);
    const email = `${accountId}@${projectOf(ctx)}.iam.gserviceaccount.com`;
    const name = `projects/${projectOf(ctx)}/serviceAccounts/${email}`;
    return { id: name, state: { email, name, member: `serviceAccount:${email}`, uniqueId: digits(ctx, 21) } };
  },
  "gcp:cloudrunv2/service:Service": (ctx) => {
    const name = physicalName(ctx);
    const region = regionOf(ctx);
    const uri = `https://${name}-${GCP_PROJECT_NUMBER}.${region}.run.app`;
    return { id: `projects/${projectOf(ctx)}/locations/${region}/services/${name}`, state: { name, uri, urls: [uri, `https://${name}-${hex(ctx, 10)}-${region.slice(0, 2)}.a.run.app`], uid: `${hex(ctx, 8)}-0000-4000-8000-${hex(ctx, 12)}` } };
  },
  "gcp:container/cluster:Cluster": (ctx) => {
    const name = physicalName(ctx);
    return {
      id: `projects/${projectOf(ctx)}/locations/${regionOf(ctx)}/clusters/${name}`,
      state: { name, nodeLocations: ["a", "b", "c"].map((z) => `${regionOf(ctx)}-${z}`), endpoint: `10.${parseInt(hex(ctx, 2), 16) % 200}.0.2`, masterAuth: { clusterCaCertificate: Buffer.from(`offline-ca-${name}`).toString("base64") }, selfLink: `https://container.googleapis.com/v1/projects/${projectOf(ctx)}/locations/${regionOf(ctx)}/clusters/${name}` },
    };
  },
  "gcp:container/nodePool:NodePool": (ctx) => {
    const name = physicalName(ctx);
    return { id: `projects/${projectOf(ctx)}/locations/${regionOf(ctx)}/clusters/${last(ctx.inputs.cluster)}/nodePools/${name}`, state: { name, instanceGroupUrls: [] } };
  },
  "gcp:firestore/database:Database": (ctx) => {
    const name = physicalName(ctx);
    return { id: `projects/${projectOf(ctx)}/databases/${name}`, state: { name, uid: `${hex(ctx, 8)}-0000-4000-8000-${hex(ctx, 12)}` } };
  },
  "gcp:memorystore/instance:Instance": (ctx) => {
    const id = str(ctx.inputs.instanceId, ctx.name);
    return { id: `projects/${projectOf(ctx)}/locations/${regionOf(ctx)}/instances/${id}`, state: { name: `projects/${projectOf(ctx)}/locations/${regionOf(ctx)}/instances/${id}`, discoveryEndpoints: [{ address: `10.0.40.${parseInt(hex(ctx, 2), 16) % 250}`, port: 6379 }], endpoints: [] } };
  },
  "gcp:sql/databaseInstance:DatabaseInstance": (ctx) => {
    const name = physicalName(ctx);
    return { id: name, state: { name, connectionName: `${projectOf(ctx)}:${regionOf(ctx)}:${name}`, privateIpAddress: `10.0.33.${parseInt(hex(ctx, 2), 16) % 250}`, selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${projectOf(ctx)}/instances/${name}`, dnsName: `${hex(ctx, 12)}.${regionOf(ctx)}.sql.goog.` } };
  },
};

export const gcpRules: ReadonlyArray<OutputRule> = Object.entries(RULES).map(([type, outputs]) => ({ match: new RegExp(`^${type.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`), outputs }));

/** The invokes the GCP targets call: the project (its number names service agents and Cloud Run URLs), and the project's Cloud Logging CMEK settings (the Logging service agent that log buckets' keys are granted to). */
export const gcpInvokes: Readonly<Record<string, InvokeMock>> = {
  "gcp:logging/getProjectCmekSettings:getProjectCmekSettings": (inputs) => {
    const project = str(inputs.project, GCP_PROJECT);
    return { id: `projects/${project}/cmekSettings`, name: `projects/${project}/cmekSettings`, project, serviceAccountId: `service-${GCP_PROJECT_NUMBER}@gcp-sa-logging.iam.gserviceaccount.com`, kmsKeyVersionName: "" };
  },
  "gcp:organizations/getProject:getProject": (inputs) => {
    const projectId = str(inputs.projectId, GCP_PROJECT);
    return { id: `projects/${projectId}`, projectId, number: GCP_PROJECT_NUMBER, name: projectId, labels: {}, effectiveLabels: {}, autoCreateNetwork: true, deletionPolicy: "PREVENT" };
  },
};
