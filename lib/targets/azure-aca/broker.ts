import type { AgentBroker } from "../../components/agent-broker";
import type { BrokerOutputs } from "../target";
import { azureBroker } from "../azure/broker";

/** Service Bus queues and event topics (lib/targets/azure/broker.ts), shared with AKS. */
export function acaBroker(scope: AgentBroker): BrokerOutputs {
  return azureBroker(scope);
}
