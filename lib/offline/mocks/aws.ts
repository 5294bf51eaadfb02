import { createHash } from "node:crypto";
import type { MockContext, OutputRule } from "./common";
import { ACCOUNT_ID, physicalName, str, suffix } from "./common";

/**
 * Provider-computed outputs for AWS resources: ids, ARNs, URLs, endpoints and
 * auto-names as AWS shapes them, in the region of the resource's provider.
 */

const DEFAULT_REGION = "us-east-1";
/** Route 53 hosted zones of API Gateway's regional endpoints (what alias records name). */
const API_GATEWAY_ZONES: Readonly<Record<string, string>> = { "us-east-1": "Z1UJRXOUMOOFQ8", "us-east-2": "ZOJJZC49E0EPZ", "us-west-1": "Z2MUQ32089INYE", "us-west-2": "Z2OJLYMUO9EFXC", "eu-west-1": "ZLY8HYME6SFDD" };
const providerRegions = new Map<string, string>();

/** Hex digits derived from the resource, `n` long. */
function hex(ctx: Pick<MockContext, "type" | "name">, n: number, salt = ""): string {
  let out = "";
  for (let i = 0; out.length < n; i++) out += createHash("sha256").update(`${ctx.type}::${ctx.name}::${salt}${i}`).digest("hex");
  return out.slice(0, n);
}

function regionOf(ctx: MockContext): string {
  if (typeof ctx.inputs.region === "string") return ctx.inputs.region;
  const id = ctx.provider?.split("::").pop();
  return (id && providerRegions.get(id)) || DEFAULT_REGION;
}

