import { fact, type AdapterEntry, type AdapterInput, type AdapterTable, type FactCommon } from "./context";
import { gpuOfMachine } from "./gpu-shapes";
import { ADMIN_POLICY_ARNS, iamStatements } from "./iam";
import type {
  AutoscalerFact,
  BudgetFact,
  ClusterFact,
  ContainerFact,
  ContainerWorkloadFact,
  EncryptionFact,
  EncryptionKeyFact,
  Fact,
  FirewallRuleFact,
  GatewayFact,
  GatewayPolicyFact,
  GatewayRouteFact,
  IamPolicyFact,
  LoadBalancerFact,
  LogGroupFact,
  NatGatewayFact,
  NodePoolFact,
  NodeTemplateFact,
  QueueFact,
  SecretFact,
  StoreFact,
  TopicFact,
} from "./types";
import { bool, first, isRecord, jsonish, num, obj, records, str, strings, type Bag } from "./values";

/** A key is the customer's unless it is an AWS-managed alias (`alias/aws/...`). */
export function awsKey(keyId: string | undefined, providerDefault: EncryptionFact["atRest"]): EncryptionFact {
  if (!keyId) return { atRest: providerDefault };
  return /alias\/aws\//.test(keyId) ? { atRest: "provider-key", keyId } : { atRest: "customer-key", keyId };
}

// ---------------------------------------------------------------------------
// ECS

function containerDefinitions(v: unknown): Bag[] {
  const parsed = jsonish(v);
  return Array.isArray(parsed) ? parsed.filter(isRecord) : [];
}

function ecsUser(user: string | undefined): { runAsUser?: number; runAsNonRoot?: boolean } {
  if (user === undefined) return {};
  const uid = user.split(":")[0];
  if (uid === "root" || uid === "0") return { runAsUser: 0, runAsNonRoot: false };
  const n = Number(uid);
  return Number.isInteger(n) ? { runAsUser: n, runAsNonRoot: true } : { runAsNonRoot: true };
}

function ecsContainer(c: Bag): ContainerFact {
  const caps = obj(c, "linuxParameters", "capabilities");
  const gpus = records(c, "resourceRequirements").filter((r) => str(r, "type") === "GPU").reduce((t, r) => t + (num(r, "value") ?? 0), 0);
  const health = isRecord(c.healthCheck);
  const cpuUnits = num(c, "cpu");
  const mem = num(c, "memory");
  const memRes = num(c, "memoryReservation");
  const noNewPrivileges = strings(c, "dockerSecurityOptions").includes("no-new-privileges");
  const privileged = bool(c, "privileged");
  const ro = bool(c, "readonlyRootFilesystem");
  const image = str(c, "image");
  return {
    name: str(c, "name") ?? "",
    ...(image !== undefined ? { image } : {}),
    init: false,
    ...(privileged !== undefined ? { privileged } : {}),
    ...ecsUser(str(c, "user")),
    ...(noNewPrivileges ? { allowPrivilegeEscalation: false } : privileged ? { allowPrivilegeEscalation: true } : {}),
    ...(ro !== undefined ? { readOnlyRootFilesystem: ro } : {}),
    capabilities: { drop: strings(caps, "drop"), add: strings(caps, "add") },
    env: [
      ...records(c, "environment").map((e) => ({ name: str(e, "name") ?? "", ...(str(e, "value") !== undefined ? { value: str(e, "value") } : {}), fromSecret: false })),
      ...records(c, "secrets").map((e) => ({ name: str(e, "name") ?? "", fromSecret: true })),
    ],
    cpu: cpuUnits !== undefined ? { request: cpuUnits / 1024 } : {},
    memoryMiB: { ...(memRes !== undefined ? { request: memRes } : {}), ...(mem !== undefined ? { limit: mem } : {}) },
    ...(gpus > 0 ? { gpu: { count: gpus, resourceName: "GPU" } } : {}),
    // ECS has one container health check: it decides both restarts and readiness.
    probes: { liveness: health, readiness: health, startup: false },
    ports: records(c, "portMappings").map((p) => num(p, "containerPort")).filter((p): p is number => p !== undefined),
  };
}

function taskDefinition({ inputs, common }: AdapterInput): Fact[] {
  const containers = containerDefinitions(inputs.containerDefinitions).map(ecsContainer);
  const taskCpu = num(inputs, "cpu");
  const taskMem = num(inputs, "memory");
  const sumCpu = containers.every((c) => c.cpu.request !== undefined) && containers.length > 0 ? containers.reduce((t, c) => t + (c.cpu.request ?? 0), 0) : undefined;
  const sumMem = containers.every((c) => (c.memoryMiB.limit ?? c.memoryMiB.request) !== undefined) && containers.length > 0 ? containers.reduce((t, c) => t + (c.memoryMiB.limit ?? c.memoryMiB.request ?? 0), 0) : undefined;
  const cpu = taskCpu !== undefined ? taskCpu / 1024 : sumCpu;
  const mem = first(taskMem, sumMem);
  const gpus = containers.reduce((t, c) => t + (c.gpu?.count ?? 0), 0);
  const family = str(inputs, "family");
  const taskRole = str(inputs, "taskRoleArn");
  const executionRole = str(inputs, "executionRoleArn");
  return [
    fact<ContainerWorkloadFact>(common, {
      kind: "container-workload",
      platform: "ecs",
      workloadKind: "TaskDefinition",
      ...(family ? { workloadName: family } : {}),
      podLabels: {},
      containers,
      host: { network: str(inputs, "networkMode") === "host", pid: str(inputs, "pidMode") === "host", ipc: str(inputs, "ipcMode") === "host" },
      hostPaths: records(inputs, "volumes").map((v) => str(v, "hostPath")).filter((p): p is string => p !== undefined),
      perReplica: { ...(cpu !== undefined ? { cpu } : {}), ...(mem !== undefined ? { memoryMiB: mem } : {}), gpus },
      replicas: { min: 1, max: 1, source: "unknown" },
      spot: false,
      tolerations: [],
      nodeSelector: {},
      requiredNodeLabels: {},
      identity: { ...(taskRole ? { taskRole } : {}), ...(executionRole ? { executionRole } : {}) },
      ingress: "unknown",
    }),
  ];
}

