/**
 * Normalized facts: what rules and the cost estimator read, whatever wrote the
 * resource (our constructs or a hand-written company stack) and whatever framework
 * (Pulumi on four providers, CloudFormation from CDK). Adapters in this folder turn
 * raw resources into facts; nothing downstream reads a provider's raw inputs.
 *
 * Conventions:
 * - `undefined` means "not stated in the resource" (the provider default applies);
 *   adapters never guess a value a resource does not state, except where the
 *   provider's default is documented and fixed (noted on the field).
 * - Quantities are numbers in fixed units: vCPU, MiB, GiB, days, seconds, USD.
 */

/** Where a resource lives. `kubernetes` is any cluster, whatever cloud runs it. */
export type FactCloud = "aws" | "azure" | "gcp" | "kubernetes";

/** The raw resource a fact came from. */
export interface ResourceRef {
  /** Pulumi URN, or `cfn::<logicalId>` for CloudFormation. */
  readonly urn: string;
  /** Logical name (Pulumi) or logical ID (CloudFormation). */
  readonly name: string;
  /** Pulumi type token or CloudFormation type. */
  readonly type: string;
  /** The Pulumi type a CloudFormation resource is read as (`AWS::SQS::Queue` -> `aws:sqs/queue:Queue`); what cost rules match on. */
  readonly readAs?: string;
  /** Logical name of the parent resource, if any. */
  readonly parent?: string;
  /** The nearest microagents component above the resource (`microagents:service:MicroAgentService`). */
  readonly component?: { readonly type: string; readonly name: string };
  /**
   * Values not known yet (a first `pulumi preview`) that could change what rules find on
   * this resource: its own unknown inputs (`redrivePolicy`) and unknown inputs of resources
   * that refer to it (`scaling-target.resourceId`). Findings on it cannot be decided yet.
   */
  readonly undecided?: ReadonlyArray<string>;
}

interface FactBase<K extends string> {
  readonly kind: K;
  readonly resource: ResourceRef;
  readonly cloud: FactCloud;
  /** Region or location, from the resource or the stack's provider config. */
  readonly region?: string;
  /** Cost-allocation tags or labels (fleet, agent, tier, environment, team, managed-by), prefix removed. */
  readonly tags: Readonly<Record<string, string>>;
  /** The agent the resource belongs to (its `agent` tag); undefined for shared resources. */
  readonly agent?: string;
}

// ---------------------------------------------------------------------------
// Every resource

/** One per raw resource the adapters saw, known type or not: for tag and region rules. */
export interface ResourceFact extends FactBase<"resource"> {
  /**
   * Whether the resource can carry tags or labels: true for known taggable types
   * (or any resource whose inputs hold tags/labels), false for known untaggable
   * types (policies, attachments, routes), undefined when unknown.
   */
  readonly taggable: boolean | undefined;
  /** Whether an adapter knows the type (produced facts beyond this one). */
  readonly known: boolean;
  /**
   * Billing dimensions no other fact carries, read by the adapter for the cost
   * estimator: a VPC endpoint's type and zones, a WAF ACL's rule count, a Lambda
   * function's memory. Absent for most types.
   */
  readonly billing?: Readonly<Record<string, string | number | boolean>>;
}

// ---------------------------------------------------------------------------
// Compute

export interface EnvVarFact {
  readonly name: string;
  /** Literal value written in the resource; undefined when it comes from a secret or reference. */
  readonly value?: string;
  /** Read from a secret store (secretKeyRef, ECS `secrets`, Key Vault ref, Secret Manager). */
  readonly fromSecret: boolean;
}

export interface ContainerFact {
  readonly name: string;
  readonly image?: string;
  /** An init or sidecar-before-start container. */
  readonly init: boolean;
  /** Effective settings: container level over pod level. */
  readonly privileged?: boolean;
  readonly runAsNonRoot?: boolean;
  /** UID; 0 is root. */
  readonly runAsUser?: number;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly capabilities: { readonly drop: ReadonlyArray<string>; readonly add: ReadonlyArray<string> };
  readonly env: ReadonlyArray<EnvVarFact>;
  /** vCPU. */
  readonly cpu: { readonly request?: number; readonly limit?: number };
  readonly memoryMiB: { readonly request?: number; readonly limit?: number };
  /** GPUs one replica of this container asks for. */
  readonly gpu?: GpuRequestFact;
  readonly probes: { readonly liveness: boolean; readonly readiness: boolean; readonly startup: boolean };
  readonly ports: ReadonlyArray<number>;
}

