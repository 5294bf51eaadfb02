import * as iam from "@pulumi/aws/iam";
import type { AgentBroker } from "../../components/agent-broker";
import type { BrokerOutputs } from "../target";
import { awsBroker } from "../aws/broker";
import { policyJson } from "../aws/iam";
import { awsLandings, awsQueues, childOpts } from "../aws/landing";
import { eksLandings } from "./landing";

/**
 * The SQS and SNS broker shared with ECS, and read access to these queues'
 * attributes for the KEDA operator (what its aws-sqs-queue scaler reads).
 */
export function eksBroker(scope: AgentBroker): BrokerOutputs {
  const out = awsBroker(scope);
  const landing = awsLandings.get(scope.platform);
  const eksLanding = eksLandings.get(scope.platform);
  const queues = [...awsQueues.get(scope).values()].map((q) => q.queue.arn);
  new iam.RolePolicy(
    `${scope.resourceName}-keda`,
    { role: eksLanding.kedaRole.id, policy: policyJson([{ Sid: "ReadQueueDepths", Effect: "Allow", Action: "sqs:GetQueueAttributes", Resource: queues }]) },
    childOpts(scope, landing),
  );
  return out;
}