function ecsService({ inputs, common }: AdapterInput): Fact[] {
  const strategies = records(inputs, "capacityProviderStrategies");
  const weighted = strategies.filter((s) => (num(s, "weight") ?? 0) > 0 || (num(s, "base") ?? 0) > 0);
  const spot = weighted.length > 0 && weighted.every((s) => /SPOT/i.test(str(s, "capacityProvider") ?? ""));
  const publicIp = bool(inputs, "networkConfiguration", "assignPublicIp") === true;
  const launchType = str(inputs, "launchType");
  const capacityProviders = strategies.length > 0
    ? strategies.map((s) => ({ name: str(s, "capacityProvider") ?? "", weight: num(s, "weight") ?? 0, base: num(s, "base") ?? 0 }))
    : launchType ? [{ name: launchType, weight: 1, base: 0 }] : undefined;
  const desired = num(inputs, "desiredCount") ?? 0;
  const daemon = str(inputs, "schedulingStrategy") === "DAEMON";
  const name = str(inputs, "name");
  const td = str(inputs, "taskDefinition");
  const cluster = str(inputs, "cluster");
  return [
    fact<ContainerWorkloadFact>(common, {
      kind: "container-workload",
      platform: "ecs",
      workloadKind: "Service",
      ...(cluster ? { namespace: cluster } : {}),
      ...(name ? { workloadName: name } : {}),
      podLabels: {},
      containers: [],
      host: { network: false, pid: false, ipc: false },
      hostPaths: [],
      perReplica: { gpus: 0 },
      replicas: daemon ? { min: 1, max: 1, source: "per-node" } : { min: desired, max: desired, source: "fixed" },
      spot,
      ...(capacityProviders ? { capacityProviders } : {}),
      tolerations: [],
      nodeSelector: {},
      requiredNodeLabels: {},
      identity: {},
      ...(td ? { taskDefinition: td } : {}),
      ingress: publicIp ? "public" : "internal",
    }),
  ];
}

function ecsCluster({ inputs, common }: AdapterInput): Fact[] {
  const insights = records(inputs, "settings").find((s) => str(s, "name") === "containerInsights");
  const name = str(inputs, "name");
  return [
    fact<ClusterFact>(common, {
      kind: "cluster",
      service: "ecs",
      ...(name ? { clusterName: name } : {}),
      endpoint: { publicCidrs: [] },
      ...(insights ? { monitoring: str(insights, "value") === "enabled" || str(insights, "value") === "enhanced" } : {}),
    }),
  ];
}

function appAutoscalingTarget({ inputs, common }: AdapterInput): Fact[] {
  const id = str(inputs, "resourceId") ?? "";
  return [
    fact<AutoscalerFact>(common, {
      kind: "autoscaler",
      scaler: "application-autoscaling",
      target: { name: id, kind: str(inputs, "scalableDimension") ?? "" },
      min: num(inputs, "minCapacity") ?? 0,
      max: num(inputs, "maxCapacity") ?? 0,
      triggers: [],
    }),
  ];
}

// ---------------------------------------------------------------------------
// EKS and EC2 capacity

function eksCluster({ inputs, common }: AdapterInput): Fact[] {
  const vpc = obj(inputs, "vpcConfig");
  // EKS defaults: public endpoint on, open to 0.0.0.0/0.
  const isPublic = bool(vpc, "endpointPublicAccess") ?? true;
  const cidrs = strings(vpc, "publicAccessCidrs");
  const enc = records(inputs, "encryptionConfig").length > 0 ? records(inputs, "encryptionConfig") : isRecord(inputs.encryptionConfig) ? [inputs.encryptionConfig] : [];
  const secrets = enc.some((e) => strings(e, "resources").includes("secrets") && str(e, "provider", "keyArn") !== undefined);
  const name = str(inputs, "name");
  const version = str(inputs, "version");
  return [
    fact<ClusterFact>(common, {
      kind: "cluster",
      service: "eks",
      ...(name ? { clusterName: name } : {}),
      ...(version ? { kubernetesVersion: version } : {}),
      endpoint: { public: isPublic, publicCidrs: isPublic ? (cidrs.length > 0 ? cidrs : ["0.0.0.0/0"]) : [] },
      auditLogs: strings(inputs, "enabledClusterLogTypes").includes("audit"),
      secretsEncryption: secrets,
      sku: str(inputs, "upgradePolicy", "supportType") === "EXTENDED" ? "extended" : "standard",
    }),
  ];
}

const EKS_TAINT_EFFECTS: Readonly<Record<string, string>> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };

function eksNodeGroup({ inputs, common }: AdapterInput): Fact[] {
  const types = strings(inputs, "instanceTypes");
  const instanceTypes = types.length > 0 ? types : ["t3.medium"];
  const machine = gpuOfMachine(instanceTypes[0]);
  const gpuAmi = /GPU|NVIDIA/i.test(str(inputs, "amiType") ?? "");
  const remote = obj(inputs, "remoteAccess");
  const sshKey = str(remote, "ec2SshKey");
  // With a key and no source groups, EKS opens port 22 to 0.0.0.0/0.
  const ssh = !isRecord(inputs.remoteAccess) || !sshKey ? "none" : strings(remote, "sourceSecurityGroupIds").length > 0 ? "restricted" : "open";
  const lt = obj(inputs, "launchTemplate");
  const ltRef = str(lt, "name") ?? str(lt, "id");
  const disk = num(inputs, "diskSize");
  const name = str(inputs, "nodeGroupName");
  const version = str(inputs, "version");
  return [
    fact<NodePoolFact>(common, {
      kind: "node-pool",
      service: "eks-nodegroup",
      ...(name ? { poolName: name } : {}),
      instanceTypes,
      nodes: { min: num(inputs, "scalingConfig", "minSize"), max: num(inputs, "scalingConfig", "maxSize"), desired: num(inputs, "scalingConfig", "desiredSize") },
      spot: str(inputs, "capacityType") === "SPOT",
      ...(machine || gpuAmi ? { gpu: { ...(machine?.type ? { type: machine.type } : {}), ...(machine?.count !== undefined ? { count: machine.count } : {}) } } : {}),
      taints: records(inputs, "taints").map((t) => ({ key: str(t, "key") ?? "", ...(str(t, "value") !== undefined ? { value: str(t, "value") } : {}), effect: EKS_TAINT_EFFECTS[str(t, "effect") ?? ""] ?? str(t, "effect") ?? "" })),
      labels: Object.fromEntries(Object.entries(obj(inputs, "labels")).filter((e): e is [string, string] => typeof e[1] === "string")),
      ssh,
      ...(disk !== undefined ? { diskGb: disk } : {}),
      ...(version ? { kubernetesVersion: version } : {}),
      ...(ltRef ? { launchTemplate: ltRef } : {}),
    }),
  ];
}

function metadataProtected(inputs: Bag): boolean | undefined {
  const tokens = str(inputs, "metadataOptions", "httpTokens");
  const endpoint = str(inputs, "metadataOptions", "httpEndpoint");
  if (endpoint === "disabled") return true;
  return tokens === undefined ? undefined : tokens === "required";
}

function launchTemplate({ inputs, common }: AdapterInput): Fact[] {
  const nics = records(inputs, "networkInterfaces");
  const publicIp = nics.some((n) => bool(n, "associatePublicIpAddress") === true);
  const mp = metadataProtected(inputs);
  const type = str(inputs, "instanceType");
  return [
    fact<NodeTemplateFact>(common, {
      kind: "node-template",
      ...(type ? { instanceType: type } : {}),
      publicIp,
      ...(mp !== undefined ? { metadataProtected: mp } : {}),
    }),
  ];
}

function ec2Instance({ inputs, common }: AdapterInput): Fact[] {
  const mp = metadataProtected(inputs);
  const type = str(inputs, "instanceType");
  return [
    fact<NodeTemplateFact>(common, {
      kind: "node-template",
      ...(type ? { instanceType: type } : {}),
      publicIp: bool(inputs, "associatePublicIpAddress") === true,
      ...(mp !== undefined ? { metadataProtected: mp } : {}),
    }),
  ];
}

function autoscalingGroup({ inputs, common }: AdapterInput): Fact[] {
  const mip = obj(inputs, "mixedInstancesPolicy");
  const overrides = records(mip, "launchTemplate", "overrides").map((o) => str(o, "instanceType")).filter((t): t is string => t !== undefined);
  const onDemandAbove = num(mip, "instancesDistribution", "onDemandPercentageAboveBaseCapacity");
  const onDemandBase = num(mip, "instancesDistribution", "onDemandBaseCapacity") ?? 0;
  const machine = gpuOfMachine(overrides[0]);
  const lt = obj(inputs, "launchTemplate");
  const ltRef = str(lt, "name") ?? str(lt, "id") ?? str(mip, "launchTemplate", "launchTemplateSpecification", "launchTemplateName") ?? str(mip, "launchTemplate", "launchTemplateSpecification", "launchTemplateId");
  const name = str(inputs, "name");
  return [
    fact<NodePoolFact>(common, {
      kind: "node-pool",
      service: "autoscaling-group",
      ...(name ? { poolName: name } : {}),
      instanceTypes: overrides,
      nodes: { min: num(inputs, "minSize"), max: num(inputs, "maxSize"), desired: num(inputs, "desiredCapacity") },
      spot: onDemandAbove === 0 && onDemandBase === 0,
      ...(machine ? { gpu: { type: machine.type, ...(machine.count !== undefined ? { count: machine.count } : {}) } } : {}),
      taints: [],
      labels: {},
      ssh: "unknown",
      ...(ltRef ? { launchTemplate: ltRef } : {}),
    }),
  ];
}

// ---------------------------------------------------------------------------
// Messaging