export interface GpuRequestFact {
  /** Devices (or slices, or MIG instances) of `resourceName` per replica. */
  readonly count: number;
  /** `nvidia.com/gpu`, `nvidia.com/mig-1g.10gb`, `GPU` (ECS), the Cloud Run accelerator... */
  readonly resourceName: string;
  /** MIG profile (`1g.10gb`) when the resource is a MIG instance. */
  readonly migProfile?: string;
  /** Accelerator model when the resource names it (`nvidia-l4`, `nvidia-tesla-t4`). */
  readonly type?: string;
}

/** A running workload: Kubernetes pod controllers, ECS task definitions and services, Container Apps, Cloud Run. */
export interface ContainerWorkloadFact extends FactBase<"container-workload"> {
  readonly platform: "kubernetes" | "ecs" | "container-apps" | "cloud-run" | "container-instances";
  /** Deployment, StatefulSet, DaemonSet, Pod, Job, CronJob, TaskDefinition, Service, ContainerApp... */
  readonly workloadKind: string;
  /** Kubernetes namespace (or the ECS cluster, ACA environment) when stated. */
  readonly namespace?: string;
  /** Name in the cloud (Deployment metadata.name, task family, app name). */
  readonly workloadName?: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly containers: ReadonlyArray<ContainerFact>;
  readonly host: { readonly network: boolean; readonly pid: boolean; readonly ipc: boolean };
  /** hostPath volume paths. */
  readonly hostPaths: ReadonlyArray<string>;
  /** Per replica, summed over non-init containers (task-level size for ECS when stated). */
  readonly perReplica: { readonly cpu?: number; readonly memoryMiB?: number; readonly gpus: number; readonly gpuType?: string };
  /**
   * Replica bounds: `fixed` from the workload itself, `autoscaler` when an HPA,
   * ScaledObject or Application Auto Scaling target applies (linked across resources),
   * `per-node` for DaemonSets, `unknown` when nothing says.
   */
  readonly replicas: { readonly min: number; readonly max: number; readonly source: "fixed" | "autoscaler" | "per-node" | "unknown" };
  /** Runs on spot/preemptible capacity (Fargate Spot, spot tolerations or node selectors). */
  readonly spot: boolean;
  /**
   * ECS: the capacity tasks run on, for cost: the service's capacity provider strategy
   * (`FARGATE`, `FARGATE_SPOT` or an EC2 capacity provider's name, with its weight
   * and base) or its launch type. Undefined elsewhere, or when the cluster's default
   * strategy applies.
   */
  readonly capacityProviders?: ReadonlyArray<{ readonly name: string; readonly weight: number; readonly base: number }>;
  readonly tolerations: ReadonlyArray<{ readonly key?: string; readonly operator?: string; readonly value?: string; readonly effect?: string }>;
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Node labels required through node affinity (key -> allowed values). */
  readonly requiredNodeLabels: Readonly<Record<string, ReadonlyArray<string>>>;
  readonly identity: {
    readonly serviceAccount?: string;
    readonly automountToken?: boolean;
    /** ECS task role and execution role (ARN or reference as written). */
    readonly taskRole?: string;
    readonly executionRole?: string;
  };
  /** ECS services: the task definition they run, as written; linking merges the task definition into the service. */
  readonly taskDefinition?: string;
  /** Reachable from outside its network by itself: ECS public IP, Cloud Run ingress all, ACA external ingress. */
  readonly ingress: "none" | "internal" | "public" | "unknown";
}

