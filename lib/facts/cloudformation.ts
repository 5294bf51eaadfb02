import { factsFromResources } from "./core";
import type { Fact, RawResource } from "./types";
import { isRecord, type Bag } from "./values";

/**
 * CloudFormation (what CDK synthesizes) into facts: each resource's properties are
 * translated into the Pulumi AWS provider's shape and read by the same adapters,
 * so a CDK stack and a Pulumi stack with the same resources give the same facts.
 */

export interface CloudFormationResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

export interface CloudFormationTemplate {
  readonly Resources?: Readonly<Record<string, CloudFormationResource>>;
  readonly Outputs?: Readonly<Record<string, unknown>>;
}

/** Intrinsic functions as readable strings: `{Ref: X}` -> `X`, `{Fn::GetAtt: [X, Arn]}` -> `X.Arn`. */
function intrinsic(v: unknown): unknown {
  if (!isRecord(v)) return Array.isArray(v) ? v.map(intrinsic) : v;
  const keys = Object.keys(v);
  if (keys.length === 1) {
    const [k] = keys;
    const x = v[k];
    if (k === "Ref") return String(x);
    if (k === "Fn::GetAtt") return Array.isArray(x) ? x.map(String).join(".") : String(x);
    if (k === "Fn::Join" && Array.isArray(x) && Array.isArray(x[1])) return x[1].map((p) => String(intrinsic(p))).join(String(x[0]));
    if (k === "Fn::Sub") return typeof x === "string" ? x : Array.isArray(x) ? String(x[0]) : JSON.stringify(x);
    if (k === "Fn::ImportValue" || k === "Fn::Select" || k === "Fn::If") return JSON.stringify(x);
  }
  return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, intrinsic(x)]));
}

/** PascalCase keys to camelCase, deeply (ECS container definitions, EKS configs...). Tag lists become maps. */
function camel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camel);
  if (!isRecord(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const key = k.length > 0 ? k[0].toLowerCase() + k.slice(1) : k;
    out[key] = k === "Tags" ? tagMap(x) : k === "Labels" ? x : camel(x);
  }
  return out;
}

function tagMap(v: unknown): Record<string, string> {
  if (Array.isArray(v)) {
    return Object.fromEntries(v.filter(isRecord).map((t) => [String(t.Key ?? t.key), String(t.Value ?? t.value)]));
  }
  return isRecord(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};
}

const pick = (p: Bag, ...path: string[]): unknown => path.reduce<unknown>((cur, k) => (isRecord(cur) ? cur[k] : undefined), p);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

interface Translation {
  readonly as: string;
  /** Extra or renamed inputs over the camel-cased properties. */
  readonly map?: (p: Bag, c: Bag) => Record<string, unknown>;
  /** Whether the CloudFormation type takes tags, where it differs from the Pulumi type it is read as. */
  readonly taggable?: boolean;
}

const securityRule = (r: Bag) => ({
  protocol: r.IpProtocol,
  fromPort: r.FromPort,
  toPort: r.ToPort,
  cidrBlocks: list(r.CidrIp),
  ipv6CidrBlocks: list(r.CidrIpv6),
  securityGroups: list(r.SourceSecurityGroupId ?? r.DestinationSecurityGroupId),
});