function sqsQueue({ inputs, common }: AdapterInput): Fact[] {
  const redrive = jsonish(inputs.redrivePolicy);
  const allow = jsonish(inputs.redriveAllowPolicy);
  const target = str(redrive, "deadLetterTargetArn");
  const kms = str(inputs, "kmsMasterKeyId");
  const managed = bool(inputs, "sqsManagedSseEnabled");
  // New SQS queues get SSE-SQS unless it is switched off (AWS default since 2022).
  const encryption: EncryptionFact = kms ? awsKey(kms, "provider-key") : managed === false ? { atRest: "none" } : { atRest: "provider-key" };
  const sources = strings(allow, "sourceQueueArns").map((a) => a.split(":").pop() ?? a);
  const name = str(inputs, "name");
  const retention = num(inputs, "messageRetentionSeconds");
  const fifo = bool(inputs, "fifoQueue");
  return [
    fact<QueueFact>(common, {
      kind: "queue",
      service: "sqs",
      ...(name ? { queueName: name } : {}),
      encryption,
      isDeadLetter: str(allow, "redrivePermission") === "byQueue" || str(allow, "redrivePermission") === "allowAll",
      ...(sources.length > 0 ? { deadLetterFor: sources } : {}),
      deadLetter: { configured: target !== undefined, ...(target ? { target } : {}), ...(num(redrive, "maxReceiveCount") !== undefined ? { maxReceiveCount: num(redrive, "maxReceiveCount") } : {}) },
      ...(retention !== undefined ? { retentionSeconds: retention } : {}),
      ...(fifo !== undefined ? { fifo } : {}),
    }),
  ];
}

function snsTopic({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "name");
  return [fact<TopicFact>(common, { kind: "topic", service: "sns", ...(name ? { topicName: name } : {}), encryption: awsKey(str(inputs, "kmsMasterKeyId"), "none") })];
}

function resourcePolicy(kind: "queue" | "topic", refKey: string): AdapterEntry {
  return {
    taggable: false,
    adapt: ({ inputs, common }) => {
      const statements = iamStatements(inputs.policy);
      return [
        fact<IamPolicyFact>(common, {
          kind: "iam-policy",
          scope: "resource",
          attachedTo: { kind, ref: str(inputs, refKey) ?? "" },
          statements: statements ?? [],
          unreadable: statements === undefined,
        }),
      ];
    },
  };
}

// ---------------------------------------------------------------------------
// IAM

function identityPolicy(common: FactCommon, doc: unknown, attachedTo: IamPolicyFact["attachedTo"], scope: IamPolicyFact["scope"] = "identity"): IamPolicyFact {
  const statements = iamStatements(doc);
  return fact<IamPolicyFact>(common, { kind: "iam-policy", scope, ...(attachedTo ? { attachedTo } : {}), statements: statements ?? [], unreadable: statements === undefined });
}

const adminStatement = { effect: "Allow" as const, actions: ["*"], notActions: false, resources: ["*"], principals: [], conditionKeys: [] };

function iamRole({ inputs, common }: AdapterInput): Fact[] {
  const role = str(inputs, "name") ?? common.resource.name;
  const out: Fact[] = [identityPolicy(common, inputs.assumeRolePolicy, { kind: "role", ref: role }, "trust")];
  for (const p of records(inputs, "inlinePolicies")) if (p.policy !== undefined) out.push(identityPolicy(common, p.policy, { kind: "role", ref: role }));
  const admin = strings(inputs, "managedPolicyArns").filter((a) => ADMIN_POLICY_ARNS.includes(a));
  if (admin.length > 0) out.push(fact<IamPolicyFact>(common, { kind: "iam-policy", scope: "identity", attachedTo: { kind: "role", ref: role }, statements: [adminStatement], unreadable: false }));
  return out;
}

function policyAttachment({ inputs, common }: AdapterInput): Fact[] {
  const arn = str(inputs, "policyArn") ?? "";
  if (!ADMIN_POLICY_ARNS.includes(arn)) return [];
  return [fact<IamPolicyFact>(common, { kind: "iam-policy", scope: "identity", attachedTo: { kind: "role", ref: str(inputs, "role") ?? "" }, statements: [adminStatement], unreadable: false })];
}

// ---------------------------------------------------------------------------
// API Gateway, WAF, load balancers

function httpApiStage({ inputs, common }: AdapterInput): Fact[] {
  const rate = num(inputs, "defaultRouteSettings", "throttlingRateLimit");
  const name = str(inputs, "name");
  return [
    fact<GatewayFact>(common, {
      kind: "gateway",
      service: "apigateway-http",
      ...(name ? { gatewayName: name } : {}),
      public: true,
      accessLogs: isRecord(inputs.accessLogSettings) && str(inputs, "accessLogSettings", "destinationArn") !== undefined,
      waf: undefined,
      ...(rate !== undefined ? { rateLimitPerMinute: rate * 60 } : {}),
      // API Gateway endpoints serve HTTPS only; custom domains carry the TLS policy.
      httpListener: false,
    }),
  ];
}

const V2_AUTH: Readonly<Record<string, GatewayRouteFact["auth"]>> = { NONE: "none", JWT: "jwt", AWS_IAM: "iam", CUSTOM: "custom" };

/** An API Gateway route or method: its authorization type through `table`, an API key alone counting as api-key auth. */
function apiGatewayRoute(
  { inputs, common }: AdapterInput,
  service: GatewayRouteFact["service"],
  path: string,
  authorization: string,
  table: Readonly<Record<string, GatewayRouteFact["auth"]>>,
  api: string | undefined,
): Fact[] {
  const apiKey = bool(inputs, "apiKeyRequired") === true;
  return [
    fact<GatewayRouteFact>(common, {
      kind: "gateway-route",
      service,
      path,
      auth: apiKey && authorization === "NONE" ? "api-key" : (table[authorization] ?? "custom"),
      explicitlyPublic: common.tags.public === "true",
      ...(api ? { gateway: api } : {}),
    }),
  ];
}