/** An autoscaler and what it scales; linked into the workload's `replicas`. */
export interface AutoscalerFact extends FactBase<"autoscaler"> {
  readonly scaler: "hpa" | "keda" | "application-autoscaling" | "container-apps" | "cloud-run";
  /** What it scales: Kubernetes kind/name/namespace, or the ECS `service/<cluster>/<service>` id. */
  readonly target: { readonly kind?: string; readonly name: string; readonly namespace?: string };
  readonly min: number;
  readonly max: number;
  /** Trigger types (cpu, nats-jetstream, aws-sqs-queue...). */
  readonly triggers: ReadonlyArray<string>;
}

// ---------------------------------------------------------------------------
// Messaging

export interface EncryptionFact {
  /**
   * `customer-key`: a key the customer manages (KMS CMK, Key Vault key, Cloud KMS);
   * `provider-key`: encrypted with a provider-managed key; `none`: stated off;
   * `unknown`: the resource does not say and the platform default is not fixed.
   */
  readonly atRest: "customer-key" | "provider-key" | "none" | "unknown";
  /** The key as written (ARN, id, alias). */
  readonly keyId?: string;
}

export interface QueueFact extends FactBase<"queue"> {
  readonly service: "sqs" | "servicebus" | "pubsub" | "nats-jetstream" | "storage-queue";
  readonly queueName?: string;
  readonly encryption: EncryptionFact;
  /** This queue is some other queue's dead-letter queue (found by linking, or by its own shape). */
  readonly isDeadLetter: boolean;
  /** Pub/Sub subscriptions: the topic they read, as written. */
  readonly topic?: string;
  /** For a dead-letter queue: names of the queues it serves, when it says (SQS redrive-allow, NATS advisories). */
  readonly deadLetterFor?: ReadonlyArray<string>;
  /** Where failed messages go; `configured` is false when nothing does. */
  readonly deadLetter: { readonly configured: boolean; readonly target?: string; readonly maxReceiveCount?: number };
  readonly retentionSeconds?: number;
  readonly fifo?: boolean;
  /** Per-month billing unit (SQS requests; Service Bus tier) for cost. */
  readonly sku?: string;
}

export interface TopicFact extends FactBase<"topic"> {
  readonly service: "sns" | "servicebus" | "pubsub" | "nats-jetstream" | "eventgrid";
  readonly topicName?: string;
  readonly encryption: EncryptionFact;
  readonly sku?: string;
}

// ---------------------------------------------------------------------------
// Identity and access

export interface PolicyStatementFact {
  readonly effect: "Allow" | "Deny";
  readonly actions: ReadonlyArray<string>;
  /** `NotAction` was used: the statement allows everything but these. */
  readonly notActions: boolean;
  readonly resources: ReadonlyArray<string>;
  /** Principals on resource policies and trust policies (`*` for anyone). */
  readonly principals: ReadonlyArray<string>;
  /** Condition keys present (a public principal with `aws:SourceArn` is narrowed). */
  readonly conditionKeys: ReadonlyArray<string>;
}

/**
 * An access policy. `identity`: what an identity may do (IAM role/policy, Kubernetes
 * Role); `resource`: who may use a resource (SQS QueuePolicy, SNS TopicPolicy, IAM
 * member bindings on topics); `trust`: who may assume a role.
 */
export interface IamPolicyFact extends FactBase<"iam-policy"> {
  readonly scope: "identity" | "resource" | "trust";
  /** What the policy is attached to: a role, a queue, a topic (as written). */
  readonly attachedTo?: { readonly kind: "role" | "queue" | "topic" | "user" | "group" | "service-account" | "subscription" | "other"; readonly ref: string };
  readonly statements: ReadonlyArray<PolicyStatementFact>;
  /** The policy document could not be read (an unresolved value); rules must not assume it is fine. */
  readonly unreadable: boolean;
}

export interface SecretFact extends FactBase<"secret"> {
  readonly store: "secretsmanager" | "keyvault" | "secret-manager" | "kubernetes" | "ssm";
  readonly encryption: EncryptionFact;
  /** Rotation configured; undefined where the store has no rotation (Kubernetes). */
  readonly rotation?: boolean;
  readonly rotationSupported: boolean;
}

export interface EncryptionKeyFact extends FactBase<"encryption-key"> {
  readonly service: "kms" | "keyvault" | "cloud-kms";
  readonly rotation: boolean;
  readonly rotationDays?: number;
}

