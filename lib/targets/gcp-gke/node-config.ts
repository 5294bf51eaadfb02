import type * as container from "@pulumi/gcp/container";
import type * as pulumi from "@pulumi/pulumi";

/**
 * What every node pool of the fleet shares: the fleet's node service account with
 * the cloud-platform scope (IAM decides), Shielded VM with secure boot and
 * integrity monitoring, the GKE metadata server (Workload Identity; the node's
 * own credentials stay hidden from pods), no legacy metadata endpoints,
 * Container-Optimized OS with containerd, a balanced boot disk encrypted with the
 * fleet key, the fleet's labels on the VMs.
 */
export function nodeConfig(args: {
  readonly machineType: string;
  readonly serviceAccount: pulumi.Input<string>;
  readonly keyId: pulumi.Input<string>;
  readonly labels: Readonly<Record<string, string>>;
  readonly nodeLabels: Readonly<Record<string, string>>;
  readonly diskSizeGb: number;
  readonly spot?: boolean;
  readonly taints?: ReadonlyArray<{ key: string; value: string; effect: string }>;
  readonly guestAccelerators?: container.NodePoolArgs["nodeConfig"] extends infer C ? (C extends { guestAccelerators?: infer G } ? G : never) : never;
}): NonNullable<container.NodePoolArgs["nodeConfig"]> {
  return {
    machineType: args.machineType,
    serviceAccount: args.serviceAccount,
    oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
    imageType: "COS_CONTAINERD",
    diskType: "pd-balanced",
    diskSizeGb: args.diskSizeGb,
    bootDiskKmsKey: args.keyId,
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    workloadMetadataConfig: { mode: "GKE_METADATA" },
    metadata: { "disable-legacy-endpoints": "true" },
    labels: { ...args.nodeLabels },
    resourceLabels: { ...args.labels },
    ...(args.spot ? { spot: true } : {}),
    ...(args.taints && args.taints.length > 0 ? { taints: args.taints.map((t) => ({ ...t })) } : {}),
    ...(args.guestAccelerators ? { guestAccelerators: args.guestAccelerators } : {}),
  };
}
