/**
 * KQL over the agents' JSON log lines (the agent contract: `level`, `event`,
 * `latencyMs`), wherever the runtime writes them in the fleet's workspace.
 */

/** KQL string literal. */
export const kql = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/**
 * One agent's log lines with the parsed JSON as `entry`. On `aca`, the Container App's
 * console logs (ContainerAppConsoleLogs, the environment's diagnostic setting in
 * resource-specific mode); on `aks`, Container insights' ContainerLogV2 (the omsagent
 * add-on), the agent's pods by their Deployment's `<agent>-<hash>-<id>` names.
 */
export function agentLogSource(runtime: "aca" | "aks", where: { readonly containerApp?: string; readonly namespace?: string; readonly agent: string }): string {
  if (runtime === "aca") return `ContainerAppConsoleLogs\n| where ContainerAppName == ${kql(where.containerApp ?? where.agent)} and ContainerName == "agent"\n| extend entry = parse_json(Log)`;
  return `ContainerLogV2\n| where PodNamespace == ${kql(where.namespace ?? "")} and ContainerName == "agent" and PodName matches regex ${kql(`^${where.agent}-[a-z0-9]+-[a-z0-9]+$`)}\n| extend entry = todynamic(LogMessage)`;
}

/** The error rate (percent of handled messages that ended in an error log line), as the AWS and GCP targets count it. */
export function errorRateQuery(source: string): string {
  return `${source}\n| summarize errors = countif(tostring(entry.level) =~ "error"), processed = countif(tostring(entry.event) == "processed")\n| extend errorRatePercent = iff(errors + processed > 0, 100.0 * errors / (errors + processed), 0.0)`;
}

/** The 95th percentile of the handling latency the agent logs (`latencyMs`). */
export function p95LatencyQuery(source: string, bin?: string): string {
  return `${source}\n| extend latencyMs = todouble(entry.latencyMs)\n| where isnotnull(latencyMs)\n| summarize p95LatencyMs = percentile(latencyMs, 95)${bin ? ` by bin(TimeGenerated, ${bin})` : ""}`;
}
