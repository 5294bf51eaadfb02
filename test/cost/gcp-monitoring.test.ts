import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ManagedZoneArgs } from "@pulumi/gcp/dns";
import type { BackupScheduleArgs } from "@pulumi/gcp/firestore";
import type { MetricArgs } from "@pulumi/gcp/logging";
import type { AlertPolicyArgs } from "@pulumi/gcp/monitoring";
import { estimateCost, usagePresets } from "../../lib/cost";
import { factsFromResources, type RawResource } from "../../lib/facts";

function raw(type: string, name: string, inputs: object): RawResource {
  return { urn: `urn:pulumi:test::test::${type}::${name}`, type, name, inputs: { ...inputs }, custom: true };
}

const condition = (displayName: string) => ({
  displayName,
  conditionThreshold: { filter: 'metric.type="pubsub.googleapis.com/subscription/num_undelivered_messages"', comparison: "COMPARISON_GT", thresholdValue: 100, duration: "300s" },
});
const policy = (conditions: number): AlertPolicyArgs => ({ displayName: "acme", combiner: "OR", conditions: Array.from({ length: conditions }, (_, i) => condition(`c${i}`)), userLabels: { fleet: "acme" } });
const counter: MetricArgs = { name: "acme_errors", filter: 'jsonPayload.level="error"', labelExtractors: { agent: "EXTRACT(labels.agent)" }, metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1", labels: [{ key: "agent", valueType: "STRING" }] } };
const latency: MetricArgs = { ...counter, name: "acme_latency", valueExtractor: "EXTRACT(jsonPayload.latencyMs)", metricDescriptor: { metricKind: "DELTA", valueType: "DISTRIBUTION", unit: "ms", labels: [{ key: "agent", valueType: "STRING" }] } };
const zone: ManagedZoneArgs = { name: "acme-entry", dnsName: "agents.acme.example.", visibility: "public", dnssecConfig: { state: "on" } };

describe("Cloud Monitoring, log-based metrics and Cloud DNS zones are priced", () => {
  const e = estimateCost(
    factsFromResources([
      raw("gcp:monitoring/alertPolicy:AlertPolicy", "one", policy(1)),
      raw("gcp:monitoring/alertPolicy:AlertPolicy", "three", policy(3)),
      raw("gcp:logging/metric:Metric", "errors", counter),
      raw("gcp:logging/metric:Metric", "latency", latency),
      raw("gcp:dns/managedZone:ManagedZone", "entry", zone),
    ]),
  );
  const item = (resource: string) => e.items.find((i) => i.resource === resource);

  it("leaves none of them unpriced", () => {
    assert.deepEqual(e.unpriced, []);
  });

  it("an alerting policy: $1.50 a condition plus $0.35 per million time series returned (one per condition every 30 s)", () => {
    const executions = 2 * 60 * 730;
    assert.equal(item("one")?.monthlyUsd, Math.round((1.5 + (executions / 1e6) * 0.35) * 100) / 100);
    assert.equal(item("three")?.monthlyUsd, Math.round((3 * 1.5 + ((3 * executions) / 1e6) * 0.35) * 100) / 100);
    assert.match(item("three")?.basis ?? "", /3 condition\(s\)/);
  });

  it("a log-based metric: a point a minute per time series, 80 bytes for a distribution and 8 for a counter, at the chargeable-metric rate", () => {
    const mib = (bytes: number) => (60 * 730 * bytes) / 1024 ** 2;
    assert.equal(item("errors")?.monthlyUsd, Math.round(mib(8) * 0.258 * 100) / 100);
    assert.equal(item("latency")?.monthlyUsd, Math.round(mib(80) * 0.258 * 100) / 100);
    assert.match(item("latency")?.basis ?? "", /80-byte point/);
  });

  it("a managed zone: $0.20 a month", () => {
    assert.equal(item("entry")?.monthlyUsd, 0.2);
  });
});

describe("a Firestore backup schedule", () => {
  const daily: BackupScheduleArgs = { database: "acme-state", retention: "1209600s", dailyRecurrence: {} };
  const weekly: BackupScheduleArgs = { database: "acme-state", retention: "8467200s", weeklyRecurrence: { day: "SUNDAY" } };
  const e = estimateCost(factsFromResources([raw("gcp:firestore/backupSchedule:BackupSchedule", "daily", daily), raw("gcp:firestore/backupSchedule:BackupSchedule", "weekly", weekly)]), { usage: usagePresets.medium });
  const item = (resource: string) => e.items.find((i) => i.resource === resource);

  it("is priced: each kept backup a full copy of the database, at the backup rate per GiB-month", () => {
    assert.deepEqual(e.unpriced, []);
    // The medium preset's 200 GB; no state store among the facts, so the database holds all of it (÷ at least 1 store). 14 daily copies × 200 GB × $0.03.
    assert.equal(item("daily")?.monthlyUsd, 84);
    assert.match(item("daily")?.basis ?? "", /^14 daily backup\(s\) kept \(14 days' retention\) × 200 GB .* at \$0\.03\/GiB-month \(restores, billed per GiB restored, not estimated\)/);
    // 98 days of weekly backups: 14 copies.
    assert.equal(item("weekly")?.monthlyUsd, 84);
    assert.match(item("weekly")?.basis ?? "", /^14 weekly backup\(s\)/);
  });
});