const TRANSLATIONS: Readonly<Record<string, Translation>> = {
  "AWS::SQS::Queue": { as: "aws:sqs/queue:Queue", map: (p) => ({ name: p.QueueName, messageRetentionSeconds: p.MessageRetentionPeriod }) },
  "AWS::SQS::QueuePolicy": { as: "aws:sqs/queuePolicy:QueuePolicy", map: (p) => ({ policy: p.PolicyDocument, queueUrl: list(p.Queues)[0] }) },
  "AWS::SNS::Topic": { as: "aws:sns/topic:Topic", map: (p) => ({ name: p.TopicName }) },
  "AWS::SNS::Subscription": { as: "aws:sns/topicSubscription:TopicSubscription", map: (p) => ({ topic: p.TopicArn, endpoint: p.Endpoint, protocol: p.Protocol }) },
  "AWS::CloudWatch::Alarm": { as: "aws:cloudwatch/metricAlarm:MetricAlarm", map: (p) => ({ name: p.AlarmName, threshold: p.Threshold }) },
  "AWS::ApplicationAutoScaling::ScalingPolicy": { as: "aws:appautoscaling/policy:Policy", map: (p) => ({ name: p.PolicyName, policyType: p.PolicyType }) },
  "AWS::SNS::TopicPolicy": { as: "aws:sns/topicPolicy:TopicPolicy", map: (p) => ({ policy: p.PolicyDocument, arn: list(p.Topics)[0] }) },
  "AWS::IAM::Role": {
    as: "aws:iam/role:Role",
    map: (p) => ({
      name: p.RoleName,
      assumeRolePolicy: p.AssumeRolePolicyDocument,
      inlinePolicies: list(p.Policies).filter(isRecord).map((x) => ({ name: x.PolicyName, policy: x.PolicyDocument })),
    }),
  },
  "AWS::IAM::Policy": { as: "aws:iam/rolePolicy:RolePolicy", map: (p) => ({ policy: p.PolicyDocument, role: list(p.Roles)[0] }) },
  "AWS::IAM::ManagedPolicy": { as: "aws:iam/policy:Policy", map: (p) => ({ policy: p.PolicyDocument }) },
  "AWS::ECS::TaskDefinition": {
    as: "aws:ecs/taskDefinition:TaskDefinition",
    map: (p, c) => ({
      containerDefinitions: c.containerDefinitions,
      volumes: list(p.Volumes).filter(isRecord).map((v) => ({ name: v.Name, hostPath: pick(v, "Host", "SourcePath") })),
    }),
  },
  "AWS::ECS::Service": {
    as: "aws:ecs/service:Service",
    map: (p, c) => ({
      name: p.ServiceName,
      capacityProviderStrategies: c.capacityProviderStrategy,
      networkConfiguration: { assignPublicIp: pick(p, "NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp") === "ENABLED" },
    }),
  },
  "AWS::ECS::Cluster": { as: "aws:ecs/cluster:Cluster", map: (p, c) => ({ name: p.ClusterName, settings: c.clusterSettings }) },
  "AWS::ApplicationAutoScaling::ScalableTarget": { as: "aws:appautoscaling/target:Target" },
  "AWS::EKS::Cluster": {
    as: "aws:eks/cluster:Cluster",
    map: (p, c) => ({
      vpcConfig: c.resourcesVpcConfig,
      enabledClusterLogTypes: list(pick(p, "Logging", "ClusterLogging", "EnabledTypes")).filter(isRecord).map((t) => t.Type),
    }),
  },
  "AWS::EKS::Nodegroup": {
    as: "aws:eks/nodeGroup:NodeGroup",
    map: (p) => ({ nodeGroupName: p.NodegroupName, remoteAccess: isRecord(p.RemoteAccess) ? { ec2SshKey: p.RemoteAccess.Ec2SshKey, sourceSecurityGroupIds: p.RemoteAccess.SourceSecurityGroups } : undefined }),
  },
  "AWS::EC2::LaunchTemplate": {
    as: "aws:ec2/launchTemplate:LaunchTemplate",
    map: (p, c) => ({
      name: p.LaunchTemplateName,
      ...(isRecord(c.launchTemplateData) ? c.launchTemplateData : {}),
      // The template's own tags are the tag specification for resource type launch-template.
      tags: tagMap(list(p.TagSpecifications).filter(isRecord).find((t) => t.ResourceType === "launch-template")?.Tags),
    }),
  },
  "AWS::EC2::Instance": { as: "aws:ec2/instance:Instance" },
  "AWS::AutoScaling::AutoScalingGroup": {
    as: "aws:autoscaling/group:Group",
    map: (p) => ({ name: p.AutoScalingGroupName, launchTemplate: isRecord(p.LaunchTemplate) ? { id: p.LaunchTemplate.LaunchTemplateId, name: p.LaunchTemplate.LaunchTemplateName } : undefined }),
  },
  "AWS::DynamoDB::Table": {
    as: "aws:dynamodb/table:Table",
    map: (p) => ({
      readCapacity: pick(p, "ProvisionedThroughput", "ReadCapacityUnits"),
      writeCapacity: pick(p, "ProvisionedThroughput", "WriteCapacityUnits"),
      pointInTimeRecovery: { enabled: pick(p, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled") },
      serverSideEncryption: { enabled: pick(p, "SSESpecification", "SSEEnabled"), kmsKeyArn: pick(p, "SSESpecification", "KMSMasterKeyId") },
    }),
  },
  "AWS::RDS::DBInstance": {
    as: "aws:rds/instance:Instance",
    // A read replica in another region states no StorageEncrypted: it is encrypted with its KmsKeyId (RDS makes one only of an encrypted source).
    map: (p) => ({ instanceClass: p.DBInstanceClass, multiAz: p.MultiAZ, ...(p.SourceDBInstanceIdentifier !== undefined && p.KmsKeyId !== undefined && p.StorageEncrypted === undefined ? { storageEncrypted: true } : {}) }),
  },
  // A global table (CDK's TableV2) read as the table of its stack's region, whose replica CDK renders last; deletion protection only when every replica has it.
  "AWS::DynamoDB::GlobalTable": {
    as: "aws:dynamodb/table:Table",
    map: (p) => {
      const replicas = list(p.Replicas).filter(isRecord);
      const own: Bag = replicas[replicas.length - 1] ?? {};
      return {
        pointInTimeRecovery: { enabled: pick(own, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled") },
        serverSideEncryption: { enabled: pick(p, "SSESpecification", "SSEEnabled"), kmsKeyArn: pick(own, "SSESpecification", "KMSMasterKeyId") },
        deletionProtectionEnabled: replicas.length > 0 && replicas.every((r) => r.DeletionProtectionEnabled === true),
        tags: tagMap(own.Tags),
      };
    },
  },
  "AWS::RDS::DBCluster": { as: "aws:rds/cluster:Cluster", map: (p) => ({ dbClusterInstanceClass: p.DBClusterInstanceClass, serverlessv2ScalingConfiguration: p.ServerlessV2ScalingConfiguration }) },
  "AWS::ElastiCache::ReplicationGroup": { as: "aws:elasticache/replicationGroup:ReplicationGroup", map: (p) => ({ nodeType: p.CacheNodeType, multiAzEnabled: p.MultiAZEnabled }) },
  "AWS::ElastiCache::ServerlessCache": { as: "aws:elasticache/serverlessCache:ServerlessCache" },
  "AWS::ElastiCache::CacheCluster": { as: "aws:elasticache/cluster:Cluster", map: (p) => ({ nodeType: p.CacheNodeType }) },
  "AWS::Logs::LogGroup": { as: "aws:cloudwatch/logGroup:LogGroup", map: (p) => ({ name: p.LogGroupName }) },
  "AWS::EC2::SecurityGroup": {
    as: "aws:ec2/securityGroup:SecurityGroup",
    map: (p) => ({ name: p.GroupName, ingress: list(p.SecurityGroupIngress).filter(isRecord).map(securityRule), egress: list(p.SecurityGroupEgress).filter(isRecord).map(securityRule) }),
  },
  "AWS::EC2::SecurityGroupIngress": {
    as: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    // Unlike the Pulumi rule resource, the CloudFormation one has no Tags.
    taggable: false,
    map: (p) => ({ cidrIpv4: p.CidrIp, cidrIpv6: p.CidrIpv6, ipProtocol: p.IpProtocol, securityGroupId: p.GroupId, referencedSecurityGroupId: p.SourceSecurityGroupId }),
  },
  "AWS::EC2::NatGateway": { as: "aws:ec2/natGateway:NatGateway" },
  "AWS::SecretsManager::Secret": { as: "aws:secretsmanager/secret:Secret", map: (p) => ({ name: p.Name }) },
  "AWS::SecretsManager::RotationSchedule": { as: "aws:secretsmanager/secretRotation:SecretRotation" },
  "AWS::KMS::Key": { as: "aws:kms/key:Key" },
  "AWS::Budgets::Budget": {
    as: "aws:budgets/budget:Budget",
    map: (p) => ({
      limitAmount: pick(p, "Budget", "BudgetLimit", "Amount"),
      limitUnit: pick(p, "Budget", "BudgetLimit", "Unit"),
      timeUnit: pick(p, "Budget", "TimeUnit"),
      tags: tagMap(p.ResourceTags),
      notifications: list(p.NotificationsWithSubscribers)
        .filter(isRecord)
        .map((n) => ({ threshold: pick(n, "Notification", "Threshold"), thresholdType: pick(n, "Notification", "ThresholdType") })),
    }),
  },
  "AWS::ApiGatewayV2::Stage": { as: "aws:apigatewayv2/stage:Stage", map: (p) => ({ name: p.StageName }) },
  "AWS::ApiGatewayV2::Route": { as: "aws:apigatewayv2/route:Route" },
  "AWS::ApiGatewayV2::DomainName": { as: "aws:apigatewayv2/domainName:DomainName", map: (p) => ({ domainNameConfiguration: { securityPolicy: pick(list(p.DomainNameConfigurations)[0] as Bag, "SecurityPolicy") } }) },
  "AWS::ApiGateway::Stage": { as: "aws:apigateway/stage:Stage", map: (p) => ({ accessLogSettings: { destinationArn: pick(p, "AccessLogSetting", "DestinationArn") } }) },
  "AWS::ApiGateway::Method": { as: "aws:apigateway/method:Method", map: (p) => ({ authorization: p.AuthorizationType, restApi: p.RestApiId }) },
  "AWS::ApiGateway::DomainName": { as: "aws:apigateway/domainName:DomainName" },
  "AWS::ApiGateway::BasePathMapping": { as: "aws:apigateway/basePathMapping:BasePathMapping", taggable: false },
  "AWS::CertificateManager::Certificate": { as: "aws:acm/certificate:Certificate", map: (p) => ({ domainName: p.DomainName, validationMethod: p.ValidationMethod }) },
  "AWS::Route53::RecordSet": { as: "aws:route53/record:Record", taggable: false, map: (p) => ({ name: p.Name, type: p.Type, zoneId: p.HostedZoneId }) },
  "AWS::Route53::HealthCheck": {
    as: "aws:route53/healthCheck:HealthCheck",
    map: (p) => ({ type: pick(p, "HealthCheckConfig", "Type"), requestInterval: pick(p, "HealthCheckConfig", "RequestInterval"), measureLatency: pick(p, "HealthCheckConfig", "MeasureLatency"), tags: tagMap(p.HealthCheckTags) }),
  },
  "AWS::EC2::SecurityGroupEgress": {
    as: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    taggable: false,
    map: (p) => ({ cidrIpv4: p.CidrIp, cidrIpv6: p.CidrIpv6, ipProtocol: p.IpProtocol, securityGroupId: p.GroupId, referencedSecurityGroupId: p.DestinationSecurityGroupId }),
  },
  "AWS::WAFv2::WebACLAssociation": { as: "aws:wafv2/webAclAssociation:WebAclAssociation" },
  "AWS::ElasticLoadBalancingV2::LoadBalancer": {
    as: "aws:lb/loadBalancer:LoadBalancer",
    map: (p) => {
      const attrs = list(p.LoadBalancerAttributes).filter(isRecord);
      return { name: p.Name, internal: p.Scheme === "internal", accessLogs: { enabled: attrs.some((a) => a.Key === "access_logs.s3.enabled" && String(a.Value) === "true") } };
    },
  },
  "AWS::ElasticLoadBalancingV2::Listener": {
    as: "aws:lb/listener:Listener",
    map: (p) => ({ defaultActions: list(p.DefaultActions).filter(isRecord).map((a) => ({ type: String(a.Type ?? "").toLowerCase(), redirect: { protocol: pick(a, "RedirectConfig", "Protocol") } })) }),
  },
};

/**
 * CloudFormation types read as the Pulumi type of the same thing with no further
 * mapping: configuration objects the cost estimator knows to be free, and types whose
 * Pulumi facts need nothing the properties do not already say in camelCase.
 */
const SAME_THING: Readonly<Record<string, string>> = {
  "AWS::EC2::VPC": "aws:ec2/vpc:Vpc",
  "AWS::EC2::Subnet": "aws:ec2/subnet:Subnet",
  "AWS::EC2::RouteTable": "aws:ec2/routeTable:RouteTable",
  "AWS::EC2::Route": "aws:ec2/route:Route",
  "AWS::EC2::SubnetRouteTableAssociation": "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "AWS::EC2::InternetGateway": "aws:ec2/internetGateway:InternetGateway",
  "AWS::EC2::VPCGatewayAttachment": "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment",
  "AWS::EC2::FlowLog": "aws:ec2/flowLog:FlowLog",
  "AWS::IAM::InstanceProfile": "aws:iam/instanceProfile:InstanceProfile",
  "AWS::KMS::Alias": "aws:kms/alias:Alias",
  "AWS::SSM::Parameter": "aws:ssm/parameter:Parameter",
  "AWS::ECS::CapacityProvider": "aws:ecs/capacityProvider:CapacityProvider",
  "AWS::ECS::ClusterCapacityProviderAssociations": "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  "AWS::ElastiCache::User": "aws:elasticache/user:User",
  "AWS::ElastiCache::UserGroup": "aws:elasticache/userGroup:UserGroup",
  "AWS::RDS::DBSubnetGroup": "aws:rds/subnetGroup:SubnetGroup",
  "AWS::RDS::DBParameterGroup": "aws:rds/parameterGroup:ParameterGroup",
  "AWS::RDS::DBProxy": "aws:rds/proxy:Proxy",
  "AWS::RDS::DBProxyTargetGroup": "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup",
  "AWS::EC2::EIP": "aws:ec2/eip:Eip",
  "AWS::EC2::VPCEndpoint": "aws:ec2/vpcEndpoint:VpcEndpoint",
  "AWS::Lambda::Function": "aws:lambda/function:Function",
  "AWS::Lambda::Permission": "aws:lambda/permission:Permission",
  "AWS::ApiGateway::RestApi": "aws:apigateway/restApi:RestApi",
  "AWS::ApiGateway::Resource": "aws:apigateway/resource:Resource",
  "AWS::ApiGateway::RequestValidator": "aws:apigateway/requestValidator:RequestValidator",
  "AWS::ApiGateway::Authorizer": "aws:apigateway/authorizer:Authorizer",
  "AWS::ApiGateway::Deployment": "aws:apigateway/deployment:Deployment",
  "AWS::ApiGateway::Account": "aws:apigateway/account:Account",
  "AWS::ApiGateway::Model": "aws:apigateway/model:Model",
  "AWS::ApiGateway::UsagePlan": "aws:apigateway/usagePlan:UsagePlan",
  "AWS::ApiGateway::UsagePlanKey": "aws:apigateway/usagePlanKey:UsagePlanKey",
  "AWS::ApiGateway::ApiKey": "aws:apigateway/apiKey:ApiKey",
  "AWS::WAFv2::WebACL": "aws:wafv2/webAcl:WebAcl",
};
const KNOWN: Readonly<Record<string, Translation>> = { ...Object.fromEntries(Object.entries(SAME_THING).map(([cfn, as]) => [cfn, { as }])), ...TRANSLATIONS };

/** CloudFormation types the adapters understand. */
export function cloudFormationTypes(): string[] {
  return Object.keys(KNOWN).sort();
}

/** One CloudFormation resource in the Pulumi AWS provider's shape. */
export function translateCloudFormation(logicalId: string, r: CloudFormationResource): RawResource {
  const props = intrinsic(r.Properties ?? {}) as Bag;
  const c = camel(props) as Bag;
  const t = KNOWN[r.Type];
  const extra = t?.map ? t.map(props, c) : {};
  const inputs = Object.fromEntries(Object.entries({ ...c, ...extra }).filter(([, v]) => v !== undefined));
  return { urn: `cfn::${logicalId}`, type: r.Type, name: logicalId, inputs, ...(t ? { adaptAs: t.as } : {}), ...(t?.taggable !== undefined ? { taggable: t.taggable } : {}) };
}

/** Facts from a synthesized CloudFormation template. */
export function factsFromCloudFormation(template: CloudFormationTemplate, options: { readonly region?: string } = {}): Fact[] {
  const resources = Object.entries(template.Resources ?? {}).map(([id, r]) => translateCloudFormation(id, r));
  return factsFromResources(resources, options.region ? { config: { "aws:region": options.region } } : {});
}
