import type { FleetPlan } from "../../plan/types";
import type { AgentGrant } from "./identity";
import type { AzureLanding } from "./landing";

/** The variable the Azure Monitor OpenTelemetry distro reads its connection string from. */
export const APPINSIGHTS_CONNECTION_ENV = "APPLICATIONINSIGHTS_CONNECTION_STRING";

/** How an agent's traces leave it: the fleet's own OTLP collector, or Application Insights. */
export interface AgentTelemetry {
  readonly otlpEndpoint?: string;
  readonly appInsightsConnectionString?: AzureLanding["appInsights"]["connectionString"];
  readonly grants: ReadonlyArray<AgentGrant>;
}

/**
 * Where an agent's traces go. A fleet that names an OTLP endpoint
 * (`spec.observability.otlpEndpoint`) gets it; otherwise, on tiers with tracing,
 * the fleet's Application Insights: the agent gets the component's connection
 * string and Monitoring Metrics Publisher on that component alone. With local auth
 * off on the component, the connection string's instrumentation key cannot ingest
 * anything by itself (ingestion wants an Entra token with that role); it still goes
 * through the runtime's secrets (a Container App secret, a Kubernetes Secret), as
 * anything named `*_CONNECTION_STRING` should, and it would become a credential if
 * local auth were turned back on. The agent's OpenTelemetry SDK exports through the
 * Azure Monitor exporter with its managed identity (`AZURE_CLIENT_ID`).
 */
export function agentTelemetry(plan: Pick<FleetPlan, "fleet" | "tier">, landing: Pick<AzureLanding, "appInsights">): AgentTelemetry {
  const otlp = plan.fleet.observability.otlpEndpoint;
  if (otlp) return { otlpEndpoint: otlp, grants: [] };
  if (!plan.tier.tracing) return { grants: [] };
  return {
    appInsightsConnectionString: landing.appInsights.connectionString,
    grants: [{ key: "telemetry", role: "monitoringMetricsPublisher", scope: landing.appInsights.id, why: "send its traces to Application Insights (Entra-authenticated ingestion)" }],
  };
}
