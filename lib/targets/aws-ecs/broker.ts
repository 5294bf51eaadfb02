import type { BrokerOutputs, BrokerScope } from "../target";
import { awsBroker } from "../aws/broker";

/** SQS queues with DLQs and SNS event topics (lib/targets/aws/broker.ts), shared with EKS. */
export function ecsBroker(scope: BrokerScope): BrokerOutputs {
  return awsBroker(scope);
}
