import * as autoscaling from "@pulumi/aws/autoscaling";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import { getSecretOutput } from "@pulumi/aws/secretsmanager/getSecret";
import * as vpc from "@pulumi/aws/vpc";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan, FleetPlan } from "../../plan/types";
import type { ServiceOutputs, ServiceScope } from "../target";
import { awsEnv } from "../aws/contract";
import { syncListener } from "../aws/edge";
import { policyJson, serviceTrust, XRAY_ACTIONS, type PolicyStatement } from "../aws/iam";
import { awsLandings, awsServices, childOpts, queueOf, type AwsLanding } from "../aws/landing";
import { awsName, NAME_LIMITS } from "../aws/names";
import { agentStatements } from "../aws/policies-agent";
import { awsTags } from "../aws/tags";
import { gpuScheduling } from "../kubernetes/gpu-scheduling";
import { agentLabels, agentSelector } from "../kubernetes/labels";
import { scaledObject } from "../kubernetes/scaler";
import { hardenedWorkload } from "../kubernetes/workload";
import { eksLandings, kubeOpts, type EksLanding } from "./landing";

/** The EKS Pod Identity agent's credential endpoint on every node. */
export const POD_IDENTITY_ENDPOINT = "169.254.170.23/32";
/** First NodePort of sync agents: agent k of the fleet gets FIRST_NODE_PORT + k. */
export const FIRST_NODE_PORT = 30000;
/** Where traces go on EKS when the tier traces: the observability add-on's CloudWatch agent (OTLP/HTTP), which sends them to X-Ray. */
export const CLOUDWATCH_AGENT_OTLP = "http://cloudwatch-agent.amazon-cloudwatch:4316";

export function nodePort(plan: Pick<FleetPlan, "agents">, agent: string): number {
  return FIRST_NODE_PORT + plan.agents.findIndex((a) => a.name === agent);
}

/**
 * One agent on EKS: its own IAM role through EKS Pod Identity (its queue, topic,
 * secrets and state only), then the Kubernetes target's hardened workload (non-root,
 * read-only root, probes, NetworkPolicy, PDB), its secrets synced from Secrets
 * Manager by the CSI driver with the pod's own role, and a KEDA ScaledObject with
 * an `aws-sqs-queue` trigger counting in-flight messages. Sync-routed agents also
 * get a NodePort behind the platform's internal NLB.
 */
export function eksService(scope: ServiceScope): ServiceOutputs {
  const landing = awsLandings.get(scope.platform);
  const eksLanding = eksLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const agent = scope.agent;
  const queue = queueOf(scope.broker, agent.name);
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const ns = eksLanding.namespace;
  const traces = plan.fleet.observability.otlpEndpoint ?? (plan.tier.tracing ? CLOUDWATCH_AGENT_OTLP : undefined);

  const role = new iam.Role(
    name,
    {
      name: awsName([landing.prefix, agent.name, "pod", landing.region], NAME_LIMITS.iamRole),
      description: `What agent ${agent.name} itself may do`,
      assumeRolePolicy: serviceTrust("pods.eks.amazonaws.com", landing.accountId, { tagSession: true }),
      tags: awsTags(agent.tags),
    },
    opts,
  );
  const statements: PolicyStatement[] = [...agentStatements(landing, agent, queue)];
  const secretArns = [...new Set(Object.values(agent.secrets).map((s) => s.ref))].map((ref) => getSecretOutput({ name: ref, region: landing.region }, { parent: scope, provider: landing.provider }).arn);
  if (secretArns.length > 0) statements.push({ Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretArns });
  if (traces === CLOUDWATCH_AGENT_OTLP) statements.push({ Sid: "WriteTraces", Effect: "Allow", Action: [...XRAY_ACTIONS], Resource: "*" });
  new iam.RolePolicy(name, { role: role.id, policy: policyJson(statements) }, opts);
  const association = new eks.PodIdentityAssociation(name, { clusterName: eksLanding.cluster.name, namespace: ns, serviceAccount: agent.name, roleArn: role.arn, tags: awsTags(agent.tags) }, opts);

  const k8sOpts = kubeOpts(scope, eksLanding, [...eksLanding.ready, association]);
  const refs = [...new Set(Object.values(agent.secrets).map((s) => s.ref))];
  const workload = hardenedWorkload({
    scope,
    name,
    plan,
    agent,
    namespace: ns,
    opts: k8sOpts,
    image: scope.image,
    env: {
      ...scope.env,
      ...awsEnv(agent, {
        region: landing.region,
        prefix: landing.prefix,
        queueUrl: queue.queue.url,
        deadLetterUrl: queue.deadLetter.url,
        eventsTopicArn: queue.topic.arn,
        ...(traces ? { otlpEndpoint: traces } : {}),
        ...(landing.leaseTable ? { leaseTable: landing.leaseTable.name } : {}),
      }),
    },
    egress: egressRules(landing, traces === CLOUDWATCH_AGENT_OTLP),
    ingressNamespaces: [],
    scheduling: gpuScheduling(agent),
    volumes: refs.map((ref, i) => ({
      volume: { name: `secrets-${i}`, csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: eksLanding.secretClasses.get(ref) ?? ref } } },
      mountPath: `/mnt/secrets/${i}`,
    })),
  });
  scaledObject(
    name,
    plan.fleet.name,
    agent,
    ns,
    {
      type: "aws-sqs-queue",
      metadata: {
        queueURL: queue.queue.url,
        queueLength: String(agent.triggers.backlogPerReplica),
        activationQueueLength: "0",
        awsRegion: landing.region,
        scaleOnInFlight: String(agent.triggers.includeInFlight),
      },
      authenticationRef: { name: eksLanding.triggerAuthentication },
    },
    kubeOpts(scope, eksLanding, [...eksLanding.ready, workload.deployment]),
  );
  if (agent.route?.invoke === "sync") syncEntry(name, landing, eksLanding, plan, agent, opts, k8sOpts);

  const insights = (metricName: string, stat: string) => ({ namespace: "ContainerInsights", metricName, dimensions: { ClusterName: eksLanding.clusterName, Namespace: ns, PodName: agent.name }, stat });
  awsServices.set(scope, {
    agent,
    role,
    sourceSecurityGroupId: eksLanding.clusterSecurityGroupId,
    logGroupName: eksLanding.applicationLogGroup,
    logSelector: `$.kubernetes.namespace_name = "${ns}" && $.kubernetes.container_name = "agent" && $.kubernetes.pod_name = "${agent.name}-*"`,
    cpu: insights("pod_cpu_utilization_over_pod_limit", "Average"),
    memory: insights("pod_memory_utilization_over_pod_limit", "Maximum"),
    replicas: { namespace: "ContainerInsights", metricName: "service_number_of_running_pods", dimensions: { ClusterName: eksLanding.clusterName, Namespace: ns, Service: agent.name }, stat: "Average" },
  });
  return {
    workloadName: workload.deployment.metadata.name,
    endpoint: pulumi.interpolate`http://${workload.service.metadata.name}.${ns}.svc.cluster.local`,
    identity: role.arn,
  };
}

