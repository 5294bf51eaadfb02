import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { costLabels, REGION_ANNOTATION } from "../../plan/tags";
import { sizeSystemNodes, tierShapeFloor } from "../../plan/system-nodes";
import type { FleetPlan } from "../../plan/types";
import { invalidProp } from "../../spec/errors";
import type { PlatformOutputs, PlatformScope } from "../target";
import { awsFoundation } from "../aws/foundation";
import { CAPACITY_DESCRIBE_ACTIONS, policyJson, serviceTrust } from "../aws/iam";
import { awsLandings, childOpts, type AwsLanding } from "../aws/landing";
import { logGroup } from "../aws/logs";
import { awsName, NAME_LIMITS } from "../aws/names";
import { nodeLaunchTemplate } from "../aws/nodes";
import { awsTags } from "../aws/tags";
import { CLUSTER_AUTOSCALER_RESOURCES, kedaSizing, SECRETS_STORE_RESOURCES } from "../kubernetes/addon-resources";
import { DEFAULT_ADDONS, helmRelease, pinnedRelease } from "../kubernetes/addons";
import { managedClusterDevicePlugin } from "../kubernetes/gpu-pool";
import { CLUSTER_AUTOSCALER_TAG, EKS_CHARTS, EKS_VERSION } from "./charts";
import { eksLandings, kubeOpts } from "./landing";

/** Every EKS control-plane log type. */
export const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** AWS managed policies EKS documents for its cluster and node roles (attached, not written here). */
export const EKS_MANAGED_POLICIES = {
  cluster: ["AmazonEKSClusterPolicy"],
  node: ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy"],
  cloudwatchAgent: ["CloudWatchAgentServerPolicy", "AWSXrayWriteOnlyAccess"],
} as const;

/** The system node group's shapes, smallest first (every one is priced: test/cost/coverage.test.ts). */
export const SYSTEM_SHAPES = [
  { instanceType: "m7i.large", vcpu: 2, memoryGiB: 8 },
  { instanceType: "m7i.xlarge", vcpu: 4, memoryGiB: 16 },
  { instanceType: "m7i.2xlarge", vcpu: 8, memoryGiB: 32 },
  { instanceType: "m7i.4xlarge", vcpu: 16, memoryGiB: 64 },
] as const;

/**
 * The general-purpose node group: the smallest m7i shape (from the tier's default
 * size up) that holds the largest CPU agent with room for node daemons and keeps
 * every CPU agent at its maximum within the tier's node cap; the Cluster Autoscaler
 * moves between the bounds. When no shape is enough, the cap wins.
 */
export function systemNodes(plan: Pick<FleetPlan, "agents" | "tier" | "fleet">): { instanceType: string; min: number; max: number } {
  const minNodes = plan.fleet.environment === "prod" ? 2 : 1;
  const { shape, min, max } = sizeSystemNodes(plan, SYSTEM_SHAPES, { usable: 0.85, firstShape: tierShapeFloor(plan), minNodes });
  return { instanceType: shape.instanceType, min, max };
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function checkCidrs(cidrs: ReadonlyArray<string>): void {
  cidrs.forEach((c, i) => {
    const m = CIDR.exec(c);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) invalidProp(`clusterEndpointCidrs[${i}]`, `'${c}' is not an IPv4 CIDR`, "write it like 203.0.113.0/24");
  });
}

function managedPolicy(partition: string, policy: string): string {
  return `arn:${partition}:iam::aws:policy/${policy}`;
}

/**
 * The AWS foundation plus an EKS cluster: private API endpoint (public only for the
 * CIDRs given), secrets encrypted with the fleet key, every control-plane log type
 * to an encrypted log group, access entries (API) authentication, standard support
 * only; a managed system node group (IMDSv2, hop limit 1, encrypted disk); the VPC
 * CNI with network policies on, CoreDNS, kube-proxy, the Pod Identity agent and
 * CloudWatch observability as EKS add-ons; then in the cluster: the fleet's
 * namespace (Pod Security "restricted", default deny), KEDA, the Cluster
 * Autoscaler, the NVIDIA device plugin when the fleet has GPU pools, and the
 * Secrets Manager CSI provider when agents reference secrets.
 */
