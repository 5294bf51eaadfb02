import * as iam from "@pulumi/aws/iam";
import type { BrokerOutputs, BrokerScope } from "../target";
import { awsBroker } from "../aws/broker";
import { policyJson } from "../aws/iam";
import { fleetQueueCondition, fleetQueuesArn } from "../aws/fleet-grants";
import { awsLandings, childOpts } from "../aws/landing";
import { eksLandings } from "./landing";

/**
 * The SQS and SNS broker shared with ECS, and read access to the fleet's input
 * queues' attributes for the KEDA operator (what its aws-sqs-queue scaler reads).
 */
export function eksBroker(scope: BrokerScope): BrokerOutputs {
  const out = awsBroker(scope);
  const landing = awsLandings.get(scope.platform);
  const eksLanding = eksLandings.get(scope.platform);
  // The fleet's input queues by name and tags, not one ARN per agent: the policy stays one size at any fleet size.
  const queues = landing.accountId.apply((account) => fleetQueuesArn(landing.partition, landing.region, account, landing.prefix));
  new iam.RolePolicy(
    `${scope.resourceName}-keda`,
    {
      role: eksLanding.kedaRole.id,
      policy: policyJson([{ Sid: "ReadQueueDepths", Effect: "Allow", Action: "sqs:GetQueueAttributes", Resource: queues, Condition: fleetQueueCondition(scope.platform.plan.tags, "input") }]),
    },
    childOpts(scope, landing),
  );
  return out;
}
