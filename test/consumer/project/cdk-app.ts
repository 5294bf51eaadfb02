// A company's CDK app: the package's CDK constructs and its validation plugin.
import { App, Validations } from "aws-cdk-lib";
import { AgentFleetStacks } from "microagents/cdk";
import { MicroAgentsChecks } from "microagents/cdk/checks";
import { emailFleet } from "microagents/agents";

const app = new App();
const fleet = new AgentFleetStacks(app, "acme-email", {
  fleet: emailFleet({ tier: "small", environment: "dev", targets: [{ runtime: "ecs", region: "eu-west-1" }] }),
  account: "123456789012",
});
Validations.of(app).addPlugins(new MicroAgentsChecks({ tier: fleet.plan.fleet.tier, environment: fleet.plan.fleet.environment }));
app.synth();
