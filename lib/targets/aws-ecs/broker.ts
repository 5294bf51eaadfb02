import type { AgentBroker } from "../../components/agent-broker";
import type { BrokerOutputs } from "../target";
import { awsBroker } from "../aws/broker";

/** SQS queues with DLQs and SNS event topics (lib/targets/aws/broker.ts), shared with EKS. */
export function ecsBroker(scope: AgentBroker): BrokerOutputs {
  return awsBroker(scope);
}