/** Beyond DNS and public HTTPS (the hardened workload's own): the Pod Identity agent, the fleet's cache and database, and the trace collector. */
function egressRules(landing: AwsLanding, collector: boolean): k8s.types.input.networking.v1.NetworkPolicyEgressRule[] {
  return [
    { to: [{ ipBlock: { cidr: POD_IDENTITY_ENDPOINT } }], ports: [{ protocol: "TCP", port: 80 }] },
    {
      to: [{ ipBlock: { cidr: landing.network.cidr } }],
      ports: [
        { protocol: "TCP", port: 6379 },
        { protocol: "TCP", port: 6380 },
        { protocol: "TCP", port: 5432 },
      ],
    },
    ...(collector ? [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "amazon-cloudwatch" } } }], ports: [{ protocol: "TCP", port: 4316 }] }] : []),
  ];
}

/**
 * A sync agent behind the gateway on EKS: a NodePort Service, the NLB target group
 * (instance targets: the system nodes' Auto Scaling group), the cluster security
 * group open to the NLB's security group on that port only, and a NetworkPolicy
 * admitting the VPC's addresses (the NLB) on the agent's port.
 */
function syncEntry(name: string, landing: AwsLanding, eksLanding: EksLanding, plan: FleetPlan, agent: AgentPlan, opts: pulumi.CustomResourceOptions, k8sOpts: pulumi.CustomResourceOptions): void {
  const port = nodePort(plan, agent.name);
  const labels = agentLabels(plan.fleet.name, agent.name, agent.tags);
  new k8s.core.v1.Service(
    `${name}-edge`,
    { metadata: { name: `${agent.name}-edge`, namespace: eksLanding.namespace, labels }, spec: { type: "NodePort", externalTrafficPolicy: "Cluster", selector: agentSelector(plan.fleet.name, agent.name), ports: [{ name: "http", port: 80, targetPort: "http", nodePort: port, protocol: "TCP" }] } },
    k8sOpts,
  );
  new k8s.networking.v1.NetworkPolicy(
    `${name}-edge`,
    {
      metadata: { name: `${agent.name}-edge`, namespace: eksLanding.namespace, labels },
      spec: { podSelector: { matchLabels: agentSelector(plan.fleet.name, agent.name) }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: landing.network.cidr } }], ports: [{ protocol: "TCP", port: agent.port }] }] },
    },
    k8sOpts,
  );
  const { targetGroup } = syncListener(name, landing, agent, { type: "instance", port }, opts);
  const asg = eksLanding.systemNodes.resources.apply((r) => r[0]?.autoscalingGroups?.[0]?.name ?? "");
  new autoscaling.Attachment(`${name}-edge`, { autoscalingGroupName: asg, lbTargetGroupArn: targetGroup.arn }, opts);
  const edge = landing.edge;
  if (!edge) throw new Error(`unreachable: sync agent '${agent.name}' without the platform's NLB`);
  new vpc.SecurityGroupIngressRule(
    `${name}-edge`,
    { securityGroupId: eksLanding.clusterSecurityGroupId, referencedSecurityGroupId: edge.securityGroup.id, ipProtocol: "tcp", fromPort: port, toPort: port, description: `gateway NLB to ${agent.name}'s NodePort`, tags: awsTags(agent.tags) },
    opts,
  );
}
