import * as container from "@pulumi/gcp/container";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { costLabels, REGION_ANNOTATION } from "../../plan/tags";
import { invalidProp } from "../../spec/errors";
import { gcpFoundation } from "../gcp/foundation";
import { keyGrant } from "../gcp/kms";
import { childOpts, gcpLandings, type GcpLanding } from "../gcp/landing";
import { gcpName, GCP_NAME_LIMITS, serviceAccountId } from "../gcp/names";
import { SERVICE_AGENTS, serviceAgent } from "../gcp/project";
import { kedaSizing } from "../kubernetes/addon-resources";
import { DEFAULT_ADDONS, helmRelease } from "../kubernetes/addons";
import type { PlatformOutputs, PlatformScope } from "../target";
import { gkeLandings, kubeOpts } from "./landing";
import { nodeConfig } from "./node-config";
import { gkeSystemNodes } from "./nodes";

/** Roles the nodes' own service account gets (logs, metrics, image pulls): GKE's documented minimum. */
export const NODE_ROLES = ["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"] as const;
/** What the KEDA operator reads to scale on subscription backlogs. */
export const KEDA_ROLE = "roles/monitoring.viewer";

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * A private GKE Standard cluster over the shared GCP foundation: regional, private
 * nodes, a private endpoint (or the master authorized networks given), VPC-native
 * on the subnet's ranges, Dataplane V2 (network policy enforced), Workload
 * Identity, Shielded Nodes, a release channel (STABLE in prod, REGULAR
 * otherwise), Managed Prometheus, the Gateway API, Secret Manager sync, secrets
 * encrypted with the fleet key; no legacy ABAC, no basic auth, no client
 * certificate; the default pool removed for a system pool of the fleet's own.
 * Then in the cluster: the fleet's namespace (Pod Security "restricted", default
 * deny) and KEDA, whose operator reads Monitoring through Workload Identity.
 */
