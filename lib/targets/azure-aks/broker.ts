import type { AgentBroker } from "../../components/agent-broker";
import type { BrokerOutputs } from "../target";
import { azureBroker } from "../azure/broker";

/** Service Bus queues and event topics (lib/targets/azure/broker.ts), shared with Container Apps. */
export function aksBroker(scope: AgentBroker): BrokerOutputs {
  return azureBroker(scope);
}
