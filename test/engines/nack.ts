/**
 * What the NACK controller sends to JetStream for a rendered `Stream` or `Consumer`
 * object: the field mapping of nats-io/nack controllers/jetstream/stream.go
 * (`createStream`) and consumer.go (`consumerSpecToOpts`), for the fields the package
 * sets. Any field the package sets that is not mapped here fails the translation, so a
 * new field cannot slip past the engine tests.
 */

/** Go's time.ParseDuration for the units NACK objects use (h, m, s, ms), in nanoseconds. */
export function goDurationNs(text: string): number {
  const units: Record<string, number> = { h: 3_600e9, m: 60e9, s: 1e9, ms: 1e6 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) throw new Error(`not a Go duration: ${text}`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0);
}

function take(spec: Record<string, unknown>, known: ReadonlyArray<string>, kind: string): void {
  const unknown = Object.keys(spec).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Error(`${kind} spec fields the translation does not map (add them from NACK's source): ${unknown.join(", ")}`);
}

export function streamConfig(spec: Record<string, unknown>): Record<string, unknown> {
  take(spec, ["name", "description", "subjects", "retention", "storage", "replicas", "maxAge", "discard", "duplicateWindow", "sources"], "Stream");
  const sources = spec.sources as Array<{ name: string; filterSubject?: string }> | undefined;
  return {
    name: spec.name,
    ...(spec.description ? { description: spec.description } : {}),
    subjects: spec.subjects,
    retention: spec.retention,
    storage: spec.storage,
    num_replicas: spec.replicas,
    max_age: spec.maxAge ? goDurationNs(spec.maxAge as string) : 0,
    discard: spec.discard,
    ...(spec.duplicateWindow ? { duplicate_window: goDurationNs(spec.duplicateWindow as string) } : {}),
    ...(sources ? { sources: sources.map((s) => ({ name: s.name, ...(s.filterSubject ? { filter_subject: s.filterSubject } : {}) })) } : {}),
  };
}

export function consumerConfig(spec: Record<string, unknown>): { stream: string; config: Record<string, unknown> } {
  take(spec, ["streamName", "durableName", "description", "ackPolicy", "ackWait", "maxDeliver", "backoff", "deliverPolicy", "replayPolicy", "maxAckPending", "maxRequestBatch"], "Consumer");
  return {
    stream: spec.streamName as string,
    config: {
      durable_name: spec.durableName,
      description: spec.description,
      ack_policy: spec.ackPolicy,
      ack_wait: goDurationNs(spec.ackWait as string),
      max_deliver: spec.maxDeliver,
      ...(spec.backoff ? { backoff: (spec.backoff as string[]).map(goDurationNs) } : {}),
      deliver_policy: spec.deliverPolicy,
      replay_policy: spec.replayPolicy,
      max_ack_pending: spec.maxAckPending,
      max_batch: spec.maxRequestBatch,
    },
  };
}