export function eksPlatform(scope: PlatformScope): PlatformOutputs {
  checkCidrs(scope.clusterEndpointCidrs);
  const landing = awsFoundation(scope, "eks");
  const { plan, target } = scope;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const tags = plan.tags;
  const clusterName = awsName([target.cluster ?? landing.prefix], NAME_LIMITS.eksCluster);
  const p = landing.partition;

  const clusterRole = new iam.Role(
    `${name}-cluster`,
    {
      name: awsName([landing.prefix, "eks-cluster", landing.region], NAME_LIMITS.iamRole),
      description: "EKS control plane",
      assumeRolePolicy: serviceTrust("eks.amazonaws.com", landing.accountId, { sourceAccountCondition: false, tagSession: true }),
      tags: awsTags(tags),
    },
    opts,
  );
  const clusterAttachments = EKS_MANAGED_POLICIES.cluster.map((policy) => new iam.RolePolicyAttachment(`${name}-cluster-${policy}`, { role: clusterRole.name, policyArn: managedPolicy(p, policy) }, opts));
  const clusterKey = new iam.RolePolicy(
    `${name}-cluster-kms`,
    { role: clusterRole.id, policy: policyJson([{ Sid: "EncryptClusterSecrets", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant"], Resource: landing.key.arn }]) },
    opts,
  );
  const controlPlaneLogs = logGroup(`${name}-control-plane`, { name: `/aws/eks/${clusterName}/cluster`, key: landing.key, retentionDays: landing.logRetentionDays, tags }, opts);
  const publicCidrs = [...scope.clusterEndpointCidrs];
  const cluster = new eks.Cluster(
    name,
    {
      name: clusterName,
      version: EKS_VERSION,
      roleArn: clusterRole.arn,
      vpcConfig: { subnetIds: [...landing.network.privateSubnetIds], endpointPrivateAccess: true, endpointPublicAccess: publicCidrs.length > 0, ...(publicCidrs.length > 0 ? { publicAccessCidrs: publicCidrs } : {}) },
      encryptionConfig: { provider: { keyArn: landing.key.arn }, resources: ["secrets"] },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOGS],
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      upgradePolicy: { supportType: "STANDARD" },
      kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: "172.20.0.0/16" },
      bootstrapSelfManagedAddons: false,
      deletionProtection: plan.fleet.environment === "prod",
      tags: awsTags(tags, clusterName),
    },
    { ...opts, dependsOn: [...clusterAttachments, clusterKey, controlPlaneLogs] },
  );

  const nodeRole = new iam.Role(
    `${name}-nodes`,
    { name: awsName([landing.prefix, "eks-nodes", landing.region], NAME_LIMITS.iamRole), description: "EKS managed nodes", assumeRolePolicy: serviceTrust("ec2.amazonaws.com", landing.accountId, { sourceAccountCondition: false }), tags: awsTags(tags) },
    opts,
  );
  const nodeAttachments = EKS_MANAGED_POLICIES.node.map((policy) => new iam.RolePolicyAttachment(`${name}-nodes-${policy}`, { role: nodeRole.name, policyArn: managedPolicy(p, policy) }, opts));
  const shape = systemNodes(plan);
  const systemTemplate = nodeLaunchTemplate(`${name}-system`, { name: awsName([clusterName, "system"], NAME_LIMITS.launchTemplate), tags, diskGiB: 50 }, opts);
  const systemNodeGroup = new eks.NodeGroup(
    `${name}-system`,
    {
      clusterName: cluster.name,
      nodeGroupName: "system",
      nodeRoleArn: nodeRole.arn,
      subnetIds: [...landing.network.privateSubnetIds],
      amiType: "AL2023_x86_64_STANDARD",
      capacityType: "ON_DEMAND",
      instanceTypes: [shape.instanceType],
      scalingConfig: { minSize: shape.min, maxSize: shape.max, desiredSize: shape.min },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: systemTemplate.id, version: pulumi.interpolate`${systemTemplate.latestVersion}` },
      labels: { "microagents.io/node-role": "system" },
      tags: awsTags(tags, `${clusterName}-system`),
    },
    { ...opts, dependsOn: nodeAttachments, ignoreChanges: ["scalingConfig.desiredSize"] },
  );

  const addonOpts = { ...opts, dependsOn: [systemNodeGroup] };
  const addon = (addonName: string, extra: Omit<eks.AddonArgs, "clusterName" | "addonName"> = {}) =>
    new eks.Addon(`${name}-${addonName}`, { clusterName: cluster.name, addonName, resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "PRESERVE", tags: awsTags(tags), ...extra }, addonOpts);
  const vpcCni = new eks.Addon(
    `${name}-vpc-cni`,
    { clusterName: cluster.name, addonName: "vpc-cni", configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }), resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "PRESERVE", tags: awsTags(tags) },
    opts,
  );
  const podIdentityAgent = addon("eks-pod-identity-agent");
  const kubeProxy = addon("kube-proxy");
  const coredns = addon("coredns");
  const observability = cloudwatchObservability(name, landing, clusterName, cluster, tags, opts, addonOpts);

  const kubernetes = new k8s.Provider(`${name}-cluster`, { kubeconfig: kubeconfig(cluster, clusterName, landing.region), enableServerSideApply: true }, { parent: scope, dependsOn: [systemNodeGroup, vpcCni, coredns, kubeProxy, podIdentityAgent] });
  const ns = target.namespace;
  const labels = { ...costLabels(plan.tags), "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" };
  const namespace = new k8s.core.v1.Namespace(name, { metadata: { name: ns, labels, annotations: { [REGION_ANNOTATION]: target.region } } }, kubeOpts(scope, { kubernetes }));
  new k8s.networking.v1.NetworkPolicy(`${name}-default-deny`, { metadata: { name: "default-deny", namespace: ns, labels: costLabels(plan.tags) }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }, kubeOpts(scope, { kubernetes }, [namespace]));

  const identity = (logical: string, sa: { namespace: string; name: string }, role: iam.Role) =>
    new eks.PodIdentityAssociation(logical, { clusterName: cluster.name, namespace: sa.namespace, serviceAccount: sa.name, roleArn: role.arn, tags: awsTags(tags) }, { ...opts, dependsOn: [podIdentityAgent] });
  const podRole = (logical: string, what: string, description: string) =>
    new iam.Role(logical, { name: awsName([landing.prefix, what, landing.region], NAME_LIMITS.iamRole), description, assumeRolePolicy: serviceTrust("pods.eks.amazonaws.com", landing.accountId, { tagSession: true }), tags: awsTags(tags) }, opts);

  const ready: pulumi.Resource[] = [namespace];
  const kedaRole = podRole(`${name}-keda`, "keda", "KEDA operator reads the fleet's queue depths");
  const kedaOn = scope.addons.keda ?? DEFAULT_ADDONS.keda;
  if (kedaOn) {
    const assoc = identity(`${name}-keda`, { namespace: "keda", name: "keda-operator" }, kedaRole);
    ready.push(helmRelease(`${name}-keda`, "keda", { podSecurityContext: { operator: { runAsNonRoot: true } }, ...kedaSizing() }, { ...kubeOpts(scope, { kubernetes }), dependsOn: [assoc] }));
  }
  const triggerAuthentication = "aws-pod-identity";
  new k8s.apiextensions.CustomResource(
    `${name}-keda-aws`,
    { apiVersion: "keda.sh/v1alpha1", kind: "TriggerAuthentication", metadata: { name: triggerAuthentication, namespace: ns, labels: costLabels(plan.tags) }, spec: { podIdentity: { provider: "aws" } } },
    kubeOpts(scope, { kubernetes }, ready),
  );

  clusterAutoscaler(name, landing, clusterName, podRole, identity, kubernetes, scope);
  managedClusterDevicePlugin(name, plan, scope.addons, kubeOpts(scope, { kubernetes }));

  const secretClasses = secretsProvider(name, landing, plan, ns, kubernetes, scope, ready);

  awsLandings.set(scope, landing);
  eksLandings.set(scope, {
    cluster,
    clusterName,
    kubernetes,
    namespace: ns,
    nodeRole,
    systemNodes: systemNodeGroup,
    clusterSecurityGroupId: cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId ?? ""),
    kedaRole,
    applicationLogGroup: observability.applicationLogGroup,
    ready,
    triggerAuthentication,
    secretClasses,
  });
  return { environmentName: namespace.metadata.name, extra: { cluster: cluster.name, namespace: namespace.metadata.name, region: pulumi.output(landing.region), alarmTopic: landing.alarmTopic.arn } };
}

