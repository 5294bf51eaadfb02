import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ResourceGraph } from "../../lib/offline/engine";
import { planFleet } from "../../lib/plan";
import type { FleetInput } from "../../lib/spec";
import { natsValues } from "../../lib/targets/kubernetes/platform";
import { minimalAgent, minimalFleet } from "../helpers/fleets";
import { at, ofType, planFleetOffline } from "../helpers/offline";
import { engineBinary, engineVersion, freePort, PINNED_ENGINES, startProcess, tempDir, waitFor, type EngineProcess } from "./engines";
import { formatNatsConfig } from "./nats-config";
import { ackInfo, NatsTestClient } from "./nats-client";
import { consumerConfig, streamConfig } from "./nack";

/**
 * The broker the Kubernetes target declares, on a real nats-server: streams and
 * consumers exactly as the rendered NACK objects say (translated the way the NACK
 * controller does), the server configured with the rendered JetStream block.
 * One agent has a scaled-down visibility timeout (2 s) through the spec, so the
 * redelivery schedule comes from the same code path as production's 300 s.
 */
const fleet: FleetInput = minimalFleet({ environment: "dev" }, [
  minimalAgent({ name: "intake", queue: { visibilityTimeoutSeconds: 2, maxReceiveCount: 3 } }),
  minimalAgent({ name: "billing", subscribes: [{ from: "intake", eventTypes: ["order.created"] }] }),
  minimalAgent({ name: "audit", subscribes: [{ from: "intake" }] }),
  minimalAgent({ name: "idle" }),
]);
const STREAM = "kubernetes:jetstream.nats.io/v1beta2:Stream";
const CONSUMER = "kubernetes:jetstream.nats.io/v1beta2:Consumer";
const KEY = "0123456789abcdef0123456789abcdef";

/** The nats.conf the chart would write, from the package's values: JetStream block as rendered, plus a loopback listener. */
function serverConfig(storeDir: string, port: number): string {
  const values = natsValues(false, "nats-server-tls");
  const js = (values.config as { jetstream: { fileStore: { pvc: { size: string } }; merge: Record<string, string> } }).jetstream;
  // files/config/jetstream.yaml: store_dir, max_file_store << pvc.size >>, max_memory_store 0 (memory store off), then `merge`.
  return formatNatsConfig({ listen: `127.0.0.1:${port}`, jetstream: { store_dir: storeDir, max_file_store: `<< ${js.fileStore.pvc.size} >>`, max_memory_store: 0, ...js.merge } });
}

