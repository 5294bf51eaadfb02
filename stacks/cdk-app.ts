import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { emailFleet } from "../agents";
import { AgentFleetStacks } from "../lib/cdk";
import type { Environment } from "../lib/spec/tiers";
import { MicroAgentsChecks } from "../policies/cdk/microagents-checks";

/**
 * The small-tier example as an AWS CDK app: the seed's email fleet on ECS, sharded
 * into stacks, held to cdk-nag's AwsSolutions pack and the microagents rules at
 * synth. `npx cdk synth --app "npx tsx stacks/cdk-app.ts" -c environment=prod`, or
 * `npx tsx stacks/cdk-app.ts` to synthesize into cdk.out without the CDK CLI.
 */
const app = new App();
const environment = (app.node.tryGetContext("environment") as Environment | undefined) ?? "dev";
const region = (app.node.tryGetContext("region") as string | undefined) ?? "us-east-1";
const account = app.node.tryGetContext("account") as string | undefined;
const fleet = new AgentFleetStacks(app, "acme-email", { fleet: emailFleet({ tier: "small", environment, targets: [{ runtime: "ecs", region }] }), ...(account ? { account } : {}) });
Validations.of(app).addPlugins(new MicroAgentsChecks({ tier: fleet.plan.fleet.tier, environment }), new AwsSolutionsChecks(app));
app.synth();
