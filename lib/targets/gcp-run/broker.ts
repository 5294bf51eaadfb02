import { gcpBroker } from "../gcp/broker";
import { PUSH_PATH } from "../gcp/contract";
import { gcpLandings } from "../gcp/landing";
import type { BrokerOutputs, BrokerScope } from "../target";
import { pushAudience, runLandings, runServiceName, runUrl } from "./landing";

/**
 * The shared Pub/Sub broker with push delivery: each subscription pushes to the
 * agent's Cloud Run service (its deterministic URL, at PUSH_PATH) with an OIDC
 * token of the fleet's push invoker whose audience is the service's custom
 * audience. Cloud Run scales on concurrent pushes; Pub/Sub retries with the
 * subscription's backoff when the agent answers an error or times out. Batch
 * agents are delivered the same way: Cloud Run worker pools with an external
 * autoscaler (preview) are not used.
 */
export function runBroker(scope: BrokerScope): BrokerOutputs {
  const landing = gcpLandings.get(scope.platform);
  const run = runLandings.get(scope.platform);
  return gcpBroker(scope, (agent) => {
    const service = runServiceName(landing.prefix, agent.name);
    return {
      pushEndpoint: runUrl(service, landing.projectNumber, landing.region).apply((url) => `${url}${PUSH_PATH}`),
      oidcToken: { serviceAccountEmail: run.invoker.email, audience: pushAudience(landing.prefix, agent.name) },
      attributes: { "x-goog-version": "v1" },
    };
  }, [run.tokenGrant]);
}