// ---------------------------------------------------------------------------
// Entry

/** An API or gateway stage: settings shared by its routes. */
export interface GatewayFact extends FactBase<"gateway"> {
  readonly service: "apigateway-rest" | "apigateway-http" | "apim" | "front-door" | "gcp-api-gateway" | "gateway-api" | "load-balancer";
  readonly gatewayName?: string;
  readonly namespace?: string;
  /** Reachable from the internet. */
  readonly public: boolean | undefined;
  readonly accessLogs: boolean | undefined;
  readonly waf: boolean | undefined;
  /** Requests a minute, when a rate limit is stated. */
  readonly rateLimitPerMinute?: number;
  /** Minimum TLS version stated (`1.0`, `1.2`, `1.3`). */
  readonly minTlsVersion?: string;
  /** Plain HTTP listeners or endpoints present. */
  readonly httpListener: boolean;
}

export interface GatewayRouteFact extends FactBase<"gateway-route"> {
  readonly service: GatewayFact["service"];
  /** Route key or path (`POST /documents`, `/documents`). */
  readonly path: string;
  /** Name of the route object in its platform (HTTPRoute metadata.name), for policies that target it. */
  readonly routeName?: string;
  readonly namespace?: string;
  /** `none` is an unauthenticated route; `unknown` when the route's auth is set elsewhere and not found. */
  readonly auth: "none" | "jwt" | "iam" | "api-key" | "custom" | "unknown";
  /** The route says it is public on purpose (`microagents.io/public: "true"`, or an OpenAPI/Gateway annotation). */
  readonly explicitlyPublic: boolean;
  readonly rateLimitPerMinute?: number;
  /** Gateway/stage/API the route belongs to, as written. */
  readonly gateway?: string;
}

/** A policy object that adds auth, rate limits, WAF, logging or TLS to gateways or routes (Envoy Gateway, APIM). */
export interface GatewayPolicyFact extends FactBase<"gateway-policy"> {
  readonly targets: ReadonlyArray<{ readonly kind: string; readonly name: string; readonly namespace?: string }>;
  readonly auth?: GatewayRouteFact["auth"];
  readonly rateLimitPerMinute?: number;
  readonly waf?: boolean;
  readonly accessLogs?: boolean;
  readonly minTlsVersion?: string;
  /** Plain HTTP is accepted (Container Apps `allowInsecure`, APIM `http` protocol). */
  readonly allowsHttp?: boolean;
}

export interface LoadBalancerFact extends FactBase<"load-balancer"> {
  /** `balancer` is the load balancer itself (priced once); `listener` a listener declared as its own resource. */
  readonly role: "balancer" | "listener";
  readonly public: boolean | undefined;
  readonly listeners: ReadonlyArray<{ readonly protocol: string; readonly port?: number; readonly tlsPolicy?: string; readonly minTlsVersion?: string; readonly redirectsToHttps?: boolean }>;
  readonly accessLogs: boolean | undefined;
  readonly waf: boolean | undefined;
}

/** Something that opens a workload or node to traffic from outside its network. */
export interface NetworkExposureFact extends FactBase<"network-exposure"> {
  readonly via: "load-balancer-service" | "node-port" | "ingress" | "public-ip" | "container-ingress" | "invoker-binding" | "host-port" | "load-balancer-target";
  readonly public: boolean;
  readonly ports: ReadonlyArray<number>;
  /** Source ranges allowed, when stated (`0.0.0.0/0` is anyone). */
  readonly sourceRanges: ReadonlyArray<string>;
  /** The service or app exposed, as written (Cloud Run service name). */
  readonly target?: string;
  /** Pods selected (Kubernetes Service selector) or the app exposed. */
  readonly selector?: Readonly<Record<string, string>>;
  readonly namespace?: string;
  /** Is this the gateway itself (a Gateway's Service, an API's load balancer)? */
  readonly gateway: boolean;
}

/** Firewall and security-group ingress rules. */
export interface FirewallRuleFact extends FactBase<"firewall-rule"> {
  readonly direction: "ingress" | "egress";
  readonly action: "allow" | "deny";
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly sources: ReadonlyArray<string>;
  /** The group, NSG or network the rule belongs to, as written. */
  readonly attachedTo?: string;
}

