import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import {
  AWS_NAME_RULES,
  checkFilterPolicy,
  checkManagedPolicy,
  checkRestApi,
  checkRolePolicies,
  checkTemplate,
  checkTopicSubscriptions,
  checkAccountFilterPolicies,
  checkUserGroup,
  checkQueuePolicy,
  checkHttpApi,
  checkTrustPolicy,
  filterPolicyCombinations,
  graphLimitReport,
  LIMITS,
  nameProblems,
  policyChars,
  restApiResources,
  safeAwsName,
  templateLimitReport,
  type LimitFinding,
} from "../../lib/plan/limits";

const ids = (findings: ReadonlyArray<LimitFinding>) => findings.map((f) => f.limit.id);
/** A policy document of about `chars` characters without whitespace. */
function policyOf(chars: number): string {
  const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "" }] };
  const base = JSON.stringify(doc).length;
  doc.Statement[0].Resource = "x".repeat(chars - base);
  return JSON.stringify(doc, null, 2);
}

describe("every limit carries its source", () => {
  it("limits and name rules link the AWS page that states them", () => {
    for (const l of Object.values(LIMITS)) assert.match(l.source, /^https:\/\/docs\.aws\.amazon\.com\//, l.id);
    for (const [k, r] of Object.entries(AWS_NAME_RULES)) assert.match(r.source, /^https:\/\/docs\.aws\.amazon\.com\//, k);
  });
});

describe("IAM", () => {
  it("counts a policy without whitespace", () => {
    assert.equal(policyChars('{ "a" :\n  "b c" }'), '{"a":"bc"}'.length);
    assert.equal(policyChars(policyOf(500)), 500);
  });
  it("a role's inline policies together: 10,240 characters pass, 10,241 do not", () => {
    assert.deepEqual(checkRolePolicies({ role: "r", inline: [policyOf(5_120), policyOf(5_120)], managedCount: 0 }), []);
    const over = checkRolePolicies({ role: "aws:iam/role:Role r", inline: [policyOf(5_120), policyOf(5_121)], managedCount: 0 });
    assert.deepEqual(ids(over), ["iam.role-inline-policy-chars"]);
    assert.equal(over[0].actual, 10_241);
    assert.equal(over[0].resource, "aws:iam/role:Role r");
  });
  it("a managed policy: 6,144 characters pass, 6,145 do not", () => {
    assert.deepEqual(checkManagedPolicy("p", policyOf(6_144)), []);
    assert.deepEqual(ids(checkManagedPolicy("p", policyOf(6_145))), ["iam.managed-policy-chars"]);
  });
  it("managed policies per role: 10 pass, 11 cross an adjustable quota", () => {
    assert.deepEqual(checkRolePolicies({ role: "r", inline: [], managedCount: 10 }), []);
    const over = checkRolePolicies({ role: "r", inline: [], managedCount: 11 });
    assert.deepEqual(ids(over), ["iam.managed-policies-per-role"]);
    assert.equal(over[0].limit.adjustable, true);
  });
  it("a trust policy: 2,048 characters pass, 2,049 do not", () => {
    assert.deepEqual(checkTrustPolicy("r", policyOf(2_048)), []);
    assert.deepEqual(ids(checkTrustPolicy("r", policyOf(2_049))), ["iam.role-trust-policy-chars"]);
  });
});

describe("CloudFormation", () => {
  const resources = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`R${i}`, { Type: "AWS::SNS::Topic" }]));
  const outputs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`O${i}`, { Value: "x" }]));
  it("500 resources pass, 501 do not", () => {
    assert.deepEqual(checkTemplate("s", { Resources: resources(500) }), []);
    assert.deepEqual(ids(checkTemplate("s", { Resources: resources(501) })), ["cloudformation.resources"]);
  });
  it("200 outputs pass, 201 do not", () => {
    assert.deepEqual(checkTemplate("s", { Outputs: outputs(200) }), []);
    assert.deepEqual(ids(checkTemplate("s", { Outputs: outputs(201) })), ["cloudformation.outputs"]);
  });
  it("200 parameters pass, 201 do not", () => {
    assert.deepEqual(checkTemplate("s", { Parameters: outputs(200) }), []);
    assert.deepEqual(ids(checkTemplate("s", { Parameters: outputs(201) })), ["cloudformation.parameters"]);
  });
  it("template size: 1 MB through S3, 51,200 bytes passed directly", () => {
    const sized = (bytes: number) => {
      const t = { Resources: { R: { Type: "AWS::SNS::Topic", Properties: { DisplayName: "" } } } };
      t.Resources.R.Properties.DisplayName = "x".repeat(bytes - JSON.stringify(t).length);
      return t;
    };
    assert.deepEqual(checkTemplate("s", sized(1_000_000)), []);
    assert.deepEqual(ids(checkTemplate("s", sized(1_000_001))), ["cloudformation.template-s3-bytes"]);
    assert.deepEqual(checkTemplate("s", sized(51_200), { direct: true }), []);
    assert.deepEqual(ids(checkTemplate("s", sized(51_201), { direct: true })), ["cloudformation.template-body-bytes"]);
  });
  it("templateLimitReport reports stacks and names from a cloud assembly's templates", () => {
    const report = templateLimitReport([{ stack: "acme-prod-agents-1", template: { Resources: { ...resources(501), Cp: { Type: "AWS::ECS::CapacityProvider", Properties: { Name: "ecs-team-prod-gpu" } } } } }]);
    assert.equal(report.errors.length, 2);
    assert.match(report.errors[0].message, /ECS capacity provider name 'ecs-team-prod-gpu' must not begin with 'ecs'/);
    assert.equal(report.errors[1].path, "acme-prod-agents-1");
    assert.match(report.errors[1].message, /resources in one CloudFormation stack: 502 resources, over AWS's limit of 500 \(cloudformation\.resources, https:/);
  });
});