/** A kubeconfig that authenticates with `aws eks get-token` (the deployer's AWS credentials). */
function kubeconfig(cluster: eks.Cluster, clusterName: string, region: string): pulumi.Output<string> {
  return pulumi.jsonStringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster: { server: cluster.endpoint, "certificate-authority-data": cluster.certificateAuthority.data } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    "current-context": clusterName,
    users: [{ name: clusterName, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"] } } }],
  });
}

/**
 * Container Insights and X-Ray through the amazon-cloudwatch-observability add-on,
 * its agent on a Pod Identity role; the log groups it writes to are created first
 * with retention and the fleet key.
 */
function cloudwatchObservability(
  name: string,
  landing: AwsLanding,
  clusterName: string,
  cluster: eks.Cluster,
  tags: Readonly<Record<string, string>>,
  opts: pulumi.CustomResourceOptions,
  addonOpts: pulumi.CustomResourceOptions,
): { applicationLogGroup: pulumi.Output<string> } {
  const groups = ["application", "dataplane", "host", "performance"].map((kind) =>
    logGroup(`${name}-insights-${kind}`, { name: `/aws/containerinsights/${clusterName}/${kind}`, key: landing.key, retentionDays: landing.logRetentionDays, tags }, opts),
  );
  const role = new iam.Role(
    `${name}-cloudwatch-agent`,
    { name: awsName([landing.prefix, "cloudwatch-agent", landing.region], NAME_LIMITS.iamRole), description: "CloudWatch agent and Fluent Bit of the observability add-on", assumeRolePolicy: serviceTrust("pods.eks.amazonaws.com", landing.accountId, { tagSession: true }), tags: awsTags(tags) },
    opts,
  );
  const attachments = EKS_MANAGED_POLICIES.cloudwatchAgent.map((policy) => new iam.RolePolicyAttachment(`${name}-cloudwatch-agent-${policy}`, { role: role.name, policyArn: managedPolicy(landing.partition, policy) }, opts));
  new eks.Addon(
    `${name}-amazon-cloudwatch-observability`,
    {
      clusterName: cluster.name,
      addonName: "amazon-cloudwatch-observability",
      podIdentityAssociations: [{ roleArn: role.arn, serviceAccount: "cloudwatch-agent" }],
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      tags: awsTags(tags),
    },
    { ...addonOpts, dependsOn: [...(Array.isArray(addonOpts.dependsOn) ? addonOpts.dependsOn : []), ...groups, ...attachments] },
  );
  return { applicationLogGroup: groups[0].name };
}