function httpApiRoute(input: AdapterInput): Fact[] {
  const { inputs } = input;
  return apiGatewayRoute(input, "apigateway-http", str(inputs, "routeKey") ?? "", str(inputs, "authorizationType") ?? "NONE", V2_AUTH, str(inputs, "apiId"));
}

function restApiStage({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "stageName");
  const acl = str(inputs, "webAclArn");
  return [
    fact<GatewayFact>(common, {
      kind: "gateway",
      service: "apigateway-rest",
      ...(name ? { gatewayName: name } : {}),
      public: true,
      accessLogs: str(inputs, "accessLogSettings", "destinationArn") !== undefined,
      waf: acl ? true : undefined,
      httpListener: false,
    }),
  ];
}

const REST_AUTH: Readonly<Record<string, GatewayRouteFact["auth"]>> = { NONE: "none", AWS_IAM: "iam", CUSTOM: "custom", COGNITO_USER_POOLS: "jwt" };

function restMethod(input: AdapterInput): Fact[] {
  const { inputs } = input;
  const path = `${str(inputs, "httpMethod") ?? "ANY"} ${str(inputs, "resourceId") ?? ""}`.trim();
  return apiGatewayRoute(input, "apigateway-rest", path, str(inputs, "authorization") ?? "NONE", REST_AUTH, str(inputs, "restApi"));
}

function restMethodSettings({ inputs, common }: AdapterInput): Fact[] {
  const rate = num(inputs, "settings", "throttlingRateLimit");
  return [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: [{ kind: "Stage", name: str(inputs, "stageName") ?? "" }], ...(rate !== undefined ? { rateLimitPerMinute: rate * 60 } : {}) })];
}

/** `TLS_1_0`, `TLS_1_2`, `SecurityPolicy_TLS13_1_2_2021_06` -> `1.0`, `1.2`, `1.2`. */
export function awsTlsMin(policy: string | undefined): string | undefined {
  if (!policy) return undefined;
  const m = /TLS[-_]?1[-_](\d)/i.exec(policy) ?? /TLS13[-_]1[-_](\d)/i.exec(policy);
  if (/TLS13_1_3|TLS13-1-3/i.test(policy)) return "1.3";
  if (/TLS13[-_]1[-_]2|TLS-1-2|TLS_1_2|TLS12/i.test(policy)) return "1.2";
  if (/FS-1-1|TLS-1-1|TLS_1_1/i.test(policy)) return "1.1";
  if (m) return `1.${m[1]}`;
  // ELBSecurityPolicy-2016-08 and other undated names allow TLS 1.0.
  return /ELBSecurityPolicy-(2015|2016)|TLS_1_0/.test(policy) ? "1.0" : undefined;
}

function apiDomainName({ inputs, common }: AdapterInput): Fact[] {
  const policy = str(inputs, "securityPolicy") ?? str(inputs, "domainNameConfiguration", "securityPolicy");
  // API Gateway custom domains default to TLS_1_2 when no policy is given.
  return [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: [{ kind: "DomainName", name: str(inputs, "domainName") ?? "" }], minTlsVersion: awsTlsMin(policy) ?? "1.2" })];
}

function wafAssociation({ inputs, common }: AdapterInput): Fact[] {
  return [fact<GatewayPolicyFact>(common, { kind: "gateway-policy", targets: [{ kind: "Arn", name: str(inputs, "resourceArn") ?? "" }], waf: true })];
}

function loadBalancer({ inputs, common }: AdapterInput): Fact[] {
  const internal = bool(inputs, "internal") === true;
  return [
    fact<LoadBalancerFact>(common, {
      kind: "load-balancer",
      role: "balancer",
      public: !internal,
      listeners: [],
      accessLogs: bool(inputs, "accessLogs", "enabled") === true,
      waf: undefined,
    }),
  ];
}

function listener({ inputs, common }: AdapterInput): Fact[] {
  const protocol = str(inputs, "protocol") ?? "HTTP";
  const redirects = records(inputs, "defaultActions").some((a) => str(a, "type") === "redirect" && str(a, "redirect", "protocol") === "HTTPS");
  const policy = str(inputs, "sslPolicy");
  const min = awsTlsMin(policy);
  return [
    fact<LoadBalancerFact>(common, {
      kind: "load-balancer",
      role: "listener",
      public: undefined,
      listeners: [{ protocol, ...(num(inputs, "port") !== undefined ? { port: num(inputs, "port") } : {}), ...(policy ? { tlsPolicy: policy } : {}), ...(min ? { minTlsVersion: min } : {}), redirectsToHttps: redirects }],
      accessLogs: undefined,
      waf: undefined,
    }),
  ];
}

// ---------------------------------------------------------------------------
// State