describe("API Gateway", () => {
  it("counts the root and every path prefix once", () => {
    assert.equal(restApiResources(["/a/b", "/a/c", "/d", "/d/{proxy+}"]), 6);
  });
  it("300 resources per REST API pass, 301 cross an adjustable quota", () => {
    assert.deepEqual(checkRestApi("api", 300), []);
    const over = checkRestApi("api", 301);
    assert.deepEqual(ids(over), ["apigateway.resources-per-rest-api"]);
    assert.equal(over[0].limit.adjustable, true);
  });
  it("300 routes per HTTP API pass, 301 do not", () => {
    assert.deepEqual(checkHttpApi("api", 300), []);
    assert.deepEqual(ids(checkHttpApi("api", 301)), ["apigateway.routes-per-http-api"]);
  });
});

describe("SNS", () => {
  it("combinations multiply arrays and add $or branches", () => {
    assert.equal(filterPolicyCombinations({ a: ["1", "2", "3"], b: ["x", "y"] }), 6);
    assert.equal(filterPolicyCombinations({ $or: [{ a: ["1", "2"] }, { b: ["x", "y", "z"] }] }), 5);
  });
  it("150 combinations pass, 151 do not", () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    assert.deepEqual(checkFilterPolicy("s", { eventType: values(150) }), []);
    assert.deepEqual(ids(checkFilterPolicy("s", { eventType: values(151) })), ["sns.filter-policy-combinations"]);
  });
  it("five keys pass, six do not", () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, ["v"]]));
    assert.deepEqual(checkFilterPolicy("s", keys(5)), []);
    assert.deepEqual(ids(checkFilterPolicy("s", JSON.stringify(keys(6)))), ["sns.filter-policy-keys"]);
  });
  it("256 KB pass, one byte more does not", () => {
    const sized = (bytes: number) => `{"a":["${"x".repeat(bytes - 10)}"]}`;
    assert.deepEqual(checkFilterPolicy("s", sized(256 * 1024)), []);
    assert.deepEqual(ids(checkFilterPolicy("s", sized(256 * 1024 + 1))), ["sns.filter-policy-bytes"]);
  });
  it("a FIFO topic holds 100 subscriptions; a standard one more", () => {
    assert.deepEqual(checkTopicSubscriptions("t", { subscriptions: 100, filtered: 0, fifo: true }), []);
    assert.deepEqual(ids(checkTopicSubscriptions("t", { subscriptions: 101, filtered: 0, fifo: true })), ["sns.subscriptions-per-fifo-topic"]);
    assert.deepEqual(checkTopicSubscriptions("t", { subscriptions: 101, filtered: 0, fifo: false }), []);
  });
  it("filter policies: 200 per topic and 10,000 per account (adjustable)", () => {
    assert.deepEqual(checkTopicSubscriptions("t", { subscriptions: 200, filtered: 200, fifo: false }), []);
    assert.deepEqual(ids(checkTopicSubscriptions("t", { subscriptions: 201, filtered: 201, fifo: false })), ["sns.filter-policies-per-topic"]);
    assert.deepEqual(checkAccountFilterPolicies("r", 10_000), []);
    assert.deepEqual(ids(checkAccountFilterPolicies("r", 10_001)), ["sns.filter-policies-per-account"]);
  });
});