export interface NetworkPolicyFact extends FactBase<"network-policy"> {
  readonly namespace?: string;
  /** Selects every pod in the namespace. */
  readonly selectsAll: boolean;
  readonly podSelector: Readonly<Record<string, string>>;
  readonly policyTypes: ReadonlyArray<"Ingress" | "Egress">;
  /** Selects all pods, covers Ingress and allows no ingress. */
  readonly denyAllIngress: boolean;
  readonly denyAllEgress: boolean;
}

export interface NamespaceFact extends FactBase<"namespace"> {
  readonly namespaceName: string;
  readonly podSecurityEnforce?: string;
}

export interface NatGatewayFact extends FactBase<"nat-gateway"> {
  readonly public: boolean;
}

// ---------------------------------------------------------------------------
// Clusters and capacity

export interface ClusterFact extends FactBase<"cluster"> {
  readonly service: "eks" | "aks" | "gke" | "ecs" | "container-apps-environment";
  readonly clusterName?: string;
  /** Kubernetes minor version (`1.31`); undefined when the provider picks. */
  readonly kubernetesVersion?: string;
  readonly endpoint: {
    /** API server reachable from the internet; undefined when not a Kubernetes cluster. */
    readonly public?: boolean;
    /** CIDRs allowed to reach a public endpoint; empty or `0.0.0.0/0` is everyone. */
    readonly publicCidrs: ReadonlyArray<string>;
  };
  /** Control-plane audit logs on. */
  readonly auditLogs?: boolean;
  /** Kubernetes Secrets envelope-encrypted with a KMS key. */
  readonly secretsEncryption?: boolean;
  /** Nodes of a default or system pool declared on the cluster itself. */
  readonly defaultPool?: { readonly nodes?: number; readonly instanceType?: string };
  /** ECS Container Insights / AKS, GKE managed monitoring: informational. */
  readonly monitoring?: boolean;
  /** Control-plane tier for cost (`standard`, `premium`, `autopilot`). */
  readonly sku?: string;
}

export interface NodePoolFact extends FactBase<"node-pool"> {
  readonly service: "eks-nodegroup" | "aks-agentpool" | "gke-nodepool" | "karpenter" | "ecs-capacity" | "autoscaling-group" | "aca-workload-profile";
  readonly poolName?: string;
  /** Instance or VM types (Karpenter and EKS may list several). */
  readonly instanceTypes: ReadonlyArray<string>;
  readonly nodes: { readonly min?: number; readonly max?: number; readonly desired?: number };
  readonly spot: boolean;
  readonly gpu?: {
    /** GPUs per node, when stated or known from the instance type. */
    readonly count?: number;
    readonly type?: string;
    readonly sharing?: "time-slicing" | "mig" | "none";
    readonly slicesPerGpu?: number;
    readonly migProfile?: string;
  };
  readonly taints: ReadonlyArray<{ readonly key: string; readonly value?: string; readonly effect: string }>;
  readonly labels: Readonly<Record<string, string>>;
  readonly publicIp?: boolean;
  /** SSH open to a source: `0.0.0.0/0`, specific groups, or none. */
  readonly ssh: "none" | "restricted" | "open" | "unknown";
  /** Instance metadata protected (IMDSv2 required, GKE metadata server). */
  readonly metadataProtected?: boolean;
  readonly diskGb?: number;
  readonly kubernetesVersion?: string;
  /** Launch template the pool's nodes use, as written; linking reads its hardening and instance type. */
  readonly launchTemplate?: string;
}

/** Instance templates (EC2 launch templates, GCE templates): for node hardening. */
export interface NodeTemplateFact extends FactBase<"node-template"> {
  readonly instanceType?: string;
  readonly publicIp?: boolean;
  readonly metadataProtected?: boolean;
}

// ---------------------------------------------------------------------------
// State, logs, budget

