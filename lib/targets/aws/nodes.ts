import * as ec2 from "@pulumi/aws/ec2";
import type * as pulumi from "@pulumi/pulumi";

export interface NodeTemplateArgs {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  /** GiB of gp3 root volume; GPU nodes hold large model images. */
  readonly diskGiB: number;
  readonly imageId?: pulumi.Input<string>;
  readonly instanceType?: string;
  readonly instanceProfileArn?: pulumi.Input<string>;
  readonly securityGroupIds?: ReadonlyArray<pulumi.Input<string>>;
  /** Base64 user data. */
  readonly userData?: pulumi.Input<string>;
  /** Root device: /dev/xvda on Amazon Linux. */
  readonly deviceName?: string;
}

/**
 * A launch template for fleet nodes: IMDSv2 only with a hop limit of 1 (containers
 * cannot reach the node's credentials), no public IP, an encrypted gp3 root volume
 * (the account's EBS key: the Auto Scaling service-linked role needs no grant on
 * it), and the fleet's tags on instances, volumes and network interfaces.
 */
export function nodeLaunchTemplate(logicalName: string, args: NodeTemplateArgs, opts: pulumi.CustomResourceOptions): ec2.LaunchTemplate {
  const tagged = (resourceType: string) => ({ resourceType, tags: { ...args.tags, Name: args.name } });
  return new ec2.LaunchTemplate(
    logicalName,
    {
      name: args.name,
      description: `microagents nodes ${args.name}`,
      ...(args.imageId ? { imageId: args.imageId } : {}),
      ...(args.instanceType ? { instanceType: args.instanceType } : {}),
      ...(args.instanceProfileArn ? { iamInstanceProfile: { arn: args.instanceProfileArn } } : {}),
      ...(args.securityGroupIds ? { networkInterfaces: [{ associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [...args.securityGroupIds] }] } : {}),
      ...(args.userData ? { userData: args.userData } : {}),
      ebsOptimized: "true",
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      blockDeviceMappings: [{ deviceName: args.deviceName ?? "/dev/xvda", ebs: { volumeSize: args.diskGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
      tagSpecifications: [tagged("instance"), tagged("volume"), tagged("network-interface")],
      updateDefaultVersion: true,
      tags: { ...args.tags },
    },
    opts,
  );
}
