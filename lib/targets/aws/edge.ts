import * as ec2 from "@pulumi/aws/ec2";
import * as lb from "@pulumi/aws/lb";
import type { Provider } from "@pulumi/aws/provider";
import type * as pulumi from "@pulumi/pulumi";
import type { AgentPlan, FleetPlan } from "../../plan/types";
import type { AwsEdge, AwsLanding, AwsNetwork } from "./landing";
import { syncPorts } from "./gateway-shape";
import { awsName, NAME_LIMITS, safeAwsName } from "./names";
import { awsTags } from "./tags";

/**
 * The internal network load balancer behind API Gateway's VPC link, when any agent
 * has a sync route. Its security group admits the VPC's own addresses (the VPC
 * link's PrivateLink traffic) on the listener ports only, and reaches agents only
 * on their ports.
 */
export function fleetEdge(name: string, prefix: string, plan: FleetPlan, network: AwsNetwork, provider: Provider, scope: pulumi.Resource): AwsEdge | undefined {
  const ports = syncPorts(plan);
  if (ports.size === 0) return undefined;
  const opts = { parent: scope, provider };
  const tags = plan.tags;
  const agentPorts = [...new Set(plan.agents.filter((a) => ports.has(a.name)).map((a) => a.port))];
  const securityGroup = new ec2.SecurityGroup(
    `${name}-edge`,
    {
      name: awsName([prefix, "edge"], NAME_LIMITS.securityGroup),
      description: "Internal NLB for API Gateway sync routes: VPC link traffic in, agents out",
      vpcId: network.vpcId,
      ingress: [...ports.values()].map((port) => ({ description: "API Gateway VPC link", protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: [network.cidr] })),
      egress: [
        ...agentPorts.map((port) => ({ description: "sync agents", protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: [network.cidr] })),
        // EKS sync agents are reached through NodePorts on the cluster's nodes.
        { description: "EKS NodePorts of sync agents", protocol: "tcp", fromPort: 30000, toPort: 32767, cidrBlocks: [network.cidr] },
      ],
      tags: awsTags(tags, `${prefix}-edge`),
    },
    opts,
  );
  const loadBalancer = new lb.LoadBalancer(
    `${name}-edge`,
    {
      // AWS reserves `internal-` (a fleet called `internal`): safeAwsName moves such a name off it.
      name: safeAwsName("loadBalancer", [prefix, "edge"]),
      loadBalancerType: "network",
      internal: true,
      subnets: [...network.privateSubnetIds],
      securityGroups: [securityGroup.id],
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: plan.fleet.environment === "prod",
      ipAddressType: "ipv4",
      tags: awsTags(tags, `${prefix}-edge`),
    },
    opts,
  );
  return { loadBalancer, securityGroup, ports };
}

/**
 * A sync agent's target group and NLB listener: TCP on the agent's listener port,
 * HTTP health checks on its health path. `ip` targets are ECS tasks; `instance`
 * targets are EKS nodes serving the agent's NodePort.
 */
export function syncListener(
  name: string,
  landing: AwsLanding,
  agent: AgentPlan,
  target: { readonly type: "ip" | "instance"; readonly port: number },
  opts: pulumi.CustomResourceOptions,
): { targetGroup: lb.TargetGroup; listener: lb.Listener } {
  const edge = landing.edge;
  const port = edge?.ports.get(agent.name);
  if (!edge || port === undefined) throw new Error(`agent '${agent.name}' has no sync route on this platform's edge`);
  const targetGroup = new lb.TargetGroup(
    `${name}-sync`,
    {
      name: awsName([landing.prefix, agent.name], NAME_LIMITS.targetGroup),
      targetType: target.type,
      protocol: "TCP",
      port: target.port,
      vpcId: landing.network.vpcId,
      deregistrationDelay: 30,
      healthCheck: { enabled: true, protocol: "HTTP", path: agent.healthPath, port: "traffic-port", healthyThreshold: 3, unhealthyThreshold: 3, interval: 10, timeout: 5 },
      tags: awsTags(agent.tags),
    },
    opts,
  );
  const listener = new lb.Listener(
    `${name}-sync`,
    { loadBalancerArn: edge.loadBalancer.arn, port, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }], tags: awsTags(agent.tags) },
    opts,
  );
  return { targetGroup, listener };
}