describe("SQS", () => {
  const policy = (bytes: number, statements = 1) => {
    const doc = { Statement: Array.from({ length: statements }, () => ({ Effect: "Allow", Resource: "" })) };
    doc.Statement[0].Resource = "x".repeat(bytes - JSON.stringify(doc).length);
    return JSON.stringify(doc);
  };
  it("a queue policy holds 8,192 bytes and 20 statements", () => {
    assert.deepEqual(checkQueuePolicy("q", policy(8_192)), []);
    assert.deepEqual(ids(checkQueuePolicy("q", policy(8_193))), ["sqs.queue-policy-bytes"]);
    assert.deepEqual(checkQueuePolicy("q", policy(2_000, 20)), []);
    assert.deepEqual(ids(checkQueuePolicy("q", policy(2_000, 21))), ["sqs.queue-policy-statements"]);
  });
});

describe("ElastiCache", () => {
  it("a user group holds 100 users", () => {
    assert.deepEqual(checkUserGroup("g", 100), []);
    assert.deepEqual(ids(checkUserGroup("g", 101)), ["elasticache.users-per-user-group"]);
  });
});

describe("AWS name rules", () => {
  const problems = (kind: keyof typeof AWS_NAME_RULES, name: string) => nameProblems(AWS_NAME_RULES[kind], name);
  it("RDS identifiers, parameter groups and proxies: a letter first, no '--', no trailing hyphen, 63/255/60 characters", () => {
    for (const kind of ["rdsInstance", "rdsParameterGroup", "rdsProxy", "rdsSnapshot"] as const) {
      assert.deepEqual(problems(kind, "acme-prod-shared"), [], kind);
      assert.deepEqual(problems(kind, "9acme-prod-shared"), ["must begin with a letter"], kind);
      assert.deepEqual(problems(kind, "acme--prod-shared"), ["must not contain two consecutive hyphens"], kind);
      assert.deepEqual(problems(kind, "acme-"), ["must not end with a hyphen"], kind);
      assert.deepEqual(problems(kind, "acme_prod"), ["holds '_'; allowed: letters, digits and hyphens"], kind);
    }
    assert.deepEqual(problems("rdsInstance", "a".repeat(63)), []);
    assert.deepEqual(problems("rdsInstance", "a".repeat(64)), ["is 64 characters, over 63"]);
    assert.deepEqual(problems("rdsProxy", "a".repeat(61)), ["is 61 characters, over 60"]);
  });
  it("ElastiCache users, user groups and serverless caches: a letter first, no '--', 40 characters", () => {
    assert.deepEqual(problems("elasticacheUser", "acme-prod-triage"), []);
    assert.deepEqual(problems("elasticacheUser", "1acme-prod-triage"), ["must begin with a letter"]);
    assert.deepEqual(problems("elasticacheUserGroup", "acme-prod--results"), ["must not contain two consecutive hyphens"]);
    assert.deepEqual(problems("serverlessCache", "Acme-prod"), ["holds 'A'; allowed: lowercase letters, digits and hyphens"]);
    assert.deepEqual(problems("elasticacheUser", "a".repeat(41)), ["is 41 characters, over 40"]);
  });
  it("load balancers: not 'internal-', no leading or trailing hyphen, 32 characters", () => {
    assert.deepEqual(problems("loadBalancer", "acme-prod-edge"), []);
    assert.deepEqual(problems("loadBalancer", "internal-prod-edge"), ["must not begin with 'internal-' (reserved by AWS)"]);
    assert.deepEqual(problems("loadBalancer", "-acme"), ["must not begin with a hyphen"]);
    assert.deepEqual(problems("targetGroup", "a".repeat(33)), ["is 33 characters, over 32"]);
  });
  it("capacity providers: not 'aws', 'ecs' or 'fargate' first, in any case", () => {
    assert.deepEqual(problems("capacityProvider", "acme-prod-gpu"), []);
    for (const bad of ["ecs-team-prod-gpu", "AWSome-prod-gpu", "fargate1-prod-gpu"]) assert.equal(problems("capacityProvider", bad).length, 1, bad);
  });
  it("queues, topics and roles: their characters and lengths", () => {
    assert.deepEqual(problems("sqsQueue", "acme-prod-a-dlq.fifo"), []);
    assert.deepEqual(problems("sqsQueue", "a".repeat(81)), ["is 81 characters, over 80"]);
    assert.deepEqual(problems("snsTopic", "acme prod"), ["holds ' '; allowed: letters, digits, hyphens and underscores (and the .fifo suffix)"]);
    assert.deepEqual(problems("iamRole", "acme-prod-a-task-us-east-1"), []);
    assert.deepEqual(problems("iamRole", "a".repeat(65)), ["is 65 characters, over 64"]);
    assert.deepEqual(problems("securityGroup", "sg-acme"), ["must not begin with 'sg-' (reserved by AWS)"]);
    assert.deepEqual(problems("dynamodbTable", "ab"), ["is shorter than 3 characters"]);
  });
  it("safeAwsName keeps valid names and moves reserved heads off their prefix", () => {
    assert.equal(safeAwsName("capacityProvider", ["acme-prod", "gpu"]), "acme-prod-gpu");
    assert.equal(safeAwsName("capacityProvider", ["ecs-team-prod", "gpu"]), "ma-ecs-team-prod-gpu");
    assert.equal(safeAwsName("loadBalancer", ["internal-prod", "edge"]), "ma-internal-prod-edge");
    const long = safeAwsName("loadBalancer", ["internal-tools-prod", "edge"]);
    assert.ok(long.length <= 32 && long.startsWith("ma-internal-tools-"), long);
    assert.deepEqual(nameProblems(AWS_NAME_RULES.loadBalancer, long), []);
  });
});