describe(`JetStream on a real nats-server (${engineVersion(engineBinary("nats-server"))}; pinned: ${PINNED_ENGINES["nats-server"]})`, { timeout: 90_000 }, () => {
  let graph: ResourceGraph;
  let server: EngineProcess;
  let nc: NatsTestClient;
  const dir = tempDir("nats");

  before(async () => {
    graph = await planFleetOffline(fleet);
    const port = await freePort();
    const conf = join(dir.path, "nats.conf");
    writeFileSync(conf, serverConfig(join(dir.path, "store"), port));
    server = startProcess(engineBinary("nats-server"), ["-c", conf], { env: { ...process.env, JS_KEY: KEY } });
    await waitFor("nats-server", () => server.output().includes("Server is ready"), 15_000, server);
    nc = await NatsTestClient.connect(port);
    // Events stream first: the agents' streams source from it.
    const streams = ofType(graph, STREAM).sort((a, b) => Number(at(b, "metadata", "name") === "acme-events") - Number(at(a, "metadata", "name") === "acme-events"));
    for (const s of streams) await nc.api(`STREAM.CREATE.${at(s, "spec", "name") as string}`, streamConfig(at(s, "spec") as Record<string, unknown>));
    for (const c of ofType(graph, CONSUMER)) {
      const { stream, config } = consumerConfig(at(c, "spec") as Record<string, unknown>);
      await nc.api(`CONSUMER.DURABLE.CREATE.${stream}.${config.durable_name as string}`, { stream_name: stream, config });
    }
  });

  after(async () => {
    nc?.close();
    await server?.stop();
    dir.remove();
  });

  it("creates every rendered stream and consumer, and the server keeps their settings", async () => {
    assert.equal(ofType(graph, STREAM).length, 1 + 4 * 2, "events, and a work and a dead-letter stream per agent");
    const info = await nc.api<{ config: { ack_wait: number; backoff?: number[]; max_deliver: number } }>("CONSUMER.INFO.acme-intake.intake");
    const intake = planFleet(fleet).agent("intake");
    assert.equal(intake.queue.visibilityTimeoutSeconds, 2);
    assert.deepEqual(info.config.backoff?.map((ns) => ns / 1e9), [3, 4], "visibility timeout + the seed's 1 s and 2 s");
    assert.equal(info.config.ack_wait / 1e9, 3);
    assert.equal(info.config.max_deliver, 3);
    const work = await nc.api<{ config: { retention: string; sources?: Array<{ filter_subject?: string }> } }>("STREAM.INFO.acme-billing");
    assert.equal(work.config.retention, "workqueue");
    assert.deepEqual(work.config.sources?.map((s) => s.filter_subject), ["acme.events.intake.order.created"]);
  });

  it("a message being worked on is not redelivered before the visibility timeout", async () => {
    nc.publish("acme.intake.in", "slow task");
    const first = await nc.next("acme-intake", "intake", 2_000);
    assert.ok(first?.reply, "delivered");
    const taken = Date.now();
    // Still held by a worker that has not acked: nothing comes back within the visibility timeout.
    assert.equal(await nc.next("acme-intake", "intake", 1_900), undefined);
    const again = await nc.next("acme-intake", "intake", 4_000);
    assert.ok(again?.reply, "redelivered once the ack wait ran out");
    const waited = (Date.now() - taken) / 1000;
    assert.ok(waited >= 2.9, `redelivered after ${waited.toFixed(2)} s: not before visibility (2 s) + first retry delay (1 s)`);
    assert.equal(again.data.toString(), "slow task");
    assert.deepEqual([ackInfo(again.reply).delivered, ackInfo(again.reply).streamSeq], [2, ackInfo(first.reply).streamSeq]);
    nc.publish(again.reply, "+ACK");
    await nc.flush();
  });

  it("a message that fails maxReceiveCount times reaches the dead-letter stream, and nothing is lost", async () => {
    nc.publish("acme.intake.in", "poison");
    let seq = 0;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const m = await nc.next("acme-intake", "intake", 5_000);
      assert.ok(m?.reply, `delivery ${attempt}`);
      assert.equal(m.data.toString(), "poison");
      assert.equal(ackInfo(m.reply).delivered, attempt);
      seq = ackInfo(m.reply).streamSeq;
      nc.publish(m.reply, "-NAK");
    }
    // A fourth pull makes the server notice the message is past max deliveries.
    assert.equal(await nc.next("acme-intake", "intake", 1_000), undefined, "no fourth delivery");
    await waitFor("the max-deliveries advisory in acme-intake-dlq", async () => (await nc.api<{ state: { messages: number } }>("STREAM.INFO.acme-intake-dlq")).state.messages >= 1, 5_000);
    const advisory = await nc.api<{ message: { subject: string; data: string } }>("STREAM.MSG.GET.acme-intake-dlq", { last_by_subj: "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.acme-intake.intake" });
    const body = JSON.parse(Buffer.from(advisory.message.data, "base64").toString()) as { stream: string; consumer: string; stream_seq: number; deliveries: number };
    assert.deepEqual([body.stream, body.consumer, body.stream_seq, body.deliveries], ["acme-intake", "intake", seq, 3]);
    // The original is still in the work stream, at the sequence the advisory names.
    const original = await nc.api<{ message: { data: string } }>("STREAM.MSG.GET.acme-intake", { seq });
    assert.equal(Buffer.from(original.message.data, "base64").toString(), "poison");
  });

  it("events reach only the subscribers whose filters match", async () => {
    nc.publish("acme.events.intake.order.created", "created-1");
    nc.publish("acme.events.intake.order.cancelled", "cancelled-1");
    await nc.flush();
    const drain = async (stream: string, consumer: string) => {
      const got: string[] = [];
      for (;;) {
        const m = await nc.next(stream, consumer, 1_000);
        if (!m?.reply) return got.sort();
        got.push(m.data.toString());
        nc.publish(m.reply, "+ACK");
      }
    };
    assert.deepEqual(await drain("acme-billing", "billing"), ["created-1"]);
    assert.deepEqual(await drain("acme-audit", "audit"), ["cancelled-1", "created-1"]);
    assert.deepEqual(await drain("acme-idle", "idle"), []);
  });

  it("streams are encrypted with the key from the environment, and the server does not start without it", async () => {
    nc.publish("acme.intake.in", "plaintext-marker-7f3a");
    await nc.flush();
    const files = (d: string): string[] => readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? files(join(d, e)) : [join(d, e)]));
    const stored = files(join(dir.path, "store")).filter((f) => f.endsWith(".blk"));
    assert.ok(stored.length > 0, "message blocks on disk");
    for (const f of stored) assert.ok(!readFileSync(f).includes("plaintext-marker-7f3a"), `${f} holds the payload in clear`);
    const conf = readFileSync(join(dir.path, "nats.conf"), "utf8");
    assert.match(conf, /"cipher": "chachapoly"/);
    assert.match(conf, /"key": \$JS_KEY/);
    // Without JS_KEY in its environment the server refuses the config: the key is read from there, not a literal.
    const env = { ...process.env };
    delete env.JS_KEY;
    const keyless = startProcess(engineBinary("nats-server"), ["-c", join(dir.path, "nats.conf")], { env });
    await waitFor("nats-server without JS_KEY to exit", () => keyless.child.exitCode !== null, 10_000);
    assert.notEqual(keyless.child.exitCode, 0);
    assert.match(keyless.output(), /variable reference for 'JS_KEY'/);
  });
});
