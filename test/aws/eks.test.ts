import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import { MicroAgentsConfigError } from "../../lib/spec";
import type { CapturedResource, ResourceGraph } from "../../lib/offline/engine";
import { CLUSTER_AUTOSCALER_TAG, EKS_CHARTS, EKS_VERSION } from "../../lib/targets/aws-eks/charts";
import { CONTROL_PLANE_LOGS } from "../../lib/targets/aws-eks/platform";
import { POD_IDENTITY_ENDPOINT } from "../../lib/targets/aws-eks/service";
import { validateManifest } from "../../lib/validate/kubernetes";
import { agent, awsFleet, json, list, planAws, type Statement } from "../helpers/aws";
import { at, one, ofType } from "../helpers/offline";

/** A CPU agent behind a public sync route with a secret, an open async route, and a time-sliced GPU batch agent. */
const fleet = awsFleet(
  "eks",
  [
    agent("sync", { route: { path: "/s", invoke: "sync", auth: "apiKey" }, secrets: { API_TOKEN: { ref: "sync-token", key: "token" } }, scaling: { mode: "horizontal", min: 1, max: 3 } }),
    agent("open", { route: { path: "/open", auth: "none" } }),
    agent("vision", { resources: { cpu: 1, memory: "2Gi", gpu: { share: 0.25, memoryGi: 4 } }, criticality: "batch" }),
  ],
  { gateway: { public: true } },
);
const E = {
  cluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  addon: "aws:eks/addon:Addon",
  association: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  release: "kubernetes:helm.sh/v3:Release",
  deployment: "kubernetes:apps/v1:Deployment",
  scaled: "kubernetes:keda.sh/v1alpha1:ScaledObject",
  netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
};
const release = (g: ResourceGraph, name: string) => {
  const found = ofType(g, E.release).filter((r) => r.inputs.name === name);
  assert.equal(found.length, 1, name);
  return found[0];
};
const podSpec = (d: CapturedResource) => at(d, "spec", "template", "spec") as Record<string, unknown>;

