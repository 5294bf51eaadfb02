import type { AgentBroker } from "../../components/agent-broker";
import { gcpBroker } from "../gcp/broker";
import type { BrokerOutputs } from "../target";

/** The shared Pub/Sub broker with pull delivery: agents pull their subscriptions; KEDA scales them on the backlog. */
export function gkeBroker(scope: AgentBroker): BrokerOutputs {
  return gcpBroker(scope, () => undefined);
}
