import type { BrokerOutputs, BrokerScope } from "../target";
import { azureBroker } from "../azure/broker";

/** Service Bus queues and event topics (lib/targets/azure/broker.ts), shared with AKS. */
export function acaBroker(scope: BrokerScope): BrokerOutputs {
  return azureBroker(scope);
}
