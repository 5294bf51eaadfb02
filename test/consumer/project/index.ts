// A company's Pulumi program: its own deploy role (assume-role, default tags) for every
// AWS resource, an image digest computed in the program, the fleet from the package.
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { AgentFleet } from "microagents";
import { emailFleet } from "microagents/agents";

const config = new pulumi.Config();
const region = config.get("region") ?? "eu-west-1";
const deployRole = new Provider("deploy", {
  region,
  assumeRoles: [{ roleArn: config.require("deployRoleArn"), sessionName: `microagents-${pulumi.getStack()}` }],
  defaultTags: { tags: { "cost-center": config.require("costCenter") } },
});

const fleet = new AgentFleet(
  "acme-email",
  { fleet: emailFleet({ tier: "small", environment: "dev", targets: [{ runtime: "ecs", region }] }) },
  { providers: { aws: deployRole } },
);

export const environments = fleet.deployments.map((d) => d.platform.environmentName);
export const agents: number = fleet.plan.agents.length;
