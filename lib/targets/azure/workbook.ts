import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import type { AzureLanding } from "./landing";
import { p95LatencyQuery } from "./agent-logs";

/** A stable GUID (name-based, version 5 layout) for a workbook: ARM names workbooks by GUID. */
export function workbookGuid(...parts: ReadonlyArray<string>): string {
  const h = createHash("sha1").update(parts.join("/")).digest("hex");
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** One agent's row: its queue, its memory and its log source. */
export interface WorkbookRow {
  readonly agent: string;
  readonly namespaceId: pulumi.Input<string>;
  readonly queueName: pulumi.Input<string>;
  /** The Azure Monitor metric of the agent's memory, when the runtime has one per agent (aca). */
  readonly memory?: { readonly resourceId: pulumi.Input<string>; readonly resourceType: string; readonly metric: string };
  /** KQL source of the agent's log lines (see agent-logs.ts). */
  readonly logSource: string;
}

const SIX_HOURS_MS = 6 * 3600 * 1000;
/** Workbook metric aggregations: 3 Maximum. */
const MAXIMUM = 3;

function metricsItem(name: string, title: string, resourceType: string, resourceId: pulumi.Input<string>, metric: string, filters: ReadonlyArray<{ key: string; values: ReadonlyArray<pulumi.Input<string>> }> = []) {
  return {
    type: 10,
    name,
    customWidth: "25",
    content: {
      version: "MetricsItem/2.0",
      size: 0,
      chartType: 2,
      title,
      resourceType,
      metricScope: 0,
      resourceIds: [resourceId],
      timeContext: { durationMs: SIX_HOURS_MS },
      metrics: [{ namespace: resourceType, metric: `${resourceType}--${metric}`, aggregation: MAXIMUM }],
      ...(filters.length > 0 ? { filters: filters.map((f) => ({ key: f.key, operator: 0, values: [...f.values] })) } : {}),
    },
  };
}

/** The workbook's content (Notebook/1.0): a title, then one group per agent with backlog, dead letters, memory and p95 latency side by side. */
export function workbookContent(title: string, workspaceId: pulumi.Input<string>, rows: ReadonlyArray<WorkbookRow>) {
  const sb = "microsoft.servicebus/namespaces";
  return {
    version: "Notebook/1.0",
    items: [
      { type: 1, name: "title", content: { json: `# ${title}\n${rows.length} agents: backlog, dead letters, memory and p95 latency per agent.` } },
      ...rows.map((r) => ({
        type: 12,
        name: `agent-${r.agent}`,
        content: {
          version: "NotebookGroup/1.0",
          groupType: "editable",
          title: r.agent,
          items: [
            metricsItem(`${r.agent}-backlog`, `${r.agent}: active messages`, sb, r.namespaceId, "ActiveMessages", [{ key: "EntityName", values: [r.queueName] }]),
            metricsItem(`${r.agent}-dead-letters`, `${r.agent}: dead-lettered`, sb, r.namespaceId, "DeadletteredMessages", [{ key: "EntityName", values: [r.queueName] }]),
            ...(r.memory ? [metricsItem(`${r.agent}-memory`, `${r.agent}: memory (working set)`, r.memory.resourceType, r.memory.resourceId, r.memory.metric)] : []),
            {
              type: 3,
              name: `${r.agent}-p95`,
              customWidth: "25",
              content: {
                version: "KqlItem/1.0",
                title: `${r.agent}: p95 latency (ms)`,
                query: p95LatencyQuery(r.logSource, "5m"),
                size: 0,
                queryType: 0,
                resourceType: "microsoft.operationalinsights/workspaces",
                crossComponentResources: [workspaceId],
                timeContext: { durationMs: SIX_HOURS_MS },
                visualization: "timechart",
              },
            },
          ],
        },
      })),
    ],
    fallbackResourceIds: [workspaceId],
    $schema: "https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json",
  };
}

/** The fleet's shared workbook (Azure Monitor workbooks are free), on its workspace. */
export function fleetWorkbook(logical: string, landing: Pick<AzureLanding, "prefix" | "location" | "resourceGroupName" | "workspace" | "tags">, rows: ReadonlyArray<WorkbookRow>, opts: pulumi.CustomResourceOptions): applicationinsights.Workbook {
  const title = `microagents ${landing.prefix} (${landing.location})`;
  return new applicationinsights.Workbook(
    logical,
    {
      resourceGroupName: landing.resourceGroupName,
      location: landing.location,
      resourceName: workbookGuid("microagents", landing.prefix, landing.location, "agents"),
      kind: "shared",
      category: "workbook",
      displayName: title,
      description: `One row per agent of ${landing.prefix}: queue backlog, dead letters, memory, p95 latency.`,
      sourceId: landing.workspace.id,
      serializedData: pulumi.jsonStringify(workbookContent(title, landing.workspace.id, rows)),
      tags: { ...landing.tags },
    },
    opts,
  );
}
