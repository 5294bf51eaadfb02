import { gcpBroker } from "../gcp/broker";
import type { BrokerOutputs, BrokerScope } from "../target";

/** The shared Pub/Sub broker with pull delivery: agents pull their subscriptions; KEDA scales them on the backlog. */
export function gkeBroker(scope: BrokerScope): BrokerOutputs {
  return gcpBroker(scope, () => undefined);
}
