import type { BrokerOutputs, BrokerScope } from "../target";
import { azureBroker } from "../azure/broker";

/** Service Bus queues and event topics (lib/targets/azure/broker.ts), shared with Container Apps. */
export function aksBroker(scope: BrokerScope): BrokerOutputs {
  return azureBroker(scope);
}
