import { Aws, Stack, Validations } from "aws-cdk-lib";
import * as autoscaling from "aws-cdk-lib/aws-autoscaling";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import type { FleetPlan, GpuPoolPlan } from "../plan/types";
import type { GpuNodeShape } from "../spec/accelerators";
import { invalidProp } from "../spec/errors";
import { policyDocument } from "../targets/aws/iam";
import { safeAwsName } from "../targets/aws/names";
import { ecsAgentStatements, gpuEcsCommands } from "../targets/aws-ecs/gpu-instance";

export interface GpuCapacityProps {
  readonly plan: FleetPlan;
  readonly pool: GpuPoolPlan;
  readonly cluster: ecs.Cluster;
  readonly vpc: ec2.IVpc;
  readonly key: kms.IKey;
  /** Where scaling events and failures are sent. */
  readonly alarmTopic: sns.ITopic;
  /** Name prefix: `<fleet>-<environment>`. */
  readonly prefix: string;
}

/**
 * A GPU pool on ECS through CDK (Fargate has no GPUs): an Auto Scaling group of the
 * pool's instance type on the ECS GPU-optimized AL2023 AMI, between the packing's
 * node bounds, spot where the plan says, IMDSv2 with hop limit 1, encrypted root
 * volume, no inbound rule, registered as the cluster's capacity provider with
 * managed scaling and termination protection.
 */
export class GpuCapacity extends Construct {
  readonly pool: GpuPoolPlan;
  readonly shape: GpuNodeShape;
  readonly provider: ecs.AsgCapacityProvider;
  /** The capacity provider's name, also its Auto Scaling group's: services name it literally, so offline facts can follow it to the group. */
  readonly providerName: string;

  constructor(scope: Construct, id: string, props: GpuCapacityProps) {
    super(scope, id);
    const { pool } = props;
    const shape = pool.shapes.aws;
    if (!shape) invalidProp("spec.gpuPools", `GPU pool '${pool.name}' has no AWS instance type for ${pool.accelerator}`, "pick an accelerator AWS sells (nvidia-t4, nvidia-l4, nvidia-a10g, nvidia-l40s, nvidia-a100, nvidia-h100)");
    this.pool = pool;
    this.shape = shape;

    const role = new iam.Role(this, "InstanceRole", { assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"), description: `GPU pool ${pool.name} instances: the ECS agent` });
    const securityGroup = new ec2.SecurityGroup(this, "Instances", { vpc: props.vpc, description: `GPU pool ${pool.name}: no inbound`, allowAllOutbound: true });
    const userData = ec2.UserData.forLinux();
    userData.addCommands(...gpuEcsCommands(pool));
    const template = new ec2.LaunchTemplate(this, "Template", {
      instanceType: new ec2.InstanceType(shape.instanceType),
      machineImage: ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.GPU),
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      securityGroup,
      userData,
      role,
      blockDevices: [{ deviceName: "/dev/xvda", volume: ec2.BlockDeviceVolume.ebs(100, { encrypted: true, kmsKey: props.key, volumeType: ec2.EbsDeviceVolumeType.GP3 }) }],
    });
    // AWS reserves `aws`, `ecs` and `fargate` as heads (a fleet called `ecs-team`): safeAwsName moves such a name off them.
    this.providerName = safeAwsName("capacityProvider", [props.prefix, pool.name]);
    const nodes = new autoscaling.AutoScalingGroup(this, "Nodes", {
      autoScalingGroupName: this.providerName,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      minCapacity: pool.minNodes,
      maxCapacity: pool.maxNodes,
      newInstancesProtectedFromScaleIn: true,
      notifications: [{ topic: props.alarmTopic, scalingEvents: autoscaling.ScalingEvents.ALL }],
      ...(pool.spot
        ? { mixedInstancesPolicy: { launchTemplate: template, instancesDistribution: { onDemandPercentageAboveBaseCapacity: 0, spotAllocationStrategy: autoscaling.SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED } } }
        : { launchTemplate: template }),
    });
    this.provider = new ecs.AsgCapacityProvider(this, "Provider", {
      capacityProviderName: this.providerName,
      autoScalingGroup: nodes,
      enableManagedScaling: true,
      enableManagedTerminationProtection: true,
      machineImageType: ecs.MachineImageType.AMAZON_LINUX_2,
      spotInstanceDraining: pool.spot,
    });
    props.cluster.addAsgCapacityProvider(this.provider);
    Validations.of(this).acknowledge({
      id: "AwsSolutions::AwsSolutions-EC26",
      reason: "The root volume is encrypted with the fleet key (Encrypted: true, KmsKeyId); the rule cannot resolve the key reference and errors.",
    });
    // Joining the cluster gives the role CDK's ECS agent policy, whose Poll and telemetry
    // actions are on every resource; the pool's policy scopes them to its cluster and
    // container instances, as the Pulumi target does.
    const agentPolicy = role.node.tryFindChild("DefaultPolicy")?.node.defaultChild;
    if (!(agentPolicy instanceof iam.CfnPolicy)) throw new Error("internal: the GPU instance role has no default policy after joining the cluster");
    const stack = Stack.of(this);
    const instances = `arn:${Aws.PARTITION}:ecs:${stack.region}:${Aws.ACCOUNT_ID}:container-instance/${props.cluster.clusterName}/*`;
    agentPolicy.addPropertyOverride("PolicyDocument", policyDocument(ecsAgentStatements(props.cluster.clusterArn, instances)));
    // cdk-nag reads the policy CDK built, before the override above replaces it.
    for (const finding of ["Action::ecs:Submit*", "Resource::*"]) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`,
        reason: "CDK's ECS agent policy is replaced by ecsAgentStatements: ecs:Submit* are listed and scoped to the pool's cluster and its container instances (unknown before launch, so container-instance/<cluster>/*); only ecs:DiscoverPollEndpoint, which names no resource, stays on *.",
      });
    }
  }
}
