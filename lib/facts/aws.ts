/**
 * AWS resources by Pulumi type token: the adapter table. The adapters themselves live by
 * service in aws-compute, aws-messaging, aws-identity, aws-gateway, aws-state, aws-network,
 * aws-governance (and S3 in aws-storage).
 */
import type { AdapterEntry, AdapterInput, AdapterTable } from "./context";
import { appAutoscalingTarget, autoscalingGroup, ec2Instance, ecsCluster, ecsService, eksCluster, eksNodeGroup, launchTemplate, taskDefinition } from "./aws-compute";
import { apiDomainName, httpApiRoute, httpApiStage, listener, loadBalancer, restApiStage, restMethod, restMethodSettings, wafAssociation } from "./aws-gateway";
import { budget, kmsKey, logGroup, secret } from "./aws-governance";
import { iamRole, identityPolicy, policyAttachment } from "./aws-identity";
import { resourcePolicy, snsTopic, sqsQueue } from "./aws-messaging";
import { natGateway, rule, securityGroup, securityGroupRule } from "./aws-network";
import { cacheCluster, dynamoTable, rdsInstance, replicationGroup, serverlessCache } from "./aws-state";
import { bool, num, records, str, strings } from "./values";

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
  // Route 53 prices a check of an endpoint outside AWS higher: one probed at an address (the package does so for GCP load balancers) or a name outside amazonaws.com (a Front Door endpoint).
  const fqdn = str(inputs, "fqdn");
  const awsEndpoint = str(inputs, "ipAddress") === undefined && (fqdn === undefined || /\.amazonaws\.com(\.cn)?$/.test(fqdn));
  return { checkType: type, https: /^HTTPS/.test(type), stringMatching: /_STR_MATCH$/.test(type), fastInterval: num(inputs, "requestInterval") === 10, measureLatency: bool(inputs, "measureLatency") === true, awsEndpoint };
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
