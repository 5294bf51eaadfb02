import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import type * as kms from "@pulumi/aws/kms";
import type { Provider } from "@pulumi/aws/provider";
import { policyJson, serviceTrust } from "./iam";
import type { AwsNetwork } from "./landing";
import { logGroup } from "./logs";
import { awsName, NAME_LIMITS, partitionOf } from "./names";
import { awsTags } from "./tags";

export interface NetworkArgs {
  readonly name: string;
  readonly prefix: string;
  readonly region: string;
  readonly accountId: pulumi.Output<string>;
  /** Second octet of the VPC's 10.x.0.0/16, distinct per target of a fleet. */
  readonly octet: number;
  readonly zones: number;
  /** One NAT gateway for the VPC, or one per zone. */
  readonly singleNat: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly key: kms.Key;
  readonly logRetentionDays: number;
  readonly provider: Provider;
}

/** Private subnets are /20 (room for EKS pod IPs), public ones /24, in that VPC's 10.x.0.0/16. */
export function subnetCidrs(octet: number, zones: number): { private: string[]; public: string[] } {
  return {
    private: Array.from({ length: zones }, (_, i) => `10.${octet}.${i * 16}.0/20`),
    public: Array.from({ length: zones }, (_, i) => `10.${octet}.${240 + i}.0/24`),
  };
}

/**
 * A VPC with private subnets in `zones` availability zones for everything the fleet
 * runs, public subnets only for the NAT gateways, one NAT gateway or one per zone,
 * the default security group stripped of every rule, free gateway endpoints for S3
 * and DynamoDB, and flow logs to an encrypted log group.
 */
export function fleetNetwork(args: NetworkArgs, scope: pulumi.Resource): AwsNetwork {
  const opts: pulumi.CustomResourceOptions = { parent: scope, provider: args.provider };
  const { name, prefix, tags } = args;
  const cidr = `10.${args.octet}.0.0/16`;
  const cidrs = subnetCidrs(args.octet, args.zones);
  const azs = getAvailabilityZonesOutput(
    { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }], region: args.region },
    { parent: scope, provider: args.provider },
  );
  const zone = (i: number) =>
    azs.names.apply((names) => {
      if (names.length < args.zones) throw new Error(`region ${args.region} has ${names.length} availability zones; the fleet needs ${args.zones}`);
      return names[i];
    });
  const vpc = new ec2.Vpc(name, { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: awsTags(tags, prefix) }, opts);
  new ec2.DefaultSecurityGroup(`${name}-default`, { vpcId: vpc.id, ingress: [], egress: [], tags: awsTags(tags, `${prefix}-default-deny`) }, opts);
  const igw = new ec2.InternetGateway(name, { vpcId: vpc.id, tags: awsTags(tags, prefix) }, opts);

  const publicRoutes = new ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: awsTags(tags, `${prefix}-public`) }, opts);
  const publicSubnets = cidrs.public.map((block, i) => {
    const subnet = new ec2.Subnet(
      `${name}-public-${i}`,
      { vpcId: vpc.id, cidrBlock: block, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: awsTags(tags, `${prefix}-public-${i}`, { "microagents.io/tier": "public" }) },
      opts,
    );
    new ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, opts);
    return subnet;
  });

  const natCount = args.singleNat ? 1 : args.zones;
  const nats = Array.from({ length: natCount }, (_, i) => {
    const eip = new ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: awsTags(tags, `${prefix}-nat-${i}`) }, opts);
    return new ec2.NatGateway(`${name}-${i}`, { allocationId: eip.id, subnetId: publicSubnets[i].id, connectivityType: "public", tags: awsTags(tags, `${prefix}-nat-${i}`) }, { ...opts, dependsOn: [igw] });
  });

  const privateRouteTables: ec2.RouteTable[] = [];
  const privateSubnets = cidrs.private.map((block, i) => {
    const subnet = new ec2.Subnet(
      `${name}-private-${i}`,
      { vpcId: vpc.id, cidrBlock: block, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: awsTags(tags, `${prefix}-private-${i}`, { "microagents.io/tier": "private" }) },
      opts,
    );
    const nat = nats[args.singleNat ? 0 : i];
    const routes = new ec2.RouteTable(`${name}-private-${i}`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags: awsTags(tags, `${prefix}-private-${i}`) }, opts);
    new ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: routes.id }, opts);
    privateRouteTables.push(routes);
    return subnet;
  });

  for (const service of ["s3", "dynamodb"]) {
    new ec2.VpcEndpoint(
      `${name}-${service}`,
      { vpcId: vpc.id, serviceName: `com.amazonaws.${args.region}.${service}`, vpcEndpointType: "Gateway", routeTableIds: privateRouteTables.map((r) => r.id), tags: awsTags(tags, `${prefix}-${service}`) },
      opts,
    );
  }

  flowLogs(args, vpc, opts);
  return {
    vpc,
    vpcId: vpc.id,
    cidr,
    privateSubnetIds: privateSubnets.map((s) => s.id),
    publicSubnetIds: publicSubnets.map((s) => s.id),
    privateRouteTableIds: privateRouteTables.map((r) => r.id),
    natGateways: natCount,
  };
}

/** VPC flow logs (every accepted and rejected flow) to a KMS-encrypted log group, through a role that may write only there. */
function flowLogs(args: NetworkArgs, vpc: ec2.Vpc, opts: pulumi.CustomResourceOptions): void {
  const { name, prefix, tags } = args;
  const group = logGroup(`${name}-flow-logs`, { name: `/microagents/${prefix}/vpc-flow-logs`, key: args.key, retentionDays: args.logRetentionDays, tags }, opts);
  const role = new iam.Role(
    `${name}-flow-logs`,
    {
      name: awsName([prefix, "flow-logs", args.region], NAME_LIMITS.iamRole),
      description: "VPC flow logs delivery to the fleet's flow-log group",
      assumeRolePolicy: serviceTrust("vpc-flow-logs.amazonaws.com", args.accountId, { sourceArnLike: pulumi.interpolate`arn:${partitionOf(args.region)}:ec2:${args.region}:${args.accountId}:vpc-flow-log/*` }),
      tags: awsTags(tags),
    },
    opts,
  );
  new iam.RolePolicy(
    `${name}-flow-logs`,
    {
      role: role.id,
      policy: policyJson([
        {
          Sid: "WriteFlowLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [group.arn, pulumi.interpolate`${group.arn}:log-stream:*`],
        },
      ]),
    },
    opts,
  );
  new ec2.FlowLog(
    name,
    { vpcId: vpc.id, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: group.arn, iamRoleArn: role.arn, maxAggregationInterval: 60, tags: awsTags(tags, `${prefix}-flow-logs`) },
    opts,
  );
}