function dynamoTable({ inputs, common }: AdapterInput): Fact[] {
  const mode = str(inputs, "billingMode") ?? "PROVISIONED";
  const sse = obj(inputs, "serverSideEncryption");
  const kms = str(sse, "kmsKeyArn");
  const read = num(inputs, "readCapacity");
  const write = num(inputs, "writeCapacity");
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "dynamodb",
      capacityMode: mode === "PAY_PER_REQUEST" ? "on-demand" : "provisioned",
      ...(mode !== "PAY_PER_REQUEST" ? { capacity: { ...(read !== undefined ? { read } : {}), ...(write !== undefined ? { write } : {}) } } : {}),
      backups: { pointInTime: bool(inputs, "pointInTimeRecovery", "enabled") === true, enabled: bool(inputs, "pointInTimeRecovery", "enabled") === true },
      deletionProtection: bool(inputs, "deletionProtectionEnabled") === true,
      // DynamoDB always encrypts at rest; `enabled` picks a KMS key over the AWS-owned one.
      encryption: bool(sse, "enabled") === true ? awsKey(kms ?? "alias/aws/dynamodb", "provider-key") : { atRest: "provider-key" },
    }),
  ];
}

function rdsInstance(kind: "rds" | "aurora"): AdapterEntry {
  return {
    taggable: true,
    adapt: ({ inputs, common }) => {
      const retention = num(inputs, "backupRetentionPeriod");
      const encrypted = bool(inputs, "storageEncrypted");
      const kms = str(inputs, "kmsKeyId");
      const engine = str(inputs, "engine");
      const cls = str(inputs, "instanceClass") ?? str(inputs, "dbClusterInstanceClass");
      const size = num(inputs, "allocatedStorage");
      const multiAz = bool(inputs, "multiAz");
      const serverless = isRecord(inputs.serverlessv2ScalingConfiguration);
      const publicly = bool(inputs, "publiclyAccessible");
      return [
        fact<StoreFact>(common, {
          kind: "store",
          storeKind: kind,
          ...(engine ? { engine } : {}),
          ...(cls ? { instanceClass: cls } : {}),
          ...(size !== undefined ? { sizeGb: size } : {}),
          capacityMode: serverless ? "serverless" : "provisioned",
          // The RDS API keeps 1 day of automated backups when none is given.
          backups: { enabled: (retention ?? 1) > 0, retentionDays: retention ?? 1, pointInTime: (retention ?? 1) > 0 },
          deletionProtection: bool(inputs, "deletionProtection") === true,
          encryption: encrypted === true ? awsKey(kms ?? "alias/aws/rds", "provider-key") : kind === "aurora" && kms ? awsKey(kms, "provider-key") : { atRest: "none" },
          ...(multiAz !== undefined ? { highAvailability: multiAz } : {}),
          ...(publicly !== undefined ? { publiclyAccessible: publicly } : {}),
        }),
      ];
    },
  };
}

function replicationGroup({ inputs, common }: AdapterInput): Fact[] {
  const retention = num(inputs, "snapshotRetentionLimit") ?? 0;
  const nodeType = str(inputs, "nodeType");
  const nodes = num(inputs, "numCacheClusters") ?? (num(inputs, "numNodeGroups") ?? 1) * ((num(inputs, "replicasPerNodeGroup") ?? 0) + 1);
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "elasticache",
      engine: str(inputs, "engine") ?? "redis",
      ...(nodeType ? { instanceClass: nodeType } : {}),
      capacityMode: "provisioned",
      nodes,
      backups: { enabled: retention > 0, retentionDays: retention },
      encryption: bool(inputs, "atRestEncryptionEnabled") === true ? awsKey(str(inputs, "kmsKeyId") ?? "alias/aws/elasticache", "provider-key") : { atRest: "none" },
      tlsRequired: bool(inputs, "transitEncryptionEnabled") === true,
      highAvailability: bool(inputs, "automaticFailoverEnabled") === true || bool(inputs, "multiAzEnabled") === true,
    }),
  ];
}

function serverlessCache({ inputs, common }: AdapterInput): Fact[] {
  const retention = num(inputs, "snapshotRetentionLimit") ?? 0;
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "elasticache",
      engine: str(inputs, "engine") ?? "redis",
      capacityMode: "serverless",
      backups: { enabled: retention > 0, retentionDays: retention },
      // ElastiCache Serverless always encrypts at rest and in transit.
      encryption: awsKey(str(inputs, "kmsKeyId"), "provider-key"),
      tlsRequired: true,
      highAvailability: true,
    }),
  ];
}

function cacheCluster({ inputs, common }: AdapterInput): Fact[] {
  const retention = num(inputs, "snapshotRetentionLimit") ?? 0;
  const nodeType = str(inputs, "nodeType");
  return [
    fact<StoreFact>(common, {
      kind: "store",
      storeKind: "elasticache",
      engine: str(inputs, "engine") ?? "redis",
      ...(nodeType ? { instanceClass: nodeType } : {}),
      capacityMode: "provisioned",
      nodes: num(inputs, "numCacheNodes") ?? 1,
      backups: { enabled: retention > 0, retentionDays: retention },
      encryption: { atRest: "none" },
      tlsRequired: bool(inputs, "transitEncryptionEnabled") === true,
    }),
  ];
}

function logGroup({ inputs, common }: AdapterInput): Fact[] {
  const days = num(inputs, "retentionInDays");
  const name = str(inputs, "name");
  return [
    fact<LogGroupFact>(common, {
      kind: "log-group",
      service: "cloudwatch",
      ...(name ? { logName: name } : {}),
      // 0 means never expire, as does no value.
      ...(days !== undefined && days > 0 ? { retentionDays: days } : {}),
      // CloudWatch Logs always encrypts; a KMS key makes it the customer's.
      encryption: awsKey(str(inputs, "kmsKeyId"), "provider-key"),
    }),
  ];
}

