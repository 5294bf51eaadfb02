import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as ecs from "@pulumi/aws/ecs";
import * as iam from "@pulumi/aws/iam";
import { getParameterOutput } from "@pulumi/aws/ssm/getParameter";
import * as pulumi from "@pulumi/pulumi";
import { ECS_GPU_AMI_PARAMETER, ecsAgentStatements, gpuUserData } from "./gpu-instance";
import { invalidProp } from "../../spec/errors";
import type { GpuPoolOutputs, GpuPoolScope } from "../target";
import { policyJson, serviceTrust } from "../aws/iam";
import { awsLandings, childOpts } from "../aws/landing";
import { awsName, NAME_LIMITS, safeAwsName } from "../aws/names";
import { nodeLaunchTemplate } from "../aws/nodes";
import { asgTags, awsTags } from "../aws/tags";
import { ecsLandings } from "./landing";
import { insightsLevel } from "./platform";

/**
 * GPU capacity on ECS (Fargate has no GPUs): a cluster of its own for the pool,
 * whose only capacity provider is an Auto Scaling group of the pool's instance
 * type (g4dn, g5, g6... from the plan) on the ECS GPU-optimized AMI, between the
 * packing's node bounds, spot where the plan says, IMDSv2 with hop limit 1, no
 * public IP and no inbound rule. ECS managed scaling and termination protection
 * keep instances while tasks run.
 */
export function ecsGpuPool(scope: GpuPoolScope): GpuPoolOutputs {
  const landing = awsLandings.get(scope.platform);
  const ecsLanding = ecsLandings.get(scope.platform);
  const pool = scope.pool;
  const shape = pool.shapes.aws;
  if (!shape) invalidProp("pool", `GPU pool '${pool.name}' has no AWS instance type for ${pool.accelerator}`, "pick an accelerator AWS sells (nvidia-t4, nvidia-l4, nvidia-a10g, nvidia-l40s, nvidia-a100, nvidia-h100)");
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const tags = { ...pool.tags };
  const clusterName = awsName([landing.prefix, pool.name], NAME_LIMITS.ecsCluster);
  const cluster = new ecs.Cluster(
    name,
    { name: clusterName, settings: [{ name: "containerInsights", value: insightsLevel(scope.platform.plan.tier.monitoring) }], tags: awsTags(tags, clusterName) },
    opts,
  );

  const role = new iam.Role(
    `${name}-instance`,
    {
      name: awsName([landing.prefix, pool.name, "instance", landing.region], NAME_LIMITS.iamRole),
      description: `ECS container agent on GPU pool ${pool.name}`,
      assumeRolePolicy: serviceTrust("ec2.amazonaws.com", landing.accountId, { sourceAccountCondition: false }),
      tags: awsTags(tags),
    },
    opts,
  );
  const containerInstances = pulumi.interpolate`arn:${landing.partition}:ecs:${landing.region}:${landing.accountId}:container-instance/${clusterName}/*`;
  new iam.RolePolicy(
    `${name}-instance`,
    {
      role: role.id,
      policy: pulumi.all([cluster.arn, containerInstances]).apply(([clusterArn, instances]) => policyJson(ecsAgentStatements(clusterArn, instances))),
    },
    opts,
  );
  const profile = new iam.InstanceProfile(`${name}-instance`, { name: awsName([landing.prefix, pool.name, landing.region], NAME_LIMITS.iamInstanceProfile), role: role.name, tags: awsTags(tags) }, opts);
  const securityGroup = new ec2.SecurityGroup(
    `${name}-instances`,
    {
      name: awsName([landing.prefix, pool.name, "instances"], NAME_LIMITS.securityGroup),
      description: `GPU pool ${pool.name} instances: no inbound, HTTPS out to ECS and registries`,
      vpcId: landing.network.vpcId,
      ingress: [],
      egress: [{ description: "HTTPS: ECS, ECR and image registries", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
      tags: awsTags(tags, awsName([landing.prefix, pool.name, "instances"], NAME_LIMITS.securityGroup)),
    },
    opts,
  );
  const ami = getParameterOutput({ name: ECS_GPU_AMI_PARAMETER, region: landing.region }, { parent: scope, provider: landing.provider });
  const template = nodeLaunchTemplate(
    name,
    {
      name: awsName([landing.prefix, pool.name], NAME_LIMITS.launchTemplate),
      tags,
      diskGiB: 200,
      imageId: ami.value,
      instanceType: shape.instanceType,
      instanceProfileArn: profile.arn,
      securityGroupIds: [securityGroup.id],
      userData: Buffer.from(gpuUserData(clusterName, pool)).toString("base64"),
    },
    opts,
  );
  const group = new autoscaling.Group(
    name,
    {
      name: awsName([landing.prefix, pool.name], NAME_LIMITS.autoscalingGroup),
      minSize: pool.minNodes,
      maxSize: pool.maxNodes,
      vpcZoneIdentifiers: [...landing.network.privateSubnetIds],
      protectFromScaleIn: true,
      capacityRebalance: pool.spot,
      healthCheckType: "EC2",
      defaultInstanceWarmup: 300,
      mixedInstancesPolicy: {
        instancesDistribution: {
          onDemandBaseCapacity: 0,
          onDemandPercentageAboveBaseCapacity: pool.spot ? 0 : 100,
          ...(pool.spot ? { spotAllocationStrategy: "price-capacity-optimized" } : {}),
        },
        launchTemplate: {
          launchTemplateSpecification: { launchTemplateId: template.id, version: "$Latest" },
          // One type only: the task reservations that stand in for GPU shares are sized for it.
          overrides: [{ instanceType: shape.instanceType }],
        },
      },
      tags: asgTags({ ...tags, Name: awsName([landing.prefix, pool.name], NAME_LIMITS.autoscalingGroup), AmazonECSManaged: "true" }),
    },
    { ...opts, ignoreChanges: ["desiredCapacity"] },
  );
  const provider = new ecs.CapacityProvider(
    name,
    {
      // AWS reserves `aws`, `ecs` and `fargate` as heads (a fleet called `ecs-team`): safeAwsName moves such a name off them.
      name: safeAwsName("capacityProvider", [landing.prefix, pool.name]),
      autoScalingGroupProvider: {
        autoScalingGroupArn: group.arn,
        managedTerminationProtection: "ENABLED",
        managedDraining: "ENABLED",
        managedScaling: { status: "ENABLED", targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: Math.max(1, pool.maxNodes), instanceWarmupPeriod: 300 },
      },
      tags: awsTags(tags),
    },
    opts,
  );
  new ecs.ClusterCapacityProviders(
    name,
    { clusterName: cluster.name, capacityProviders: [provider.name], defaultCapacityProviderStrategies: [{ capacityProvider: provider.name, weight: 1, base: 0 }] },
    opts,
  );
  ecsLanding.gpuPools.set(pool.name, { pool, shape, cluster, capacityProviderName: provider.name });
  return { capacityName: provider.name };
}