function partition(region: string): string {
  return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

function arn(ctx: MockContext, service: string, resource: string, opts: { global?: boolean; account?: boolean } = {}): string {
  const region = regionOf(ctx);
  return `arn:${partition(region)}:${service}:${opts.global ? "" : region}:${opts.account === false ? "" : ACCOUNT_ID}:${resource}`;
}

const uuid = (ctx: MockContext) => {
  const h = hex(ctx, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

type Outputs = { id?: string; state: Record<string, unknown> };
type Rule = (ctx: MockContext) => Outputs;

/** Resources whose TF id is their physical name and ARN `<service>:<region>:<account>:<prefix><name>`. */
function named(service: string, prefix: string, opts: { key?: string; global?: boolean; idIsArn?: boolean } = {}): Rule {
  return (ctx) => {
    const name = physicalName(ctx, opts.key ?? "name");
    const a = arn(ctx, service, `${prefix}${name}`, { global: opts.global });
    return { id: opts.idIsArn ? a : name, state: { [opts.key ?? "name"]: name, arn: a } };
  };
}

/** EC2-style resources: `<prefix>-<17 hex>` ids. */
function ec2(prefix: string, arnType?: string, extra: (ctx: MockContext, id: string) => Record<string, unknown> = () => ({})): Rule {
  return (ctx) => {
    const id = `${prefix}-${hex(ctx, 17)}`;
    return { id, state: { ...(arnType ? { arn: arn(ctx, "ec2", `${arnType}/${id}`) } : {}), ownerId: ACCOUNT_ID, ...extra(ctx, id) } };
  };
}

const RULES: Readonly<Record<string, Rule>> = {
  "pulumi:providers:aws": (ctx) => {
    const id = `${ctx.name}-${suffix(ctx)}`;
    providerRegions.set(id, str(ctx.inputs.region, DEFAULT_REGION));
    return { id, state: {} };
  },
  "aws:kms/key:Key": (ctx) => {
    const keyId = uuid(ctx);
    return { id: keyId, state: { keyId, arn: arn(ctx, "kms", `key/${keyId}`) } };
  },
  "aws:kms/alias:Alias": named("kms", "", { idIsArn: false }),
  "aws:iam/role:Role": (ctx) => {
    const name = physicalName(ctx);
    return { id: name, state: { name, arn: arn(ctx, "iam", `role/${name}`, { global: true }), uniqueId: `AROA${hex(ctx, 17).toUpperCase()}` } };
  },
  "aws:iam/instanceProfile:InstanceProfile": (ctx) => {
    const name = physicalName(ctx);
    return { id: name, state: { name, arn: arn(ctx, "iam", `instance-profile/${name}`, { global: true }), uniqueId: `AIPA${hex(ctx, 17).toUpperCase()}` } };
  },
  "aws:iam/rolePolicy:RolePolicy": (ctx) => ({ id: `${str(ctx.inputs.role, "role")}:${physicalName(ctx)}`, state: { name: physicalName(ctx) } }),
  "aws:cloudwatch/logGroup:LogGroup": (ctx) => {
    const name = physicalName(ctx);
    return { id: name, state: { name, arn: arn(ctx, "logs", `log-group:${name}`) } };
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": named("cloudwatch", "alarm:"),
  "aws:cloudwatch/dashboard:Dashboard": (ctx) => {
    const name = physicalName(ctx, "dashboardName");
    return { id: name, state: { dashboardName: name, dashboardArn: arn(ctx, "cloudwatch", `dashboard/${name}`, { global: true }) } };
  },
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": (ctx) => ({ id: physicalName(ctx), state: { name: physicalName(ctx) } }),
  "aws:sqs/queue:Queue": (ctx) => {
    const name = physicalName(ctx);
    const region = regionOf(ctx);
    const url = `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${name}`;
    return { id: url, state: { name, url, arn: arn(ctx, "sqs", name) } };
  },
  "aws:sqs/queuePolicy:QueuePolicy": (ctx) => ({ id: str(ctx.inputs.queueUrl, ctx.name), state: {} }),
  "aws:sns/topic:Topic": (ctx) => {
    const name = physicalName(ctx);
    const a = arn(ctx, "sns", name);
    return { id: a, state: { name, arn: a, owner: ACCOUNT_ID } };
  },
  "aws:sns/topicPolicy:TopicPolicy": (ctx) => ({ id: str(ctx.inputs.arn, ctx.name), state: { owner: ACCOUNT_ID } }),
  "aws:sns/topicSubscription:TopicSubscription": (ctx) => {
    const a = `${str(ctx.inputs.topic, arn(ctx, "sns", "topic"))}:${uuid(ctx)}`;
    return { id: a, state: { arn: a, ownerId: ACCOUNT_ID } };
  },
  "aws:ec2/vpc:Vpc": ec2("vpc", "vpc", (ctx) => ({ defaultSecurityGroupId: `sg-${hex(ctx, 17, "default")}`, mainRouteTableId: `rtb-${hex(ctx, 17, "main")}`, defaultNetworkAclId: `acl-${hex(ctx, 17, "acl")}` })),
  "aws:ec2/subnet:Subnet": ec2("subnet", "subnet"),
  "aws:ec2/internetGateway:InternetGateway": ec2("igw", "internet-gateway"),
  "aws:ec2/eip:Eip": ec2("eipalloc", "elastic-ip", (ctx) => ({ allocationId: `eipalloc-${hex(ctx, 17)}`, publicIp: `198.51.100.${parseInt(hex(ctx, 2), 16) % 250}` })),
  "aws:ec2/natGateway:NatGateway": ec2("nat", "natgateway"),
  "aws:ec2/routeTable:RouteTable": ec2("rtb", "route-table"),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": ec2("rtbassoc"),
  "aws:ec2/securityGroup:SecurityGroup": ec2("sg", "security-group"),
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ec2("sg", "security-group"),
  "aws:ec2/vpcEndpoint:VpcEndpoint": ec2("vpce", "vpc-endpoint", (ctx, id) => ({
    dnsEntries: [{ dnsName: `${id}.${str(ctx.inputs.serviceName, "svc").split(".").pop()}.${regionOf(ctx)}.vpce.amazonaws.com`, hostedZoneId: "Z7HUB22UULQXV" }],
    prefixListId: `pl-${hex(ctx, 8)}`,
  })),
  "aws:ec2/flowLog:FlowLog": ec2("fl", "vpc-flow-log"),
  "aws:ec2/launchTemplate:LaunchTemplate": ec2("lt", "launch-template", () => ({ latestVersion: 1, defaultVersion: 1 })),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ec2("sgr", "security-group-rule"),
  "aws:ecs/cluster:Cluster": (ctx) => {
    const name = physicalName(ctx);
    const a = arn(ctx, "ecs", `cluster/${name}`);
    return { id: a, state: { name, arn: a } };
  },
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": (ctx) => ({ id: str(ctx.inputs.clusterName, ctx.name), state: {} }),
  "aws:ecs/capacityProvider:CapacityProvider": named("ecs", "capacity-provider/", { idIsArn: true }),
  "aws:ecs/taskDefinition:TaskDefinition": (ctx) => {
    const family = str(ctx.inputs.family, ctx.name);
    return { id: family, state: { arn: arn(ctx, "ecs", `task-definition/${family}:1`), arnWithoutRevision: arn(ctx, "ecs", `task-definition/${family}`), revision: 1 } };
  },
  "aws:ecs/service:Service": (ctx) => {
    const name = physicalName(ctx);
    const cluster = str(ctx.inputs.cluster, "cluster").split("/").pop() ?? "cluster";
    const a = arn(ctx, "ecs", `service/${cluster}/${name}`);
    return { id: a, state: { name, arn: a } };
  },
  "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": (ctx) => {
    const id = `ns-${hex(ctx, 16)}`;
    return { id, state: { arn: arn(ctx, "servicediscovery", `namespace/${id}`), hostedZone: `Z${hex(ctx, 20).toUpperCase()}` } };
  },
  "aws:servicediscovery/service:Service": (ctx) => {
    const id = `srv-${hex(ctx, 16)}`;
    return { id, state: { arn: arn(ctx, "servicediscovery", `service/${id}`) } };
  },
  "aws:appautoscaling/target:Target": (ctx) => ({ id: str(ctx.inputs.resourceId, ctx.name), state: { arn: arn(ctx, "application-autoscaling", `scalable-target/${hex(ctx, 32)}`) } }),
  "aws:appautoscaling/policy:Policy": (ctx) => {
    const name = physicalName(ctx);
    return { id: name, state: { name, arn: arn(ctx, "autoscaling", `scalingPolicy:${uuid(ctx)}:resource/${str(ctx.inputs.resourceId, "")}:policyName/${name}`) } };
  },
  "aws:autoscaling/group:Group": (ctx) => {
    const name = physicalName(ctx);
    return { id: name, state: { name, arn: arn(ctx, "autoscaling", `autoScalingGroup:${uuid(ctx)}:autoScalingGroupName/${name}`) } };
  },
  "aws:lb/loadBalancer:LoadBalancer": (ctx) => {
    const name = physicalName(ctx);
    const kind = str(ctx.inputs.loadBalancerType, "application") === "network" ? "net" : "app";
    const suffixPart = `${kind}/${name}/${hex(ctx, 16)}`;
    const a = arn(ctx, "elasticloadbalancing", `loadbalancer/${suffixPart}`);
    const internal = ctx.inputs.internal === true ? "internal-" : "";
    return { id: a, state: { name, arn: a, arnSuffix: suffixPart, dnsName: `${internal}${name}-${hex(ctx, 16)}.elb.${regionOf(ctx)}.amazonaws.com`, zoneId: "Z26RNL4JYFTOTI" } };
  },
  "aws:lb/targetGroup:TargetGroup": (ctx) => {
    const name = physicalName(ctx);
    const suffixPart = `targetgroup/${name}/${hex(ctx, 16)}`;
    const a = arn(ctx, "elasticloadbalancing", suffixPart);
    return { id: a, state: { name, arn: a, arnSuffix: suffixPart } };
  },
  "aws:lb/listener:Listener": (ctx) => {
    const a = arn(ctx, "elasticloadbalancing", `listener/net/${ctx.name}/${hex(ctx, 16)}/${hex(ctx, 16, "l")}`);
    return { id: a, state: { arn: a } };
  },
  "aws:dynamodb/table:Table": (ctx) => {
    const name = physicalName(ctx);
    return { id: name, state: { name, arn: arn(ctx, "dynamodb", `table/${name}`) } };
  },
  "aws:elasticache/serverlessCache:ServerlessCache": (ctx) => {
    const name = physicalName(ctx);
    const host = `${name}-${hex(ctx, 6)}.serverless.${regionOf(ctx).replace(/-/g, "")}.cache.amazonaws.com`;
    return { id: name, state: { name, arn: arn(ctx, "elasticache", `serverlesscache:${name}`), endpoints: [{ address: host, port: 6379 }], readerEndpoints: [{ address: host, port: 6380 }], status: "available" } };
  },
  "aws:elasticache/user:User": (ctx) => {
    const id = str(ctx.inputs.userId, ctx.name);
    return { id, state: { arn: arn(ctx, "elasticache", `user:${id}`) } };
  },
  "aws:elasticache/userGroup:UserGroup": (ctx) => {
    const id = str(ctx.inputs.userGroupId, ctx.name);
    return { id, state: { arn: arn(ctx, "elasticache", `usergroup:${id}`) } };
  },
  "aws:rds/instance:Instance": (ctx) => {
    const identifier = physicalName(ctx, "identifier");
    const address = `${identifier}.c${hex(ctx, 11)}.${regionOf(ctx)}.rds.amazonaws.com`;
    const resourceId = `db-${hex(ctx, 26).toUpperCase()}`;
    const secret = arn(ctx, "secretsmanager", `secret:rds!db-${uuid(ctx)}-${hex(ctx, 6)}`);
    return {
      id: resourceId,
      state: { identifier, address, endpoint: `${address}:5432`, port: 5432, resourceId, arn: arn(ctx, "rds", `db:${identifier}`), masterUserSecrets: [{ secretArn: secret, secretStatus: "active", kmsKeyId: str(ctx.inputs.masterUserSecretKmsKeyId, "") }] },
    };
  },
  "aws:rds/subnetGroup:SubnetGroup": named("rds", "subgrp:"),
  "aws:rds/parameterGroup:ParameterGroup": named("rds", "pg:"),
  "aws:rds/proxy:Proxy": (ctx) => {
    const name = physicalName(ctx);
    const id = `prx-${hex(ctx, 17)}`;
    return { id: name, state: { name, arn: arn(ctx, "rds", `db-proxy:${id}`), endpoint: `${name}.proxy-c${hex(ctx, 11)}.${regionOf(ctx)}.rds.amazonaws.com` } };
  },
  "aws:ssm/parameter:Parameter": (ctx) => {
    const name = physicalName(ctx);
    return { id: name, state: { name, arn: arn(ctx, "ssm", `parameter${name.startsWith("/") ? "" : "/"}${name}`), version: 1 } };
  },
  "aws:budgets/budget:Budget": (ctx) => {
    const name = physicalName(ctx);
    return { id: `${ACCOUNT_ID}:${name}`, state: { name, accountId: ACCOUNT_ID, arn: arn(ctx, "budgets", `budget/${name}`, { global: true }) } };
  },
  "aws:lambda/function:Function": (ctx) => {
    const name = physicalName(ctx);
    const region = regionOf(ctx);
    const a = arn(ctx, "lambda", `function:${name}`);
    return { id: name, state: { name, arn: a, qualifiedArn: `${a}:$LATEST`, version: "$LATEST", invokeArn: `arn:${partition(region)}:apigateway:${region}:lambda:path/2015-03-31/functions/${a}/invocations` } };
  },
  "aws:lambda/permission:Permission": (ctx) => ({ id: str(ctx.inputs.statementId, ctx.name), state: {} }),
  "aws:acm/certificate:Certificate": (ctx) => {
    const domain = str(ctx.inputs.domainName, "example.com");
    // ACM gives a domain the same validation record in every region of an account.
    const token = createHash("sha256").update(`acm::${domain}`).digest("hex");
    const a = arn(ctx, "acm", `certificate/${uuid(ctx)}`);
    return {
      id: a,
      state: { arn: a, status: "PENDING_VALIDATION", domainValidationOptions: [{ domainName: domain, resourceRecordName: `_${token.slice(0, 32)}.${domain}.`, resourceRecordType: "CNAME", resourceRecordValue: `_${token.slice(32, 64)}.mhbtsbpdnt.acm-validations.aws.` }] },
    };
  },
  "aws:acm/certificateValidation:CertificateValidation": (ctx) => ({ id: str(ctx.inputs.certificateArn, ctx.name), state: {} }),
  "aws:apigateway/domainName:DomainName": (ctx) => {
    const region = regionOf(ctx);
    const domain = str(ctx.inputs.domainName, ctx.name);
    return { id: domain, state: { arn: arn(ctx, "apigateway", `/domainnames/${domain}`, { account: false }), regionalDomainName: `d-${hex(ctx, 10)}.execute-api.${region}.amazonaws.com`, regionalZoneId: API_GATEWAY_ZONES[region] ?? `Z${hex(ctx, 12).toUpperCase()}` } };
  },
  "aws:apigateway/basePathMapping:BasePathMapping": (ctx) => ({ id: `${str(ctx.inputs.domainName, "domain")}/`, state: { basePath: "" } }),
  "aws:route53/healthCheck:HealthCheck": (ctx) => {
    const id = uuid(ctx);
    return { id, state: { arn: `arn:aws:route53:::healthcheck/${id}` } };
  },
  "aws:route53/record:Record": (ctx) => {
    const name = str(ctx.inputs.name, ctx.name).replace(/\.$/, "");
    return { id: `${str(ctx.inputs.zoneId, "Z")}_${name}_${str(ctx.inputs.type, "A")}`, state: { fqdn: name } };
  },
  "aws:apigateway/restApi:RestApi": (ctx) => {
    const id = hex(ctx, 10);
    return { id, state: { rootResourceId: hex(ctx, 10, "root"), executionArn: arn(ctx, "execute-api", id), arn: arn(ctx, "apigateway", `/restapis/${id}`, { account: false }), createdDate: "2026-01-01T00:00:00Z" } };
  },
  "aws:apigateway/resource:Resource": (ctx) => ({ id: hex(ctx, 6), state: { path: `/${str(ctx.inputs.pathPart, "")}` } }),
  "aws:apigateway/stage:Stage": (ctx) => {
    const api = str(ctx.inputs.restApi, "api");
    const stage = str(ctx.inputs.stageName, "stage");
    const region = regionOf(ctx);
    return {
      id: `ags-${api}-${stage}`,
      state: {
        invokeUrl: `https://${api}.execute-api.${region}.amazonaws.com/${stage}`,
        executionArn: `${arn(ctx, "execute-api", api)}/${stage}`,
        arn: arn(ctx, "apigateway", `/restapis/${api}/stages/${stage}`, { account: false }),
      },
    };
  },
  "aws:apigateway/deployment:Deployment": (ctx) => ({ id: hex(ctx, 6), state: { createdDate: "2026-01-01T00:00:00Z" } }),
  "aws:apigateway/apiKey:ApiKey": (ctx) => ({ id: hex(ctx, 10), state: { value: hex(ctx, 40, "key"), arn: arn(ctx, "apigateway", `/apikeys/${hex(ctx, 10)}`, { account: false }) } }),
  "aws:apigateway/usagePlan:UsagePlan": (ctx) => ({ id: hex(ctx, 6), state: { arn: arn(ctx, "apigateway", `/usageplans/${hex(ctx, 6)}`, { account: false }) } }),
  "aws:apigateway/vpcLink:VpcLink": (ctx) => ({ id: hex(ctx, 6), state: { arn: arn(ctx, "apigateway", `/vpclinks/${hex(ctx, 6)}`, { account: false }) } }),
  "aws:wafv2/webAcl:WebAcl": (ctx) => {
    const name = physicalName(ctx);
    const id = uuid(ctx);
    return { id, state: { name, arn: arn(ctx, "wafv2", `regional/webacl/${name}/${id}`), capacity: 0, lockToken: uuid({ ...ctx, name: `${ctx.name}-lock` }) } };
  },
  "aws:eks/cluster:Cluster": (ctx) => {
    const name = physicalName(ctx);
    const region = regionOf(ctx);
    const host = hex(ctx, 32).toUpperCase();
    const vpcConfig = typeof ctx.inputs.vpcConfig === "object" && ctx.inputs.vpcConfig !== null ? (ctx.inputs.vpcConfig as Record<string, unknown>) : {};
    return {
      id: name,
      state: {
        name,
        arn: arn(ctx, "eks", `cluster/${name}`),
        endpoint: `https://${host}.gr7.${region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(`offline CA of ${name}`).toString("base64") },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${host}` }] }],
        vpcConfig: { ...vpcConfig, clusterSecurityGroupId: `sg-${hex(ctx, 17, "cluster")}`, vpcId: `vpc-${hex(ctx, 17, "vpc")}` },
        platformVersion: "eks.1",
        status: "ACTIVE",
      },
    };
  },
  "aws:eks/nodeGroup:NodeGroup": (ctx) => {
    const name = physicalName(ctx, "nodeGroupName");
    const cluster = str(ctx.inputs.clusterName, "cluster");
    return {
      id: `${cluster}:${name}`,
      state: { nodeGroupName: name, arn: arn(ctx, "eks", `nodegroup/${cluster}/${name}/${uuid(ctx)}`), resources: [{ autoscalingGroups: [{ name: `eks-${name}-${uuid(ctx)}` }], remoteAccessSecurityGroupId: "" }], status: "ACTIVE" },
    };
  },
  "aws:eks/addon:Addon": (ctx) => {
    const cluster = str(ctx.inputs.clusterName, "cluster");
    const addon = str(ctx.inputs.addonName, ctx.name);
    return { id: `${cluster}:${addon}`, state: { arn: arn(ctx, "eks", `addon/${cluster}/${addon}/${uuid(ctx)}`), addonVersion: str(ctx.inputs.addonVersion, "v0.0.0-eksbuild.1") } };
  },
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": (ctx) => {
    const id = `a-${hex(ctx, 17)}`;
    return { id, state: { associationId: id, associationArn: arn(ctx, "eks", `podidentityassociation/${str(ctx.inputs.clusterName, "cluster")}/${id}`) } };
  },
  "aws:eks/accessEntry:AccessEntry": (ctx) => ({ id: `${str(ctx.inputs.clusterName, "cluster")}:${str(ctx.inputs.principalArn, ctx.name)}`, state: { accessEntryArn: arn(ctx, "eks", `access-entry/${uuid(ctx)}`) } }),
};

/** AWS rules: exact types first, then every other AWS type with a physical name and a generic ARN. */
export const awsRules: ReadonlyArray<OutputRule> = [
  ...Object.entries(RULES).map(([type, outputs]) => ({ match: new RegExp(`^${type.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`), outputs })),
  {
    match: /^aws:/,
    outputs: (ctx: MockContext) => {
      const name = physicalName(ctx);
      const [, mod = "aws"] = ctx.type.split(":");
      const service = mod.split("/")[0];
      const kind = (ctx.type.split(":").pop() ?? "resource").toLowerCase();
      return { id: name, state: { arn: arn(ctx, service, `${kind}/${name}`) } };
    },
  },
];
