import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AgentPlan, FleetPlan } from "../../plan/types";

/** API Gateway's integration timeout ceiling (without a quota raise). */
export const MAX_INTEGRATION_TIMEOUT_MS = 29000;

/** The access-log line: one JSON object per request. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  principal: "$context.authorizer.principalId",
  time: "$context.requestTime",
  method: "$context.httpMethod",
  path: "$context.resourcePath",
  status: "$context.status",
  latencyMs: "$context.responseLatency",
  integrationStatus: "$context.integration.status",
  integrationLatencyMs: "$context.integration.latency",
  error: "$context.error.message",
  waf: "$context.waf.status",
});

/** A Cognito user pool's issuer URL gives its pool id; other issuers need the Lambda authorizer. */
export function cognitoPool(issuer: string): { region: string; poolId: string } | undefined {
  const m = /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/([A-Za-z0-9-]+_[A-Za-z0-9]+)\/?$/.exec(issuer);
  return m ? { region: m[1], poolId: m[2] } : undefined;
}

/** `/documents/{id}` -> `documents/{id}`: the method-settings path of a resource. */
export function methodPath(path: string, method: string): string {
  return `${path.replace(/^\/+/, "")}/${method}`;
}

/** A model name from an agent name: API Gateway model names are alphanumeric. */
export function modelName(agent: string): string {
  return `${agent.replace(/(^|-)([a-z0-9])/g, (_m, _d: string, c: string) => c.toUpperCase())}Request`;
}

/** The request schema as an API Gateway model (JSON Schema draft 4, the dialect API Gateway validates). */
export function modelSchema(agent: AgentPlan): string | undefined {
  const schema = agent.route?.schema;
  if (!schema) return undefined;
  return JSON.stringify({ ...schema, $schema: "http://json-schema.org/draft-04/schema#", title: modelName(agent.name) });
}

/** SQS SendMessage as a form body: the request body, the request id as an attribute, group and dedup ids for FIFO queues. */
export function sendMessageTemplate(fifo: boolean): string {
  const base = [
    "Action=SendMessage",
    "MessageBody=$util.urlEncode($input.body)",
    "MessageAttribute.1.Name=requestId",
    "MessageAttribute.1.Value.DataType=String",
    "MessageAttribute.1.Value.StringValue=$context.requestId",
  ];
  if (!fifo) return base.join("&");
  return [
    '#set($group = $input.params("X-Message-Group-Id"))',
    '#if($group == "")#set($group = "default")#end',
    [...base, "MessageGroupId=$util.urlEncode($group)", "MessageDeduplicationId=$context.requestId"].join("&"),
  ].join("\n");
}

/** WAF's rate-based limit per client IP over five minutes: every routed agent's per-minute limit, five minutes' worth. */
export function wafRateLimit(agents: ReadonlyArray<AgentPlan>): number {
  const perMinute = agents.reduce((sum, a) => sum + (a.route?.rateLimitPerMinute ?? 0), 0);
  return Math.max(100, perMinute * 5);
}

/** The authorizer's source, shipped as-is (lib/targets/aws/authorizer/jwt.mjs). */
export function authorizerSource(): string {
  return readFileSync(join(__dirname, "authorizer", "jwt.mjs"), "utf8");
}

/** First NLB listener port; sync agent k of the fleet listens on FIRST_LISTENER_PORT + k. */
export const FIRST_LISTENER_PORT = 10000;

/** Listener port per sync-routed agent, by the agent's position in the fleet. */
export function syncPorts(plan: FleetPlan): Map<string, number> {
  const ports = new Map<string, number>();
  plan.agents.forEach((a, i) => {
    if (a.route?.invoke === "sync") ports.set(a.name, FIRST_LISTENER_PORT + i);
  });
  return ports;
}

/** What an async route answers: 202 with the SQS message id, or 502 when the queue refused the message. */
export const ASYNC_RESPONSES = {
  accepted: { statusCode: "202", selectionPattern: "", model: "Empty", template: '{"messageId":"$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')","requestId":"$context.requestId"}' },
  rejected: { statusCode: "502", selectionPattern: "[45]\\d{2}", model: "Error", template: '{"message":"the agent\'s queue did not accept the request","requestId":"$context.requestId"}' },
} as const;

/** A per-minute limit as API Gateway method throttling: requests a second (two decimals, at least 1) and a two-second burst. */
export function methodThrottle(perMinute: number, minBurst = 1): { rateLimit: number; burstLimit: number } {
  return { rateLimit: Math.max(1, Math.round((perMinute / 60) * 100) / 100), burstLimit: Math.max(minBurst, Math.ceil(perMinute / 30)) };
}

/** The stage-wide default: the busiest route's limit, with a burst of at least 10. */
export function stageThrottle(perMinuteLimits: ReadonlyArray<number>): { rateLimit: number; burstLimit: number } {
  return methodThrottle(Math.max(...perMinuteLimits), 10);
}

/** AWS managed WAF rule groups behind the rate rule, in priority order. */
export const WAF_MANAGED_RULE_GROUPS = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"] as const;

/** The two resources a proxied route takes: the path itself, and its `{proxy+}` children, which forward the rest of the path. */
export function proxyResources(path: string): Array<{ readonly path: string; readonly suffix: string; readonly greedy: boolean }> {
  return [
    { path, suffix: "", greedy: false },
    { path: `${path === "/" ? "" : path}/{proxy+}`, suffix: "-proxy", greedy: true },
  ];
}

/** Method and integration parameters of a `{proxy+}` resource. */
export const GREEDY_PARAMETERS = {
  method: { "method.request.path.proxy": true },
  integration: { "integration.request.path.proxy": "method.request.path.proxy" },
} as const;

/**
 * The log groups API Gateway's account-level CloudWatch role may write. The setting
 * is one per account and region and whichever fleet set it last wins, so every
 * fleet's role covers every fleet's gateway logs (execution logs of any API, the
 * `/microagents/<fleet>-<env>/api-gateway/` access logs) and the group API Gateway
 * test-writes to when the role is set; each role is kept when its fleet is
 * destroyed, so the setting never points at a deleted role.
 */
export const ACCOUNT_LOGGING_GROUPS = ["API-Gateway-Execution-Logs_*", "/aws/apigateway/welcome", "/microagents/*/api-gateway/*"] as const;

/** What the account-level role may do on those groups (the actions of AWS's AmazonAPIGatewayPushToCloudWatchLogs). */
export const ACCOUNT_LOGGING_ACTIONS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents"] as const;