export interface StoreFact extends FactBase<"store"> {
  readonly storeKind: "dynamodb" | "rds" | "aurora" | "elasticache" | "cosmosdb" | "redis" | "postgres" | "firestore" | "cloudsql" | "memorystore" | "object" | "volume";
  readonly engine?: string;
  readonly instanceClass?: string;
  readonly sizeGb?: number;
  readonly capacityMode?: "on-demand" | "provisioned" | "serverless";
  /** Read/write capacity units, throughput or vCores when provisioned; `autoscale`: units are the ceiling (Cosmos DB autoscale max RU/s). */
  readonly capacity?: { readonly read?: number; readonly write?: number; readonly units?: number; readonly autoscale?: boolean };
  /** Nodes, or for Cosmos DB the regions the account is billed in. */
  readonly nodes?: number;
  /** `geoRedundant`: backups are also copied to the paired region (Postgres flexible server). */
  readonly backups: { readonly enabled?: boolean; readonly retentionDays?: number; readonly pointInTime?: boolean; readonly geoRedundant?: boolean };
  readonly deletionProtection?: boolean;
  readonly encryption: EncryptionFact;
  readonly tlsRequired?: boolean;
  readonly highAvailability?: boolean;
  readonly publiclyAccessible?: boolean;
  /** A read replica's source instance: its data is recovered from the source's backups (Cloud SQL takes no backups on a replica until it is promoted). */
  readonly replicaOf?: string;
}

export interface LogGroupFact extends FactBase<"log-group"> {
  readonly service: "cloudwatch" | "log-analytics" | "cloud-logging" | "loki";
  readonly logName?: string;
  /** Days; undefined when never set (kept forever on CloudWatch). */
  readonly retentionDays?: number;
  readonly encryption: EncryptionFact;
}

export interface BudgetFact extends FactBase<"budget"> {
  /** `fleet-annotation`: the fleet's budget on a plain-Kubernetes namespace (lib/plan/tags.ts BUDGET_ANNOTATION), no budget resource. */
  readonly service: "aws-budgets" | "azure-consumption" | "gcp-billing" | "fleet-annotation";
  readonly amountUsd?: number;
  readonly period?: string;
  readonly alertPercents: ReadonlyArray<number>;
}

// ---------------------------------------------------------------------------
// Coverage of company stacks: object storage, vaults, messaging namespaces, access keys, cluster authentication

/** A bucket or storage account: S3, Azure Storage, Cloud Storage. */
export interface ObjectStoreFact extends FactBase<"object-store"> {
  readonly service: "s3" | "azure-storage" | "gcs";
  readonly bucketName?: string;
  /**
   * Public access switched off at the store: S3 Block Public Access with all four
   * settings (or none stated: S3 blocks by default since April 2023), Azure
   * `allowBlobPublicAccess: false`, GCS `publicAccessPrevention: enforced`.
   */
  readonly publicAccessBlocked: boolean;
  /** What opens it: public ACLs, `allUsers`/`allAuthenticatedUsers` members, public containers. */
  readonly publicGrants: ReadonlyArray<string>;
  /** GCS uniform bucket-level access (no per-object ACLs); undefined elsewhere. */
  readonly uniformAccess?: boolean;
  /** Azure `supportsHttpsTrafficOnly` (default true); undefined where the service always requires HTTPS for the API. */
  readonly httpsOnly?: boolean;
  readonly minTlsVersion?: string;
  readonly encryption: EncryptionFact;
}

/** Azure Key Vault. */
export interface KeyVaultFact extends FactBase<"key-vault"> {
  readonly vaultName?: string;
  /** Purge protection on: deleted keys and secrets cannot be purged during retention. */
  readonly purgeProtection: boolean;
  /** Firewall default action `Deny`, or public network access disabled. */
  readonly networkRestricted: boolean;
}

/** A messaging namespace's network and TLS settings (Service Bus). */
export interface MessagingNamespaceFact extends FactBase<"messaging-namespace"> {
  readonly service: "servicebus";
  readonly namespaceName?: string;
  /** `publicNetworkAccess` not `Disabled` (the default is Enabled). */
  readonly publicNetworkAccess: boolean;
  /** `minimumTlsVersion` (the default is 1.2 for new namespaces). */
  readonly minTlsVersion?: string;
  /** SAS rules declared on it (`RootManageSharedAccessKey` is created by Azure and not declared). */
  readonly localAuth: boolean;
  /**
   * The addresses its public endpoint admits, when a network rule set denies every
   * other (default action Deny, each rule one address or a /24 or narrower); linked
   * from the namespace's NamespaceNetworkRuleSet. Undefined when no such firewall.
   */
  readonly ipFirewall?: ReadonlyArray<string>;
}