describe("graphLimitReport: limits over captured resources", () => {
  const role = (name: string) => ({ type: "aws:iam/role:Role", name, inputs: { name } });
  const rolePolicy = (role: string, chars: number) => ({ type: "aws:iam/rolePolicy:RolePolicy", name: `${role}-p${chars}`, inputs: { role, policy: policyOf(chars) } });
  it("sums a role's inline policies and names the role and the limit with its source", () => {
    assert.deepEqual(graphLimitReport([role("ok"), rolePolicy("ok", 6000), rolePolicy("ok", 4240)]).errors, []);
    const { errors } = graphLimitReport([role("big"), rolePolicy("big", 6000), rolePolicy("big", 4241)]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].path, "aws:iam/role:Role big");
    assert.match(errors[0].message, /10,241 characters, over AWS's limit of 10,240 \(iam\.role-inline-policy-chars, https:\/\/docs\.aws\.amazon\.com\/IAM\/latest\/UserGuide\/reference_iam-quotas\.html\)/);
    assert.match(errors[0].hint ?? "", /naming convention/);
  });
  it("reports names AWS rejects with the resource and the rule's source", () => {
    const { errors } = graphLimitReport([
      { type: "aws:rds/instance:Instance", name: "db", inputs: { identifier: "1acme-prod-shared" } },
      { type: "aws:ecs/capacityProvider:CapacityProvider", name: "cp", inputs: { name: "acme-prod-gpu" } },
    ]);
    assert.deepEqual(errors.map((e) => e.path), ["aws:rds/instance:Instance db"]);
    assert.match(errors[0].message, /RDS DB instance identifier '1acme-prod-shared' must begin with a letter \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS/);
  });
  it("counts REST API resources (warning) and checks subscription filter policies (error)", () => {
    const resources = Array.from({ length: 300 }, (_, i) => ({ type: "aws:apigateway/resource:Resource", name: `r${i}`, inputs: { restApi: "api-1" } }));
    assert.equal(graphLimitReport(resources).warnings.length, 1);
    assert.equal(graphLimitReport(resources.slice(1)).warnings.length, 0);
    const sub = { type: "aws:sns/topicSubscription:TopicSubscription", name: "s", inputs: { filterPolicy: JSON.stringify({ eventType: Array.from({ length: 151 }, (_, i) => `e${i}`) }) } };
    assert.equal(graphLimitReport([sub]).errors.length, 1);
  });
});