/**
 * The Cluster Autoscaler (managed node groups do not scale themselves): on a Pod
 * Identity role that may resize only this cluster's groups and read what it must.
 */
function clusterAutoscaler(
  name: string,
  landing: AwsLanding,
  clusterName: string,
  podRole: (logical: string, what: string, description: string) => iam.Role,
  identity: (logical: string, sa: { namespace: string; name: string }, role: iam.Role) => eks.PodIdentityAssociation,
  kubernetes: k8s.Provider,
  scope: PlatformScope,
): void {
  const opts = childOpts(scope, landing);
  const role = podRole(`${name}-cluster-autoscaler`, "cluster-autoscaler", "Cluster Autoscaler resizes this cluster's node groups");
  const base = `arn:${landing.partition}`;
  new iam.RolePolicy(
    `${name}-cluster-autoscaler`,
    {
      role: role.id,
      policy: policyJson([
        {
          Sid: "ResizeOwnNodeGroups",
          Effect: "Allow",
          Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
          Resource: pulumi.interpolate`${base}:autoscaling:${landing.region}:${landing.accountId}:autoScalingGroup:*:autoScalingGroupName/eks-*`,
          Condition: { StringEquals: { "aws:ResourceTag/eks:cluster-name": clusterName } },
        },
        { Sid: "ReadOwnNodeGroups", Effect: "Allow", Action: "eks:DescribeNodegroup", Resource: pulumi.interpolate`${base}:eks:${landing.region}:${landing.accountId}:nodegroup/${clusterName}/*/*` },
        {
          Sid: "DescribeCapacity",
          Effect: "Allow",
          Action: [...CAPACITY_DESCRIBE_ACTIONS],
          Resource: "*",
        },
      ]),
    },
    opts,
  );
  const chart = EKS_CHARTS["cluster-autoscaler"];
  const assoc = identity(`${name}-cluster-autoscaler`, { namespace: chart.namespace, name: "cluster-autoscaler" }, role);
  pinnedRelease(
    `${name}-cluster-autoscaler`,
    "cluster-autoscaler",
    chart,
    {
      cloudProvider: "aws",
      awsRegion: landing.region,
      autoDiscovery: { clusterName },
      image: { tag: CLUSTER_AUTOSCALER_TAG },
      rbac: { serviceAccount: { create: true, name: "cluster-autoscaler" } },
      extraArgs: { "balance-similar-node-groups": true, "skip-nodes-with-system-pods": false, expander: "least-waste" },
      replicaCount: 1,
      resources: CLUSTER_AUTOSCALER_RESOURCES,
    },
    { ...kubeOpts(scope, { kubernetes }), dependsOn: [assoc] },
    chart.namespace,
  );
}