describe("EKS target", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await planAws(fleet);
  });

  describe("AgentPlatform", () => {
    it("creates a private cluster: secrets under the fleet key, every control-plane log, access entries, standard support", () => {
      const c = one(g, E.cluster, "acme");
      const keyArn = ofType(g, "aws:kms/key:Key")[0].outputs.arn;
      assert.equal(c.inputs.version, EKS_VERSION);
      assert.deepEqual(at(c, "vpcConfig", "endpointPrivateAccess"), true);
      assert.deepEqual(at(c, "vpcConfig", "endpointPublicAccess"), false);
      assert.equal(at(c, "vpcConfig", "publicAccessCidrs"), undefined);
      assert.deepEqual(c.inputs.encryptionConfig, { provider: { keyArn }, resources: ["secrets"] });
      assert.deepEqual(c.inputs.enabledClusterLogTypes, [...CONTROL_PLANE_LOGS]);
      assert.deepEqual(c.inputs.accessConfig, { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
      assert.deepEqual(c.inputs.upgradePolicy, { supportType: "STANDARD" });
      const log = one(g, "aws:cloudwatch/logGroup:LogGroup", "acme-control-plane");
      assert.equal(log.inputs.name, "/aws/eks/acme-prod/cluster");
      assert.deepEqual(ofType(g, "aws:cloudwatch/logGroup:LogGroup").map((l) => String(l.inputs.name)).filter((n) => n.startsWith("/aws/containerinsights/")).sort(), ["application", "dataplane", "host", "performance"].map((k) => `/aws/containerinsights/acme-prod/${k}`));
    });

    it("installs the VPC CNI with network policies, CoreDNS, kube-proxy, Pod Identity and CloudWatch observability as EKS add-ons", () => {
      const addons = ofType(g, E.addon);
      assert.deepEqual(addons.map((a) => a.inputs.addonName).sort(), ["amazon-cloudwatch-observability", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
      assert.deepEqual(json(one(g, E.addon, "acme-vpc-cni").inputs.configurationValues), { enableNetworkPolicy: "true" });
      assert.deepEqual(at(one(g, E.addon, "acme-amazon-cloudwatch-observability"), "podIdentityAssociations", 0, "serviceAccount"), "cloudwatch-agent");
    });

    it("runs a system node group sized for the CPU agents, IMDSv2 with hop limit 1", () => {
      const system = one(g, E.nodeGroup, "acme-system");
      assert.deepEqual([system.inputs.amiType, system.inputs.capacityType, system.inputs.instanceTypes, system.inputs.scalingConfig], ["AL2023_x86_64_STANDARD", "ON_DEMAND", ["m7i.large"], { minSize: 2, maxSize: 3, desiredSize: 2 }]);
      for (const lt of ofType(g, "aws:ec2/launchTemplate:LaunchTemplate")) assert.deepEqual(lt.inputs.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" }, lt.name);
      assert.match(String(at(system, "launchTemplate", "id")), /^lt-/);
    });

    it("installs KEDA, the Cluster Autoscaler, the device plugin and the secrets CSI provider, each on its own Pod Identity role", () => {
      assert.equal(release(g, "keda").inputs.version, "2.21.1");
      const ca = release(g, "cluster-autoscaler");
      assert.equal(ca.inputs.version, EKS_CHARTS["cluster-autoscaler"].version);
      assert.deepEqual(at(ca, "values", "autoDiscovery"), { clusterName: "acme-prod" });
      assert.deepEqual(at(ca, "values", "image"), { tag: CLUSTER_AUTOSCALER_TAG });
      const dp = release(g, "nvidia-device-plugin");
      assert.deepEqual(Object.keys(at(dp, "values", "config", "map") as object).sort(), ["acme-t4-shared", "default"]);
      assert.deepEqual(at(dp, "values", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"), [{ matchExpressions: [{ key: "microagents.io/gpu-pool", operator: "Exists" }] }]);
      assert.deepEqual(at(release(g, "secrets-store-csi-driver-provider-aws"), "values", "secrets-store-csi-driver", "syncSecret"), { enabled: true });
      assert.deepEqual(ofType(g, E.association).map((a) => `${a.inputs.namespace}/${a.inputs.serviceAccount}`).sort(), ["acme/open", "acme/sync", "acme/vision", "keda/keda-operator", "kube-system/cluster-autoscaler"]);
      const ca_policy = (json(one(g, "aws:iam/rolePolicy:RolePolicy", "acme-cluster-autoscaler").inputs.policy) as { Statement: Statement[] }).Statement;
      assert.deepEqual(ca_policy[0].Condition, { StringEquals: { "aws:ResourceTag/eks:cluster-name": "acme-prod" } });
      const keda = (json(one(g, "aws:iam/rolePolicy:RolePolicy", "acme-keda").inputs.policy) as { Statement: Statement[] }).Statement;
      // The fleet's input queues by name and tags (one statement whatever the fleet's size): not its DLQs, not another fleet's.
      const inputTags = { "aws:ResourceTag/fleet": "acme", "aws:ResourceTag/environment": "prod", "aws:ResourceTag/microagents.io/queue-role": "input" };
      assert.deepEqual(keda, [{ Sid: "ReadQueueDepths", Effect: "Allow", Action: "sqs:GetQueueAttributes", Resource: "arn:aws:sqs:eu-west-1:123456789012:acme-prod-*", Condition: { StringEquals: inputTags } }], "the input queues only");
      for (const a of ["sync", "open", "vision"]) {
        const q = one(g, "aws:sqs/queue:Queue", `acme-${a}-queue`);
        assert.ok(String(q.inputs.name).startsWith("acme-prod-"));
        assert.deepEqual([q.inputs.tags].map((t) => { const tags = t as Record<string, string>; return { fleet: tags.fleet, environment: tags.environment, role: tags["microagents.io/queue-role"] }; }), [{ fleet: "acme", environment: "prod", role: "input" }]);
      }
    });

    it("makes the fleet namespace restricted and default-deny", () => {
      const ns = one(g, "kubernetes:core/v1:Namespace", "acme");
      assert.equal(at(ns, "metadata", "labels", "pod-security.kubernetes.io/enforce"), "restricted");
      assert.deepEqual(at(one(g, E.netpol, "acme-default-deny"), "spec"), { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    });
  });

  describe("GpuAgentPool", () => {
    it("adds a managed node group on the NVIDIA AMI, tainted, labelled for the device plugin's time-slicing, spot for a batch pool", () => {
      const gpu = one(g, E.nodeGroup, "acme-t4-shared");
      assert.deepEqual(
        [gpu.inputs.amiType, gpu.inputs.capacityType, gpu.inputs.instanceTypes, gpu.inputs.scalingConfig, gpu.inputs.taints],
        ["AL2023_x86_64_NVIDIA", "SPOT", ["g4dn.xlarge"], { minSize: 0, maxSize: 1, desiredSize: 0 }, [{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }]],
      );
      assert.deepEqual(gpu.inputs.labels, { "microagents.io/gpu-pool": "t4-shared", "nvidia.com/device-plugin.config": "acme-t4-shared", "nvidia.com/gpu.present": "true" });
    });
  });

  describe("MicroAgentService", () => {
    it("reuses the hardened workload, on the agent's own Pod Identity role", () => {
      const d = one(g, E.deployment, "acme-sync");
      const spec = podSpec(d);
      assert.equal(spec.serviceAccountName, "sync");
      const c = (spec.containers as Array<Record<string, unknown>>)[0];
      assert.deepEqual(at({ inputs: c }, "securityContext", "readOnlyRootFilesystem"), true);
      const env = c.env as Array<{ name: string; value?: string; valueFrom?: unknown }>;
      assert.match(String(env.find((e) => e.name === "MICROAGENTS_QUEUE_URL")?.value), /^https:\/\/sqs\.eu-west-1\.amazonaws\.com\/123456789012\/acme-prod-sync$/);
      assert.deepEqual(env.find((e) => e.name === "API_TOKEN")?.valueFrom, { secretKeyRef: { name: "sync-token", key: "token" } });
      assert.deepEqual(at({ inputs: spec }, "volumes", 1), { name: "secrets-0", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "sm-sync-token" } } });
      assert.deepEqual(validateManifest(d.inputs), []);
      const trust = (json(one(g, "aws:iam/role:Role", "acme-sync").inputs.assumeRolePolicy) as { Statement: Statement[] }).Statement[0];
      assert.deepEqual([trust.Principal, trust.Action], [{ Service: "pods.eks.amazonaws.com" }, ["sts:AssumeRole", "sts:TagSession"]]);
      const policy = (json(one(g, "aws:iam/rolePolicy:RolePolicy", "acme-sync").inputs.policy) as { Statement: Statement[] }).Statement;
      assert.deepEqual(policy.find((s) => s.Sid === "ReadOwnSecrets")?.Resource, ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:sync-token-AbCdEf"]);
      const association = one(g, E.association, "acme-sync");
      assert.equal(association.inputs.roleArn, one(g, "aws:iam/role:Role", "acme-sync").outputs.arn);
    });

    it("syncs the secret from Secrets Manager through a SecretProviderClass that uses the pod's identity", () => {
      const spc = one(g, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass", "acme-secret-sm-sync-token");
      assert.deepEqual(at(spc, "spec", "secretObjects"), [{ secretName: "sync-token", type: "Opaque", data: [{ objectName: "sync-token__token", key: "token" }] }]);
      assert.equal(at(spc, "spec", "parameters", "usePodIdentity"), "true");
      assert.deepEqual(validateManifest(spc.inputs), []);
      assert.notDeepEqual(validateManifest({ ...spc.inputs, spec: { provider: "aws", secretObjects: [{ secretName: 1 }] } }), [], "the vendored schema rejects a wrong shape");
    });

    it("scales on the SQS queue with KEDA's aws-sqs-queue trigger, in-flight messages included, through the operator's identity", () => {
      const so = one(g, E.scaled, "acme-sync");
      assert.deepEqual(at(so, "spec", "triggers", 0), {
        type: "aws-sqs-queue",
        metadata: { queueURL: "https://sqs.eu-west-1.amazonaws.com/123456789012/acme-prod-sync", queueLength: "10", activationQueueLength: "0", awsRegion: "eu-west-1", scaleOnInFlight: "true" },
        authenticationRef: { name: "aws-pod-identity" },
      });
      assert.deepEqual([at(so, "spec", "minReplicaCount"), at(so, "spec", "maxReplicaCount")], [1, 3]);
      assert.deepEqual(validateManifest(so.inputs), []);
      const auth = one(g, "kubernetes:keda.sh/v1alpha1:TriggerAuthentication", "acme-keda-aws");
      assert.deepEqual(at(auth, "spec"), { podIdentity: { provider: "aws" } });
      assert.deepEqual(validateManifest(auth.inputs), []);
    });

    it("lets agents reach Pod Identity credentials and the fleet's state, nothing else beyond DNS and public HTTPS", () => {
      const egress = at(one(g, E.netpol, "acme-sync"), "spec", "egress") as Array<{ to: Array<{ ipBlock?: { cidr: string } }>; ports: Array<{ port: number }> }>;
      assert.ok(egress.some((r) => r.to[0]?.ipBlock?.cidr === POD_IDENTITY_ENDPOINT && r.ports[0].port === 80));
      assert.ok(egress.some((r) => r.to[0]?.ipBlock?.cidr === "10.0.0.0/16" && r.ports.map((p) => p.port).join() === "6379,6380,5432"));
    });

    it("schedules the GPU agent on its pool with a time slice", () => {
      const spec = podSpec(one(g, E.deployment, "acme-vision"));
      assert.deepEqual(spec.tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
      assert.deepEqual(at({ inputs: spec }, "containers", 0, "resources", "limits", "nvidia.com/gpu"), "1");
      assert.deepEqual(at({ inputs: spec }, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", 0, "matchExpressions"), [{ key: "microagents.io/gpu-pool", operator: "In", values: ["t4-shared"] }]);
    });

    it("exposes a sync agent to the gateway's NLB through a NodePort on the system nodes, opened to the NLB only", () => {
      const svc = one(g, "kubernetes:core/v1:Service", "acme-sync-edge");
      assert.deepEqual(at(svc, "spec", "ports", 0, "nodePort"), 30000);
      assert.equal(at(svc, "spec", "type"), "NodePort");
      const tg = one(g, "aws:lb/targetGroup:TargetGroup", "acme-sync-sync");
      assert.deepEqual([tg.inputs.targetType, tg.inputs.port], ["instance", 30000]);
      assert.equal(one(g, "aws:autoscaling/attachment:Attachment", "acme-sync-edge").inputs.lbTargetGroupArn, tg.outputs.arn);
      const rule = one(g, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "acme-sync-edge");
      assert.deepEqual([rule.inputs.fromPort, rule.inputs.toPort, rule.inputs.referencedSecurityGroupId], [30000, 30000, at(one(g, "aws:lb/loadBalancer:LoadBalancer", "acme-edge"), "securityGroups", 0)]);
      assert.deepEqual(at(one(g, E.netpol, "acme-sync-edge"), "spec", "ingress"), [{ from: [{ ipBlock: { cidr: "10.0.0.0/16" } }], ports: [{ protocol: "TCP", port: 8080 }] }]);
    });
  });

  describe("AgentGateway, state and observability as on ECS", () => {
    it("makes a public gateway regional, with no endpoint or resource policy, and leaves `auth: none` routes open as written", () => {
      const api = one(g, "aws:apigateway/restApi:RestApi", "acme-gateway");
      assert.deepEqual(api.inputs.endpointConfiguration, { types: "REGIONAL" });
      assert.equal(api.inputs.policy, undefined);
      assert.equal(ofType(g, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => String(e.inputs.serviceName).endsWith("execute-api")).length, 0);
      const open = one(g, "aws:apigateway/method:Method", "acme-gateway-open");
      assert.deepEqual([open.inputs.authorization, open.inputs.apiKeyRequired], ["NONE", false]);
      assert.equal(ofType(g, "aws:lambda/function:Function").length, 0, "no JWT route, no authorizer");
    });
    it("reads pod metrics from Container Insights and agent logs from its application log group", () => {
      assert.deepEqual(one(g, "aws:cloudwatch/metricAlarm:MetricAlarm", "acme-observability-sync-memory").inputs.dimensions, { ClusterName: "acme-prod", Namespace: "acme", PodName: "sync" });
      const f = one(g, "aws:cloudwatch/logMetricFilter:LogMetricFilter", "acme-observability-sync-errors");
      assert.equal(f.inputs.logGroupName, "/aws/containerinsights/acme-prod/application");
      assert.equal(f.inputs.pattern, '{ ($.kubernetes.namespace_name = "acme" && $.kubernetes.container_name = "agent" && $.kubernetes.pod_name = "sync-*") && ($.log_processed.level = "error" || $.log_processed.level = "ERROR") }');
      const state = (json(one(g, "aws:iam/rolePolicy:RolePolicy", "acme-state-sync").inputs.policy) as { Statement: Statement[] }).Statement;
      assert.equal(state[0].Sid, "UseSharedTables");
      const cacheSg = one(g, "aws:ec2/securityGroup:SecurityGroup", "acme-state-cache");
      assert.equal(list(at(cacheSg, "ingress", 0, "securityGroups") as string[]).length, 1, "EKS agents leave from the cluster security group");
    });
  });
});

describe("EKS API endpoint access", () => {
  it("opens the public endpoint only to the CIDRs given", async () => {
    const g = await planAws(awsFleet("eks", [agent("w")]), { clusterEndpointCidrs: ["203.0.113.0/24"] });
    const c = one(g, "aws:eks/cluster:Cluster", "acme");
    assert.deepEqual([at(c, "vpcConfig", "endpointPublicAccess"), at(c, "vpcConfig", "publicAccessCidrs")], [true, ["203.0.113.0/24"]]);
  });
  it("rejects a CIDR that is not one, before any resource", async () => {
    await assert.rejects(planAws(awsFleet("eks", [agent("w")]), { clusterEndpointCidrs: ["203.0.113.0/24", "everyone"] }), (e: unknown) => {
      assert.ok(e instanceof MicroAgentsConfigError);
      assert.deepEqual(e.issues.map((i) => i.path), ["clusterEndpointCidrs[1]"]);
      return true;
    });
  });
});
