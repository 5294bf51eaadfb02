/** ECS task definitions and services, EKS clusters and node groups, EC2 launch templates, instances and Auto Scaling groups as workload, cluster and node facts. */
import { fact, type AdapterInput } from "./context";
import { gpuOfMachine } from "./gpu-shapes";
import type { AutoscalerFact, ClusterFact, ContainerFact, ContainerWorkloadFact, Fact, NodePoolFact, NodeTemplateFact } from "./types";
import { bool, first, isRecord, jsonish, num, obj, records, str, strings, type Bag } from "./values";

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

export function taskDefinition({ inputs, common }: AdapterInput): Fact[] {
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

export function ecsService({ inputs, common }: AdapterInput): Fact[] {
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

export function ecsCluster({ inputs, common }: AdapterInput): Fact[] {
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

export function appAutoscalingTarget({ inputs, common }: AdapterInput): Fact[] {
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

export function eksCluster({ inputs, common }: AdapterInput): Fact[] {
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

export function eksNodeGroup({ inputs, common }: AdapterInput): Fact[] {
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

export function launchTemplate({ inputs, common }: AdapterInput): Fact[] {
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

export function ec2Instance({ inputs, common }: AdapterInput): Fact[] {
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

export function autoscalingGroup({ inputs, common }: AdapterInput): Fact[] {
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