/**
 * Agents' Secrets Manager secrets as Kubernetes Secrets of the same name (what the
 * hardened workload reads through secretKeyRef): the AWS provider of the Secrets
 * Store CSI driver fetches them with each pod's own Pod Identity role and syncs
 * them while a pod mounts them. One SecretProviderClass per secret.
 */
function secretsProvider(name: string, landing: AwsLanding, plan: FleetPlan, ns: string, kubernetes: k8s.Provider, scope: PlatformScope, ready: pulumi.Resource[]): Map<string, string> {
  const keys = new Map<string, Set<string>>();
  for (const a of plan.agents) for (const s of Object.values(a.secrets)) keys.set(s.ref, new Set([...(keys.get(s.ref) ?? []), s.key]));
  const classes = new Map<string, string>();
  if (keys.size === 0) return classes;
  const chart = EKS_CHARTS["secrets-store-csi-driver-provider-aws"];
  const release = pinnedRelease(
    `${name}-secrets-store`,
    "secrets-store-csi-driver-provider-aws",
    chart,
    {
      resources: SECRETS_STORE_RESOURCES.provider,
      "secrets-store-csi-driver": {
        install: true,
        syncSecret: { enabled: true },
        enableSecretRotation: true,
        linux: { driver: { resources: SECRETS_STORE_RESOURCES.driver }, registrar: { resources: SECRETS_STORE_RESOURCES.registrar }, livenessProbe: { resources: SECRETS_STORE_RESOURCES.livenessProbe } },
      },
    },
    kubeOpts(scope, { kubernetes }),
    chart.namespace,
  );
  ready.push(release);
  for (const [ref, used] of keys) {
    const className = `sm-${ref.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`.slice(0, 63).replace(/-+$/, "");
    const alias = (key: string) => `${ref}__${key}`.replace(/[^A-Za-z0-9._-]/g, "_");
    new k8s.apiextensions.CustomResource(
      `${name}-secret-${className}`,
      {
        apiVersion: "secrets-store.csi.x-k8s.io/v1",
        kind: "SecretProviderClass",
        metadata: { name: className, namespace: ns, labels: costLabels(plan.tags) },
        spec: {
          provider: "aws",
          parameters: {
            region: landing.region,
            usePodIdentity: "true",
            objects: stringify([{ objectName: ref, objectType: "secretsmanager", jmesPath: [...used].map((key) => ({ path: key, objectAlias: alias(key) })) }]),
          },
          secretObjects: [{ secretName: ref, type: "Opaque", data: [...used].map((key) => ({ objectName: alias(key), key })) }],
        },
      },
      kubeOpts(scope, { kubernetes }, [release, ...ready.slice(0, 1)]),
    );
    classes.set(ref, className);
  }
  return classes;
}
