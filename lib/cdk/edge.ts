import { RemovalPolicy, Validations } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import { Construct } from "constructs";
import type { FleetPlan } from "../plan/types";
import { syncPorts } from "../targets/aws/gateway-shape";

export interface FleetEdgeProps {
  readonly plan: FleetPlan;
  readonly vpc: ec2.IVpc;
}

/**
 * The internal network load balancer behind API Gateway's VPC link, as the Pulumi
 * target builds it: private subnets, a security group that admits the VPC's own
 * addresses (the VPC link's PrivateLink traffic) on the listener ports only and
 * reaches agents only on their ports, deletion protection in prod. Each sync agent
 * adds its listener (port 10000 + its position in the fleet) and target group.
 */
export class FleetEdge extends Construct {
  readonly loadBalancer: elbv2.NetworkLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  /** Listener port per sync-routed agent. */
  readonly ports: ReadonlyMap<string, number>;

  constructor(scope: Construct, id: string, props: FleetEdgeProps) {
    super(scope, id);
    const { plan, vpc } = props;
    this.ports = syncPorts(plan);
    this.securityGroup = new ec2.SecurityGroup(this, "Access", { vpc, description: "Internal NLB for API Gateway sync routes: VPC link traffic in, agents out", allowAllOutbound: false });
    for (const port of this.ports.values()) this.securityGroup.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(port), "API Gateway VPC link");
    for (const port of new Set(plan.agents.filter((a) => this.ports.has(a.name)).map((a) => a.port))) this.securityGroup.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(port), "sync agents");
    this.loadBalancer = new elbv2.NetworkLoadBalancer(this, "Nlb", {
      vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      crossZoneEnabled: true,
      deletionProtection: plan.fleet.environment === "prod",
    });
    this.loadBalancer.applyRemovalPolicy(plan.fleet.environment === "prod" ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
    Validations.of(this).acknowledge({ id: "AwsSolutions::AwsSolutions-ELB2", reason: "NLB access logs cover TLS listeners only; these TCP listeners sit behind API Gateway, whose access logs record every request." });
    Validations.of(this.securityGroup).acknowledge({ id: "AwsSolutions::AwsSolutions-EC23", reason: "Ingress is from the fleet VPC's CIDR on the listener ports only; the rule cannot resolve the CIDR reference and errors." });
  }
}