/** A shared-access key rule (Service Bus SAS authorization rule). */
export interface AccessKeyFact extends FactBase<"access-key"> {
  readonly service: "servicebus";
  readonly rights: ReadonlyArray<string>;
  /** Namespace, queue or topic it grants, as written. */
  readonly scope: string;
}

/** How a Kubernetes cluster authenticates and authorizes users. */
export interface ClusterAuthFact extends FactBase<"cluster-auth"> {
  readonly service: "aks" | "gke";
  /** AKS local accounts (a static admin kubeconfig); the default is on. */
  readonly localAccounts?: boolean;
  /** Kubernetes RBAC (AKS `enableRBAC`, default true). */
  readonly rbac?: boolean;
  /** Microsoft Entra ID integration (AKS `aadProfile`). */
  readonly entraId?: boolean;
  /** GKE legacy ABAC (default off). */
  readonly legacyAbac?: boolean;
  /** GKE basic authentication (username/password) or client certificate issued. */
  readonly basicAuth?: boolean;
}

export type Fact =
  | ResourceFact
  | ContainerWorkloadFact
  | AutoscalerFact
  | QueueFact
  | TopicFact
  | IamPolicyFact
  | SecretFact
  | EncryptionKeyFact
  | GatewayFact
  | GatewayRouteFact
  | GatewayPolicyFact
  | LoadBalancerFact
  | NetworkExposureFact
  | FirewallRuleFact
  | NetworkPolicyFact
  | NamespaceFact
  | NatGatewayFact
  | ClusterFact
  | NodePoolFact
  | NodeTemplateFact
  | StoreFact
  | LogGroupFact
  | BudgetFact
  | ObjectStoreFact
  | KeyVaultFact
  | MessagingNamespaceFact
  | AccessKeyFact
  | ClusterAuthFact;

export type FactKind = Fact["kind"];
export type FactOf<K extends FactKind> = Extract<Fact, { kind: K }>;

export const FACT_KINDS: ReadonlyArray<FactKind> = [
  "resource",
  "container-workload",
  "autoscaler",
  "queue",
  "topic",
  "iam-policy",
  "secret",
  "encryption-key",
  "gateway",
  "gateway-route",
  "gateway-policy",
  "load-balancer",
  "network-exposure",
  "firewall-rule",
  "network-policy",
  "namespace",
  "nat-gateway",
  "cluster",
  "node-pool",
  "node-template",
  "store",
  "log-group",
  "budget",
  "object-store",
  "key-vault",
  "messaging-namespace",
  "access-key",
  "cluster-auth",
];

/** A raw resource as whichever framework made it hands it over. */
export interface RawResource {
  readonly urn?: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string;
  readonly parentUrn?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Component resources are skipped (they have no inputs of their own). */
  readonly custom?: boolean;
  /** Pulumi's `protect` option: the engine refuses to delete the resource (deletion protection for stores). */
  readonly protect?: boolean;
  /** URN of the explicit provider the resource uses; its `region`/`location` is the resource's region. */
  readonly providerUrn?: string;
  /** The explicit provider's region, when the caller already knows it (policy packs). */
  readonly providerRegion?: string;
  /** Whether the resource takes tags, when its source knows better than the adapter (a CloudFormation type without `Tags`). */
  readonly taggable?: boolean;
  /**
   * The Pulumi type token whose adapter reads `inputs`, when `type` is another
   * framework's (CloudFormation resources translated to the Pulumi provider's shape).
   */
  readonly adaptAs?: string;
  /** Input paths whose values are not known yet (`pulumi preview` before the resources they name exist). */
  readonly unknowns?: ReadonlyArray<string>;
  /** URNs of the resources this one depends on (whose outputs its inputs carry). */
  readonly dependencies?: ReadonlyArray<string>;
}
