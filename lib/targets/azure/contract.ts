import * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";

export interface AzureWiring {
  readonly namespaceName: pulumi.Input<string>;
  readonly queueName: pulumi.Input<string>;
  readonly topicName: pulumi.Input<string>;
  /** The agent's user-assigned identity: DefaultAzureCredential picks it by client id. */
  readonly clientId: pulumi.Input<string>;
  readonly vaultUri: pulumi.Input<string>;
  readonly otlpEndpoint?: pulumi.Input<string>;
  /**
   * Traces go to Application Insights: the connection string comes from a secret
   * (APPLICATIONINSIGHTS_CONNECTION_STRING, set by the runtime), ingestion with the agent's Entra token.
   */
  readonly appInsights?: boolean;
  readonly leaseUrl?: pulumi.Input<string>;
}

/**
 * The Azure part of the agent contract: its Service Bus queue (receive with
 * peek-lock; sessions when ordered) and events topic (send with an `eventType`
 * application property, which subscriptions filter on), its identity, the vault,
 * telemetry, and the knobs its plan turned on. No connection strings: the agent
 * authenticates with its managed identity.
 */
export function azureEnv(agent: AgentPlan, w: AzureWiring): Record<string, pulumi.Input<string>> {
  return {
    AZURE_CLIENT_ID: w.clientId,
    MICROAGENTS_SERVICEBUS_NAMESPACE: w.namespaceName,
    MICROAGENTS_SERVICEBUS_FQDN: pulumi.interpolate`${w.namespaceName}.servicebus.windows.net`,
    MICROAGENTS_QUEUE_NAME: w.queueName,
    MICROAGENTS_QUEUE_SESSIONS: String(agent.queue.fifo),
    MICROAGENTS_EVENTS_TOPIC: w.topicName,
    MICROAGENTS_KEY_VAULT_URI: w.vaultUri,
    ...(w.otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: w.otlpEndpoint, OTEL_TRACES_EXPORTER: "otlp", OTEL_PROPAGATORS: "tracecontext,baggage" } : {}),
    // The Azure Monitor OpenTelemetry distro's switch to Entra ID with this user-assigned identity.
    ...(w.appInsights ? { APPLICATIONINSIGHTS_AUTHENTICATION_STRING: pulumi.interpolate`Authorization=AAD;ClientId=${w.clientId}`, OTEL_PROPAGATORS: "tracecontext,baggage" } : {}),
    ...(w.otlpEndpoint || w.appInsights ? { OTEL_SERVICE_NAME: agent.name } : {}),
    ...(agent.scaling.activePassive && w.leaseUrl ? { MICROAGENTS_LEADER_LEASE_URL: w.leaseUrl, MICROAGENTS_LEADER_LEASE: agent.name } : {}),
    ...(agent.scaling.scaleInProtection ? { MICROAGENTS_SCALE_IN_PROTECTION: "true" } : {}),
    ...(agent.gpu ? { MICROAGENTS_GPU_SHARE: String(agent.gpu.share), MICROAGENTS_GPU_MEMORY_GI: String(agent.gpu.memoryGi) } : {}),
  };
}