// ---------------------------------------------------------------------------
// Network

function rule(common: FactCommon, direction: "ingress" | "egress", r: Bag, attachedTo: string | undefined): FirewallRuleFact {
  const from = num(r, "fromPort");
  const to = num(r, "toPort");
  const sources = [...strings(r, "cidrBlocks"), ...strings(r, "ipv6CidrBlocks"), ...strings(r, "cidrIpv4"), ...strings(r, "cidrIpv6"), ...strings(r, "securityGroups"), ...strings(r, "sourceSecurityGroupId"), ...strings(r, "referencedSecurityGroupId")];
  return fact<FirewallRuleFact>(common, {
    kind: "firewall-rule",
    direction,
    action: "allow",
    protocol: str(r, "protocol") ?? str(r, "ipProtocol") ?? "-1",
    ...(from !== undefined ? { fromPort: from } : {}),
    ...(to !== undefined ? { toPort: to } : {}),
    sources,
    ...(attachedTo ? { attachedTo } : {}),
  });
}

function securityGroup({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "name") ?? common.resource.name;
  return [...records(inputs, "ingress").map((r) => rule(common, "ingress", r, name)), ...records(inputs, "egress").map((r) => rule(common, "egress", r, name))];
}

function securityGroupRule({ inputs, common }: AdapterInput): Fact[] {
  const direction = str(inputs, "type") === "egress" ? "egress" : "ingress";
  return [rule(common, direction, inputs, str(inputs, "securityGroupId"))];
}

function natGateway({ inputs, common }: AdapterInput): Fact[] {
  return [fact<NatGatewayFact>(common, { kind: "nat-gateway", public: (str(inputs, "connectivityType") ?? "public") === "public" })];
}

// ---------------------------------------------------------------------------
// Secrets, keys, budgets

function secret({ inputs, common }: AdapterInput): Fact[] {
  return [
    fact<SecretFact>(common, {
      kind: "secret",
      store: "secretsmanager",
      encryption: awsKey(str(inputs, "kmsKeyId"), "provider-key"),
      // Rotation is its own resource (SecretRotation); linking sets it.
      rotation: false,
      rotationSupported: true,
    }),
  ];
}

function kmsKey({ inputs, common }: AdapterInput): Fact[] {
  const days = num(inputs, "rotationPeriodInDays");
  const spec = str(inputs, "customerMasterKeySpec") ?? str(inputs, "keySpec") ?? "SYMMETRIC_DEFAULT";
  // Only symmetric keys rotate; asymmetric and HMAC keys cannot.
  const rotation = bool(inputs, "enableKeyRotation") === true || spec !== "SYMMETRIC_DEFAULT";
  return [fact<EncryptionKeyFact>(common, { kind: "encryption-key", service: "kms", rotation, ...(days !== undefined ? { rotationDays: days } : {}) })];
}

function budget({ inputs, common }: AdapterInput): Fact[] {
  const amount = num(inputs, "limitAmount");
  const unit = str(inputs, "limitUnit") ?? "USD";
  return [
    fact<BudgetFact>(common, {
      kind: "budget",
      service: "aws-budgets",
      ...(amount !== undefined && unit === "USD" ? { amountUsd: amount } : {}),
      period: str(inputs, "timeUnit") ?? "MONTHLY",
      alertPercents: records(inputs, "notifications")
        .filter((n) => (str(n, "thresholdType") ?? "PERCENTAGE") === "PERCENTAGE")
        .map((n) => num(n, "threshold"))
        .filter((n): n is number => n !== undefined),
    }),
  ];
}

const tagged = (adapt: AdapterEntry["adapt"]): AdapterEntry => ({ taggable: true, adapt });
const untagged = (adapt: AdapterEntry["adapt"]): AdapterEntry => ({ taggable: false, adapt });
const none = () => [];

/** Billing dimensions of types no other fact describes (ResourceFact.billing). */
const vpcEndpointBilling = ({ inputs }: AdapterInput) => ({ endpointType: str(inputs, "vpcEndpointType") ?? "Gateway", zones: strings(inputs, "subnetIds").length });
const webAclBilling = ({ inputs }: AdapterInput) => ({ rules: records(inputs, "rules").length });
const lambdaBilling = ({ inputs }: AdapterInput) => ({ memoryMb: num(inputs, "memorySize") ?? 128, architecture: strings(inputs, "architectures")[0] ?? "x86_64" });
/** A Route 53 health check's billed options: HTTPS, string matching, a 10 s interval and latency measurement each cost extra. */
const healthCheckBilling = ({ inputs }: AdapterInput) => {
  const type = str(inputs, "type") ?? "HTTP";
  return { checkType: type, https: /^HTTPS/.test(type), stringMatching: /_STR_MATCH$/.test(type), fastInterval: num(inputs, "requestInterval") === 10, measureLatency: bool(inputs, "measureLatency") === true };
};

