import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";

/**
 * Built-in Azure role definition ids (the same in every tenant), from Microsoft's
 * "Azure built-in roles" reference. Every assignment this target makes names one
 * of these, scoped to a single resource.
 */
export const BUILTIN_ROLES = {
  serviceBusDataReceiver: "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
  serviceBusDataSender: "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
  /** KEDA's azure-servicebus scaler reads runtime properties (message counts), a Manage right. */
  serviceBusDataOwner: "090c5cfd-751d-490a-894a-3ce6f1109419",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  acrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  /** AKS's control-plane identity joins the nodes' subnet (bring-your-own VNet with a NAT gateway). */
  networkContributor: "4d97b98b-1d4f-4787-a291-c67e9d6c0ad7",
  /** AKS's control-plane identity wraps Kubernetes Secrets with the cluster's KMS key. */
  keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  /** The deployer applies the fleet's Kubernetes objects through Entra ID (local accounts are off). */
  aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
} as const;

export type BuiltinRole = keyof typeof BUILTIN_ROLES;

/** `/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<guid>`. */
export function roleDefinitionId(subscriptionId: pulumi.Input<string>, role: BuiltinRole): pulumi.Output<string> {
  return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILTIN_ROLES[role]}`;
}

/** One role for one service principal on one resource: never a resource group or subscription. */
export function assignRole(
  name: string,
  args: {
    readonly subscriptionId: pulumi.Input<string>;
    readonly principalId: pulumi.Input<string>;
    readonly role: BuiltinRole;
    readonly scope: pulumi.Input<string>;
    readonly description: string;
    /** @default "ServicePrincipal" (managed identities); undefined lets ARM look the principal up (a deploying user). */
    readonly principalType?: "ServicePrincipal" | "User" | undefined;
  },
  opts: pulumi.CustomResourceOptions,
): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    name,
    {
      principalId: args.principalId,
      // A managed identity: ARM skips the Graph lookup that fails right after creation.
      ...("principalType" in args ? (args.principalType ? { principalType: args.principalType } : {}) : { principalType: "ServicePrincipal" }),
      roleDefinitionId: roleDefinitionId(args.subscriptionId, args.role),
      scope: args.scope,
      description: args.description,
    },
    opts,
  );
}
