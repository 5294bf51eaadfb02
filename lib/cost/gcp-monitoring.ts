import type { ResourceFact } from "../facts/types";
import { qty, usd, type Outcome } from "./money";
import { fromPrices, type ServiceContext } from "./services";

/**
 * Cloud Monitoring, Cloud Logging metrics and Cloud DNS zones, priced by resource type:
 * alerting policies per condition plus the time series their conditions return,
 * user-defined log-based metrics as chargeable metric bytes, managed zones by the month.
 */
export const GCP_MONITORING_TYPES: ReadonlySet<string> = new Set(["gcp:monitoring/alertPolicy:AlertPolicy", "gcp:logging/metric:Metric", "gcp:dns/managedZone:ManagedZone"]);

/** Executions of a metric condition a month: Cloud Monitoring evaluates it every 30 s (its pricing examples' execution period). */
const CONDITION_EXECUTIONS_PER_MONTH = 2 * 60 * 730;

/** Points a log-based metric writes a month per time series: one a minute while its logs flow (an upper bound for quiet agents). */
const LOG_METRIC_POINTS_PER_MONTH = 60 * 730;

/** Bytes Cloud Monitoring bills per point: 80 for a distribution, 8 for any scalar. */
const bytesPerPoint = (valueType: unknown) => (valueType === "DISTRIBUTION" ? 80 : 8);

export function priceGcpMonitoring(r: ResourceFact, ctx: ServiceContext): Outcome {
  const type = r.resource.type;
  const b = r.billing ?? {};
  if (type === "gcp:dns/managedZone:ManagedZone") {
    return fromPrices(ctx, ["gcp.dns.managed-zone-month"], (p) => ({ usd: p.usd, basis: `managed zone ${usd(p.usd)}/month (the first 25 a project holds; queries not estimated)` }));
  }
  if (type === "gcp:logging/metric:Metric") {
    // Every metric the package writes carries an `agent` label: one time series per agent, or one for a metric without labels.
    const series = typeof b.labels === "number" && b.labels > 0 ? Math.max(1, ctx.agentReplicas.size) : 1;
    const mib = (series * LOG_METRIC_POINTS_PER_MONTH * bytesPerPoint(b.valueType)) / 1024 ** 2;
    return fromPrices(ctx, ["gcp.monitoring.per-mib-metrics"], (p) => ({
      usd: mib * p.usd,
      basis: `log-based metric: ${series} time series × a ${bytesPerPoint(b.valueType)}-byte point a minute = ${qty(mib)} MiB at ${usd(p.usd)}/MiB (the billing account's first 150 MiB free, not deducted)`,
    }));
  }
  const conditions = typeof b.conditions === "number" && b.conditions > 0 ? b.conditions : 1;
  const returned = conditions * CONDITION_EXECUTIONS_PER_MONTH;
  return fromPrices(ctx, ["gcp.monitoring.alert-condition-month", "gcp.monitoring.alert-per-million-time-series"], (condition, series) => ({
    usd: conditions * condition.usd + (returned / 1e6) * series.usd,
    basis: `${conditions} condition(s) × ${usd(condition.usd)}/month + one time series returned per condition every 30 s = ${qty(returned)} at ${usd(series.usd)}/M`,
  }));
}