export function gkePlatform(scope: PlatformScope): PlatformOutputs {
  scope.clusterEndpointCidrs.forEach((c, i) => {
    if (!CIDR.test(c)) invalidProp(`clusterEndpointCidrs[${i}]`, `'${c}' is not an IPv4 CIDR`, "write it like 203.0.113.0/24");
  });
  const landing = gcpLandings.set(scope, gcpFoundation(scope, "gke"));
  const { plan, target } = scope;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const clusterName = gcpName([target.cluster ?? landing.prefix], GCP_NAME_LIMITS.cluster);
  const workloadPool = `${landing.project}.svc.id.goog`;
  const prod = plan.fleet.environment === "prod";

  const nodeAccount = new serviceaccount.Account(`${name}-nodes`, { accountId: serviceAccountId([landing.prefix, "nodes"]), displayName: `microagents ${landing.prefix} GKE nodes`, description: "GKE nodes: logs, metrics, image pulls" }, opts);
  const nodeMember = pulumi.interpolate`serviceAccount:${nodeAccount.email}`;
  const nodeGrants = NODE_ROLES.map((role) => new projects.IAMMember(`${name}-nodes-${role.split("/")[1]}`, { project: landing.project, role, member: nodeMember }, opts));
  const secretsKey = keyGrant(`${name}-key-gke`, landing.key, serviceAgent(landing.projectNumber, SERVICE_AGENTS.gke), opts);
  const diskKeyGrant = keyGrant(`${name}-key-disks`, landing.key, serviceAgent(landing.projectNumber, SERVICE_AGENTS.compute), opts);

  const cluster = new container.Cluster(
    `${name}-cluster`,
    {
      name: clusterName,
      location: landing.region,
      description: `microagents ${landing.prefix}`,
      network: landing.network.network.id,
      subnetwork: landing.network.subnet.id,
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: { clusterSecondaryRangeName: landing.network.podRange, servicesSecondaryRangeName: landing.network.serviceRange },
      datapathProvider: "ADVANCED_DATAPATH",
      privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: scope.clusterEndpointCidrs.length === 0 },
      masterAuthorizedNetworksConfig: { cidrBlocks: scope.clusterEndpointCidrs.map((cidrBlock, i) => ({ cidrBlock, displayName: `deployer-${i}` })), gcpPublicCidrsAccessEnabled: false },
      workloadIdentityConfig: { workloadPool },
      enableShieldedNodes: true,
      enableLegacyAbac: false,
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      releaseChannel: { channel: prod ? "STABLE" : "REGULAR" },
      monitoringConfig: { enableComponents: ["SYSTEM_COMPONENTS"], managedPrometheus: { enabled: true } },
      loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS"] },
      gatewayApiConfig: { channel: "CHANNEL_STANDARD" },
      secretManagerConfig: { enabled: true },
      secretSyncConfig: { enabled: true },
      databaseEncryption: { state: "ENCRYPTED", keyName: landing.key.id },
      securityPostureConfig: { mode: "BASIC", vulnerabilityMode: "VULNERABILITY_BASIC" },
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      deletionProtection: landing.deletionProtection,
      resourceLabels: { ...plan.tags },
    },
    { ...opts, dependsOn: [secretsKey, ...landing.network.privateServices] },
  );

  const system = gkeSystemNodes(plan);
  const systemPool = new container.NodePool(
    `${name}-system`,
    {
      name: "system",
      cluster: cluster.id,
      location: landing.region,
      autoscaling: { minNodeCount: system.minPerZone, maxNodeCount: system.maxPerZone, locationPolicy: "BALANCED" },
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
      nodeConfig: nodeConfig({ machineType: system.machineType, serviceAccount: nodeAccount.email, keyId: landing.key.id, labels: plan.tags, nodeLabels: { "microagents.io/node-role": "system" }, diskSizeGb: 100 }),
    },
    { ...opts, dependsOn: [...nodeGrants, diskKeyGrant] },
  );

  const kubernetes = new k8s.Provider(`${name}-cluster`, { kubeconfig: kubeconfig(cluster, clusterName), enableServerSideApply: true }, { parent: scope, dependsOn: [systemPool] });
  const ns = target.namespace;
  const namespace = new k8s.core.v1.Namespace(
    name,
    { metadata: { name: ns, labels: { ...costLabels(plan.tags), "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" }, annotations: { [REGION_ANNOTATION]: target.region } } },
    kubeOpts(scope, { kubernetes }),
  );
  new k8s.networking.v1.NetworkPolicy(`${name}-default-deny`, { metadata: { name: "default-deny", namespace: ns, labels: costLabels(plan.tags) }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }, kubeOpts(scope, { kubernetes }, [namespace]));

  const ready: pulumi.Resource[] = [namespace];
  const triggerAuthentication = "gcp-workload-identity";
  let kedaGrant: pulumi.Resource | undefined;
  if (scope.addons.keda ?? DEFAULT_ADDONS.keda) {
    // One project-wide grant per pair: the KEDA operator's principal is the same in every cluster of the project (one
    // Workload Identity pool), so a backup joining a GKE primary's network uses the primary's grant instead of a second
    // IAMMember of the same role and member (destroying either would remove the binding both rely on).
    const shared = scope.networkOf?.target.runtime === "gke" ? gkeLandings.get(scope.networkOf).kedaGrant : undefined;
    kedaGrant = shared ?? kedaMonitoring(name, landing, opts, cluster);
    ready.push(helmRelease(`${name}-keda`, "keda", { podSecurityContext: { operator: { runAsNonRoot: true } }, ...kedaSizing() }, { ...kubeOpts(scope, { kubernetes }), dependsOn: [kedaGrant] }));
  }
  new k8s.apiextensions.CustomResource(
    `${name}-keda-gcp`,
    { apiVersion: "keda.sh/v1alpha1", kind: "TriggerAuthentication", metadata: { name: triggerAuthentication, namespace: ns, labels: costLabels(plan.tags) }, spec: { podIdentity: { provider: "gcp" } } },
    kubeOpts(scope, { kubernetes }, ready),
  );
  gkeLandings.set(scope, { cluster, clusterName, nodeAccount, kubernetes, namespace: ns, workloadPool, ready, triggerAuthentication, diskKeyGrant, ...(kedaGrant ? { kedaGrant } : {}) });
  return { environmentName: namespace.metadata.name, extra: { cluster: cluster.name, namespace: namespace.metadata.name, project: landing.project, region: pulumi.output(landing.region) } };
}

/** The KEDA operator's Kubernetes service account reads Cloud Monitoring (subscription backlogs) as itself through Workload Identity: a project role, as Monitoring has no narrower scope. */
function kedaMonitoring(name: string, landing: GcpLanding, opts: pulumi.CustomResourceOptions, cluster: container.Cluster): projects.IAMMember {
  const member = pulumi.interpolate`principal://iam.googleapis.com/projects/${landing.projectNumber}/locations/global/workloadIdentityPools/${landing.project}.svc.id.goog/subject/ns/keda/sa/keda-operator`;
  return new projects.IAMMember(`${name}-keda-monitoring`, { project: landing.project, role: KEDA_ROLE, member }, { ...opts, dependsOn: [cluster] });
}

/** A kubeconfig that authenticates with gke-gcloud-auth-plugin (the deployer's Google credentials), on the private endpoint. */
function kubeconfig(cluster: container.Cluster, clusterName: string): pulumi.Output<string> {
  return pulumi.jsonStringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster: { server: pulumi.interpolate`https://${cluster.endpoint}`, "certificate-authority-data": cluster.masterAuth.clusterCaCertificate } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    "current-context": clusterName,
    users: [{ name: clusterName, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "gke-gcloud-auth-plugin", provideClusterInfo: true, installHint: "gcloud components install gke-gcloud-auth-plugin" } } }],
  });
}
