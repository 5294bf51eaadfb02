/**
 * Cloud limits a fleet plan can hit, each with the page that states it. The values
 * are AWS's documented defaults; `adjustable` ones can be raised through Service
 * Quotas, so crossing one is a warning (a note) and crossing a hard one an error.
 */
export interface CloudLimit {
  /** Stable id, e.g. `iam.role-inline-policy-chars`. */
  readonly id: string;
  /** What is limited, in words: "inline policies of one IAM role". */
  readonly what: string;
  readonly max: number;
  readonly unit: string;
  /** Whether the account can raise it (a Service Quotas request); hard limits cannot be. */
  readonly adjustable: boolean;
  readonly source: string;
}

const IAM_QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";
const CFN_QUOTAS = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html";
const APIGW_QUOTAS = "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html";
const SNS_FILTER = "https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html";
const SNS_QUOTAS = "https://docs.aws.amazon.com/general/latest/gr/sns.html";
const SQS_POLICY_QUOTAS = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-policies.html";
const ELASTICACHE_QUOTAS = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/quota-limits.html";

export const LIMITS = {
  iamRoleInlinePolicyChars: {
    id: "iam.role-inline-policy-chars",
    what: "inline policies of one IAM role, together (whitespace not counted)",
    max: 10_240,
    unit: "characters",
    adjustable: false,
    source: IAM_QUOTAS,
  },
  iamManagedPolicyChars: { id: "iam.managed-policy-chars", what: "one customer managed policy (whitespace not counted)", max: 6_144, unit: "characters", adjustable: false, source: IAM_QUOTAS },
  iamManagedPoliciesPerRole: { id: "iam.managed-policies-per-role", what: "managed policies attached to one IAM role", max: 10, unit: "policies", adjustable: true, source: IAM_QUOTAS },
  iamTrustPolicyChars: { id: "iam.role-trust-policy-chars", what: "one role trust policy (whitespace not counted)", max: 2_048, unit: "characters", adjustable: true, source: IAM_QUOTAS },
  cfnResources: { id: "cloudformation.resources", what: "resources in one CloudFormation stack", max: 500, unit: "resources", adjustable: false, source: CFN_QUOTAS },
  cfnOutputs: { id: "cloudformation.outputs", what: "outputs of one CloudFormation template", max: 200, unit: "outputs", adjustable: false, source: CFN_QUOTAS },
  cfnParameters: { id: "cloudformation.parameters", what: "parameters of one CloudFormation template", max: 200, unit: "parameters", adjustable: false, source: CFN_QUOTAS },
  cfnTemplateBodyBytes: { id: "cloudformation.template-body-bytes", what: "a template passed directly (TemplateBody)", max: 51_200, unit: "bytes", adjustable: false, source: CFN_QUOTAS },
  cfnTemplateS3Bytes: { id: "cloudformation.template-s3-bytes", what: "a template uploaded to S3 (TemplateURL, as CDK deploys)", max: 1_000_000, unit: "bytes", adjustable: false, source: CFN_QUOTAS },
  apiGatewayResourcesPerRestApi: { id: "apigateway.resources-per-rest-api", what: "resources (path parts) of one REST API", max: 300, unit: "resources", adjustable: true, source: APIGW_QUOTAS },
  apiGatewayRoutesPerHttpApi: { id: "apigateway.routes-per-http-api", what: "routes of one HTTP API", max: 300, unit: "routes", adjustable: true, source: APIGW_QUOTAS },
  snsFilterPolicyCombinations: { id: "sns.filter-policy-combinations", what: "value combinations of one subscription filter policy (product of the array lengths)", max: 150, unit: "combinations", adjustable: false, source: SNS_FILTER },
  snsFilterPolicyKeys: { id: "sns.filter-policy-keys", what: "keys of one subscription filter policy", max: 5, unit: "keys", adjustable: false, source: SNS_FILTER },
  snsFilterPolicyBytes: { id: "sns.filter-policy-bytes", what: "one subscription filter policy", max: 256 * 1024, unit: "bytes", adjustable: false, source: SNS_FILTER },
  snsFilterPoliciesPerTopic: { id: "sns.filter-policies-per-topic", what: "subscriptions with a filter policy on one topic", max: 200, unit: "filter policies", adjustable: true, source: SNS_FILTER },
  snsFilterPoliciesPerAccount: { id: "sns.filter-policies-per-account", what: "subscription filter policies in one account and region", max: 10_000, unit: "filter policies", adjustable: true, source: SNS_FILTER },
  snsSubscriptionsPerFifoTopic: { id: "sns.subscriptions-per-fifo-topic", what: "subscriptions of one FIFO topic", max: 100, unit: "subscriptions", adjustable: false, source: SNS_QUOTAS },
  sqsQueuePolicyBytes: { id: "sqs.queue-policy-bytes", what: "one SQS queue policy", max: 8_192, unit: "bytes", adjustable: false, source: SQS_POLICY_QUOTAS },
  sqsQueuePolicyStatements: { id: "sqs.queue-policy-statements", what: "statements of one SQS queue policy", max: 20, unit: "statements", adjustable: false, source: SQS_POLICY_QUOTAS },
  elasticacheUsersPerUserGroup: { id: "elasticache.users-per-user-group", what: "users in one ElastiCache user group", max: 100, unit: "users", adjustable: false, source: ELASTICACHE_QUOTAS },
} as const satisfies Record<string, CloudLimit>;

export type LimitKey = keyof typeof LIMITS;