/** AWS resources by Pulumi type token. */
export const awsAdapters: AdapterTable = {
  "aws:ecs/taskDefinition:TaskDefinition": tagged(taskDefinition),
  "aws:ecs/service:Service": tagged(ecsService),
  "aws:ecs/cluster:Cluster": tagged(ecsCluster),
  "aws:ecs/capacityProvider:CapacityProvider": tagged(none),
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": untagged(none),
  "aws:appautoscaling/target:Target": tagged(appAutoscalingTarget),
  "aws:appautoscaling/policy:Policy": untagged(none),
  "aws:eks/cluster:Cluster": tagged(eksCluster),
  "aws:eks/nodeGroup:NodeGroup": tagged(eksNodeGroup),
  "aws:eks/addon:Addon": tagged(none),
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": tagged(none),
  "aws:ec2/launchTemplate:LaunchTemplate": tagged(launchTemplate),
  "aws:ec2/instance:Instance": tagged(ec2Instance),
  "aws:autoscaling/group:Group": tagged(autoscalingGroup),
  "aws:sqs/queue:Queue": tagged(sqsQueue),
  "aws:sqs/queuePolicy:QueuePolicy": resourcePolicy("queue", "queueUrl"),
  "aws:sqs/redrivePolicy:RedrivePolicy": untagged(none),
  "aws:sns/topic:Topic": tagged(snsTopic),
  "aws:sns/topicPolicy:TopicPolicy": resourcePolicy("topic", "arn"),
  "aws:sns/topicSubscription:TopicSubscription": untagged(none),
  "aws:iam/role:Role": tagged(iamRole),
  "aws:iam/policy:Policy": tagged(({ inputs, common }) => [identityPolicy(common, inputs.policy, undefined)]),
  "aws:iam/rolePolicy:RolePolicy": untagged(({ inputs, common }) => [identityPolicy(common, inputs.policy, { kind: "role", ref: str(inputs, "role") ?? "" })]),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": untagged(policyAttachment),
  "aws:iam/policyAttachment:PolicyAttachment": untagged(policyAttachment),
  "aws:apigatewayv2/api:Api": tagged(none),
  "aws:apigatewayv2/stage:Stage": tagged(httpApiStage),
  "aws:apigatewayv2/route:Route": untagged(httpApiRoute),
  "aws:apigatewayv2/integration:Integration": untagged(none),
  "aws:apigatewayv2/authorizer:Authorizer": untagged(none),
  "aws:apigatewayv2/domainName:DomainName": tagged(apiDomainName),
  "aws:apigatewayv2/vpcLink:VpcLink": tagged(none),
  "aws:apigateway/restApi:RestApi": tagged(none),
  "aws:apigateway/stage:Stage": tagged(restApiStage),
  "aws:apigateway/method:Method": untagged(restMethod),
  "aws:apigateway/methodSettings:MethodSettings": untagged(restMethodSettings),
  "aws:apigateway/domainName:DomainName": tagged(apiDomainName),
  "aws:wafv2/webAcl:WebAcl": { ...tagged(none), billing: webAclBilling },
  "aws:lambda/function:Function": { ...tagged(none), billing: lambdaBilling },
  "aws:wafv2/webAclAssociation:WebAclAssociation": untagged(wafAssociation),
  "aws:lb/loadBalancer:LoadBalancer": tagged(loadBalancer),
  "aws:lb/listener:Listener": tagged(listener),
  "aws:lb/targetGroup:TargetGroup": tagged(none),
  "aws:dynamodb/table:Table": tagged(dynamoTable),
  "aws:rds/instance:Instance": rdsInstance("rds"),
  "aws:rds/cluster:Cluster": rdsInstance("aurora"),
  "aws:elasticache/replicationGroup:ReplicationGroup": tagged(replicationGroup),
  "aws:elasticache/serverlessCache:ServerlessCache": tagged(serverlessCache),
  "aws:elasticache/cluster:Cluster": tagged(cacheCluster),
  "aws:cloudwatch/logGroup:LogGroup": tagged(logGroup),
  "aws:cloudwatch/metricAlarm:MetricAlarm": tagged(none),
  "aws:cloudwatch/dashboard:Dashboard": untagged(none),
  "aws:ec2/securityGroup:SecurityGroup": tagged(securityGroup),
  "aws:ec2/securityGroupRule:SecurityGroupRule": untagged(securityGroupRule),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": tagged(({ inputs, common }) => [rule(common, "ingress", inputs, str(inputs, "securityGroupId"))]),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": tagged(({ inputs, common }) => [rule(common, "egress", inputs, str(inputs, "securityGroupId"))]),
  "aws:ec2/natGateway:NatGateway": tagged(natGateway),
  "aws:ec2/vpc:Vpc": tagged(none),
  "aws:ec2/subnet:Subnet": tagged(none),
  "aws:ec2/eip:Eip": tagged(none),
  "aws:ec2/internetGateway:InternetGateway": tagged(none),
  "aws:ec2/routeTable:RouteTable": tagged(none),
  "aws:ec2/route:Route": untagged(none),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": untagged(none),
  "aws:ec2/vpcEndpoint:VpcEndpoint": { ...tagged(none), billing: vpcEndpointBilling },
  "aws:secretsmanager/secret:Secret": tagged(secret),
  "aws:secretsmanager/secretVersion:SecretVersion": untagged(none),
  "aws:secretsmanager/secretRotation:SecretRotation": untagged(none),
  "aws:kms/key:Key": tagged(kmsKey),
  "aws:kms/alias:Alias": untagged(none),
  "aws:budgets/budget:Budget": tagged(budget),
  "aws:ecr/repository:Repository": tagged(none),
  "aws:xray/group:Group": tagged(none),
  "aws:sns/topicSubscriptionFilter:TopicSubscriptionFilter": untagged(none),
  "aws:route53/healthCheck:HealthCheck": { ...tagged(none), billing: healthCheckBilling },
};
